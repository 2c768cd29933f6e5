"""Reviewing and deciding; review settings, criteria, conflicts of interest and assignment."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q

from podium.accounts.models import User
from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events.rules import permissions_for
from podium.mail import about
from podium.mail import system as system_mail
from podium.mail.models import MailStatus
from podium.mail.services import discard_held, queue_system_mail, release_held
from podium.proposals import rules as proposal_rules
from podium.proposals import services as proposal_services
from podium.proposals import states
from podium.proposals.enums import Actor, ProposalState
from podium.proposals.models import Proposal, ProposalSpeaker
from podium.reviews import assignment, queries, rules
from podium.reviews.models import (
    Assignment,
    Conflict,
    Criterion,
    CriterionScore,
    Review,
    ReviewPhase,
    ReviewSettings,
    SpeakerConflict,
)


def _refuse_unknown_criteria(event, criteria, scores: dict) -> None:
    known = {criterion.pk for criterion in criteria}
    if set(scores) - known:
        raise ServiceError("Score only this event's review criteria.", field="scores")
    missing = [criterion.name for criterion in criteria if criterion.pk not in scores]
    if missing:
        raise ServiceError(f"Give a score for {', '.join(missing)}.", field="scores")
    for criterion in criteria:
        if scores[criterion.pk] not in criterion.values:
            raise ServiceError(
                f"Score {criterion.name} between {criterion.min_score} and {criterion.max_score}.",
                field=f"criterion_{criterion.pk}",
            )


def weighted_score(event, criteria, scores: dict) -> tuple[float, int]:
    """(exact, rounded) overall score of per-criterion `scores` ({criterion id: score}).

    Each score is placed on its criterion's scale (0 at its lowest, 1 at its highest); their mean,
    weighted by the criteria's weights, is mapped onto the event's score scale: the exact value keeps
    two decimals (halves up), the rounded one is the nearest score of the event's scale (halves up), so a review
    scored by criteria reads like any other review wherever one score is shown.
    """
    values = event.score_values
    low, high = min(values), max(values)
    total = sum(criterion.weight for criterion in criteria)
    fraction = (
        sum(
            Fraction(criterion.weight * (scores[criterion.pk] - criterion.min_score))
            / (criterion.max_score - criterion.min_score)
            for criterion in criteria
        )
        / total
    )
    value = low + fraction * (high - low)  # exact, as a fraction
    exact = float(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )
    rounded = min(values, key=lambda score: (abs(score - value), -score))
    return exact, rounded


def save_review(
    *,
    proposal: Proposal,
    reviewer,
    score: int | None = None,
    comment: str = "",
    scores: dict[int, int] | None = None,
) -> Review:
    """Create or update the reviewer's review of a proposal.

    An event with review criteria takes `scores` ({criterion id: score}, one for each criterion, on
    its scale) and stores their weighted score (see `weighted_score`); any other event takes one
    `score` on the event's scale. Refused where `rules.review_refusal` says why (one's own proposal, a
    withdrawn one, a declared conflict of interest, outside the reviewer's teams and tracks, reviews
    closed), and for scores off the scale. Side effects: audit entry.
    """
    event = proposal.event
    refusal = rules.review_refusal(reviewer, proposal)
    if refusal:
        raise NotAllowed(refusal)
    criteria = list(event.review_criteria.all())
    exact = None
    if criteria:
        if scores is None:
            raise ServiceError(
                "This event scores proposals by criteria: give a score for each of "
                f"{', '.join(criterion.name for criterion in criteria)}.",
                field="scores",
            )
        _refuse_unknown_criteria(event, criteria, scores)
        exact, score = weighted_score(event, criteria, scores)
    else:
        if scores:
            raise ServiceError("This event has no review criteria: give one score.", field="scores")
        if score not in event.score_values:
            raise ServiceError(
                f"Choose a score between {min(event.score_values)} and {max(event.score_values)}.",
                field="score",
            )
    try:
        with transaction.atomic():
            review, created = Review.objects.update_or_create(
                proposal=proposal,
                reviewer=reviewer,
                defaults={"score": score, "weighted_score": exact, "comment": comment},
            )
            _store_criterion_scores(review, criteria, scores)
            audit.record(
                action="review.created" if created else "review.updated",
                actor=reviewer,
                target=review,
                event_id=event.pk,
                score=score,
                **({"scores": {c.name: scores[c.pk] for c in criteria}} if criteria else {}),
            )
    except IntegrityError:
        # Two saves of the same review raced; the unique constraint kept one row. Update it.
        with transaction.atomic():
            review = Review.objects.select_for_update().get(proposal=proposal, reviewer=reviewer)
            review.score, review.weighted_score, review.comment = score, exact, comment
            review.save()
            _store_criterion_scores(review, criteria, scores)
            audit.record(
                action="review.updated", actor=reviewer, target=review, event_id=event.pk, score=score
            )
    return review


def _store_criterion_scores(review: Review, criteria, scores) -> None:
    review.criterion_scores.all().delete()
    if criteria:
        CriterionScore.objects.bulk_create(
            CriterionScore(review=review, criterion=criterion, score=scores[criterion.pk])
            for criterion in criteria
        )


def decide(*, proposal: Proposal, decision: str, by) -> Proposal:
    """Record an accept/reject decision, pending until notifications are sent. Refused while reviews
    are closed and decisions not open yet (`rules.decision_refusal`).

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
    refusal = rules.decision_refusal(event)
    if refusal:
        raise NotAllowed(refusal)
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
    refusal = rules.decision_refusal(locked.event)
    if refusal:
        raise NotAllowed(refusal)
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


# --- Review settings and criteria ----------------------------------------------------------------


def _check_manager(by, event) -> None:
    if not rules.can_manage_reviews(by, event):
        raise NotAllowed("You may not change how this event reviews.")


def update_review_settings(
    *, event, by, phase: str, assignment_only: bool, reviews_per_proposal: int, version: int | None = None
) -> ReviewSettings:
    """Change the event's review phase, assignment-only mode and reviews per proposal.

    `version` is the settings version the editor read (None: no check); a stale one is refused.
    Side effects: audit entry.
    """
    _check_manager(by, event)
    if phase not in ReviewPhase.values:
        raise ServiceError("Choose one of the review phases.", field="phase")
    if not 1 <= reviews_per_proposal <= 50:
        raise ServiceError("Give between 1 and 50 reviews per proposal.", field="reviews_per_proposal")
    with transaction.atomic():
        current, _ = ReviewSettings.objects.select_for_update().get_or_create(event=event)
        if version is not None and version != current.version:
            raise StaleEdit("Someone else changed the review settings meanwhile. Reload and try again.")
        before = current.phase
        current.phase, current.assignment_only = phase, assignment_only
        current.reviews_per_proposal = reviews_per_proposal
        current.version += 1
        current.save()
        audit.record(
            action="review.settings_changed",
            actor=by,
            target=current,
            event_id=event.pk,
            phase=phase,
            previous_phase=before,
            assignment_only=assignment_only,
            reviews_per_proposal=reviews_per_proposal,
        )
    rules.forget_settings(event)
    return current


def _check_criterion(*, name: str, weight: int, min_score: int, max_score: int) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError("Give the criterion a name.", field="name")
    if len(name) > 100:
        raise ServiceError("Keep the name under 100 characters.", field="name")
    if not 1 <= weight <= 100:
        raise ServiceError("Give a weight between 1 and 100.", field="weight")
    if min_score not in (0, 1):
        raise ServiceError("A scale starts at 0 or 1.", field="min_score")
    if not min_score < max_score <= 10:
        raise ServiceError(
            f"A scale ends above its start ({min_score}) and at 10 at most.", field="max_score"
        )
    return name


def save_criterion(
    *,
    event,
    by,
    name: str,
    description: str = "",
    weight: int = 1,
    min_score: int = 0,
    max_score: int = 4,
    criterion: Criterion | None = None,
) -> Criterion:
    """Add a review criterion to the event, or change `criterion` (one of the event's).

    Names are unique per event. A criterion with scores keeps its scale (reviews were given on it);
    a new weight re-computes the weighted score of every review scored by criteria.
    Side effects: audit entry.
    """
    _check_manager(by, event)
    name = _check_criterion(name=name, weight=weight, min_score=min_score, max_score=max_score)
    if criterion is not None and criterion.event_id != event.pk:
        raise NotAllowed("This criterion belongs to another event.")
    same = event.review_criteria.filter(name__iexact=name).exclude(pk=getattr(criterion, "pk", None)).first()
    if same is not None:
        raise ServiceError(f"This event has a criterion named {same.name} already.", field="name")
    with transaction.atomic():
        if criterion is None:
            position = (event.review_criteria.aggregate(top=Max("position"))["top"] or 0) + 1
            criterion = Criterion(event=event, position=position)
        else:
            criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
            scale_changed = (criterion.min_score, criterion.max_score) != (min_score, max_score)
            if scale_changed and criterion.scores.exists():
                raise ServiceError(
                    "Reviews scored this criterion on its scale; the scale cannot change any more.",
                    field="max_score",
                )
        reweigh = criterion.pk is not None and criterion.weight != weight
        criterion.name, criterion.description, criterion.weight = name, description.strip(), weight
        criterion.min_score, criterion.max_score = min_score, max_score
        criterion.save()
        if reweigh:
            rescore_reviews(event)
        audit.record(
            action="review.criterion_saved",
            actor=by,
            target=criterion,
            event_id=event.pk,
            name=name,
            weight=weight,
            scale=[min_score, max_score],
        )
    return criterion


def delete_criterion(*, criterion: Criterion, by) -> None:
    """Remove a review criterion nobody has scored yet. Side effects: audit entry."""
    event = criterion.event
    _check_manager(by, event)
    if criterion.scores.exists():
        raise ServiceError(
            f"Reviews scored {criterion.name}; a criterion with scores cannot be removed "
            "(change its weight instead)."
        )
    with transaction.atomic():
        audit.record(
            action="review.criterion_deleted",
            actor=by,
            target=criterion,
            event_id=event.pk,
            name=criterion.name,
        )
        criterion.delete()


def rescore_reviews(event) -> int:
    """Re-compute the weighted score of the event's reviews scored by criteria (after a weight
    changed). Returns how many changed. Called inside the caller's transaction."""
    criteria = {criterion.pk: criterion for criterion in event.review_criteria.all()}
    changed = 0
    reviews = Review.objects.filter(proposal__event=event, criterion_scores__isnull=False).distinct()
    for review in reviews.prefetch_related("criterion_scores"):
        scores = {item.criterion_id: item.score for item in review.criterion_scores.all()}
        scored = [criteria[pk] for pk in scores if pk in criteria]
        if not scored:
            continue
        exact, rounded = weighted_score(event, scored, scores)
        if (exact, rounded) != (review.weighted_score, review.score):
            Review.objects.filter(pk=review.pk).update(weighted_score=exact, score=rounded)
            changed += 1
    return changed


def copy_review_settings(*, source, target) -> None:
    """Copy the review settings (assignment-only mode, reviews per proposal) and criteria of event
    `source` to event `target`, for "copy an event". The target starts with reviews open; criteria of
    the same name are updated (their scale only where nobody scored them), the others added after
    the target's own. Reviews, assignments and conflicts are never copied.

    The caller checks that its user may set up `target` (no actor here). Side effects: audit entry.
    """
    if source.pk == target.pk:
        raise ServiceError("Choose another event to copy the review settings to.")
    with transaction.atomic():
        original = ReviewSettings.objects.filter(event=source).first() or ReviewSettings()
        settings, _ = ReviewSettings.objects.select_for_update().get_or_create(event=target)
        settings.phase = ReviewPhase.OPEN
        settings.assignment_only = original.assignment_only
        settings.reviews_per_proposal = original.reviews_per_proposal
        settings.version += 1
        settings.save()
        existing = {criterion.name.lower(): criterion for criterion in target.review_criteria.all()}
        position = max((criterion.position for criterion in existing.values()), default=0)
        for criterion in source.review_criteria.all():
            copy = existing.get(criterion.name.lower())
            if copy is None:
                position += 1
                copy = Criterion(event=target, position=position)
            elif copy.scores.exists() and (copy.min_score, copy.max_score) != (
                criterion.min_score,
                criterion.max_score,
            ):
                raise ServiceError(
                    f"{target.name} has reviews scored on its own scale of {copy.name}; "
                    "its review settings were not copied."
                )
            copy.name, copy.description, copy.weight = criterion.name, criterion.description, criterion.weight
            copy.min_score, copy.max_score = criterion.min_score, criterion.max_score
            copy.save()
        rescore_reviews(target)
        audit.record(
            action="review.settings_copied",
            target=settings,
            event_id=target.pk,
            source=source.slug,
            criteria=source.review_criteria.count(),
        )
    rules.forget_settings(target)


# --- Conflicts of interest -----------------------------------------------------------------------


def _check_for_reviewer(by, reviewer, event) -> None:
    """A reviewer speaks for themselves; those who manage the event's reviews for anyone."""
    if by.pk == reviewer.pk and permissions_for(by, event).can_review:
        return
    if rules.can_manage_reviews(by, event):
        return
    raise NotAllowed("You may not declare conflicts of interest for this reviewer.")


def _stop_reviewing(reviewer, proposals) -> tuple[int, int]:
    """Take `proposals` (a queryset or ids) from `reviewer`: their assignments of them and the reviews
    they wrote of them are removed. Returns (assignments removed, reviews removed)."""
    unassigned, _ = Assignment.objects.filter(reviewer=reviewer, proposal__in=proposals).delete()
    _, deleted = Review.objects.filter(reviewer=reviewer, proposal__in=proposals).delete()
    return unassigned, deleted.get(Review._meta.label, 0)


def _withdraw(conflicts, *, reviewer, by, event, action: str, target, **details) -> bool:
    """Delete `conflicts` (of `reviewer` in `event`) for `by`, with an audit entry `action` about `target`
    when there were any. Returns whether there were."""
    _check_for_reviewer(by, reviewer, event)
    with transaction.atomic():
        deleted, _ = conflicts.delete()
        if deleted:
            audit.record(
                action=action, actor=by, target=target, event_id=event.pk, reviewer=reviewer.pk, **details
            )
    return bool(deleted)


def declare_conflict(*, proposal: Proposal, reviewer, by) -> Conflict:
    """Record that `reviewer` has a conflict of interest with `proposal` (declared by the reviewer or
    by someone who manages the event's reviews). The reviewer is no longer given the proposal (their
    assignment of it is removed) and cannot review it; a review they had written of it is removed,
    so that it no longer counts. Side effects: audit entry.
    """
    event = proposal.event
    _check_for_reviewer(by, reviewer, event)
    with transaction.atomic():
        conflict, created = Conflict.objects.get_or_create(proposal=proposal, reviewer=reviewer)
        unassigned, removed = _stop_reviewing(reviewer, [proposal.pk])
        if created:
            audit.record(
                action="review.conflict_declared",
                actor=by,
                target=proposal,
                event_id=event.pk,
                reviewer=reviewer.pk,
                assignment_removed=bool(unassigned),
                review_removed=bool(removed),
            )
    conflict.review_removed = bool(removed)
    return conflict


def withdraw_conflict(*, proposal: Proposal, reviewer, by) -> bool:
    """Take back a declared conflict of interest. Returns whether there was one. Side effects: audit entry."""
    return _withdraw(
        Conflict.objects.filter(proposal=proposal, reviewer=reviewer),
        reviewer=reviewer,
        by=by,
        event=proposal.event,
        action="review.conflict_withdrawn",
        target=proposal,
    )


def _normalised_address(email: str) -> str:
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ServiceError("Give the person's e-mail address (name@example.org).", field="email") from None
    return address


def declare_speaker_conflict(*, event, reviewer, by, email: str = "", speaker=None) -> SpeakerConflict:
    """Record that `reviewer` has a conflict of interest with a person: an account (`speaker`) or an
    e-mail address (`email`, any case). It covers every proposal of `event` the person speaks on,
    those submitted and the co-speakers added later too: the reviewer is no longer given them (their
    assignments of them are removed) and cannot review them; reviews they wrote of them are removed.

    An address is matched to an account silently (stored with it, so the conflict outlives a change
    of address); neither the answer nor the stored conflict tells the reviewer whether the person has
    an account or any proposal. Declaring the same person again returns the conflict there is.
    Refused for oneself. Side effects: audit entry.
    """
    _check_for_reviewer(by, reviewer, event)
    if speaker is None:
        email = _normalised_address(email)
        speaker = User.objects.filter(email__iexact=email).first()
    else:
        email = (email or speaker.email).strip().lower()
    if (speaker is not None and speaker.pk == reviewer.pk) or email == reviewer.email.lower():
        raise ServiceError(
            "That is the reviewer's own address: their own proposals are never given to them anyway.",
            field="email",
        )
    same = Q(email=email) | (Q(speaker=speaker) if speaker is not None else Q(pk__in=[]))
    with transaction.atomic():
        conflict = SpeakerConflict.objects.filter(event=event, reviewer=reviewer).filter(same).first()
        created = conflict is None
        if created:
            try:
                with transaction.atomic():
                    conflict = SpeakerConflict.objects.create(
                        event=event, reviewer=reviewer, speaker=speaker, email=email
                    )
            except IntegrityError:  # declared at the same moment by another request: that one holds
                conflict = SpeakerConflict.objects.filter(event=event, reviewer=reviewer).filter(same).first()
                created = False
        elif conflict.speaker_id is None and speaker is not None:
            conflict.speaker = speaker
            conflict.save(update_fields=["speaker"])
        unassigned, removed = _stop_reviewing(reviewer, rules.person_conflicted(reviewer, event))
        if created:
            audit.record(
                action="review.speaker_conflict_declared",
                actor=by,
                target=conflict,
                event_id=event.pk,
                reviewer=reviewer.pk,
                email=email,
                assignments_removed=unassigned,
                reviews_removed=removed,
            )
    conflict.created_now = created
    return conflict


def withdraw_speaker_conflict(*, conflict: SpeakerConflict, by) -> None:
    """Take back a conflict of interest with a person (the reviewer themselves, or someone who manages
    the event's reviews). Removed assignments and reviews do not come back. Side effects: audit entry."""
    _withdraw(
        SpeakerConflict.objects.filter(pk=conflict.pk),
        reviewer=conflict.reviewer,
        by=by,
        event=conflict.event,
        action="review.speaker_conflict_withdrawn",
        target=conflict.event,
        email=conflict.email,
    )


# --- Assignment ----------------------------------------------------------------------------------


@dataclass
class AssignmentOutcome:
    created: int
    proposals: int  # how many proposals got a new reviewer
    balance: queries.Balance
    optimal: bool


def _eligibility(event, reviewers, proposals) -> dict[int, set[int]]:
    """{proposal id: reviewer ids who may be given it}: within the reviewer's teams' tracks, never
    their own proposal, never one a conflict of interest covers (with the proposal or with one of its
    speakers; the assignment-only mode aside)."""
    eligible: dict[int, set[int]] = {proposal.pk: set() for proposal in proposals}
    own = {
        (link.user_id, link.proposal_id)
        for link in ProposalSpeaker.objects.filter(proposal__in=proposals, user__in=reviewers)
    }
    conflicts = rules.conflict_pairs(
        event, [reviewer.pk for reviewer in reviewers], [proposal.pk for proposal in proposals]
    )
    for reviewer in reviewers:
        perms = permissions_for(reviewer, event)
        if not perms.can_review:
            continue
        for proposal in proposals:
            if perms.track_ids is not None and proposal.track_id not in perms.track_ids:
                continue
            if (reviewer.pk, proposal.pk) in own or (reviewer.pk, proposal.pk) in conflicts:
                continue
            eligible[proposal.pk].add(reviewer.pk)
    return eligible


def _check_assignable(*, proposal: Proposal, reviewer) -> None:
    event = proposal.event
    if not rules.reviewers(event).filter(pk=reviewer.pk).exists():
        raise ServiceError("Only members of a team that reviews this event can be given proposals.")
    if proposal.state == ProposalState.WITHDRAWN:
        raise ServiceError(rules.WITHDRAWN)
    if not _eligibility(event, [reviewer], [proposal])[proposal.pk]:
        raise ServiceError(
            f"{reviewer.name or reviewer.email} may not review {proposal.code}: it is their own, a "
            "conflict of interest of theirs covers it, or it is outside their teams' tracks."
        )


def assign_reviewers(*, event, by, per_proposal: int) -> AssignmentOutcome:
    """Give the event's submitted proposals to reviewers so that each has `per_proposal` reviewers,
    those who reviewed it or were given it already counting; the load is balanced (CP-SAT: the
    smallest maximum number of proposals per reviewer, then the smallest spread).

    Respects tracks (the reviewer's teams), conflicts of interest (of both kinds) and own proposals;
    assignments a conflict covers by now are removed first. When some
    proposal cannot get `per_proposal` reviewers, nothing is assigned and the refusal names them.
    Side effects: assignments, audit entry.
    """
    _check_manager(by, event)
    if not 1 <= per_proposal <= 50:
        raise ServiceError("Give between 1 and 50 reviews per proposal.", field="per_proposal")
    reviewers = list(rules.reviewers(event))
    if not reviewers:
        raise ServiceError("No team with the review flag reaches this event: there is nobody to assign.")
    with transaction.atomic():
        # One assignment run at a time per event: the settings row is the lock.
        ReviewSettings.objects.get_or_create(event=event)
        ReviewSettings.objects.select_for_update().get(event=event)
        proposals = list(event.proposals.filter(state=ProposalState.SUBMITTED).order_by("code"))
        ids = [proposal.pk for proposal in proposals]
        # An assignment a conflict of interest covers now (a co-speaker joined after it was given, say)
        # no longer counts: the reviewer cannot review it. It goes, and the proposal gets another.
        given = list(
            Assignment.objects.filter(proposal_id__in=ids).values_list("pk", "reviewer_id", "proposal_id")
        )
        void = rules.conflict_pairs(event, {r for _, r, _ in given}, ids) if given else set()
        voided = [pk for pk, reviewer_id, proposal_id in given if (reviewer_id, proposal_id) in void]
        if voided:
            Assignment.objects.filter(pk__in=voided).delete()
        covered: dict[int, set[int]] = {pk: set() for pk in ids}
        for reviewer_id, proposal_id in [
            *Review.objects.filter(proposal_id__in=ids).values_list("reviewer_id", "proposal_id"),
            *((r, p) for _, r, p in given if (r, p) not in void),
        ]:
            covered[proposal_id].add(reviewer_id)
        load = dict(
            Assignment.objects.filter(proposal__event=event)
            .values("reviewer_id")
            .annotate(n=Count("id"))
            .values_list("reviewer_id", "n")
        )
        result = assignment.plan(
            reviewers=[reviewer.pk for reviewer in reviewers],
            proposals=ids,
            eligible=_eligibility(event, reviewers, proposals),
            covered=covered,
            load=load,
            per_proposal=per_proposal,
        )
        if result.shortfalls:
            codes = {proposal.pk: proposal.code for proposal in proposals}
            listed = ", ".join(
                f"{codes[item.proposal]} ({item.possible} more possible, {item.needed} needed)"
                for item in result.shortfalls
            )
            raise ServiceError(
                f"Not every proposal can get {per_proposal} reviewer{'s' if per_proposal != 1 else ''}: "
                f"{listed}. Nothing was assigned. Add reviewers (or widen their teams' tracks), or ask "
                "for fewer reviews per proposal.",
                field="per_proposal",
            )
        Assignment.objects.bulk_create(
            Assignment(reviewer_id=reviewer_id, proposal_id=proposal_id, automatic=True)
            for reviewer_id, proposal_id in result.pairs
        )
        balance = queries.balance(event)
        audit.record(
            action="review.assigned",
            actor=by,
            target=event,
            event_id=event.pk,
            per_proposal=per_proposal,
            created=len(result.pairs),
            voided=len(voided),
            min_load=balance.minimum,
            max_load=balance.maximum,
        )
    return AssignmentOutcome(
        created=len(result.pairs),
        proposals=len({proposal_id for _, proposal_id in result.pairs}),
        balance=balance,
        optimal=result.optimal,
    )


def add_assignment(*, proposal: Proposal, reviewer, by) -> Assignment:
    """Give `proposal` to `reviewer` by hand (refused where the automatic assignment would not give
    it: own proposal, conflict, outside their tracks). Side effects: audit entry."""
    _check_manager(by, proposal.event)
    _check_assignable(proposal=proposal, reviewer=reviewer)
    with transaction.atomic():
        given, created = Assignment.objects.get_or_create(proposal=proposal, reviewer=reviewer)
        if not created:
            raise ServiceError(f"{proposal.code} is assigned to {reviewer.name or reviewer.email} already.")
        audit.record(
            action="review.assignment_added",
            actor=by,
            target=proposal,
            event_id=proposal.event_id,
            reviewer=reviewer.pk,
        )
    return given


def remove_assignment(*, proposal: Proposal, reviewer, by) -> None:
    """Take `proposal` back from `reviewer` (a review they wrote stays). Side effects: audit entry."""
    _check_manager(by, proposal.event)
    with transaction.atomic():
        deleted, _ = Assignment.objects.filter(proposal=proposal, reviewer=reviewer).delete()
        if not deleted:
            raise ServiceError(f"{proposal.code} is not assigned to {reviewer.name or reviewer.email}.")
        audit.record(
            action="review.assignment_removed",
            actor=by,
            target=proposal,
            event_id=proposal.event_id,
            reviewer=reviewer.pk,
        )
