"""Everything Podium holds about one person, as one JSON-ready document (`podium person export`)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from podium.accounts.models import ApiToken, User
from podium.attendance.models import AgendaPreference, CalendarFeed, Feedback, Note, Star
from podium.base.errors import ServiceError
from podium.base.models import AuditEntry
from podium.events.models import TeamInvite
from podium.interop.models import ImportedKey
from podium.mail.models import OutboxMail
from podium.privacy import (
    campaigns,
    cfp_answers,
    checkins,
    conflicts,
    contacts,
    letters,
    seats,
    sponsors,
    tickets,
)
from podium.proposals.models import CoSpeakerInvite, ProposalSpeaker, SpeakerProfile
from podium.reviews.models import Review
from podium.schedule.models import Release, ReleasedSpeaker
from podium.scheduling.models import SolverRun

FORMAT = "podium-person-export"
FORMAT_VERSION = 1


def find_person(*, email: str) -> User:
    """The account with this e-mail address (any case), or a ServiceError saying there is none."""
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ServiceError(f"No account has the e-mail address {email.strip()!r}.")
    return user


def _when(moment):
    return moment.isoformat() if moment else None


def _account(user: User) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "language": user.language,
    }


def _profiles(user: User) -> list[dict]:
    profiles = SpeakerProfile.objects.filter(user=user).select_related("event").order_by("event__slug")
    return [
        {
            "id": profile.pk,
            "event": profile.event.slug,
            "code": profile.code,
            "bio": profile.bio,
            "photo": profile.photo.name if profile.photo else "",
            "website": profile.website,
            "social": profile.social,
            "availability": [
                {"start": _when(window.start), "end": _when(window.end), "preferred": window.preferred}
                for window in profile.availabilities.all()
            ],
        }
        for profile in profiles.prefetch_related("availabilities")
    ]


def _released_profiles(user: User) -> list[dict]:
    """The person's public profile as each release published it."""
    rows = []
    for profile in SpeakerProfile.objects.filter(user=user).select_related("event"):
        released = ReleasedSpeaker.objects.filter(
            release__event_id=profile.event_id, code=profile.code
        ).select_related("release")
        rows += [
            {
                "event": profile.event.slug,
                "release": row.release.name,
                "name": row.name,
                "bio": row.bio,
                "photo": row.photo,
                "website": row.website,
                "social": row.social,
                "sessions": row.session_codes,
            }
            for row in released.order_by("release__version")
        ]
    return rows


def _proposals(user: User) -> list[dict]:
    links = (
        ProposalSpeaker.objects.filter(user=user)
        .select_related("proposal__event", "proposal__session_type", "proposal__track")
        .order_by("proposal__event__slug", "proposal__code")
    )
    return [
        {
            "id": link.proposal.pk,
            "event": link.proposal.event.slug,
            "code": link.proposal.code,
            "title": link.proposal.title,
            "abstract": link.proposal.abstract,
            "description": link.proposal.description,
            "track": link.proposal.track.name if link.proposal.track_id else None,
            "session_type": link.proposal.session_type.name,
            "language": link.proposal.language,
            "state": link.proposal.state,
            "role": "speaker" if link.position == 0 else "co-speaker",
            "position": link.position,
            "submitted_by_them": link.proposal.submitted_by_id == user.pk,
            "created": _when(link.proposal.created),
            "updated": _when(link.proposal.updated),
        }
        for link in links
    ]


def _reviews(user: User) -> list[dict]:
    reviews = Review.objects.filter(reviewer=user).select_related("proposal__event")
    return [
        {
            "id": review.pk,
            "event": review.proposal.event.slug,
            "proposal": review.proposal.code,
            "score": review.score,
            "comment": review.comment,
            "created": _when(review.created),
            "updated": _when(review.updated),
        }
        for review in reviews.order_by("created", "pk")
    ]


def _stars(user: User) -> list[dict]:
    stars = Star.objects.filter(user=user).select_related("event", "proposal")
    return [
        {"event": star.event.slug, "proposal": star.proposal.code, "created": _when(star.created)}
        for star in stars
    ]


def _agenda_preferences(user: User) -> list[dict]:
    preferences = AgendaPreference.objects.filter(user=user).select_related("event")
    return [
        {
            "event": preference.event.slug,
            "notify_changes": preference.notify_changes,
            "last_seen_version": preference.last_seen_version,
            "updated": _when(preference.updated),
        }
        for preference in preferences.order_by("event__slug")
    ]


def _notes(user: User) -> list[dict]:
    notes = Note.objects.filter(user=user).select_related("event", "proposal")
    return [
        {
            "event": note.event.slug,
            "proposal": note.proposal.code,
            "title": note.proposal.title,
            "text": note.text,
            "shared": note.shared,
            "created": _when(note.created),
            "updated": _when(note.updated),
        }
        for note in notes.order_by("event__slug", "created", "pk")
    ]


def _feedback(user: User) -> list[dict]:
    given = Feedback.objects.filter(user=user).select_related("proposal__event")
    return [
        {
            "event": feedback.proposal.event.slug,
            "proposal": feedback.proposal.code,
            "title": feedback.proposal.title,
            "rating": feedback.rating,
            "comment": feedback.comment,
            "created": _when(feedback.created),
            "updated": _when(feedback.updated),
        }
        for feedback in given.order_by("created", "pk")
    ]


def _calendar_feeds(user: User) -> list[dict]:
    """That the person has a secret calendar address, never the address itself (a credential)."""
    feeds = CalendarFeed.objects.filter(user=user).select_related("event")
    return [
        {"event": feed.event.slug, "created": _when(feed.created)} for feed in feeds.order_by("event__slug")
    ]


def mails_to(user: User):
    """The outbox rows addressed to the person (by account or by address)."""
    return OutboxMail.objects.filter(Q(user=user) | Q(to__iexact=user.email))


def _mails(user: User) -> list[dict]:
    mails = mails_to(user).select_related("event").order_by("created", "pk")
    return [
        {
            "id": mail.pk,
            "event": mail.event.slug if mail.event_id else None,
            "to": mail.to,
            "subject": mail.subject,
            "body": mail.body,
            "template": mail.template,
            "status": mail.status,
            "created": _when(mail.created),
            "sent_at": _when(mail.sent_at),
            "attachments": [item.get("filename", "") for item in mail.attachments],
            "last_error": mail.last_error,
        }
        for mail in mails
    ]


def audit_entries(user: User):
    """Audit entries made by the person, about their account or profiles, or naming their address."""
    profile_ids = [str(pk) for pk in SpeakerProfile.objects.filter(user=user).values_list("pk", flat=True)]
    about = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)) | Q(
        content_type=ContentType.objects.get_for_model(SpeakerProfile), object_id__in=profile_ids
    )
    return AuditEntry.objects.filter(Q(actor=user) | about | Q(data__icontains=user.email))


def _audit(user: User) -> list[dict]:
    entries = audit_entries(user).select_related("content_type").order_by("timestamp", "pk")
    return [
        {
            "id": entry.pk,
            "timestamp": _when(entry.timestamp),
            "action": entry.action,
            "by_them": entry.actor_id == user.pk,
            "event_id": entry.event_id,
            "about": f"{entry.content_type.app_label}.{entry.content_type.model}:{entry.object_id}"
            if entry.content_type_id
            else None,
            "data": entry.data,
        }
        for entry in entries
    ]


def _api_tokens(user: User) -> list[dict]:
    """Token metadata; the secret is never stored and its hash is not exported."""
    tokens = ApiToken.objects.filter(user=user).select_related("organiser").prefetch_related("events")
    return [
        {
            "id": token.pk,
            "organiser": token.organiser.slug,
            "name": token.name,
            "scope": token.scope,
            "prefix": token.prefix,
            "events": sorted(event.slug for event in token.events.all()),
            "created": _when(token.created),
            "last_used_at": _when(token.last_used_at),
            "revoked_at": _when(token.revoked_at),
        }
        for token in tokens
    ]


def _teams(user: User) -> list[dict]:
    flags = ("is_admin", "can_edit_event", "can_review", "can_schedule", "can_send_mail", "can_check_in")
    return [
        {
            "id": team.pk,
            "organiser": team.organiser.slug,
            "name": team.name,
            **{flag: getattr(team, flag) for flag in flags},
        }
        for team in user.teams.select_related("organiser").order_by("organiser__slug", "name")
    ]


def _invites(user: User) -> dict:
    """Invitations addressed to the person, and those they sent (without the invitee's address: that
    is someone else's data). Invitation tokens are secrets and never exported."""
    received = [
        {
            "kind": "team",
            "id": invite.pk,
            "team": invite.team.name,
            "email": invite.email,
            "created": _when(invite.created),
            "accepted_at": _when(invite.accepted_at),
        }
        for invite in TeamInvite.objects.filter(email__iexact=user.email).select_related("team")
    ] + [
        {
            "kind": "co-speaker",
            "id": invite.pk,
            "proposal": invite.proposal.code,
            "email": invite.email,
            "created": _when(invite.created),
            "accepted_at": _when(invite.accepted_at),
        }
        for invite in CoSpeakerInvite.objects.filter(email__iexact=user.email).select_related("proposal")
    ]
    sent = [
        {"kind": "team", "id": invite.pk, "team": invite.team.name, "created": _when(invite.created)}
        for invite in TeamInvite.objects.filter(invited_by=user).select_related("team")
    ] + [
        {
            "kind": "co-speaker",
            "id": invite.pk,
            "proposal": invite.proposal.code,
            "created": _when(invite.created),
        }
        for invite in CoSpeakerInvite.objects.filter(invited_by=user).select_related("proposal")
    ]
    return {"received": received, "sent": sent}


def _import_keys(user: User) -> list[dict]:
    keys = ImportedKey.objects.filter(kind=ImportedKey.Kind.SPEAKER, object_id=user.pk).select_related(
        "event"
    )
    return [
        {"event": key.event.slug, "source_key": key.source_key, "created": _when(key.created)} for key in keys
    ]


def _log_ins(user: User) -> list[dict]:
    """Log-in records kept by the log-in protection (successful and failed, by address)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    rows = [
        {
            "kind": "log-in",
            "at": _when(log.attempt_time),
            "logout": _when(log.logout_time),
            "ip_address": log.ip_address,
            "user_agent": log.user_agent,
        }
        for log in AccessLog.objects.filter(username__iexact=user.email).order_by("attempt_time")
    ]
    rows += [
        {
            "kind": "failed log-ins",
            "at": _when(attempt.attempt_time),
            "failures": attempt.failures_since_start,
            "ip_address": attempt.ip_address,
            "user_agent": attempt.user_agent,
        }
        for attempt in AccessAttempt.objects.filter(username__iexact=user.email)
    ]
    rows += [
        {
            "kind": "failed log-in",
            "at": _when(failure.attempt_time),
            "locked_out": failure.locked_out,
            "ip_address": failure.ip_address,
            "user_agent": failure.user_agent,
        }
        for failure in AccessFailureLog.objects.filter(username__iexact=user.email)
    ]
    return rows


def _activity(user: User) -> dict:
    releases = Release.objects.filter(published_by=user).select_related("event").order_by("published_at")
    runs = SolverRun.objects.filter(created_by=user).select_related("event").order_by("created_at")
    return {
        "releases_published": [
            {
                "event": release.event.slug,
                "release": release.name,
                "published_at": _when(release.published_at),
            }
            for release in releases
        ],
        "solver_runs_started": [
            {
                "event": run.event.slug,
                "mode": run.mode,
                "status": run.status,
                "created_at": _when(run.created_at),
            }
            for run in runs
        ],
    }


def export_person(*, user: User) -> dict:
    """Everything held about `user`, as plain JSON-ready data (reads only, writes nothing).

    Sections: account, speaker profiles with availability, the profile as each release published it,
    proposals with their role, reviews they wrote, stars, agenda preferences, notes and feedback on
    talks, calendar addresses (that they exist, never the address), mails addressed to them,
    audit entries by or about them, API tokens (metadata, never secrets), team memberships,
    invitations, import keys, log-in records, ticket orders, tickets (with their check-ins) and
    waiting-list places, check-ins and scans recorded at a desk, seats booked at sessions (and places
    on their waiting lists), visa letter requests, answers to CfP questions about them, campaign mails (and
    unsubscriptions, bounces of their address),
    contact list rows with their address, sponsor contact rows with their address and the
    sponsor work recorded under their account, releases
    and solver runs they started. Replayed API answers (idempotency records) are not personal content
    and are not listed.
    """
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": _account(user),
        "speaker_profiles": _profiles(user),
        "released_profiles": _released_profiles(user),
        "proposals": _proposals(user),
        "reviews": _reviews(user),
        "stars": _stars(user),
        "agenda_preferences": _agenda_preferences(user),
        "notes": _notes(user),
        "feedback": _feedback(user),
        "calendar_feeds": _calendar_feeds(user),
        "mails": _mails(user),
        "audit": _audit(user),
        "api_tokens": _api_tokens(user),
        "teams": _teams(user),
        "invites": _invites(user),
        "import_keys": _import_keys(user),
        "log_ins": _log_ins(user),
        **tickets.export(user),
        **checkins.export(user),
        **seats.export(user),
        **letters.export(user),
        **cfp_answers.export(user),
        **conflicts.export(user),
        **campaigns.export(user),
        **contacts.export(user),
        **sponsors.export(user),
        **_activity(user),
    }
