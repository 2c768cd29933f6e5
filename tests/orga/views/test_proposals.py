"""The proposals of the back office: the list (filter, search, sort), the detail, decisions and state
changes on one proposal, and editing it."""

import pytest
from django.urls import reverse

from podium.mail.models import MailStatus, OutboxMail
from podium.proposals import services as proposal_services
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.reviews import services as review_services
from tests import factories
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _url(name, event, **kwargs):
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs})


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def editor(event):
    """An organiser who may edit the event (and so sees speaker identities), but not review."""
    return factories.team_member(event, name="Program", can_edit_event=True)


# --- Proposal list and detail ----------------------------------------------------------------------


def test_proposal_list_filters_by_track_type_and_state(client, event, editor):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    talk, tutorial = event.session_types.get(name="Talk"), event.session_types.get(name="Tutorial")
    wanted = factories.ProposalFactory(
        event=event, track=data, session_type=tutorial, state=ProposalState.ACCEPTED
    )
    factories.ProposalFactory(event=event, track=web, session_type=tutorial, state=ProposalState.ACCEPTED)
    factories.ProposalFactory(event=event, track=data, session_type=talk, state=ProposalState.ACCEPTED)
    factories.ProposalFactory(event=event, track=data, session_type=tutorial)
    client.force_login(editor)

    response = client.get(
        _url("proposals", event), {"track": data.pk, "session_type": tutorial.pk, "state": "accepted"}
    )

    assert [p.code for p in response.context["proposals"]] == [wanted.code]


def test_proposal_list_reports_invalid_filter_and_ignores_it(client, event, editor, proposal):
    client.force_login(editor)

    response = client.get(_url("proposals", event), {"track": "999999", "state": "nonsense"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert [p.code for p in response.context["proposals"]] == [proposal.code]


def test_proposal_list_search_by_title_code_and_speaker(client, event, editor):
    ada = factories.UserFactory(name="Ada Lovelace")
    by_ada = factories.ProposalFactory(event=event, speakers=[ada], title="Engines")
    by_title = factories.ProposalFactory(event=event, title="Analytical thinking")
    client.force_login(editor)

    def search(q):
        return [p.code for p in client.get(_url("proposals", event), {"q": q}).context["proposals"]]

    assert search("lovelace") == [by_ada.code]
    assert search("analytical") == [by_title.code]
    assert search(by_ada.code.lower()) == [by_ada.code]


def test_proposal_list_sorts_by_column_both_ways(client, event, editor):
    for title in ("Bravo", "Alpha", "Charlie"):
        factories.ProposalFactory(event=event, title=title)
    client.force_login(editor)

    ascending = client.get(_url("proposals", event), {"sort": "title"}).context["proposals"]
    descending = client.get(_url("proposals", event), {"sort": "-title"}).context["proposals"]

    assert [p.title for p in ascending] == ["Alpha", "Bravo", "Charlie"]
    assert [p.title for p in descending] == ["Charlie", "Bravo", "Alpha"]


def test_proposal_list_flags_pending_decisions(client, event, editor, proposal):
    review_services.decide(proposal=proposal, decision="accepted", by=editor)
    client.force_login(editor)

    response = client.get(_url("proposals", event))

    assert response.context["pending_count"] == 1
    assert "pending: Accepted" in response.content.decode()


def test_proposal_detail_shows_fields_speakers_reviews_and_history(
    client, event, editor, reviewer, proposal, speaker
):
    factories.ReviewFactory(proposal=proposal, reviewer=reviewer, score=3, comment="Great topic.")
    review_services.decide(proposal=proposal, decision="accepted", by=editor)
    client.force_login(editor)

    response = client.get(_url("proposal", event, code=proposal.code))

    content = response.content.decode()
    assert proposal.title in content
    assert "Speaker Person" in content
    assert speaker.email in content
    assert "Great topic." in content
    assert "3: Yes, must have" in content
    assert [h["what"] for h in response.context["history"]] == [
        "Decided: Accepted (speakers are told when decisions are sent)"
    ]


@pytest.mark.parametrize("anonymised", [False, True])
def test_proposal_list_query_count_does_not_grow_with_the_proposals(client, event, anonymised):
    """Speakers and their profiles, tracks, session types, tags and pending decisions come in a fixed
    number of queries, for an organiser and for a reviewer under anonymised review alike."""
    event.anonymise_review = anonymised
    event.save(update_fields=["anonymise_review"])
    viewer = factories.team_member(event, name="Program", can_edit_event=not anonymised, can_review=True)
    tag = event.tags.create(name="Python")
    client.force_login(viewer)

    def grow(n):
        for index in range(n):
            speakers = [factories.UserFactory(), factories.UserFactory(name="")]
            proposal = factories.ProposalFactory(
                event=event,
                speakers=speakers,
                track=event.tracks.order_by("name")[index % 2],
                pending_state="accepted" if index % 3 == 0 else "",
            )
            proposal.tags.add(tag)

    assert_constant_queries(client, _url("proposals", event), grow)


def test_proposal_detail_hides_other_reviews_until_reviewer_reviewed(client, event, reviewer, proposal):
    factories.ReviewFactory(proposal=proposal, score=0, comment="Someone else's opinion.")
    client.force_login(reviewer)

    before = client.get(_url("proposal", event, code=proposal.code)).content.decode()
    review_services.save_review(proposal=proposal, reviewer=reviewer, score=2)
    after = client.get(_url("proposal", event, code=proposal.code)).content.decode()

    assert "Someone else&#x27;s opinion." not in before
    assert "Someone else&#x27;s opinion." in after


# --- Decisions on one proposal ---------------------------------------------------------------------


def test_accept_from_detail_is_pending_until_sent(client, event, editor, proposal, speaker):
    client.force_login(editor)

    response = client.post(
        _url("proposal_decide", event, code=proposal.code), {"decision": "accepted"}, follow=True
    )

    proposal.refresh_from_db()
    assert (proposal.state, proposal.pending_state) == (ProposalState.SUBMITTED, ProposalState.ACCEPTED)
    assert OutboxMail.objects.get(about=f"decision:{proposal.pk}").status == MailStatus.HELD
    assert _messages(response)[0].startswith("Decision recorded: Accepted.")


def test_decide_with_unknown_decision_shows_error_and_saves_nothing(client, event, editor, proposal):
    client.force_login(editor)

    response = client.post(
        _url("proposal_decide", event, code=proposal.code), {"decision": "maybe"}, follow=True
    )

    assert _messages(response) == ["A decision is either accept or reject."]
    proposal.refresh_from_db()
    assert proposal.pending_state == ""


def test_retract_from_detail_takes_back_the_unsent_decision(client, event, editor, proposal):
    review_services.decide(proposal=proposal, decision="rejected", by=editor)
    client.force_login(editor)

    client.post(_url("proposal_decide", event, code=proposal.code), {"decision": "retract"})

    proposal.refresh_from_db()
    assert proposal.pending_state == ""
    assert OutboxMail.objects.get(about=f"decision:{proposal.pk}").status == MailStatus.DISCARDED


def test_state_change_from_detail_uses_the_transition_table(client, event, editor, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.CONFIRMED)
    client.force_login(editor)

    page = client.get(_url("proposal", event, code=proposal.code))
    refused = client.post(
        _url("proposal_state", event, code=proposal.code), {"state": "submitted"}, follow=True
    )
    moved = client.post(
        _url("proposal_state", event, code=proposal.code), {"state": "cancelled"}, follow=True
    )

    assert page.context["state_targets"] == [("cancelled", "Cancelled")]
    assert _messages(refused) == ["A confirmed proposal cannot become submitted by the organiser."]
    assert _messages(moved) == ["The proposal is now cancelled."]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CANCELLED


def test_state_change_refuses_decisions_which_must_notify(client, event, editor, proposal):
    client.force_login(editor)

    response = client.post(
        _url("proposal_state", event, code=proposal.code), {"state": "accepted"}, follow=True
    )

    assert "use the decision buttons" in _messages(response)[0]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED


# --- Editing ---------------------------------------------------------------------------------------


def _edit_data(proposal, **extra):
    return {
        "title": proposal.title,
        "abstract": proposal.abstract,
        "description": proposal.description,
        "track": proposal.track_id,
        "session_type": proposal.session_type_id,
        "audience_level": "beginner",
        "language": "en",
        "notes": "",
        "version": proposal.version,
        **extra,
    }


def test_edit_saves_and_bumps_version(client, event, editor, proposal):
    client.force_login(editor)

    response = client.post(
        _url("proposal_edit", event, code=proposal.code), _edit_data(proposal, title="Sharper title")
    )

    assert response.status_code == 302
    updated = Proposal.objects.get(pk=proposal.pk)
    assert (updated.title, updated.version) == ("Sharper title", proposal.version + 1)


def test_edit_with_stale_version_shows_conflict_and_keeps_both(client, event, editor, proposal):
    client.force_login(editor)
    stale = _edit_data(proposal, title="My edit")
    proposal_services.update_proposal(
        proposal=proposal,
        by=editor,
        data={"title": "Their edit"},
        version=proposal.version,
        as_organiser=True,
    )

    response = client.post(_url("proposal_edit", event, code=proposal.code), stale)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this proposal while you were editing." in content
    assert "Their edit" in content  # the values saved in between
    assert 'value="My edit"' in content  # the user's input is kept
    assert Proposal.objects.get(pk=proposal.pk).title == "Their edit"
    # Saving again from the conflict page knowingly replaces the other edit.
    again = client.post(_url("proposal_edit", event, code=proposal.code), response.context["form"].data)
    assert again.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).title == "My edit"


def test_edit_with_bad_input_shows_errors_and_saves_nothing(client, event, editor, proposal):
    other_track = factories.EventFactory().tracks.first()
    client.force_login(editor)

    response = client.post(
        _url("proposal_edit", event, code=proposal.code), _edit_data(proposal, title="", track=other_track.pk)
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "track"}
    assert Proposal.objects.get(pk=proposal.pk).title == proposal.title
