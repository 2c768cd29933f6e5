"""Public reads: the latest release of public events, as the public pages show it. No authentication."""

from django.conf import settings
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils.encoding import filepath_to_uri
from ninja import Query, Router

from podium.api import schemas as s
from podium.api.auth import PUBLIC
from podium.attendance.seat_queries import seats_by_code
from podium.base.translated import column, other_languages
from podium.events.models import Event, PageState
from podium.events.models import Page as InformationPage
from podium.events.queries import public_events
from podium.events.visibility import event_or_404
from podium.schedule.models import Release, SlotKind
from podium.schedule.queries import latest_release, released_sessions

router = Router(tags=["public"])

NOT_FOUND = {404: s.Error}
INVALID = {422: s.Error}


def _event(slug: str) -> Event:
    """A public event; 404 for an unknown or non-public one, alike."""
    return event_or_404(slug)


def _page(queryset, params: s.PageParams, render) -> dict:
    items = queryset[params.offset : params.offset + params.limit]
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [render(item) for item in items],
    }


def release_ref(release: Release | None) -> dict | None:
    if release is None:
        return None
    return {"version": release.version, "name": release.name, "published_at": release.published_at}


def translations(instance, name: str) -> dict[str, str]:
    """{language: text} of the translations of `instance`'s text `name` that are given (base.translated);
    the main text is `name` itself."""
    found = {code: getattr(instance, column(name, code)) for code, _label in other_languages()}
    return {code: text for code, text in found.items() if text}


def event_out(event: Event, release: Release | None) -> dict:
    return {
        "slug": event.slug,
        "name": event.name,
        "name_translations": translations(event, "name"),
        "organiser": event.organiser.name,
        "timezone": event.timezone,
        "date_from": event.date_from,
        "date_to": event.date_to,
        "day_start_hour": event.day_start_hour,
        "description": event.description,
        "description_translations": translations(event, "description"),
        "release": release_ref(release),
    }


def _seats_out(seats) -> dict | None:
    if seats is None:
        return None
    return {"capacity": seats.capacity, "taken": seats.taken, "left": seats.left, "waiting": seats.waiting}


def session_out(session, seats: dict | None = None) -> dict:
    """One released session; `seats` are the release's seats by code (seat_queries.seats_by_code)."""
    return {
        "code": session.code,
        "kind": session.kind,
        "slot_id": session.slot_id,
        "slot_uuid": session.slot_uuid,
        "title": session.title,
        "abstract": session.abstract,
        "description": session.description,
        "track": (
            {"id": session.track_id, "name": session.track_name, "colour": session.track_colour}
            if session.track_id
            else None
        ),
        "room": (
            {"id": session.room_id, "uuid": session.room_uuid, "name": session.room_name}
            if session.room_id
            else None
        ),
        "start": session.start,
        "end": session.end,
        "day": session.day,
        "duration_minutes": session.duration_minutes,
        "session_type": session.session_type,
        "language": session.language,
        "audience_level": session.audience_level,
        "speakers": [{"code": sp["code"], "name": sp["name"]} for sp in session.speakers],
        "guid": session.guid or str(session.slot_uuid),
        "subtitle": session.subtitle,
        "do_not_record": session.do_not_record,
        "links": session.links,
        "attachments": session.attachments,
        "video_url": session.video_url,
        "feedback_url": session.feedback_url,
        "seats": _seats_out((seats or {}).get(session.code) if session.code else None),
    }


def release_out(release: Release) -> dict:
    return {
        "version": release.version,
        "name": release.name,
        "comment": release.comment,
        "published_at": release.published_at,
        "counts": release.counts(),
        "changes": [
            {
                "kind": change["kind"],
                "code": change.get("code") or "",
                "title": change.get("title") or "",
                "old": change.get("old"),
                "new": change.get("new"),
                "fields": list(change.get("fields") or []),
            }
            for change in release.changes
        ],
    }


@router.get("/events", response={200: s.EventPage, **INVALID}, auth=PUBLIC)
def events(request, page: Query[s.PageParams]):
    """Public events, the latest first, with the version of their latest release."""
    queryset = public_events().order_by("-date_from", "name", "pk")
    result = _page(queryset, page, lambda event: event)
    latest = {}
    for release in Release.objects.filter(event__in=result["items"]).order_by("event_id", "version"):
        latest[release.event_id] = release
    result["items"] = [event_out(event, latest.get(event.pk)) for event in result["items"]]
    return result


@router.get("/events/{event}", response={200: s.EventOut, **NOT_FOUND, **INVALID}, auth=PUBLIC)
def event_detail(request, event: s.Slug):
    found = _event(event)
    return event_out(found, latest_release(found))


@router.get("/events/{event}/rooms", response={200: list[s.RoomOut], **NOT_FOUND, **INVALID}, auth=PUBLIC)
def rooms(request, event: s.Slug):
    """The rooms as the latest release has them (none before the first release)."""
    release = latest_release(_event(event))
    return [
        {"id": r["id"], "uuid": r["uuid"], "name": r["name"], "capacity": r.get("capacity")}
        for r in (release.rooms if release else [])
    ]


@router.get("/events/{event}/tracks", response={200: list[s.TrackOut], **NOT_FOUND, **INVALID}, auth=PUBLIC)
def tracks(request, event: s.Slug):
    """The tracks as the latest release has them (none before the first release)."""
    release = latest_release(_event(event))
    return [
        {"id": t["id"], "name": t["name"], "colour": t["colour"]} for t in (release.tracks if release else [])
    ]


@router.get(
    "/events/{event}/session-types",
    response={200: list[s.SessionTypeOut], **NOT_FOUND, **INVALID},
    auth=PUBLIC,
)
def session_types(request, event: s.Slug):
    """The session types of the released sessions, with how many sessions each has."""
    release = latest_release(_event(event))
    if release is None:
        return []
    rows = (
        release.sessions.filter(kind=SlotKind.SESSION)
        .values("session_type")
        .annotate(sessions=Count("id"))
        .order_by("session_type")
    )
    return [{"name": row["session_type"], "sessions": row["sessions"]} for row in rows]


@router.get("/events/{event}/sessions", response={200: s.SessionPage, **NOT_FOUND, **INVALID}, auth=PUBLIC)
def sessions(request, event: s.Slug, filters: Query[s.SessionFilters]):
    """The released sessions and breaks in time order; filter by track id, room uuid or day."""
    release = latest_release(_event(event))
    if release is None:
        return {"count": 0, "limit": filters.limit, "offset": filters.offset, "items": []}
    queryset = released_sessions(release, day=filters.day, track_id=filters.track, room_uuid=filters.room)
    seats = seats_by_code(release.event, release)
    return _page(queryset, filters, lambda session: session_out(session, seats))


@router.get(
    "/events/{event}/sessions/{code}", response={200: s.SessionOut, **NOT_FOUND, **INVALID}, auth=PUBLIC
)
def session_detail(request, event: s.Slug, code: s.Code):
    release = latest_release(_event(event))
    found = release and release.sessions.filter(kind=SlotKind.SESSION, code=code.upper()).first()
    if not found:
        raise Http404("There is no released session with this code.")
    return session_out(found, seats_by_code(release.event, release, [found.code]))


def speaker_out(speaker) -> dict:
    return {
        "code": speaker.code,
        "name": speaker.name,
        "bio": speaker.bio,
        "photo": settings.MEDIA_URL + filepath_to_uri(speaker.photo) if speaker.photo else "",
        "website": speaker.website,
        "social": speaker.social,
        "sessions": list(speaker.session_codes),
    }


@router.get("/events/{event}/speakers", response={200: s.SpeakerPage, **NOT_FOUND, **INVALID}, auth=PUBLIC)
def speakers(request, event: s.Slug, page: Query[s.PageParams]):
    """The speakers of the latest release, by name."""
    release = latest_release(_event(event))
    if release is None:
        return {"count": 0, "limit": page.limit, "offset": page.offset, "items": []}
    return _page(release.speakers.order_by("name", "code"), page, speaker_out)


@router.get(
    "/events/{event}/speakers/{speaker}", response={200: s.SpeakerOut, **NOT_FOUND, **INVALID}, auth=PUBLIC
)
def speaker_detail(request, event: s.Slug, speaker: s.Code):
    release = latest_release(_event(event))
    found = release and release.speakers.filter(code=speaker.upper()).first()
    if not found:
        raise Http404("There is no speaker with this code in the program.")
    return speaker_out(found)


def information_page_out(page: InformationPage) -> dict:
    return {
        "slug": page.slug,
        "title": page.title,
        "title_translations": translations(page, "title"),
        "body": page.body,
        "body_translations": translations(page, "body"),
        "url": settings.BASE_URL + reverse("site:page", kwargs={"event": page.event.slug, "page": page.slug}),
        "updated_at": page.updated,
    }


@router.get(
    "/events/{event}/pages", response={200: list[s.InformationPageOut], **NOT_FOUND, **INVALID}, auth=PUBLIC
)
def information_pages(request, event: s.Slug):
    """The event's published information pages (venue, travel, code of conduct, FAQ), in the site's order."""
    found = _event(event)
    return [information_page_out(page) for page in found.pages.filter(state=PageState.PUBLISHED)]


@router.get(
    "/events/{event}/pages/{page}",
    response={200: s.InformationPageOut, **NOT_FOUND, **INVALID},
    auth=PUBLIC,
)
def information_page(request, event: s.Slug, page: s.PageSlug):
    found = _event(event).pages.filter(state=PageState.PUBLISHED, slug=page).first()
    if found is None:
        raise Http404("There is no such page.")
    return information_page_out(found)


@router.get("/events/{event}/schedule", response={200: s.ScheduleOut, **NOT_FOUND, **INVALID}, auth=PUBLIC)
def schedule(request, event: s.Slug, filters: Query[s.DayFilter]):
    """The latest release day by day (one day with `day`)."""
    release = latest_release(_event(event))
    if release is None:
        return {"release": None, "days": []}
    days: dict = {}
    seats = seats_by_code(release.event, release)
    for session in released_sessions(release, day=filters.day):
        days.setdefault(session.day, []).append(session_out(session, seats))
    return {
        "release": release_ref(release),
        "days": [{"day": day, "sessions": items} for day, items in sorted(days.items())],
    }


@router.get("/events/{event}/releases", response={200: s.ReleasePage, **NOT_FOUND, **INVALID}, auth=PUBLIC)
def releases(request, event: s.Slug, page: Query[s.PageParams]):
    """Every release, the latest first, with its comment and changelog."""
    found = _event(event)
    return _page(found.releases.order_by("-version"), page, release_out)


@router.get(
    "/events/{event}/releases/{version}", response={200: s.ReleaseOut, **NOT_FOUND, **INVALID}, auth=PUBLIC
)
def release_detail(request, event: s.Slug, version: s.DbInt):
    found = _event(event).releases.filter(version=version).first()
    if found is None:
        raise Http404("There is no release with this number.")
    return release_out(found)
