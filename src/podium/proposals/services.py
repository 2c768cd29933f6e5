"""Proposal use cases: profiles, submission, editing, state changes, co-speakers, confirmation."""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events.models import Event
from podium.mail import about
from podium.mail import system as system_mail
from podium.mail.services import discard_held, queue_mail, queue_system_mail, recipient_language
from podium.proposals import signals, states
from podium.proposals.enums import Actor, ProposalState, new_code
from podium.proposals.models import (
    SESSION_DETAILS,
    CoSpeakerInvite,
    Proposal,
    ProposalSpeaker,
    SpeakerAvailability,
    SpeakerProfile,
)
from podium.webhooks import payloads as webhook_payloads
from podium.webhooks.services import emit as emit_webhook

PROPOSAL_FIELDS = (
    "title",
    "abstract",
    "description",
    "track",
    "session_type",
    "audience_level",
    "language",
    "notes",
)
# What organisers edit besides (imported sessions bring them; speakers do not edit them).
ORGANISER_FIELDS = SESSION_DETAILS
CONFIRM_SALT = "podium.proposals.confirm"
log = logging.getLogger(__name__)


class InvalidTransition(ServiceError):
    pass


def _check_event_objects(event: Event, data: dict) -> None:
    """Track, session type and language must belong to this event (never trust ids from a form)."""
    track = data.get("track")
    if track is not None and track.event_id != event.pk:
        raise ServiceError(_("Choose a track of this event."), field="track")
    session_type = data.get("session_type")
    if session_type is None or session_type.event_id != event.pk:
        raise ServiceError(_("Choose a session type of this event."), field="session_type")
    if data.get("language") and data["language"] not in event.language_map:
        raise ServiceError(_("Choose one of the event's languages."), field="language")


# --- Profiles --------------------------------------------------------------------------------------


@transaction.atomic
def save_speaker_profile(
    *,
    event: Event,
    user,
    name: str,
    bio: str,
    website: str = "",
    social: str = "",
    photo=None,
    remove_photo: bool = False,
) -> SpeakerProfile:
    """Create or update the user's speaker profile for this event. Side effects: audit entry; a photo
    replaced or removed is deleted from storage once the transaction commits (not served any more)."""
    profile, _created = SpeakerProfile.objects.get_or_create(event=event, user=user)
    if name.strip() and name.strip() != user.name:
        user.name = name.strip()
        user.save(update_fields=["name"])
    profile.bio = bio
    profile.website = website
    profile.social = social
    old_photo = profile.photo.name if profile.photo else ""
    if remove_photo:
        profile.photo = ""
    if photo is not None:
        profile.photo = photo
    profile.save()
    if old_photo and profile.photo.name != old_photo:
        _delete_photo_after_commit(old_photo, storage=profile.photo.storage)
    audit.record(action="speaker.profile_saved", actor=user, target=profile, event_id=event.pk)
    return profile


def _delete_photo_after_commit(name: str, *, storage) -> None:
    """Delete a photo file no profile uses any more, once the change that dropped it has committed
    (a rolled-back change keeps its file). The released program may still name it: it shows no photo
    for that speaker until the next release, rather than a picture the speaker took back."""

    def delete():
        if not SpeakerProfile.objects.filter(photo=name).exists():
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def set_availability(
    *,
    profile: SpeakerProfile,
    windows: list[tuple[dt.datetime, dt.datetime]],
    preferred: list[tuple[dt.datetime, dt.datetime]] = (),
) -> None:
    """Replace the speaker's availability: `windows` when they can come (none: any time) and `preferred`
    windows when they would rather speak. All must lie within the event's days, and with `windows`
    given, every preferred window within them."""
    event = profile.event
    first = dt.datetime.combine(event.date_from, dt.time(0), tzinfo=event.tz)
    last = dt.datetime.combine(
        event.date_to + dt.timedelta(days=1), dt.time(event.day_start_hour), tzinfo=event.tz
    )
    for start, end in [*windows, *preferred]:
        if end <= start:
            raise ServiceError(_("Each availability window must end after it starts."), field="availability")
        if start < first or end > last:
            raise ServiceError(_("Availability must lie within the event's days."), field="availability")
    if windows and not all(
        any(w_start <= start and end <= w_end for w_start, w_end in _joined(windows))
        for start, end in preferred
    ):
        raise ServiceError(
            _("A preferred time must be one of the times you can present."), field="availability"
        )
    profile.availabilities.all().delete()
    SpeakerAvailability.objects.bulk_create(
        [SpeakerAvailability(profile=profile, start=start, end=end) for start, end in sorted(windows)]
        + [
            SpeakerAvailability(profile=profile, start=start, end=end, preferred=True)
            for start, end in sorted(preferred)
        ]
    )


def _joined(windows):
    """Windows joined where they touch or overlap."""
    joined = []
    for start, end in sorted(windows):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


# --- Submission and editing ------------------------------------------------------------------------


def submit_proposal(*, event: Event, speaker, data: dict, idempotency_key: str | None = None) -> Proposal:
    """Submit a proposal during the CfP. The same idempotency key always yields the same proposal.

    Side effects: audit entry, receipt mail in the outbox.
    """
    if idempotency_key:
        existing = event.proposals.filter(submission_key=idempotency_key, submitted_by=speaker).first()
        if existing:
            return existing
    if not event.cfp_is_open:
        raise NotAllowed(_("The call for papers is closed."))
    _check_event_objects(event, data)
    try:
        return _create_proposal(event=event, speaker=speaker, data=data, idempotency_key=idempotency_key)
    except IntegrityError:
        # A concurrent request with the same key won the race; answer with its proposal.
        if idempotency_key:
            existing = event.proposals.filter(submission_key=idempotency_key).first()
            if existing:
                return existing
        raise


@transaction.atomic
def _create_proposal(*, event, speaker, data, idempotency_key) -> Proposal:
    for _attempt in range(10):
        code = new_code()
        if not Proposal.objects.filter(event=event, code=code).exists():
            break
    proposal = Proposal.objects.create(
        event=event,
        code=code,
        submitted_by=speaker,
        submission_key=idempotency_key or None,
        **{name: data.get(name) for name in PROPOSAL_FIELDS if name in data},
    )
    ProposalSpeaker.objects.create(proposal=proposal, user=speaker, position=0)
    SpeakerProfile.objects.get_or_create(event=event, user=speaker)
    audit.record(
        action="proposal.submitted", actor=speaker, target=proposal, event_id=event.pk, to=proposal.state
    )
    with translation.override(recipient_language(to=speaker.email, user=speaker, event=event)):
        values = receipt_values(proposal, speaker)  # its words in the language of the mail
    queue_system_mail(
        key="proposal_received",
        to=speaker.email,
        values=values,
        event=event,
        user=speaker,
        about=about.proposal(proposal.pk),
    )
    return proposal


def receipt_values(proposal: Proposal, speaker) -> dict:
    """The placeholder values of the receipt of `proposal` to `speaker` (mail.system), in the active
    language."""
    event = proposal.event
    if event.cfp_closes:
        until = _("until the call for papers closes on %(when)s") % {
            "when": system_mail.local(
                event.cfp_closes,
                event,
                pgettext("date format: day, month, year, time, time zone", "j F Y, H:i e"),
            )
        }
    else:
        until = _("until the call for papers closes")
    path = reverse("cfp:proposal", kwargs={"event": event.slug, "code": proposal.code})
    return {
        "name": system_mail.person_name(speaker),
        "proposal_title": proposal.title,
        "proposal_code": proposal.code,
        "proposal_link": settings.BASE_URL + path,
        "until_cfp_closes": until,
    }


def speaker_can_edit(proposal: Proposal) -> bool:
    return proposal.state in states.SPEAKER_EDITABLE and proposal.event.cfp_is_open


def _check_addresses(data: dict) -> None:
    """Links and addresses must be http(s) (proposals.links); anything else is refused."""
    for name in ORGANISER_FIELDS:
        if name in data:
            try:
                Proposal._meta.get_field(name).run_validators(data[name])
            except ValidationError as exc:
                raise ServiceError(" ".join(exc.messages), field=name) from exc


@transaction.atomic
def update_proposal(
    *, proposal: Proposal, by, data: dict, version: int, as_organiser: bool = False
) -> Proposal:
    """Edit a proposal. Speakers may edit until the deadline; organisers at any time, and only they
    edit ORGANISER_FIELDS (recording consent, links, addresses).

    A stale `version` (someone saved in between) is refused. Side effects: audit entry with the changed
    fields; the `proposal_edited` signal (a session moved to a type with more seats gives them to the
    people waiting for them, with their mails).
    """
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not as_organiser:
        if not locked.speakers.filter(pk=by.pk).exists():
            raise NotAllowed(_("Only the proposal's speakers can edit it."))
        if not speaker_can_edit(locked):
            raise NotAllowed(
                _("This proposal can no longer be edited: the call for papers is closed or it was decided.")
            )
    if locked.version != version:
        raise StaleEdit(
            _("Someone else saved this proposal while you were editing. Review their changes and edit again.")
        )
    _check_event_objects(locked.event, {"session_type": locked.session_type, **data})
    if as_organiser:
        _check_addresses(data)
    changed = {}
    for name in PROPOSAL_FIELDS + (ORGANISER_FIELDS if as_organiser else ()):
        if name in data and getattr(locked, name) != data[name]:
            changed[name] = str(data[name]) if data[name] is not None else None
            setattr(locked, name, data[name])
    if (
        as_organiser
        and locked.do_not_record
        and locked.video_url
        and {"video_url", "do_not_record"} & set(changed)
    ):
        raise ServiceError(
            _(
                "The speakers of this session do not consent to recording, so it takes no recording "
                "address. Remove the video address, or clear “do not record” if they changed their mind."
            ),
            field="video_url",
        )
    locked.version += 1
    locked.save()
    audit.record(
        action="proposal.edited", actor=by, target=locked, event_id=locked.event_id, fields=sorted(changed)
    )
    signals.proposal_edited.send(sender=Proposal, proposal=locked, fields=sorted(changed))
    return locked


# --- State changes ---------------------------------------------------------------------------------


def change_state(*, proposal: Proposal, to_state: str, by, actor: str) -> Proposal:
    """Move a proposal to `to_state` if the state machine allows it for `actor`.

    Must run inside the caller's transaction. Side effects: audit entry (who, from, to); held decision
    mails of the proposal are discarded when a pending decision is overtaken by this change; a
    `proposal.state_changed` webhook delivery per endpoint; after commit, `signals.proposal_state_changed`
    (speakers' complimentary tickets).
    """
    from_state = proposal.state
    if not states.allowed(from_state, to_state, actor):
        raise InvalidTransition(
            _("A %(from_state)s proposal cannot become %(to_state)s by the %(actor)s.")
            % {
                "from_state": ProposalState(from_state).label.lower(),
                "to_state": ProposalState(to_state).label.lower(),
                "actor": Actor(actor).label.lower(),
            }
        )
    if proposal.pending_state and proposal.pending_state != to_state:
        discard_held(about=about.decision(proposal.pk), event=proposal.event)
    proposal.state = to_state
    proposal.pending_state = ""
    proposal.version += 1
    proposal.save(update_fields=["state", "pending_state", "version", "updated"])
    audit.record(
        action="proposal.state_changed",
        actor=by,
        target=proposal,
        event_id=proposal.event_id,
        **{"from": from_state, "to": to_state},
    )
    emit_webhook(
        event=proposal.event,
        kind="proposal.state_changed",
        payload=webhook_payloads.proposal_state_changed(proposal, old=from_state, new=to_state),
    )
    transaction.on_commit(lambda: _tell_state_changed(proposal, old=from_state, new=to_state))
    return proposal


def _tell_state_changed(proposal: Proposal, *, old: str, new: str) -> None:
    """Send `signals.proposal_state_changed` (after commit); a failing receiver is logged, not raised."""
    for receiver, answer in signals.proposal_state_changed.send_robust(
        sender=Proposal, proposal=proposal, old=old, new=new
    ):
        if isinstance(answer, Exception):
            log.error("%r failed on proposal %s: %s", receiver, proposal.pk, answer, exc_info=answer)


def _speaker_locked(proposal: Proposal, user) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.speakers.filter(pk=user.pk).exists():
        raise NotAllowed(_("Only the proposal's speakers can do this."))
    return locked


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, by) -> Proposal:
    """The speaker withdraws. Side effects: audit entry."""
    return change_state(
        proposal=_speaker_locked(proposal, by), to_state=ProposalState.WITHDRAWN, by=by, actor=Actor.SPEAKER
    )


@transaction.atomic
def confirm_proposal(*, proposal: Proposal, by) -> Proposal:
    """A speaker confirms an accepted proposal. Side effects: audit entry, `proposal.state_changed`
    and `speaker.confirmed` webhook deliveries per endpoint."""
    confirmed = change_state(
        proposal=_speaker_locked(proposal, by), to_state=ProposalState.CONFIRMED, by=by, actor=Actor.SPEAKER
    )
    emit_webhook(
        event=confirmed.event, kind="speaker.confirmed", payload=webhook_payloads.speaker_confirmed(confirmed)
    )
    return confirmed


@transaction.atomic
def decline_proposal(*, proposal: Proposal, by) -> Proposal:
    """A speaker declines an accepted proposal (it becomes withdrawn). Side effects: audit entry."""
    locked = _speaker_locked(proposal, by)
    if locked.state != ProposalState.ACCEPTED:
        raise InvalidTransition(_("Only an accepted proposal can be declined."))
    return change_state(proposal=locked, to_state=ProposalState.WITHDRAWN, by=by, actor=Actor.SPEAKER)


@transaction.atomic
def set_state_as_organiser(*, proposal: Proposal, to_state: str, by) -> Proposal:
    """An organiser moves a proposal directly (e.g. cancel, undo). Side effects: audit entry."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    return change_state(proposal=locked, to_state=to_state, by=by, actor=Actor.ORGANISER)


def confirmation_token(proposal: Proposal, user) -> str:
    return signing.dumps({"p": proposal.pk, "u": user.pk}, salt=CONFIRM_SALT, compress=True)


def confirmation_link(proposal: Proposal, user) -> str:
    path = reverse(
        "cfp:confirm", kwargs={"event": proposal.event.slug, "token": confirmation_token(proposal, user)}
    )
    return settings.BASE_URL + path


def read_confirmation_token(event: Event, token: str):
    """(proposal, user) for a confirmation token of this event, or raise ServiceError."""
    from podium.accounts.models import User

    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=dt.timedelta(days=180))
        proposal = event.proposals.get(pk=data["p"])
        user = proposal.speakers.get(pk=data["u"])
    except (signing.BadSignature, Proposal.DoesNotExist, User.DoesNotExist, KeyError, TypeError) as exc:
        raise ServiceError(_("This confirmation link is not valid. Log in to see your proposals.")) from exc
    return proposal, user


# --- Co-speakers -----------------------------------------------------------------------------------


@transaction.atomic
def invite_co_speaker(*, proposal: Proposal, email: str, by) -> CoSpeakerInvite:
    """Invite someone by e-mail to join the proposal as a speaker. Side effects: outbox mail, audit entry."""
    locked = _speaker_locked(proposal, by)
    email = email.strip().lower()
    if locked.speakers.filter(email__iexact=email).exists():
        raise ServiceError(_("This person is a speaker of the proposal already."), field="email")
    if locked.state in (ProposalState.WITHDRAWN, ProposalState.REJECTED, ProposalState.CANCELLED):
        raise NotAllowed(_("Co-speakers can no longer be added to this proposal."))
    invite = CoSpeakerInvite.objects.create(
        proposal=locked, email=email, token=secrets.token_urlsafe(32), invited_by=by
    )
    link = _abs(reverse("cfp:invite", kwargs={"event": locked.event.slug, "token": invite.token}))
    queue_mail(
        to=email,
        template="cospeaker_invite",
        context={"proposal": locked, "inviter": by, "link": link},
        event=locked.event,
        about=about.proposal(locked.pk),
    )
    audit.record(
        action="proposal.cospeaker_invited", actor=by, target=locked, event_id=locked.event_id, email=email
    )
    return invite


@transaction.atomic
def accept_co_speaker_invite(*, invite: CoSpeakerInvite, user) -> Proposal:
    """The invited person joins the proposal. Side effects: audit entry."""
    invite = CoSpeakerInvite.objects.select_for_update().select_related("proposal").get(pk=invite.pk)
    if invite.accepted_at:
        raise ServiceError(_("This invitation has been used already."))
    proposal = invite.proposal
    if proposal.state in (ProposalState.WITHDRAWN, ProposalState.REJECTED, ProposalState.CANCELLED):
        raise NotAllowed(_("This proposal no longer takes co-speakers."))
    if not proposal.speakers.filter(pk=user.pk).exists():
        position = proposal.speaker_links.count()
        ProposalSpeaker.objects.create(proposal=proposal, user=user, position=position)
    SpeakerProfile.objects.get_or_create(event=proposal.event, user=user)
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    audit.record(action="proposal.cospeaker_joined", actor=user, target=proposal, event_id=proposal.event_id)
    return proposal


def _abs(path: str) -> str:
    return settings.BASE_URL + path


# --- Imported sessions -----------------------------------------------------------------------------

# The proposal fields an imported file sets (the rest, such as notes and reviews, stay the event's own).
IMPORT_FIELDS = (
    "title", "abstract", "description", "track", "session_type", "language", "guid", *SESSION_DETAILS,
)  # fmt: skip


@dataclass
class ImportedSession:
    """One session of an imported file: the proposal fields it gives (`IMPORT_FIELDS`; a field left
    out is kept as it is), its speakers in order, the code it would like, and the event's session it
    is (None for a new one)."""

    values: dict
    speakers: list
    code: str = ""
    proposal: Proposal | None = None


@dataclass
class ImportedSessions:
    created: list[Proposal] = field(default_factory=list)
    updated: list[Proposal] = field(default_factory=list)
    unchanged: list[Proposal] = field(default_factory=list)


def free_code(taken: set[str], wanted: str = "") -> str:
    """`wanted` (upper case) when it is a well-formed code not in `taken`, else a new one; added to
    `taken`."""
    code = (wanted or "").strip().upper()
    while not (code.isalnum() and 4 <= len(code) <= 16) or code in taken:
        code = new_code()
    taken.add(code)
    return code


def _set_speakers(proposal: Proposal, user_ids: list[int], *, current: list[int]) -> bool:
    """Make the proposal's speakers exactly `user_ids`, in order, `current` being its speakers now. True
    when that changed anything."""
    if current == user_ids:
        return False
    if current:
        proposal.speaker_links.all().delete()
    ProposalSpeaker.objects.bulk_create(
        [ProposalSpeaker(proposal=proposal, user_id=pk, position=n) for n, pk in enumerate(user_ids)]
    )
    return True


def _differs(proposal: Proposal, name: str, value) -> bool:
    """Whether an imported field's value differs from the proposal's; a track or session type is
    compared by id, without reading its row."""
    if name in ("track", "session_type"):
        return getattr(proposal, f"{name}_id") != (value.pk if value is not None else None)
    return getattr(proposal, name) != value


@transaction.atomic
def import_sessions(*, event: Event, sessions: list[ImportedSession], by) -> ImportedSessions:
    """Create or update the event's sessions from an imported file: confirmed sessions (the file's
    program is decided), with their speakers in order.

    A new session takes the code it would like when that is well-formed and free in the event, else a
    new one; new sessions are written in bulk. An existing session takes the values given, is confirmed
    again when it was not accepted or confirmed, and its speakers become exactly those given. Refused
    (ServiceError, nothing saved) when a track or session type belongs to another event. No mail and
    no webhook: imported people have undeliverable addresses, and the release that follows tells apps
    and people what changed. Side effects: one audit entry.
    """
    result = ImportedSessions()
    for session in sessions:
        for name in ("track", "session_type"):
            value = session.values.get(name)
            if value is not None and value.event_id != event.pk:
                message = (
                    _("“%(title)s”: choose a track of this event.")
                    if name == "track"
                    else _("“%(title)s”: choose a session type of this event.")
                )
                raise ServiceError(message % {"title": session.values.get("title", "")}, field=name)
        if session.proposal is not None and session.proposal.event_id != event.pk:
            raise ServiceError(_("Choose a session of this event."))
    codes = set(event.proposals.values_list("code", flat=True))
    new = [session for session in sessions if session.proposal is None]
    created = Proposal.objects.bulk_create(
        [
            Proposal(event=event, code=free_code(codes, session.code), state=ProposalState.CONFIRMED,
                     **{name: value for name, value in session.values.items() if name in IMPORT_FIELDS})
            for session in new
        ],
        batch_size=500,
    )  # fmt: skip
    ProposalSpeaker.objects.bulk_create(
        [
            ProposalSpeaker(proposal=proposal, user_id=pk, position=n)
            for proposal, session in zip(created, new, strict=True)
            for n, pk in enumerate(dict.fromkeys(user.pk for user in session.speakers))
        ],
        batch_size=1000,
    )
    result.created = created
    speakers: dict[int, list[int]] = {}  # every existing session's speakers, in one query
    links = ProposalSpeaker.objects.filter(proposal__event=event).order_by("proposal_id", "position")
    for proposal_id, user_id in links.values_list("proposal_id", "user_id"):
        speakers.setdefault(proposal_id, []).append(user_id)
    for session in sessions:
        proposal = session.proposal
        if proposal is None:
            continue
        values = {name: value for name, value in session.values.items() if name in IMPORT_FIELDS}
        changed = [name for name, value in values.items() if _differs(proposal, name, value)]
        if proposal.state not in states.SCHEDULABLE:
            values["state"], changed = ProposalState.CONFIRMED, [*changed, "state"]
        if changed:
            for name, value in values.items():
                setattr(proposal, name, value)
            proposal.version += 1
            proposal.save()
        wanted = list(dict.fromkeys(user.pk for user in session.speakers))
        speakers_changed = _set_speakers(proposal, wanted, current=speakers.get(proposal.pk, []))
        (result.updated if changed or speakers_changed else result.unchanged).append(proposal)
    audit.record(
        action="proposal.imported",
        actor=by,
        target=event,
        event_id=event.pk,
        created=len(result.created),
        updated=len(result.updated),
    )
    return result


@transaction.atomic
def create_imported_speakers(*, event: Event, users: list, bios: list[str], codes: set[str]) -> list:
    """Save the users made for the people of an imported file (unsaved `User` objects, each with the
    reserved address it is given, never mailed, and a name), with an unusable password, and a speaker
    profile in the event for each (bio from `bios`, in the same order); written in bulk, the objects
    get their ids. `codes` are the profile codes the event uses (kept up to date). Returns the users.
    Side effects: none beyond the rows (the import records its audit entry)."""
    from podium.accounts.models import User

    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users, batch_size=500)
    SpeakerProfile.objects.bulk_create(
        [
            SpeakerProfile(event=event, user=user, bio=bio, code=free_code(codes))
            for user, bio in zip(users, bios, strict=True)
        ],
        batch_size=500,
    )
    return users
