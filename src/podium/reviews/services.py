"""Reviewing and deciding."""

from django.db import IntegrityError, transaction

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError
from podium.mail import about
from podium.mail import system as system_mail
from podium.mail.models import MailStatus
from podium.mail.services import discard_held, queue_system_mail, release_held
from podium.proposals import rules as proposal_rules
from podium.proposals import services as proposal_services
from podium.proposals import states
from podium.proposals.enums import Actor, ProposalState
from podium.proposals.models import Proposal
from podium.reviews import rules
from podium.reviews.models import Review


def save_review(*, proposal: Proposal, reviewer, score: int, comment: str = "") -> Review:
    """Create or update the reviewer's review of a proposal.

    Refused where `rules.review_refusal` says why (one's own proposal, a withdrawn one, outside the
    reviewer's teams and tracks), and for scores off the event's scale. Side effects: audit entry.
    """
    event = proposal.event
    refusal = rules.review_refusal(reviewer, proposal)
    if refusal:
        raise NotAllowed(refusal)
    if score not in event.score_values:
        raise ServiceError(
            f"Choose a score between {min(event.score_values)} and {max(event.score_values)}.", field="score"
        )
    try:
        with transaction.atomic():
            review, created = Review.objects.update_or_create(
                proposal=proposal, reviewer=reviewer, defaults={"score": score, "comment": comment}
            )
            audit.record(
                action="review.created" if created else "review.updated",
                actor=reviewer,
                target=review,
                event_id=event.pk,
                score=score,
            )
    except IntegrityError:
        # Two saves of the same review raced; the unique constraint kept one row. Update it.
        with transaction.atomic():
            review = Review.objects.select_for_update().get(proposal=proposal, reviewer=reviewer)
            review.score, review.comment = score, comment
            review.save()
            audit.record(
                action="review.updated", actor=reviewer, target=review, event_id=event.pk, score=score
            )
    return review


def decide(*, proposal: Proposal, decision: str, by) -> Proposal:
    """Record an accept/reject decision, pending until notifications are sent.

    Side effects: held decision mail for every speaker in the outbox (replacing any earlier held
    decision mail of this proposal), audit entry.
    """
    with transaction.atomic():
        return _decide(proposal=proposal, decision=decision, by=by)


def decide_many(*, event, codes: list[str], decision: str, by) -> tuple[list[Proposal], list[str]]:
    """Decide several proposals at once; returns (decided, errors). One transaction for all.

    Codes that name no proposal of the event refuse the whole request (nothing is decided); a
    proposal whose state does not allow the decision is reported in `errors` and left as it was.
    Side effects: those of `decide`, per decided proposal.
    """
    if not proposal_rules.can_manage_proposals(by, event):
        raise NotAllowed("You may not decide on proposals of this event.")
    if decision not in states.DECISIONS:
        raise ServiceError("A decision is either accept or reject.")
    wanted = sorted({code.strip().upper() for code in codes if code.strip()})
    if not wanted:
        raise ServiceError("Select at least one proposal.", field="codes")
    proposals = list(event.proposals.filter(code__in=wanted).order_by("code"))
    unknown = sorted(set(wanted) - {proposal.code for proposal in proposals})
    if unknown:
        raise ServiceError(
            f"No proposal of this event has the code {', '.join(unknown)}. Nothing was decided.",
            field="codes",
        )
    decided, errors = [], []
    with transaction.atomic():
        for proposal in proposals:
            try:
                # A savepoint per proposal: a refused one leaves no partial change behind.
                with transaction.atomic():
                    decided.append(_decide(proposal=proposal, decision=decision, by=by))
            except ServiceError as exc:
                errors.append(f"{proposal.code}: {exc}")
    return decided, errors


def _locked_for_decision(proposal: Proposal, by) -> Proposal:
    """The proposal, locked for this transaction, once `by` is known to be allowed to decide on it."""
    locked = Proposal.objects.select_for_update().select_related("event").get(pk=proposal.pk)
    if not proposal_rules.can_manage_proposals(by, locked.event):
        raise NotAllowed("You may not decide on proposals of this event.")
    return locked


def retract_decision(*, proposal: Proposal, by) -> Proposal:
    """Take back a decision that was not sent yet; the proposal keeps its current state.

    Side effects: its held decision mails are discarded, audit entry.
    """
    with transaction.atomic():
        locked = _locked_for_decision(proposal, by)
        if not locked.pending_state:
            raise ServiceError("This proposal has no pending decision.")
        retracted = locked.pending_state
        discard_held(about=about.decision(locked.pk), event=locked.event)
        locked.pending_state = ""
        locked.version += 1
        locked.save(update_fields=["pending_state", "version", "updated"])
        audit.record(
            action="proposal.decision_retracted",
            actor=by,
            target=locked,
            event_id=locked.event_id,
            decision=retracted,
        )
    return locked


def _decide(*, proposal: Proposal, decision: str, by) -> Proposal:
    if decision not in states.DECISIONS:
        raise ServiceError("A decision is either accept or reject.")
    locked = _locked_for_decision(proposal, by)
    key = about.decision(locked.pk)
    discard_held(about=key, event=locked.event)
    if decision == locked.state:
        locked.pending_state = ""
    else:
        if not states.allowed(locked.state, decision, Actor.ORGANISER):
            raise proposal_services.InvalidTransition(
                f"A {ProposalState(locked.state).label.lower()} proposal cannot be {ProposalState(decision).label.lower()}."
            )
        locked.pending_state = decision
        for speaker in locked.speakers.all():
            values = {
                "name": system_mail.person_name(speaker),
                "proposal_title": locked.title,
                "proposal_code": locked.code,
            }
            if decision == ProposalState.ACCEPTED:
                values["confirm_link"] = proposal_services.confirmation_link(locked, speaker)
            queue_system_mail(
                key="decision_accepted" if decision == ProposalState.ACCEPTED else "decision_rejected",
                to=speaker.email,
                values=values,
                event=locked.event,
                user=speaker,
                about=key,
                held=True,
            )
    locked.version += 1
    locked.save(update_fields=["pending_state", "version", "updated"])
    audit.record(
        action="proposal.decision_pending",
        actor=by,
        target=locked,
        event_id=locked.event_id,
        decision=decision,
        **{"from": locked.state},
    )
    return locked


def send_decision_notifications(*, event, by, codes: list[str] | None = None) -> int:
    """Apply pending decisions and send their mails. Returns how many proposals were decided.

    Side effects: state change + audit entry per proposal, held mails queued (delivered after commit).
    """
    if not proposal_rules.can_manage_proposals(by, event):
        raise NotAllowed("You may not send decisions for this event.")
    with transaction.atomic():
        pending = event.proposals.select_for_update().exclude(pending_state="")
        if codes is not None:
            pending = pending.filter(code__in=codes)
        count = 0
        for proposal in pending:
            target = proposal.pending_state
            proposal_services.change_state(proposal=proposal, to_state=target, by=by, actor=Actor.ORGANISER)
            release_held(mails=event.mails.filter(about=about.decision(proposal.pk)))
            count += 1
    return count


def pending_decision_mails(event):
    """Held decision mails of proposals whose decision is still pending, grouped by proposal.

    A proposal whose state was changed another way since (e.g. the speaker withdrew) has no
    pending decision any more; its leftover held mails are never sent and not listed.
    """
    pending = event.proposals.exclude(pending_state="").values_list("pk", flat=True)
    return event.mails.filter(
        status=MailStatus.HELD, about__in=[about.decision(pk) for pk in pending]
    ).order_by("about", "to", "pk")
