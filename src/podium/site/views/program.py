"""The released program's other pages: talks, one talk, speakers, one speaker, and the releases.

Before the first release an event may list its accepted talks (`show_accepted_talks`) so attendees
can star them; from the first release on, everything comes from the latest release.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import render
from django.utils.encoding import filepath_to_uri

from podium.attendance import rules as attendance_rules
from podium.attendance import seat_queries
from podium.attendance.models import Feedback, Note, SeatBooking
from podium.attendance.queries import public_talks, shared_notes
from podium.base.permissions import public
from podium.proposals.models import ProposalSpeaker
from podium.schedule import changelog
from podium.schedule.models import ReleasedSession, SlotKind
from podium.schedule.queries import latest_release
from podium.site.forms import FeedbackForm, NoteForm
from podium.site.pagecache import cached_page
from podium.site.program_data import ProgramData
from podium.site.views.common import mark_starred, public_event, visitor_stars


def _released_talks(release):
    return release.sessions.filter(kind=SlotKind.SESSION)


def _accepted_talks(event):
    """Before the first release: the accepted and confirmed talks, with what the pages show of them."""
    return (
        public_talks(event)
        .select_related("track", "session_type")
        .prefetch_related(Prefetch("speaker_links", queryset=ProposalSpeaker.objects.select_related("user")))
        .order_by(Lower("title"), "code")
    )


def _photo_url(speaker) -> str:
    """The released photo's address; none once the speaker replaced or removed it (the file is gone)."""
    if not speaker.photo or not default_storage.exists(speaker.photo):
        return ""
    return settings.MEDIA_URL + filepath_to_uri(speaker.photo)


@public
def talks(request, event):
    event = public_event(event)
    release = latest_release(event)
    if release is None and not event.show_accepted_talks:
        raise Http404("The talks are not public yet.")
    return talks_page(request, event, release)


def talks_page(request, event, release):
    """The list of talks through the page cache (and the release's files: release_files renders it)."""
    return cached_page(
        request,
        event=event,
        release=release,
        render=lambda: _render_talks(request, event, release),
        cacheable=not request.GET,
        members_share=True,
    )


def _render_talks(request, event, release):
    starred = visitor_stars(request, event)
    if release is not None:
        items = _released_talks(release).order_by(Lower("title"), "start", "id")
    else:
        items = _accepted_talks(event)
    return render(
        request,
        "site/talks.html",
        {"event": event, "release": release, "talks": mark_starred(list(items), starred)},
    )


def _cancelled_title(event, release, code: str) -> str | None:
    """The title of a session that was public once and is not any more, or None if it never was."""
    for change in release.changes if release else []:
        if change["kind"] == changelog.CANCELLED and change["code"] == code:
            return change["title"]
    return (
        ReleasedSession.objects.filter(release__event=event, kind=SlotKind.SESSION, code=code)
        .order_by("-release__version")
        .values_list("title", flat=True)
        .first()
    )


@public
def talk(request, event, code):
    event = public_event(event)
    return talk_page(request, event, latest_release(event), code.upper())


def talk_page(request, event, release, code: str, *, data: ProgramData | None = None):
    """The talk page through the page cache; `data`: the release's program read once (release_files
    renders every page from it) instead of this page's queries."""
    if data is None:
        notes = shared_notes(event, code)
        seats = seat_queries.seats_by_code(event, release, [code])
    else:
        notes, seats = data.notes_of(code), data.seats_of([code])
    return cached_page(
        request,
        event=event,
        release=release,
        render=lambda: render_talk(request, event, release, code, notes=notes, seats=seats, data=data),
        # Shared notes and the seats left change between releases: the cached page is the one with these.
        variant="|".join(f"{note.pk}:{note.updated.isoformat()}:{note.user.name}" for note in notes)
        + f"|seats:{seat_queries.seats_key(seats)}",
        cacheable=not request.GET,
    )


def _seat_context(request, proposal, session) -> dict:
    """A logged-in visitor's seat at a session that needs one: their booking (with their place on the
    waiting list) or, when they have none, why they may not book (including an overlap with a seat)."""
    booking = SeatBooking.objects.filter(user=request.user, proposal=proposal).first()
    if booking is not None:
        return {"seat_booking": booking, "seat_position": seat_queries.waiting_position(booking)}
    refusal = attendance_rules.seat_refusal(request.user, proposal, session)
    if refusal is None:
        clash = seat_queries.clashing_seat(request.user, session)
        refusal = attendance_rules.clash_message(clash, proposal.event) if clash is not None else None
    return {"seat_booking": None, "seat_refusal": refusal}


def _attendee_context(request, event, release, session, *, note_form=None, feedback_form=None) -> dict:
    """What a logged-in visitor sees under a talk: their note, and the feedback form once it is open
    (or why it is not). Forms passed in are shown as they are (with the visitor's input and errors)."""
    proposal = session if release is None else event.proposals.filter(code=session.code).first()
    if proposal is None:  # a released session without a talk behind it any more
        return {}
    note = Note.objects.filter(user=request.user, proposal=proposal).first()
    if note_form is None:
        note_form = NoteForm(initial={"text": note.text, "shared": note.shared} if note else None)
    context = {"attendee": True, "note": note, "note_form": note_form}
    if release is None:
        return context
    if getattr(session, "seats", None) is not None:
        context.update(_seat_context(request, proposal, session))
    refusal = attendance_rules.feedback_refusal(request.user, proposal)
    feedback = Feedback.objects.filter(user=request.user, proposal=proposal).first()
    if refusal is None and feedback_form is None:
        initial = {"rating": feedback.rating, "comment": feedback.comment} if feedback else None
        feedback_form = FeedbackForm(initial=initial)
    context.update(
        {
            "feedback": feedback,
            "feedback_form": feedback_form if refusal is None else None,
            "feedback_refusal": refusal,
            "own_talk": refusal == attendance_rules.OWN_TALK,
        }
    )
    return context


def render_talk(
    request,
    event,
    release,
    code: str,
    *,
    notes=None,
    note_form=None,
    feedback_form=None,
    seats=None,
    seat_error=None,
    data: ProgramData | None = None,
):
    """The talk page (410 for a session that was cancelled); `notes` are the notes shared under it,
    `note_form` and `feedback_form` a logged-in visitor's forms as they sent them, `seats` the seats of
    the session when it needs one (seat_queries.seats_by_code), `seat_error` why a booking was refused,
    `data` the release's program read once (see talk_page)."""
    if release is not None:
        session = _released_talks(release).filter(code=code).first() if data is None else data.talk(code)
        if session is not None:
            if seats is None:
                seats = seat_queries.seats_by_code(event, release, [code])
            seat_queries.mark_seats([session], seats)
    else:
        session = _accepted_talks(event).filter(code=code).first()
    if session is None:
        title = _cancelled_title(event, release, code)
        if title is None:
            raise Http404("There is no public session with this code.")
        return render(
            request,
            "site/talk_cancelled.html",
            {"event": event, "release": release, "title": title},
            status=410,
        )
    starred = visitor_stars(request, event)
    mark_starred([session], starred)
    context = {
        "event": event,
        "release": release,
        "session": session,
        "language": event.language_map.get(session.language, session.language),
        "shared_notes": shared_notes(event, code) if notes is None else notes,
        "seat_error": seat_error,
    }
    if request.user.is_authenticated:
        context.update(
            _attendee_context(
                request, event, release, session, note_form=note_form, feedback_form=feedback_form
            )
        )
    return render(request, "site/talk.html", context)


@public
def speakers(request, event):
    event = public_event(event)
    release = latest_release(event)
    if release is None:
        raise Http404("The speakers are announced with the first release of the schedule.")
    return speakers_page(request, event, release)


def speakers_page(request, event, release):
    """The list of speakers through the page cache (and the release's files)."""
    return cached_page(
        request,
        event=event,
        release=release,
        render=lambda: _render_speakers(request, event, release),
        cacheable=not request.GET,
        members_share=True,
    )


def _render_speakers(request, event, release):
    titles = dict(_released_talks(release).values_list("code", "title"))
    people = list(release.speakers.defer("bio"))
    for person in people:
        person.photo_url = _photo_url(person)
        person.talks = [(code, titles[code]) for code in person.session_codes if code in titles]
    return render(request, "site/speakers.html", {"event": event, "release": release, "speakers": people})


@public
def speaker(request, event, speaker):
    event = public_event(event)
    release = latest_release(event)
    if release is None:
        raise Http404("The speakers are announced with the first release of the schedule.")
    return speaker_page(request, event, release, speaker.upper())


def speaker_page(request, event, release, code: str, *, data: ProgramData | None = None):
    """A speaker's page through the page cache; `data` as for talk_page."""
    return cached_page(
        request,
        event=event,
        release=release,
        render=lambda: _render_speaker(request, event, release, code, data=data),
        cacheable=not request.GET,
        members_share=True,
    )


def _render_speaker(request, event, release, code: str, *, data: ProgramData | None = None):
    person = release.speakers.filter(code=code).first() if data is None else data.speaker(code)
    if person is None:
        raise Http404("There is no speaker with this code in the program.")
    person.photo_url = _photo_url(person) if data is None else data.photo_url(person)
    starred = visitor_stars(request, event)
    if data is None:
        talks = list(_released_talks(release).filter(code__in=person.session_codes))
    else:
        talks = data.talks_of(person.session_codes)
    sessions = mark_starred(talks, starred)
    return render(
        request,
        "site/speaker.html",
        {"event": event, "release": release, "speaker": person, "sessions": sessions},
    )


@public
def releases(request, event):
    event = public_event(event)
    entries = list(event.releases.order_by("-version"))
    current = set(_released_talks(entries[0]).values_list("code", flat=True)) if entries else set()
    for entry in entries:
        entry.readable_changes = changelog.readable(entry.changes, event.tz)
        entry.change_counts = entry.counts()
    return render(
        request,
        "site/releases.html",
        {
            "event": event,
            "release": entries[0] if entries else None,
            "releases": entries,
            "current_codes": current,
        },
    )
