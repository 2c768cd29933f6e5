"""The change notices of a release: who is told what, by mail, when the program changes.

Queued on `schedule.signals.release_published`, which `publish_release` sends inside its transaction,
so the notices are outbox rows of the same commit:
a release that is rolled back sends nothing, and a published one is never announced twice.

- Each speaker whose session is new, moved, changed or cancelled gets one
  mail listing all their changes, with an iCal file of those sessions (a cancelled one carries
  STATUS:CANCELLED) so their calendar follows the program.
- Each attendee who opted in (`AgendaPreference.notify_changes`) gets one mail per release listing
  only the sessions they starred that moved, changed or were cancelled. Nobody hears about a session
  they did not star.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from podium.attendance.models import AgendaPreference, Star
from podium.events.models import Event
from podium.mail import about
from podium.mail import system as system_mail
from podium.mail.services import (
    attachment,
    queue_mail,
    queue_system_mail,
    recipient_language,
    undeliverable,
)
from podium.proposals.models import ProposalSpeaker
from podium.schedule import changelog
from podium.schedule.models import Release

SPEAKER_TEMPLATE = "schedule_changes"
ATTENDEE_TEMPLATE = "starred_changes"
# What attendees hear about: a session they planned to see is somewhere else, different, or gone.
ATTENDEE_KINDS = frozenset({changelog.MOVED, changelog.CHANGED, changelog.CANCELLED})


@dataclass(frozen=True)
class Notices:
    """How many mails a release queued, per audience."""

    speakers: int = 0
    attendees: int = 0

    @property
    def total(self) -> int:
        return self.speakers + self.attendees


def speaker_about(release: Release) -> str:
    """The outbox `about` of a release's speaker notices (the release page counts them)."""
    return about.release_speakers(release.pk)


def attendee_about(release: Release) -> str:
    return about.release_attendees(release.pk)


class _Calendars:
    """iCal files for any set of session codes of one release, rendered once per release.

    The feed's events are made once for every code that needs a notice (`ical.vevents`, as the
    release's feed has them); each mail's file is a calendar with that speaker's events picked from
    them, so a release touching hundreds of speakers does not make them hundreds of times.
    """

    def __init__(self, release: Release, codes: set[str]):
        self.release = release
        self.events: dict[str, list] = {}
        if not codes:
            return
        from podium.interop.exporters import ical  # loaded by the first release that has notices

        for code, vevent in ical.vevents(release, codes):
            self.events.setdefault(code, []).append(vevent)

    def file_for(self, codes: list[str]) -> dict | None:
        events = [event for code in codes for event in self.events.get(code, [])]
        if not events:
            return None
        import icalendar

        from podium.interop.exporters import ical

        event = self.release.event
        calendar = icalendar.Calendar()
        calendar.add("prodid", f"-//podium//{event.slug}//changes")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", gettext("%(event)s: your sessions") % {"event": event.name})
        for component in events:
            calendar.add_component(component)
        return attachment(
            filename=f"{event.slug}-{self.release.name}-changes.ics",
            content=calendar.to_ical(),
            content_type=ical.CONTENT_TYPE,
        )


def _speakers_by_code(event: Event, codes: set[str]) -> dict[str, list]:
    """The speakers a notice can reach: an address in the reserved `.invalid` domain (RFC 2606: an
    imported or erased person's) never gets one, so no calendar is rendered for it either."""
    proposals = event.proposals.filter(code__in=codes).prefetch_related(
        Prefetch("speaker_links", queryset=ProposalSpeaker.objects.select_related("user"))
    )
    return {
        p.code: [link.user for link in p.speaker_links.all() if not undeliverable(link.user.email)]
        for p in proposals
    }


def _place(event: Event, place: dict) -> str:
    """The start and end of a place and its room ("every room": a plenary), in the event's time zone
    and the active language, with the zone's abbreviations where changelog.places gives them."""
    start = system_mail.local(
        place["start"], event, pgettext("date format: weekday, day, month, time", "l j F, H:i")
    )
    end = system_mail.local(place["end"], event, "H:i")
    start, end = start + place.get("zone", ""), end + place.get("end_zone", "")
    room = place["room"] or gettext("every room")  # outside the f-string, where the extractor reads it
    return f"{start}\N{EN DASH}{end}, {room}"


def _change_lines(event: Event, change: dict) -> str:
    """One change as a paragraph of the speaker's notice: what, the place now and before, the details."""
    old, new = change["old"], change["new"]
    lines = [f'* {str(change["label"]).upper()}: "{change["title"]}" ({change["code"]})']
    if new:
        place = _place(event, new)
        # "now:" and "was:" are followed by two spaces in English, so that the two places line up.
        lines.append("  " + (gettext("now:  %(place)s") % {"place": place} if old else place))
    if old and change["kind"] != changelog.CHANGED:
        place = _place(event, old)
        lines.append("  " + (gettext("was:  %(place)s") % {"place": place} if new else place))
    if change["fields"]:
        lines.append("  " + gettext("changed: %(fields)s") % {"fields": ", ".join(change["fields"])})
    return "\n".join(lines)


def speaker_notice_values(event: Event, release: Release, changes: list[dict], user) -> dict:
    """The placeholder values of the notice to one speaker (mail.system's "schedule_changes") listing
    `changes` (changelog.readable entries), their words in the active language (the speaker's: see
    `queue_speaker_notices`)."""
    count = len(changes)
    one = changes[0] if count == 1 else None
    comment = release.comment
    return {
        "name": system_mail.person_name(user),
        "release": release.name,
        "summary": f"{one['label']}: {one['title']}"
        if one
        else ngettext("%(count)s change to your sessions", "%(count)s changes to your sessions", count)
        % {"count": count},
        "your_sessions": npgettext("schedule change notice", "your session", "your sessions", count),
        "changes": "\n\n".join(_change_lines(event, change) for change in changes),
        "session_time": _place(event, one["new"]) if one and one["new"] else "",
        "timezone": event.timezone,
        "schedule_link": f"{settings.BASE_URL}/{event.slug}/schedule/",
        "organisers_note": "\n" + gettext("From the organisers: %(comment)s") % {"comment": comment} + "\n"
        if comment
        else "",
    }


def queue_speaker_notices(event: Event, release: Release, changes: list[dict]) -> int:
    """One mail per speaker listing the changes to their sessions, with an iCal file; returns how many.
    Each mail, its values and its file's name are in the speaker's language (mail.services.recipient_language)."""
    relevant = [change for change in changes if changelog.concerns_speakers(change)]
    codes = {change["code"] for change in relevant}
    users_by_code = _speakers_by_code(event, codes)
    per_user: dict[int, tuple] = {}
    for change in relevant:
        for user in users_by_code.get(change["code"], []):
            per_user.setdefault(user.pk, (user, []))[1].append(change)
    calendars = _Calendars(release, {code for code in codes if users_by_code.get(code)})
    text = system_mail.text_for(event, SPEAKER_TEMPLATE) if per_user else None
    for user, user_changes in per_user.values():
        with translation.override(recipient_language(to=user.email, user=user, event=event)):
            readable = changelog.readable(user_changes, event.tz)
            values = speaker_notice_values(event, release, readable, user)
            file = calendars.file_for([change["code"] for change in readable])
        queue_system_mail(
            key=SPEAKER_TEMPLATE,
            to=user.email,
            values=values,
            text=text,
            event=event,
            user=user,
            about=speaker_about(release),
            attachments=[file] if file else [],
        )
    return len(per_user)


def queue_attendee_notices(event: Event, release: Release, changes: list[dict]) -> int:
    """One mail per opted-in attendee listing the starred sessions this release changed; returns how many."""
    relevant = {change["code"]: change for change in changelog.readable(changes, event.tz)}
    relevant = {code: change for code, change in relevant.items() if change["kind"] in ATTENDEE_KINDS}
    if not relevant:
        return 0
    opted_in = AgendaPreference.objects.filter(event=event, notify_changes=True).values("user_id")
    stars = (
        Star.objects.filter(event=event, proposal__code__in=relevant, user_id__in=opted_in)
        .select_related("user", "proposal")
        .order_by("user_id", "id")
    )
    per_user: dict[int, tuple] = {}
    for star in stars:
        per_user.setdefault(star.user_id, (star.user, []))[1].append(relevant[star.proposal.code])
    order = {code: index for index, code in enumerate(relevant)}
    for user, user_changes in per_user.values():
        user_changes.sort(key=lambda change: order[change["code"]])
        queue_mail(
            to=user.email,
            template=ATTENDEE_TEMPLATE,
            context={"release": release, "changes": user_changes, "user": user},
            event=event,
            user=user,
            about=attendee_about(release),
        )
    return len(per_user)


def queue_release_notices(*, event: Event, release: Release, changes: list[dict]) -> Notices:
    """Every notice of a release, in the caller's transaction. Side effects: outbox rows (mail)."""
    return Notices(
        speakers=queue_speaker_notices(event, release, changes),
        attendees=queue_attendee_notices(event, release, changes),
    )


def on_release_published(sender, *, release: Release, changes: list[dict], **kwargs) -> dict[str, int]:
    """The `release_published` receiver (connected in MailConfig.ready)."""
    notices = queue_release_notices(event=release.event, release=release, changes=changes)
    return {"speakers": notices.speakers, "attendees": notices.attendees}
