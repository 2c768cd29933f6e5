import re

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import resolve

from podium.base.errors import NotAllowed, ServiceError
from podium.base.models import AuditEntry
from podium.mail.models import MailStatus, OutboxMail
from podium.proposals import services as proposal_services
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.reviews import services
from podium.reviews.models import Review
from tests import factories

pytestmark = pytest.mark.django_db


def _decision_mails(proposal, status=None):
    mails = OutboxMail.objects.filter(about=f"decision:{proposal.pk}")
    return mails.filter(status=status) if status else mails


# --- Reviews ---------------------------------------------------------------------------------------


def test_review_second_row_for_same_reviewer_and_proposal_violates_constraint(proposal, reviewer):
    Review.objects.create(proposal=proposal, reviewer=reviewer, score=1)

    with pytest.raises(IntegrityError):
        Review.objects.create(proposal=proposal, reviewer=reviewer, score=2)


def test_save_review_twice_updates_the_one_review(proposal, reviewer):
    first = services.save_review(proposal=proposal, reviewer=reviewer, score=1, comment="Hmm.")
    second = services.save_review(proposal=proposal, reviewer=reviewer, score=3, comment="Convinced.")

    assert second.pk == first.pk
    assert list(Review.objects.values_list("score", "comment")) == [(3, "Convinced.")]
    actions = list(
        AuditEntry.objects.filter(action__startswith="review.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["review.created", "review.updated"]


def test_save_review_refuses_own_proposal(event, reviewer):
    own = factories.ProposalFactory(event=event, speakers=[reviewer])

    with pytest.raises(NotAllowed, match="your own proposal"):
        services.save_review(proposal=own, reviewer=reviewer, score=2)
    assert Review.objects.count() == 0


def test_save_review_refuses_a_withdrawn_proposal_saying_why(event, reviewer):
    withdrawn = factories.ProposalFactory(event=event, state=ProposalState.WITHDRAWN)

    with pytest.raises(NotAllowed, match=r"^This proposal was withdrawn; it is no longer reviewed\.$"):
        services.save_review(proposal=withdrawn, reviewer=reviewer, score=2)
    assert Review.objects.count() == 0


@pytest.mark.parametrize("score", [-1, 4, 99])
def test_save_review_refuses_score_off_the_scale(proposal, reviewer, score):
    with pytest.raises(ServiceError, match="between 0 and 3") as caught:
        services.save_review(proposal=proposal, reviewer=reviewer, score=score)

    assert caught.value.field == "score"
    assert Review.objects.count() == 0


def test_save_review_follows_the_events_own_scale(event, proposal, reviewer):
    event.score_labels = [[-2, "Never"], [0, "Meh"], [5, "Must"]]
    event.save()
    proposal.refresh_from_db()

    review = services.save_review(proposal=proposal, reviewer=reviewer, score=-2)

    assert review.score == -2
    with pytest.raises(ServiceError, match="between -2 and 5"):
        services.save_review(proposal=proposal, reviewer=reviewer, score=1)


def test_save_review_refuses_track_limited_reviewer_on_other_track(event):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    web_reviewer = factories.team_member(event, name="Web reviewers", can_review=True, tracks=[web])
    on_web = factories.ProposalFactory(event=event, track=web)
    on_data = factories.ProposalFactory(event=event, track=data)

    services.save_review(proposal=on_web, reviewer=web_reviewer, score=2)
    with pytest.raises(NotAllowed, match="may not review"):
        services.save_review(proposal=on_data, reviewer=web_reviewer, score=2)

    assert list(Review.objects.values_list("proposal__code", flat=True)) == [on_web.code]


def test_save_review_refuses_user_without_review_permission(proposal):
    scheduler = factories.team_member(proposal.event, can_schedule=True)

    with pytest.raises(NotAllowed):
        services.save_review(proposal=proposal, reviewer=scheduler, score=2)


def test_save_review_refuses_another_events_reviewer(proposal):
    outsider = factories.team_member(factories.EventFactory(), can_review=True)

    with pytest.raises(NotAllowed):
        services.save_review(proposal=proposal, reviewer=outsider, score=2)


# --- Decisions -------------------------------------------------------------------------------------


def test_decide_keeps_state_sets_pending_and_holds_a_mail_per_speaker(event, organiser_user):
    ada, bob = factories.UserFactory(name="Ada"), factories.UserFactory(name="Bob")
    proposal = factories.ProposalFactory(event=event, speakers=[ada, bob])

    decided = services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)

    assert (decided.state, decided.pending_state) == (ProposalState.SUBMITTED, ProposalState.ACCEPTED)
    held = _decision_mails(proposal)
    assert sorted(held.values_list("to", "status")) == sorted(
        [(ada.email, MailStatus.HELD), (bob.email, MailStatus.HELD)]
    )
    assert mail.outbox == []
    entry = AuditEntry.objects.filter(action="proposal.decision_pending").get()
    assert entry.data == {"decision": "accepted", "from": "submitted"}


def test_decide_changed_before_sending_replaces_the_held_mail(proposal, speaker, organiser_user):
    services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)
    first = _decision_mails(proposal).get()

    services.decide(proposal=proposal, decision=ProposalState.REJECTED, by=organiser_user)

    first.refresh_from_db()
    assert first.status == MailStatus.DISCARDED
    current = _decision_mails(proposal, MailStatus.HELD).get()
    assert current.template == "decision_rejected"
    proposal.refresh_from_db()
    assert proposal.pending_state == ProposalState.REJECTED


def test_decide_refused_for_reviewer(proposal, reviewer):
    with pytest.raises(NotAllowed):
        services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=reviewer)

    proposal.refresh_from_db()
    assert proposal.pending_state == ""
    assert _decision_mails(proposal).count() == 0


def test_decide_refuses_a_decision_the_state_does_not_allow(proposal, organiser_user):
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.WITHDRAWN)

    with pytest.raises(proposal_services.InvalidTransition, match="withdrawn proposal cannot be accepted"):
        services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)
    assert _decision_mails(proposal).count() == 0


def test_send_decision_notifications_changes_state_audits_and_sends(
    proposal, speaker, organiser_user, django_capture_on_commit_callbacks
):
    services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)

    with django_capture_on_commit_callbacks(execute=True):
        count = services.send_decision_notifications(event=proposal.event, by=organiser_user)

    assert count == 1
    proposal.refresh_from_db()
    assert (proposal.state, proposal.pending_state) == (ProposalState.ACCEPTED, "")
    change = AuditEntry.objects.filter(action="proposal.state_changed").get()
    assert (change.actor, change.data) == (organiser_user, {"from": "submitted", "to": "accepted"})
    assert [m.to for m in mail.outbox] == [[speaker.email]]
    assert _decision_mails(proposal).get().status == MailStatus.SENT


def test_accepted_mail_differs_clearly_from_the_receipt(
    event, speaker, organiser_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_services.submit_proposal(
            event=event,
            speaker=speaker,
            data={
                "title": "Async all the way",
                "abstract": "Why.",
                "session_type": event.session_types.first(),
                "track": event.tracks.first(),
            },
        )
    services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_decision_notifications(event=event, by=organiser_user)

    receipt, accepted = mail.outbox
    assert "Accepted" in accepted.subject
    assert "confirm" in accepted.subject
    assert "Accepted" not in receipt.subject
    links = re.findall(r"https://podium\.test/\S+", accepted.body)
    assert len(links) == 1
    match = resolve(links[0].removeprefix("https://podium.test"))
    assert match.view_name == "cfp:confirm"
    assert proposal_services.read_confirmation_token(event, match.kwargs["token"]) == (proposal, speaker)
    assert links[0] not in receipt.body
    assert accepted.body != receipt.body


def test_send_decision_notifications_without_pending_sends_nothing(
    proposal, organiser_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = services.send_decision_notifications(event=proposal.event, by=organiser_user)

    assert count == 0
    assert mail.outbox == []


def test_send_decision_notifications_leaves_other_events_alone(proposal, organiser_user):
    other_proposal = factories.ProposalFactory(event=factories.EventFactory())
    other_organiser = factories.team_member(other_proposal.event, can_edit_event=True)
    services.decide(proposal=other_proposal, decision=ProposalState.ACCEPTED, by=other_organiser)

    count = services.send_decision_notifications(event=proposal.event, by=organiser_user)

    assert count == 0
    other_proposal.refresh_from_db()
    assert other_proposal.pending_state == ProposalState.ACCEPTED


def test_decide_many_decides_valid_and_reports_refused(event, organiser_user):
    first, second = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    withdrawn = factories.ProposalFactory(event=event, state=ProposalState.WITHDRAWN)

    decided, errors = services.decide_many(
        event=event,
        codes=[first.code, second.code.lower(), withdrawn.code],
        decision="accepted",
        by=organiser_user,
    )

    assert sorted(p.code for p in decided) == sorted([first.code, second.code])
    assert errors == [f"{withdrawn.code}: A withdrawn proposal cannot be accepted."]
    assert sorted(Proposal.objects.filter(pending_state="accepted").values_list("code", flat=True)) == sorted(
        [first.code, second.code]
    )


def test_decide_many_unknown_code_decides_nothing(event, organiser_user):
    known = factories.ProposalFactory(event=event)
    elsewhere = factories.ProposalFactory(event=factories.EventFactory(), code="ELSEWH")

    with pytest.raises(ServiceError, match="ELSEWH") as caught:
        services.decide_many(
            event=event, codes=[known.code, elsewhere.code], decision="accepted", by=organiser_user
        )

    assert caught.value.field == "codes"
    assert Proposal.objects.exclude(pending_state="").count() == 0
    assert OutboxMail.objects.filter(status=MailStatus.HELD).count() == 0


def test_decide_many_refused_for_reviewer(event, proposal, reviewer):
    with pytest.raises(NotAllowed):
        services.decide_many(event=event, codes=[proposal.code], decision="accepted", by=reviewer)


def test_retract_decision_discards_held_mail_and_keeps_state(proposal, organiser_user):
    services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)

    services.retract_decision(proposal=proposal, by=organiser_user)

    proposal.refresh_from_db()
    assert (proposal.state, proposal.pending_state) == (ProposalState.SUBMITTED, "")
    assert _decision_mails(proposal).get().status == MailStatus.DISCARDED
    with pytest.raises(ServiceError, match="no pending decision"):
        services.retract_decision(proposal=proposal, by=organiser_user)


def test_pending_decision_mails_skips_proposals_no_longer_pending(event, speaker, organiser_user):
    kept = factories.ProposalFactory(event=event)
    withdrawn = factories.ProposalFactory(event=event, speakers=[speaker])
    services.decide(proposal=kept, decision=ProposalState.ACCEPTED, by=organiser_user)
    services.decide(proposal=withdrawn, decision=ProposalState.ACCEPTED, by=organiser_user)
    proposal_services.withdraw_proposal(proposal=withdrawn, by=speaker)

    listed = list(services.pending_decision_mails(event))

    assert [m.about for m in listed] == [f"decision:{kept.pk}"]
