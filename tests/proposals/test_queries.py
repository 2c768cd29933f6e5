import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from podium.proposals import queries
from podium.proposals import services as proposal_services
from podium.proposals.models import Proposal
from podium.reviews import services as review_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymised(event):
    event.anonymise_review = True
    event.save()
    return event


@pytest.fixture
def zelda(event):
    """A speaker whose profile names her in every way a page could show."""
    user = factories.UserFactory(name="Zelda Quixotic", email="zelda@secret.example")
    proposal_services.save_speaker_profile(
        event=event,
        user=user,
        name=user.name,
        bio="ZELDA-BIO",
        website="https://zelda.example",
        social="@zelda_social",
    )
    return user


@pytest.fixture
def talk(event, zelda):
    proposal = factories.ProposalFactory(event=event, speakers=[zelda, factories.UserFactory(name="Second")])
    Proposal.objects.filter(pk=proposal.pk).update(notes="Ask about the travel grant.")
    return proposal


def test_for_viewer_anonymised_reviewer_gets_proposals_without_speakers_or_notes(anonymised, reviewer, talk):
    proposals = queries.for_viewer(reviewer, anonymised)

    [seen] = list(proposals)

    assert proposals.anonymised is True
    assert (seen.code, seen.anonymised, seen.shown_speakers, seen.shown_notes) == (
        talk.code,
        True,
        None,
        None,
    )


def test_for_viewer_anonymised_loads_no_speaker(anonymised, reviewer, talk):
    with CaptureQueriesContext(connection) as captured:
        list(queries.for_viewer(reviewer, anonymised))

    sql = " ".join(query["sql"] for query in captured)
    assert "proposalspeaker" not in sql.lower()
    assert "speakerprofile" not in sql.lower()


def test_for_viewer_organiser_on_anonymised_event_gets_speakers_profiles_and_notes(
    anonymised, organiser_user, talk, zelda
):
    [seen] = list(queries.for_viewer(organiser_user, anonymised))

    assert seen.anonymised is False
    assert [(s.user.name, s.profile.bio if s.profile else None) for s in seen.shown_speakers] == [
        ("Zelda Quixotic", "ZELDA-BIO"),
        ("Second", "Bio of Second."),
    ]
    assert (seen.shown_speakers[0].profile.website, seen.shown_speakers[0].profile.social) == (
        "https://zelda.example",
        "@zelda_social",
    )
    assert seen.shown_notes == "Ask about the travel grant."


def test_for_viewer_reviewer_sees_identities_when_the_event_does_not_anonymise(event, reviewer, talk):
    proposals = queries.for_viewer(reviewer, event)

    [seen] = list(proposals)

    assert proposals.anonymised is False
    assert [s.user.name for s in seen.shown_speakers] == ["Zelda Quixotic", "Second"]
    assert seen.shown_notes == "Ask about the travel grant."


def test_for_viewer_keeps_the_form_through_filters_order_annotations_and_slices(anonymised, reviewer, talk):
    another = factories.ProposalFactory(event=anonymised, title="Another")
    base = queries.for_viewer(reviewer, anonymised)

    derived = [
        list(base.filter(code=talk.code)),
        list(base.order_by("title").annotate(marker=Value(1))),
        list(base.exclude(code=another.code)[:1]),
        [base.get(code=talk.code)],
        [base.filter(code=talk.code).first()],
    ]

    assert [[(p.code, p.anonymised, p.shown_speakers, p.shown_notes) for p in rows] for rows in derived] == [
        [(talk.code, True, None, None)],
        [(another.code, True, None, None), (talk.code, True, None, None)],
        [(talk.code, True, None, None)],
        [(talk.code, True, None, None)],
        [(talk.code, True, None, None)],
    ]
    assert base.filter(code=talk.code).anonymised is True


def test_for_viewer_values_rows_are_left_as_plain_data(anonymised, reviewer, talk):
    assert list(queries.for_viewer(reviewer, anonymised).values_list("code", flat=True)) == [talk.code]


def test_for_viewer_respects_track_limits_and_events(event):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    limited = factories.team_member(event, can_review=True, tracks=[web])
    on_web = factories.ProposalFactory(event=event, track=web)
    factories.ProposalFactory(event=event, track=data)
    factories.ProposalFactory(event=factories.EventFactory())

    assert [p.code for p in queries.for_viewer(limited, event)] == [on_web.code]


def test_for_viewer_user_without_a_team_sees_nothing(event, talk):
    outsider = factories.UserFactory()

    assert list(queries.for_viewer(outsider, event)) == []
    assert list(queries.for_viewer(factories.team_member(event, can_check_in=True), event)) == []


def test_for_viewer_reaching_the_event_costs_no_query(event, reviewer, talk):
    [seen] = list(queries.for_viewer(reviewer, event))

    with CaptureQueriesContext(connection) as captured:
        assert seen.event.slug == event.slug

    assert len(captured) == 0


# --- History ---------------------------------------------------------------------------------------


@pytest.fixture
def history_talk(event, zelda, organiser_user):
    """A proposal Zelda submitted, edited and invited a co-speaker to; then an organiser decided it."""
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
    review_services.decide(proposal=proposal, decision="accepted", by=organiser_user)
    return proposal


def test_history_for_viewer_anonymised_names_no_speaker(event, reviewer, history_talk, organiser_user):
    event.anonymise_review = True
    event.save()
    seen = queries.for_viewer(reviewer, event).get(code=history_talk.code)

    entries = queries.history_for_viewer(seen)

    assert [(e.who, e.action) for e in entries] == [
        (organiser_user.name, "proposal.decision_pending"),
        ("a speaker", "proposal.cospeaker_invited"),
        ("a speaker", "proposal.edited"),
        ("a speaker", "proposal.submitted"),
    ]
    assert "email" not in entries[1].data
    assert "friend@elsewhere.example" not in repr(entries)
    assert "Zelda" not in repr(entries)


def test_history_for_viewer_shown_names_the_speaker_and_the_invited_address(
    event, organiser_user, history_talk
):
    event.anonymise_review = True
    event.save()
    seen = queries.for_viewer(organiser_user, event).get(code=history_talk.code)

    entries = queries.history_for_viewer(seen)

    assert [e.who for e in entries] == [
        organiser_user.name,
        "Zelda Quixotic",
        "Zelda Quixotic",
        "Zelda Quixotic",
    ]
    assert entries[1].data["email"] == "friend@elsewhere.example"
