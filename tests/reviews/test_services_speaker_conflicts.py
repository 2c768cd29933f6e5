"""Conflicts of interest with a person (reviews.SpeakerConflict): every proposal the person speaks on,
later ones and later co-speakers too, for the queue, reviewing, assignment and suggestions; declared
by account or by address, without telling the reviewer whether the person submitted anything."""

import pytest

from podium.base.errors import NotAllowed, ServiceError
from podium.base.models import AuditEntry
from podium.proposals.models import ProposalSpeaker
from podium.proposals.services import accept_co_speaker_invite, invite_co_speaker
from podium.reviews import queries, rules, services
from podium.reviews.models import Assignment, Review, SpeakerConflict
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker():
    return factories.UserFactory(email="Sam.Speaker@Example.org", name="Sam Speaker")


def _reviewable(reviewer, event):
    return set(rules.reviewable_proposals(reviewer, event).values_list("code", flat=True))


def test_a_conflict_with_a_person_covers_their_proposals_now_and_later(event, reviewer, speaker):
    first = factories.ProposalFactory(event=event, speakers=[speaker])
    other = factories.ProposalFactory(event=event)

    conflict = services.declare_speaker_conflict(event=event, reviewer=reviewer, by=reviewer, speaker=speaker)
    later = factories.ProposalFactory(event=event, speakers=[factories.UserFactory(), speaker])

    assert (conflict.speaker, conflict.email) == (speaker, "sam.speaker@example.org")
    assert _reviewable(reviewer, event) == {other.code}
    for proposal in (first, later):
        assert rules.review_refusal(reviewer, proposal) == rules.CONFLICTED_PERSON
        with pytest.raises(NotAllowed, match="conflict of interest"):
            services.save_review(proposal=proposal, reviewer=reviewer, score=2)
    assert rules.review_refusal(reviewer, other) is None


def test_a_co_speaker_who_joins_later_brings_the_conflict_with_them(event, reviewer, speaker):
    proposal = factories.ProposalFactory(event=event)
    lead = proposal.speakers.first()
    services.declare_speaker_conflict(event=event, reviewer=reviewer, by=reviewer, email=speaker.email)
    assert proposal.code in _reviewable(reviewer, event)

    invite = invite_co_speaker(proposal=proposal, email=speaker.email, by=lead)
    accept_co_speaker_invite(invite=invite, user=speaker)

    assert proposal.code not in _reviewable(reviewer, event)
    assert rules.review_refusal(reviewer, proposal) == rules.CONFLICTED_PERSON


def test_an_address_without_an_account_is_kept_and_matches_the_account_made_later(event, reviewer):
    conflict = services.declare_speaker_conflict(
        event=event, reviewer=reviewer, by=reviewer, email="  New.Person@Example.ORG "
    )
    assert (conflict.speaker, conflict.email, conflict.created_now) == (None, "new.person@example.org", True)

    newcomer = factories.UserFactory(email="new.person@example.org")
    proposal = factories.ProposalFactory(event=event, speakers=[newcomer])

    assert proposal.code not in _reviewable(reviewer, event)


def test_the_answer_is_the_same_whether_the_person_submitted_anything_or_not(event, reviewer, speaker):
    factories.ProposalFactory(event=event, speakers=[speaker])
    factories.UserFactory(email="no.proposal@example.org")

    answers = [
        services.declare_speaker_conflict(event=event, reviewer=reviewer, by=reviewer, email=address)
        for address in (speaker.email, "no.proposal@example.org", "nobody@example.org")
    ]

    # What the reviewer's pages and the API show of a conflict: the address they typed, nothing else.
    assert [(a.email, a.created_now) for a in answers] == [
        ("sam.speaker@example.org", True),
        ("no.proposal@example.org", True),
        ("nobody@example.org", True),
    ]
    assert not hasattr(answers[0], "review_removed")


def test_declaring_removes_assignments_and_reviews_of_their_proposals(
    event, reviewer, speaker, organiser_user
):
    theirs = factories.ProposalFactory(event=event, speakers=[speaker])
    other = factories.ProposalFactory(event=event)
    for proposal in (theirs, other):
        services.add_assignment(proposal=proposal, reviewer=reviewer, by=organiser_user)
        services.save_review(proposal=proposal, reviewer=reviewer, score=2)

    services.declare_speaker_conflict(event=event, reviewer=reviewer, by=organiser_user, email=speaker.email)

    assert set(Assignment.objects.values_list("proposal_id", flat=True)) == {other.pk}
    assert set(Review.objects.values_list("proposal_id", flat=True)) == {other.pk}
    entry = AuditEntry.objects.get(action="review.speaker_conflict_declared")
    assert (entry.actor, entry.data["reviewer"], entry.data["email"]) == (
        organiser_user,
        reviewer.pk,
        "sam.speaker@example.org",
    )
    assert (entry.data["assignments_removed"], entry.data["reviews_removed"]) == (1, 1)
    with pytest.raises(ServiceError, match="may not review"):
        services.add_assignment(proposal=theirs, reviewer=reviewer, by=organiser_user)


def test_declaring_the_same_person_again_returns_the_conflict_there_is(event, reviewer, speaker):
    first = services.declare_speaker_conflict(
        event=event, reviewer=reviewer, by=reviewer, email=speaker.email
    )
    again = services.declare_speaker_conflict(event=event, reviewer=reviewer, by=reviewer, speaker=speaker)

    assert (again.pk, again.created_now) == (first.pk, False)
    assert SpeakerConflict.objects.count() == 1
    assert AuditEntry.objects.filter(action="review.speaker_conflict_declared").count() == 1


@pytest.mark.parametrize("address", ["", "not an address", "a@b"])
def test_a_bad_address_is_refused(event, reviewer, address):
    with pytest.raises(ServiceError, match="e-mail address") as refused:
        services.declare_speaker_conflict(event=event, reviewer=reviewer, by=reviewer, email=address)

    assert refused.value.field == "email"
    assert not SpeakerConflict.objects.exists()


def test_oneself_is_refused(event, reviewer):
    with pytest.raises(ServiceError, match="own address"):
        services.declare_speaker_conflict(
            event=event, reviewer=reviewer, by=reviewer, email=reviewer.email.upper()
        )


def test_only_the_reviewer_or_an_organiser_declares_and_withdraws(event, reviewer, speaker, organiser_user):
    colleague = factories.team_member(event, name="Other reviewers", can_review=True)
    outsider = factories.UserFactory()

    for by in (colleague, outsider):
        with pytest.raises(NotAllowed):
            services.declare_speaker_conflict(event=event, reviewer=reviewer, by=by, email=speaker.email)
    conflict = services.declare_speaker_conflict(
        event=event, reviewer=reviewer, by=organiser_user, email=speaker.email
    )
    with pytest.raises(NotAllowed):
        services.withdraw_speaker_conflict(conflict=conflict, by=colleague)

    services.withdraw_speaker_conflict(conflict=conflict, by=reviewer)

    assert not SpeakerConflict.objects.exists()
    entry = AuditEntry.objects.get(action="review.speaker_conflict_withdrawn")
    assert (entry.actor, entry.data["reviewer"]) == (reviewer, reviewer.pk)


def test_a_conflict_is_one_events(event, reviewer, speaker):
    other_event = factories.EventFactory(organiser=event.organiser)
    elsewhere = factories.ProposalFactory(event=other_event, speakers=[speaker])
    services.declare_speaker_conflict(event=event, reviewer=reviewer, by=reviewer, speaker=speaker)

    assert elsewhere.code in _reviewable(reviewer, other_event)


# --- Assignment and suggestions ------------------------------------------------------------------------


def test_automatic_assignment_never_gives_a_conflicted_persons_proposals(event, organiser_user, speaker):
    first, _second, _third = (
        factories.team_member(event, name=f"Reviewers {n}", can_review=True) for n in range(3)
    )
    theirs = factories.ProposalFactory(event=event, speakers=[speaker])
    services.declare_speaker_conflict(event=event, reviewer=first, by=first, email=speaker.email)

    services.assign_reviewers(event=event, by=organiser_user, per_proposal=3)

    assert first.pk not in set(theirs.review_assignments.values_list("reviewer_id", flat=True))
    assert theirs.review_assignments.count() == 3


def test_an_assignment_a_later_co_speaker_voids_is_replaced_by_the_next_run(event, organiser_user, speaker):
    first, second = (factories.team_member(event, name=f"Reviewers {n}", can_review=True) for n in range(2))
    proposal = factories.ProposalFactory(event=event)
    services.add_assignment(proposal=proposal, reviewer=first, by=organiser_user)
    services.declare_speaker_conflict(event=event, reviewer=first, by=first, email=speaker.email)
    ProposalSpeaker.objects.create(proposal=proposal, user=speaker, position=1)  # joins afterwards

    services.assign_reviewers(event=event, by=organiser_user, per_proposal=1)

    assert set(proposal.review_assignments.values_list("reviewer_id", flat=True)) in (
        {second.pk},
        {organiser_user.pk},
    )
    assert AuditEntry.objects.get(action="review.assigned").data["voided"] == 1


def test_suggestions_leave_out_proposals_a_person_conflict_covers(event):
    acme = factories.team_member(event, user=factories.UserFactory(email="ann@acme.example"), can_review=True)
    colleague = factories.UserFactory(email="cy@acme.example")
    factories.ProposalFactory(event=event, speakers=[colleague])
    assert len(queries.suggested_conflicts(event, [acme])) == 1

    services.declare_speaker_conflict(event=event, reviewer=acme, by=acme, speaker=colleague)

    assert queries.suggested_conflicts(event, [acme]) == []


def test_conflict_pairs_cover_both_kinds(event, reviewer, speaker):
    by_person = factories.ProposalFactory(event=event, speakers=[speaker])
    by_proposal = factories.ProposalFactory(event=event)
    free = factories.ProposalFactory(event=event)
    services.declare_conflict(proposal=by_proposal, reviewer=reviewer, by=reviewer)
    services.declare_speaker_conflict(
        event=event, reviewer=reviewer, by=reviewer, email="SAM.speaker@example.org"
    )

    pairs = rules.conflict_pairs(event, [reviewer.pk], [by_person.pk, by_proposal.pk, free.pk])

    assert pairs == {(reviewer.pk, by_person.pk), (reviewer.pk, by_proposal.pk)}
