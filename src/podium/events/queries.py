"""Reusable reads about events."""

from django.db.models import F, Q

from podium.events.models import Event, Organiser, PageState


def events_for_user(user) -> dict:
    """The events a user works on (as team member) and speaks at, for their landing page."""
    if not user.is_authenticated:
        return {"team": [], "speaker": [], "organisers": []}
    if user.is_superuser:
        team_events = Event.objects.select_related("organiser")
        organisers = Organiser.objects.all()
    else:
        team_events = (
            # One filter() call, so that membership and event scope are tested on the same team.
            Event.objects.filter(
                Q(organiser__teams__members=user)
                & (Q(organiser__teams__all_events=True) | Q(organiser__teams__limit_events=F("pk")))
            )
            .select_related("organiser")
            .distinct()
        )
        organisers = Organiser.objects.filter(teams__members=user, teams__is_admin=True).distinct()
    speaker_events = Event.objects.filter(proposals__speakers=user).select_related("organiser").distinct()
    return {"team": list(team_events), "speaker": list(speaker_events), "organisers": list(organisers)}


def public_events():
    return Event.objects.filter(is_public=True).select_related("organiser")


def published_pages(event: Event) -> list:
    """The event's published information pages in navigation order, without their bodies: one query per
    event object, however often the navigation asks (the page cache's key and the menu share it)."""
    cached = getattr(event, "_published_pages", None)
    if cached is None:
        cached = list(event.pages.filter(state=PageState.PUBLISHED).defer("body"))
        event._published_pages = cached
    return cached
