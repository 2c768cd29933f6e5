"""The review area of the back office: who may reach which page, the review queue and form, the overview
with bulk decisions, anonymised review on every surface, and query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.mail.models import MailStatus, OutboxMail
from podium.proposals import services as proposal_services
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.reviews import services as review_services
from podium.reviews.models import Review
from tests import factories

pytestmark = pytest.mark.django_db

HIDDEN = [
    "Zelda Quixotic-Marmalade",
    "zelda@secret.example",
    "ZELDA-BIO",
    "https://zelda.example",
    "@zelda_social",
]


def _url(name, event, **kwargs):
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs})


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def editor(event):
    """An organiser who may edit the event (and so sees speaker identities), but not review."""
    return factories.team_member(event, name="Program", can_edit_event=True)


# --- Who may reach which page ----------------------------------------------------------------------

ROLES = {
    "editor": {"can_edit_event": True},
    "reviewer": {"can_review": True},
    "mailer": {"can_send_mail": True},
    "scheduler": {"can_schedule": True},
    "door": {"can_check_in": True},
    "outsider": None,
}
PAGES = {
    "proposals": {"editor", "reviewer", "mailer", "scheduler"},
    "proposal": {"editor", "reviewer", "mailer", "scheduler"},
    "proposal_edit": {"editor"},
    "reviews": {"reviewer"},
    "review": {"reviewer"},
    "review_overview": {"editor"},
    "outbox": {"editor", "mailer"},
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_render_for_allowed_roles_and_refuse_others(client, event, proposal, role, page):
    flags = ROLES[role]
    user = factories.team_member(event, **flags) if flags is not None else factories.UserFactory()
    client.force_login(user)
    kwargs = {"code": proposal.code} if page in ("proposal", "proposal_edit", "review") else {}

    response = client.get(_url(page, event, **kwargs))

    assert response.status_code == (200 if role in PAGES[page] else 403)


@pytest.mark.parametrize("page", ["proposals", "reviews", "review_overview", "outbox"])
def test_pages_send_anonymous_visitors_to_log_in(client, event, page):
    response = client.get(_url(page, event))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("decide", {"codes": "C00000", "decision": "accepted"}),
        ("send_decisions", {}),
        ("proposal_decide", {"decision": "accepted"}),
        ("proposal_state", {"state": "cancelled"}),
    ],
)
@pytest.mark.parametrize("role", ["reviewer", "mailer"])
def test_decision_actions_refused_without_edit_permission(client, event, proposal, name, data, role):
    client.force_login(factories.team_member(event, **ROLES[role]))
    kwargs = {"code": proposal.code} if name.startswith("proposal_") else {}

    response = client.post(_url(name, event, **kwargs), data)

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert (proposal.state, proposal.pending_state) == (ProposalState.SUBMITTED, "")


def test_proposal_of_another_event_is_not_found(client, event, editor):
    other = factories.ProposalFactory(event=factories.EventFactory())
    client.force_login(editor)

    response = client.get(_url("proposal", event, code=other.code))

    assert response.status_code == 404


def test_track_limited_reviewer_sees_only_their_tracks(client, event):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    reviewer = factories.team_member(event, can_review=True, tracks=[web])
    on_web = factories.ProposalFactory(event=event, track=web)
    on_data = factories.ProposalFactory(event=event, track=data)
    client.force_login(reviewer)

    listed = client.get(_url("proposals", event)).context["proposals"]
    queued = client.get(_url("reviews", event)).context["proposals"]
    detail = client.get(_url("proposal", event, code=on_data.code))
    form = client.get(_url("review", event, code=on_data.code))

    assert [p.code for p in listed] == [on_web.code]
    assert [p.code for p in queued] == [on_web.code]
    assert (detail.status_code, form.status_code) == (404, 404)


def test_menu_shows_only_permitted_links(client, event, reviewer):
    client.force_login(reviewer)

    content = client.get(_url("reviews", event)).content.decode()

    assert _url("proposals", event) in content
    assert _url("review_overview", event) not in content
    assert _url("outbox", event) not in content


# --- Reviewing -------------------------------------------------------------------------------------


def test_review_queue_lists_unreviewed_first_with_own_score(client, event, reviewer):
    reviewed = factories.ProposalFactory(event=event, title="Reviewed")
    unreviewed = factories.ProposalFactory(event=event, title="Unreviewed")
    factories.ProposalFactory(event=event, speakers=[reviewer], title="Own")
    factories.ProposalFactory(event=event, state=ProposalState.WITHDRAWN, title="Withdrawn")
    review_services.save_review(proposal=reviewed, reviewer=reviewer, score=1)
    factories.ReviewFactory(proposal=unreviewed, score=3)  # someone else's review is not "yours"
    client.force_login(reviewer)

    response = client.get(_url("reviews", event))

    rows = [(p.title, p.my_score) for p in response.context["proposals"]]
    assert rows == [("Unreviewed", None), ("Reviewed", 1)]
    assert "1: Rather not" in response.content.decode()


def test_review_queue_filters_by_track_and_type(client, event, reviewer):
    data = event.tracks.get(name="Data")
    tutorial = event.session_types.get(name="Tutorial")
    wanted = factories.ProposalFactory(event=event, track=data, session_type=tutorial)
    factories.ProposalFactory(event=event, track=data)
    client.force_login(reviewer)

    response = client.get(_url("reviews", event), {"track": data.pk, "session_type": tutorial.pk})

    assert [p.code for p in response.context["proposals"]] == [wanted.code]


def test_review_form_shows_event_score_labels_as_radio_buttons(client, event, reviewer, proposal):
    event.score_labels = [[-1, "Against"], [1, "For"]]
    event.save()
    client.force_login(reviewer)

    content = client.get(_url("review", event, code=proposal.code)).content.decode()

    assert re.findall(r'type="radio" name="score" value="(-?\d+)"', content) == ["-1", "1"]
    assert "-1: Against" in content


def test_review_form_saves_then_updates(client, event, reviewer, proposal):
    client.force_login(reviewer)
    url = _url("review", event, code=proposal.code)

    first = client.post(url, {"score": "2", "comment": "Solid."})
    second = client.post(url, {"score": "3", "comment": "On reflection, great."})
    page = client.get(url)

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(Review.objects.values_list("reviewer", "score", "comment")) == [
        (reviewer.pk, 3, "On reflection, great.")
    ]
    assert page.context["form"].initial == {"score": 3, "comment": "On reflection, great."}


def test_review_form_save_and_next_goes_to_the_next_unreviewed(client, event, reviewer):
    first = factories.ProposalFactory(event=event)
    following = factories.ProposalFactory(event=event)
    client.force_login(reviewer)

    response = client.post(_url("review", event, code=first.code), {"score": "1", "next": "1"})

    assert response["Location"] == _url("review", event, code=following.code)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"comment": "No score given."}, "Choose a score."),
        ({"score": "99", "comment": "Off the scale."}, "Choose one of the scores on the event&#x27;s scale."),
        ({"score": "two"}, "Choose one of the scores on the event&#x27;s scale."),
    ],
)
def test_review_form_bad_input_shows_error_and_saves_nothing(
    client, event, reviewer, proposal, data, message
):
    client.force_login(reviewer)

    response = client.post(_url("review", event, code=proposal.code), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert data["comment"] in content if "comment" in data else True
    assert Review.objects.count() == 0


def test_review_form_refuses_own_proposal(client, event, reviewer):
    own = factories.ProposalFactory(event=event, speakers=[reviewer])
    client.force_login(reviewer)

    page = client.get(_url("review", event, code=own.code))
    posted = client.post(_url("review", event, code=own.code), {"score": "3"})

    assert page.status_code == 200
    assert "You cannot review your own proposal." in page.content.decode()
    assert 'name="score"' not in page.content.decode()
    assert posted.status_code == 403
    assert "You cannot review your own proposal." in posted.content.decode()
    assert Review.objects.count() == 0


# --- Review overview and bulk decisions ------------------------------------------------------------


def test_review_overview_shows_statistics_sorted_and_filtered(client, event, editor):
    low = factories.ProposalFactory(event=event, title="Low")
    high = factories.ProposalFactory(event=event, title="High")
    unreviewed = factories.ProposalFactory(event=event, title="Unreviewed", state=ProposalState.REJECTED)
    for score in (0, 1):
        factories.ReviewFactory(proposal=low, score=score)
    for score in (3, 3, 2):
        factories.ReviewFactory(proposal=high, score=score)
    client.force_login(editor)

    by_mean = client.get(_url("review_overview", event)).context["rows"]
    by_count = client.get(_url("review_overview", event), {"sort": "count"}).context["rows"]
    rejected = client.get(_url("review_overview", event), {"state": "rejected"}).context["rows"]

    assert [(p.title, s.count, s.mean, s.median, s.spread) for p, s in by_mean] == [
        ("High", 3, 2.67, 3.0, 0.47),
        ("Low", 2, 0.5, 0.5, 0.5),
        ("Unreviewed", 0, None, None, None),
    ]
    assert [p.title for p, _ in by_count] == ["Unreviewed", "Low", "High"]
    assert [p.code for p, _ in rejected] == [unreviewed.code]


def test_review_overview_draws_distribution_as_svg_without_inline_style(client, event, editor):
    proposal = factories.ProposalFactory(event=event)
    for score in (0, 3, 3):
        factories.ReviewFactory(proposal=proposal, score=score)
    client.force_login(editor)

    response = client.get(_url("review_overview", event))

    content = response.content.decode()
    assert [(b["value"], b["count"], b["height"]) for b in response.context["chart"]["bars"]] == [
        (0, 1, 50),
        (1, 0, 0),
        (2, 0, 0),
        (3, 2, 100),
    ]
    figure = re.search(r'<figure class="chart">.*?</figure>', content, re.DOTALL).group(0)
    assert figure.count("<rect ") == 4
    assert "style=" not in content
    assert "<script>" not in content
    assert 'data-check-all="codes"' in content


def test_bulk_decide_accepts_selected_and_reports_count(client, event, editor):
    first, second, untouched = (factories.ProposalFactory(event=event) for _ in range(3))
    client.force_login(editor)

    response = client.post(
        _url("decide", event),
        {"codes": [first.code, second.code], "decision": "accepted", "query": "sort=title"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == _url("review_overview", event) + "?sort=title"
    assert _messages(response) == [
        "2 proposals accepted. The speakers are told when you send the decisions from the outbox."
    ]
    pending = dict(Proposal.objects.values_list("code", "pending_state"))
    assert pending == {first.code: "accepted", second.code: "accepted", untouched.code: ""}


def test_bulk_decide_reports_per_proposal_errors(client, event, editor):
    fine = factories.ProposalFactory(event=event)
    withdrawn = factories.ProposalFactory(event=event, state=ProposalState.WITHDRAWN)
    client.force_login(editor)

    response = client.post(
        _url("decide", event), {"codes": [fine.code, withdrawn.code], "decision": "rejected"}, follow=True
    )

    assert _messages(response) == [
        "1 proposal rejected. The speakers are told when you send the decisions from the outbox.",
        f"{withdrawn.code}: A withdrawn proposal cannot be rejected.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"codes": ["NOSUCH"], "decision": "accepted"},
            "No proposal of this event has the code NOSUCH. Nothing was decided.",
        ),
        ({"decision": "accepted"}, "Select at least one proposal."),
        ({"codes": ["KNOWN"], "decision": "confirmed"}, "A decision is either accept or reject."),
    ],
)
def test_bulk_decide_bad_input_shows_error_and_decides_nothing(client, event, editor, data, message):
    known = factories.ProposalFactory(event=event, code="KNOWN")
    data = (
        {**data, "codes": [*data.get("codes", []), known.code]} if "NOSUCH" in data.get("codes", []) else data
    )
    client.force_login(editor)

    response = client.post(_url("decide", event), data, follow=True)

    assert message in _messages(response)
    assert Proposal.objects.exclude(pending_state="").count() == 0
    assert OutboxMail.objects.filter(status=MailStatus.HELD).count() == 0


def test_bulk_decide_refuses_codes_of_another_event(client, event, editor):
    other = factories.ProposalFactory(event=factories.EventFactory(), code="OTHERX")
    client.force_login(editor)

    response = client.post(
        _url("decide", event), {"codes": [other.code], "decision": "accepted"}, follow=True
    )

    assert _messages(response) == ["No proposal of this event has the code OTHERX. Nothing was decided."]
    other.refresh_from_db()
    assert other.pending_state == ""


# --- Anonymised review -----------------------------------------------------------------------------


@pytest.fixture
def zelda_proposal(event, editor):
    """A proposal of an anonymised event whose speaker's identity must not reach reviewers."""
    event.anonymise_review = True
    event.save()
    zelda = factories.UserFactory(name="Zelda Quixotic-Marmalade", email="zelda@secret.example")
    proposal_services.save_speaker_profile(
        event=event,
        user=zelda,
        name=zelda.name,
        bio="ZELDA-BIO",
        website="https://zelda.example",
        social="@zelda_social",
    )
    proposal = proposal_services.submit_proposal(
        event=event,
        speaker=zelda,
        data={
            "title": "Marmots in production",
            "abstract": "Burrowing into latency.",
            "description": "Details.",
            "track": event.tracks.first(),
            "session_type": event.session_types.first(),
            "language": "en",
        },
    )
    proposal_services.update_proposal(
        proposal=proposal, by=zelda, data={"title": "Marmots at scale"}, version=proposal.version
    )
    proposal_services.invite_co_speaker(proposal=proposal, email="friend@elsewhere.example", by=zelda)
    review_services.decide(proposal=proposal, decision="accepted", by=editor)
    proposal.refresh_from_db()
    return proposal


def _pages_of(event, proposal):
    return [
        _url("reviews", event),
        _url("review", event, code=proposal.code),
        _url("proposals", event) + "?q=Zelda",
        _url("proposals", event) + "?q=Quixotic",
        _url("proposals", event),
        _url("proposal", event, code=proposal.code),
    ]


def test_anonymised_review_hides_speaker_from_reviewer_everywhere(client, event, reviewer, zelda_proposal):
    review_services.save_review(
        proposal=zelda_proposal, reviewer=reviewer, score=2
    )  # unlocks the reviews list
    client.force_login(reviewer)

    for url in _pages_of(event, zelda_proposal):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert [secret for secret in HIDDEN if secret in content] == [], url
        assert "friend@elsewhere.example" not in content, url
    search = client.get(_url("proposals", event), {"q": "Zelda"})
    assert search.context["proposals"] == []
    detail = client.get(_url("proposal", event, code=zelda_proposal.code))
    assert "Speaker identity hidden (anonymised review)" in detail.content.decode()
    assert [h["who"] for h in detail.context["history"]][-3:] == ["a speaker", "a speaker", "a speaker"]
    assert client.get(_url("outbox", event)).status_code == 403
    assert client.get(_url("review_overview", event)).status_code == 403


def test_anonymised_review_shows_speaker_to_organiser(client, event, zelda_proposal):
    organiser = factories.team_member(event, can_edit_event=True, can_review=True)
    client.force_login(organiser)

    for url in _pages_of(event, zelda_proposal):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Zelda Quixotic-Marmalade" in response.content.decode(), url
    detail = client.get(_url("proposal", event, code=zelda_proposal.code)).content.decode()
    assert [secret for secret in HIDDEN if secret not in detail] == []
    assert "friend@elsewhere.example" in detail
    search = client.get(_url("proposals", event), {"q": "Zelda"})
    assert [p.code for p in search.context["proposals"]] == [zelda_proposal.code]


def _surfaces(event, proposal) -> dict:
    """Every place that shows a team the proposals: {name: (URL, API?)}."""
    api = f"/api/v1/orga/events/{event.slug}/proposals"
    return {
        "orga list": (_url("proposals", event), False),
        "orga search": (_url("proposals", event) + "?q=Zelda", False),
        "orga detail": (_url("proposal", event, code=proposal.code), False),
        "review queue": (_url("reviews", event), False),
        "review form": (_url("review", event, code=proposal.code), False),
        "review overview": (_url("review_overview", event), False),
        "API list": (api, True),
        "API detail": (f"{api}/{proposal.code}", True),
    }


@pytest.fixture
def viewer_spy(monkeypatch):
    """Records each call of proposals.queries.for_viewer; `force_anonymised` makes it hide identities."""
    from podium.proposals import queries

    real = queries.for_viewer

    class Spy:
        calls: list = []
        force_anonymised = False

        def __call__(self, user, event):
            self.calls.append((user.pk, event.pk))
            proposals = real(user, event)
            if self.force_anonymised:
                proposals.anonymised = True
            return proposals

    spy = Spy()
    spy.calls = []
    monkeypatch.setattr(queries, "for_viewer", spy)
    return spy


def _get(client, url, api, headers):
    return client.get(url, **headers) if api else client.get(url)


def test_every_proposal_surface_goes_through_for_viewer(client, event, zelda_proposal, viewer_spy):
    from tests.api.conftest import bearer, make_token

    organiser = factories.team_member(event, is_admin=True, can_edit_event=True, can_review=True)
    client.force_login(organiser)
    headers = bearer(make_token(organiser, event))
    missed = []

    for name, (url, api) in _surfaces(event, zelda_proposal).items():
        viewer_spy.calls.clear()
        assert _get(client, url, api, headers).status_code == 200, name
        if (organiser.pk, event.pk) not in viewer_spy.calls:
            missed.append(name)

    assert missed == []


def test_every_proposal_surface_shows_only_what_for_viewer_gives(client, event, zelda_proposal, viewer_spy):
    """An organiser sees identities; once for_viewer hides them, no page and no API answer shows any."""
    from tests.api.conftest import bearer, make_token

    organiser = factories.team_member(event, is_admin=True, can_edit_event=True, can_review=True)
    Proposal.objects.filter(pk=zelda_proposal.pk).update(notes="ZELDA-NOTES")
    client.force_login(organiser)
    headers = bearer(make_token(organiser, event))
    surfaces = _surfaces(event, zelda_proposal)
    shown = {name: _get(client, url, api, headers).content.decode() for name, (url, api) in surfaces.items()}
    viewer_spy.force_anonymised = True

    hidden = {name: _get(client, url, api, headers).content.decode() for name, (url, api) in surfaces.items()}

    secrets = [*HIDDEN, "friend@elsewhere.example", "ZELDA-NOTES"]
    assert "Zelda Quixotic-Marmalade" in shown["orga detail"]
    assert "ZELDA-NOTES" in shown["API detail"]
    assert {name: [s for s in secrets if s in page] for name, page in hidden.items()} == {
        name: [] for name in surfaces
    }
    assert "Marmots at scale" in hidden["orga detail"]


# --- Query counts ----------------------------------------------------------------------------------


def _seed(event, count, reviewer):
    for index in range(count):
        proposal = factories.ProposalFactory(
            event=event,
            speakers=[factories.UserFactory(), factories.UserFactory()],
            track=event.tracks.all()[index % 2],
        )
        factories.ReviewFactory(proposal=proposal, score=index % 4)
        if index % 2:
            Review.objects.create(proposal=proposal, reviewer=reviewer, score=1)
        if index % 3 == 0:
            Proposal.objects.filter(pk=proposal.pk).update(pending_state="accepted")


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["proposals", "reviews", "review_overview"])
def test_list_pages_query_count_does_not_grow(client, event, page, django_assert_num_queries):
    user = factories.team_member(event, can_edit_event=True, can_review=True)
    client.force_login(user)
    url = _url(page, event)
    _seed(event, 3, user)
    small = _query_count(client, url)

    _seed(event, 12, user)

    with django_assert_num_queries(small):
        response = client.get(url)
    assert len(response.context["proposals" if page != "review_overview" else "rows"]) == 15
