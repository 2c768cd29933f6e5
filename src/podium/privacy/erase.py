"""Erasing a person (`podium person erase`): their values go, the program's history stays consistent.

What happens to each field is declared in `podium.privacy.FIELDS` and `ON_ERASE`; the
choices and what stays are explained in docs/privacy.md.
"""

import copy
import os
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from podium.accounts.models import ApiToken, User
from podium.attendance.models import AgendaPreference, CalendarFeed, Feedback, Note, Star
from podium.base import audit
from podium.base.errors import ServiceError
from podium.base.models import AuditEntry
from podium.events.models import TeamInvite
from podium.interop import exporters
from podium.interop.models import ImportedKey
from podium.mail.models import MailStatus
from podium.privacy import campaigns, cfp_answers, conflicts, contacts, letters, seats, sponsors, tickets
from podium.privacy.export import mails_to
from podium.privacy.values import Values, scrub_copies
from podium.proposals.models import CoSpeakerInvite, ProposalSpeaker, SpeakerProfile
from podium.reviews.models import Review
from podium.schedule import changelog
from podium.schedule.models import Release, ReleasedSession, ReleasedSpeaker, SlotKind
from podium.schedule.snapshot import Snapshot

#: Addresses under this reserved top-level domain can never be delivered (RFC 2606).
ERASED_DOMAIN = "erased.invalid"
#: The name a speaker shows with after erasure: on the release, the public pages and the next releases.
WITHDRAWN_SPEAKER = "Withdrawn speaker"
#: The name of an erased account that never spoke (a reviewer, an organiser, an attendee).
ERASED_PERSON = "Erased person"
#: What replaces any other personal value (a bio, a link, a file name) where it was copied.
ERASED_TEXT = "[erased]"
ERASED_SUBJECT = "(erased)"


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


def _placeholder_address() -> str:
    return f"erased-{secrets.token_hex(8)}@{ERASED_DOMAIN}"


def _released_rows(profiles: list[SpeakerProfile]):
    """(ReleasedSpeaker rows, ReleasedSession rows) that carry the person's speaker code."""
    if not profiles:
        return [], []
    by_event = Q()
    for profile in profiles:
        by_event |= Q(release__event_id=profile.event_id, code=profile.code)
    speakers = list(ReleasedSpeaker.objects.select_for_update().filter(by_event))
    codes = {profile.event_id: profile.code for profile in profiles}
    sessions = []
    candidates = ReleasedSession.objects.select_for_update().filter(
        kind=SlotKind.SESSION, release__event_id__in=codes
    )
    candidates = candidates.filter(
        Q.create([("speakers__icontains", code) for code in set(codes.values())], connector=Q.OR)
    ).select_related("release")
    for session in candidates:
        code = codes[session.release.event_id]
        if any(entry.get("code") == code for entry in session.speakers):
            sessions.append((session, code))
    return speakers, sessions


def _values(user, profiles, speakers, sessions, *, name: str, address: str) -> Values:
    """Every value of the person the system may have copied, with its replacement."""
    pairs = [(user.name, name), (user.email, address)]
    photos = [profile.photo.name for profile in profiles if profile.photo]
    photos += [row.photo for row in speakers if row.photo]
    for profile in profiles:
        pairs += [(profile.bio, ERASED_TEXT), (profile.website, ERASED_TEXT), (profile.social, ERASED_TEXT)]
    for row in speakers:
        pairs += [(row.name, name), (row.bio, ERASED_TEXT), (row.website, ERASED_TEXT)]
        pairs += [(row.social, ERASED_TEXT)]
    for session, code in sessions:
        pairs += [(entry.get("name", ""), name) for entry in session.speakers if entry.get("code") == code]
    for photo in photos:
        pairs += [(photo, ERASED_TEXT), (os.path.basename(photo), ERASED_TEXT)]
    pairs += [(key, ERASED_TEXT) for key in _import_keys(user).values_list("source_key", flat=True)]
    pairs += [(ticket_name, name) for ticket_name in tickets.values(user)]
    pairs += sponsors.values(user, name=name)
    return Values.of(pairs)


def _import_keys(user: User):
    return ImportedKey.objects.filter(kind=ImportedKey.Kind.SPEAKER, object_id=user.pk)


def _scrub_releases(speakers, sessions, *, name: str) -> dict[int, str]:
    """Show the person as `name` in every release, without bio, photo or links, and give each
    release its new fingerprint. Returns {release id: fingerprint before} of the releases changed."""
    touched = set()
    for row in speakers:
        row.name, row.bio, row.photo, row.website, row.social = name, "", "", "", ""
        touched.add(row.release_id)
    ReleasedSpeaker.objects.bulk_update(speakers, ["name", "bio", "photo", "website", "social"])
    for session, code in sessions:
        session.speakers = [
            {**entry, "name": name} if entry.get("code") == code else entry for entry in session.speakers
        ]
        touched.add(session.release_id)
    ReleasedSession.objects.bulk_update([session for session, _ in sessions], ["speakers"])
    before = {}
    for release in Release.objects.select_for_update().filter(pk__in=touched):
        snapshot = Snapshot(
            sessions=list(release.sessions.all()),
            speakers=list(release.speakers.all()),
            rooms=release.rooms,
            tracks=release.tracks,
        )
        before[release.pk] = release.fingerprint
        release.fingerprint = changelog.fingerprint(snapshot.public_payload())
        release.save(update_fields=["fingerprint"])
    return before


def _scrub_mails(user: User, *, address: str) -> int:
    """Mail addressed to the person keeps only its template, status and times; what was not sent yet
    never will be."""
    mails = mails_to(user)
    count = mails.count()
    mails.filter(status__in=[MailStatus.HELD, MailStatus.QUEUED, MailStatus.FAILED]).update(
        status=MailStatus.DISCARDED
    )
    mails.update(
        to=address, subject=ERASED_SUBJECT, body="", html="", attachments=[], headers={}, last_error=""
    )
    return count


def _delete_tokens(user: User) -> int:
    """Delete the person's API tokens (their replayed answers go with them). A token's name is theirs
    (often generic, like "laptop"), so it is replaced only in the audit entries of those tokens."""
    tokens = ApiToken.objects.filter(user=user)
    ids = [str(pk) for pk in tokens.values_list("pk", flat=True)]
    entries = AuditEntry.objects.select_for_update().filter(
        content_type=ContentType.objects.get_for_model(ApiToken), object_id__in=ids
    )
    for entry in entries:
        if "name" in entry.data:
            entry.data = {**entry.data, "name": ERASED_TEXT}
            entry.save(update_fields=["data"])
    return tokens.delete()[1].get(ApiToken._meta.label, 0)


def _forget_log_ins(addresses: set[str]) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    removed = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        for address in addresses:
            removed += model.objects.filter(username__iexact=address).delete()[0]
    return removed


def _end_sessions(user: User) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


def _anonymise_account(user: User, *, name: str, address: str) -> None:
    user.name = name
    user.email = address
    user.set_unusable_password()
    user.last_login = None
    user.language = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    user.teams.clear()


def erase_person(*, user: User, by=None) -> dict[str, int]:
    """Anonymise `user` for good, in one transaction, and say how many rows of each kind changed.

    The account keeps its id but gets a placeholder address under .invalid, the name "Withdrawn
    speaker" (or "Erased person" if they never spoke), no password and no access (inactive, no
    staff rights, no teams, no sessions). Their speaker profiles lose bio, photo and links, their
    availability goes; in every release they show as "Withdrawn speaker" without bio, photo or links,
    and each changed release gets a new fingerprint (its cached pages and exports are not served
    again). Talks keep their titles and texts. Reviews they wrote keep their scores and lose their
    comments. Mail addressed to them loses recipient, subject, body and attachments (unsent mail is
    discarded); their stars, agenda preferences, notes, calendar addresses, API tokens (with the
    replayed answers), invitations addressed to them, import keys and log-in records are deleted. Their
    feedback on talks stays, anonymous (rating and comment, no link to them). Their ticket orders
    stay without their address; tickets naming them show the erased name, lose company and answers
    and get a new secret; they leave every waiting list (privacy/tickets.py); their seats at sessions go
    to the people waiting for them (privacy/seats.py); their visa letter requests are deleted (privacy/
    letters.py); their answers to CfP questions about them are deleted with their files (privacy/
    cfp_answers.py); their campaign recipient rows, unsubscriptions and bounces are deleted (privacy/
    campaigns.py); the sponsor contact rows with their address are deleted (privacy/sponsors.py); their rows
    in contact lists are deleted (privacy/contacts.py). Their
    values are replaced wherever the system copied them (the COPY columns of the registry: other mail, audit entries, webhook
    deliveries, changelogs, solver reports).

    Side effects: one audit entry ("person.erased", counts only). After commit: their photo files
    are deleted, copies in mail files (PODIUM_MAIL_BACKEND=file) are scrubbed, import uploads
    waiting for confirmation that name them are removed, and the release exports cached for the
    old fingerprints are dropped.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if is_erased(user):
            raise ServiceError("This account has been erased already.")
        profiles = list(SpeakerProfile.objects.select_for_update().filter(user=user))
        speakers, sessions = _released_rows(profiles)
        spoke = bool(speakers) or ProposalSpeaker.objects.filter(user=user).exists()
        name = WITHDRAWN_SPEAKER if spoke else ERASED_PERSON
        address = _placeholder_address()
        values = _values(user, profiles, speakers, sessions, name=name, address=address)
        photos = {profile.photo.name for profile in profiles if profile.photo}
        photos |= {row.photo for row in speakers if row.photo}
        old_address = user.email

        counts = {"released speaker rows": len(speakers), "released session rows": len(sessions)}
        fingerprints = _scrub_releases(speakers, sessions, name=name)
        counts["releases"] = len(fingerprints)
        for profile in profiles:
            profile.availabilities.all().delete()
        SpeakerProfile.objects.filter(user=user).update(bio="", photo="", website="", social="")
        counts["speaker profiles"] = len(profiles)
        counts["reviews"] = Review.objects.filter(reviewer=user).update(comment="")
        counts["mails"] = _scrub_mails(user, address=address)
        counts.update(tickets.erase(user, name=name, address=address))
        counts.update(seats.erase(user))
        counts.update(letters.erase(user))
        counts.update(cfp_answers.erase(user))
        counts.update(conflicts.erase(user, address=old_address))
        counts.update(campaigns.erase(user))
        counts.update(contacts.erase(user))
        counts.update(sponsors.erase(user, address=old_address))
        counts["stars"] = Star.objects.filter(user=user).delete()[0]
        counts["agenda preferences"] = AgendaPreference.objects.filter(user=user).delete()[0]
        counts["notes"] = Note.objects.filter(user=user).delete()[0]
        counts["calendar feeds"] = CalendarFeed.objects.filter(user=user).delete()[0]
        counts["feedback made anonymous"] = Feedback.objects.filter(user=user).update(user=None)
        counts["api tokens"] = _delete_tokens(user)
        counts["invitations"] = (
            TeamInvite.objects.filter(email__iexact=old_address).delete()[0]
            + CoSpeakerInvite.objects.filter(email__iexact=old_address).delete()[0]
        )
        counts["import keys"] = _import_keys(user).delete()[0]
        counts["log-in records"] = _forget_log_ins({old_address})
        _end_sessions(user)
        _anonymise_account(user, name=name, address=address)
        counts["copies"] = scrub_copies(values)
        audit.record(action="person.erased", actor=by, target=user, **counts)
        transaction.on_commit(lambda: _after_commit(values=values, photos=photos, fingerprints=fingerprints))
    return counts


# --- After commit: files and caches ----------------------------------------------------------------


def _after_commit(*, values: Values, photos: set[str], fingerprints: dict[int, str]) -> None:
    for name in sorted(photos):
        if default_storage.exists(name):
            default_storage.delete(name)
    if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
        _scrub_files(Path(settings.EMAIL_FILE_PATH), values)
    _remove_files_naming(Path(settings.PODIUM_IMPORT_DIR), values)
    _drop_cached_exports(fingerprints)
    _drop_release_files(fingerprints)


def _drop_release_files(fingerprints: dict[int, str]) -> None:
    """Remove the written files (podium.site.release_files) of the events whose releases were rewritten;
    the next request for them asks for new ones, without the person."""
    slugs = set(Release.objects.filter(pk__in=fingerprints).values_list("event__slug", flat=True))
    for slug in sorted(slugs):
        folder = Path(settings.PODIUM_RELEASE_DIR) / slug
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def _files(folder: Path):
    if folder.is_dir():
        yield from (path for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink())


def _scrub_files(folder: Path, values: Values) -> None:
    """Rewrite the copies of delivered mail the file backend keeps, without the person's values."""
    for path in _files(folder):
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        scrubbed = values.scrub_text(text)
        if scrubbed != text:
            path.write_bytes(scrubbed.encode("utf-8", errors="surrogateescape"))


def _remove_files_naming(folder: Path, values: Values) -> None:
    """Remove import uploads still waiting for an organiser's confirmation that name the person."""
    for path in _files(folder):
        if values.found_in(path.read_bytes().decode("utf-8", errors="replace")):
            path.unlink()


def _drop_cached_exports(fingerprints: dict[int, str]) -> None:
    """Delete the cached exports of the old fingerprints that can be named (whole program, rooms,
    speakers, talks). Other entries (a visitor's starred feed) are no longer reachable either, since
    the key holds the fingerprint, and expire with the cache's timeout."""
    for release in Release.objects.filter(pk__in=fingerprints).prefetch_related("sessions", "speakers"):
        old = copy.copy(release)
        old.fingerprint = fingerprints[release.pk]
        options = [{}]
        options += [{"room_uuid": room["uuid"]} for room in release.rooms]
        options += [{"speaker_code": speaker.code} for speaker in release.speakers.all()]
        talks = {session.code for session in release.sessions.all() if session.code}
        talks |= {change["code"] for change in release.changes}
        options += [{"talk_code": code} for code in sorted(talks)]
        keys = [
            "podium:export:" + exporters.export_key(old, fmt, **option)
            for fmt in sorted(exporters.PUBLIC_FORMATS)
            for option in options
        ]
        cache.delete_many(keys)
