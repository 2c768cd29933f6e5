"""Printing the latest release: door signs per room and day, a sheet per speaker, the program grid.

The PDFs are drawn by podium.interop.printing from the latest release (what the public sees), so
the paper agrees with the site. Paper is A4 unless `?paper=letter`; a day is `?day=YYYY-MM-DD`
(the release's first day when left out). Before the first release every page here is a 404 that
says why.
"""

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from podium.interop import printing
from podium.orga.access import event_permission
from podium.schedule.queries import latest_release, release_days

can_print = event_permission("can_schedule")


class NotPrintable(Exception):
    """The request names something the release does not have; `message` says what."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _not_printable(request, message: str, release=None):
    return render(
        request,
        "orga/printing/unavailable.html",
        {"event": request.event, "release": release, "message": message},
        status=404,
    )


def _paper(request) -> str:
    paper = request.GET.get("paper", "a4").lower()
    if paper not in printing.PAPERS:
        raise NotPrintable(_("Unknown paper “%(paper)s”: print on a4 or letter.") % {"paper": paper})
    return paper


def _day(request, release) -> dt.date:
    days = release_days(release)
    value = request.GET.get("day", "")
    if not value:
        if not days:
            raise NotPrintable(_("The latest release has no sessions to print."))
        return days[0]
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise NotPrintable(
            _("“%(value)s” is not a day (write it as YYYY-MM-DD).") % {"value": value}
        ) from None
    if day not in days:
        raise NotPrintable(_("The latest release has no sessions on %(day)s.") % {"day": value})
    return day


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    add_never_cache_headers(response)
    return response


def _print(request, draw):
    """Run `draw(release)` on the latest release; a 404 page that says why when there is nothing to print."""
    release = latest_release(request.event)
    if release is None:
        return _not_printable(
            request, _("Nothing is released yet: publish the schedule first, then print it.")
        )
    try:
        return draw(release)
    except (NotPrintable, LookupError) as exc:
        return _not_printable(request, getattr(exc, "message", None) or str(exc).strip("'\""), release)


@can_print
def index(request, event):
    release = latest_release(request.event)
    if release is None:
        return _not_printable(
            request, _("Nothing is released yet: publish the schedule first, then print it.")
        )
    paper = request.GET.get("paper", "a4") if request.GET.get("paper") in printing.PAPERS else "a4"
    return render(
        request,
        "orga/printing/index.html",
        {
            "event": request.event,
            "release": release,
            "paper": paper,
            "papers": list(printing.PAPERS),
            "days": release_days(release),
            "rooms": release.rooms,
            "speakers": release.speakers.values("code", "name"),
        },
    )


@can_print
def door_sign(request, event, room):
    def draw(release):
        day = _day(request, release)
        pdf = printing.door_sign(release, room_uuid=room, day=day, paper=_paper(request))
        return _pdf(pdf, f"{request.event.slug}-door-{room}-{day}.pdf")

    return _print(request, draw)


@can_print
def door_signs(request, event):
    def draw(release):
        day = _day(request, release)
        pdf = printing.door_signs(release, day=day, paper=_paper(request))
        return _pdf(pdf, f"{request.event.slug}-doors-{day}.pdf")

    return _print(request, draw)


@can_print
def speaker_sheet(request, event, speaker):
    def draw(release):
        pdf = printing.speaker_sheet(release, speaker_code=speaker, paper=_paper(request))
        return _pdf(pdf, f"{request.event.slug}-speaker-{speaker.upper()}.pdf")

    return _print(request, draw)


@can_print
def program(request, event):
    def draw(release):
        pdf = printing.program_grid(release, paper=_paper(request))
        return _pdf(pdf, f"{request.event.slug}-program.pdf")

    return _print(request, draw)
