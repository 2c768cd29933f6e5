"""Check-in at the doors: the desk page (phone first: camera, typed code, search), its JSON for the
page's script (one scan, the attendee list kept for offline use, the offline queue's sync), badges
as PDF and the live figures. Every page needs `can_check_in` in the event.

The desk page works without its script too: the code and search forms post and get as usual. With
it, scans go by fetch, and when the network is down the page checks codes against its copy of the
attendee list and queues them for `sync/` (static/podium/checkin.js, docs/checkin.md).
"""

import json

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError
from podium.checkin import badges as badge_pdf
from podium.checkin import queries, services
from podium.orga.access import event_permission

can_check_in = event_permission("can_check_in")
CAMERA_ALLOWED = "camera=(self), microphone=(), geolocation=()"
#: The chart's geometry: one bar per quarter hour.
BAR_WIDTH, CHART_HEIGHT, CHART_TOP = 8, 120, 10


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _ticket_id(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _desk_page(request, event, *, outcome=None, status=200):
    query = request.GET.get("q", "")
    response = render(
        request,
        "orga/checkin/desk.html",
        {
            "event": event,
            "outcome": outcome,
            "query": query,
            "found": queries.find_attendees(event, query) if query else [],
            "desk": request.POST.get("desk") or request.GET.get("desk", ""),
            "scans": queries.recent_scans(event),
            "unprintable": queries.unprintable_badges(event),
        },
        status=status,
    )
    response["Permissions-Policy"] = CAMERA_ALLOWED  # the desk's camera reads the QR codes
    return response


@can_check_in
def desk(request, event):
    """The desk page: desk name, camera, typed code, search by name or order code, the latest scans."""
    return _desk_page(request, request.event)


@can_check_in
@require_POST
def scan(request, event):
    """One scan (`code`, or an order code with `ticket` from the search, and `desk`): JSON for the
    page's script, else the desk page showing the result."""
    event = request.event
    try:
        outcome = services.check_in(
            event=event,
            code=request.POST.get("code", ""),
            ticket=_ticket_id(request.POST.get("ticket")),
            desk=request.POST.get("desk", ""),
            by=request.user,
        )
    except ServiceError as exc:
        if _wants_json(request):
            return JsonResponse({"detail": exc.message}, status=503)
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    if _wants_json(request):
        return JsonResponse(outcome.data())
    return _desk_page(request, event, outcome=outcome)


@can_check_in
def attendees(request, event):
    """Every ticket of the event for the desk's offline copy (docs/checkin.md); never cached."""
    response = JsonResponse(
        {
            "event": request.event.slug,
            "generated_at": timezone.now().isoformat(),
            "attendees": queries.attendee_list(request.event),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@can_check_in
@require_POST
def sync(request, event):
    """The scans a desk queued offline, as JSON `{"scans": [{code, desk, scanned_at[, ticket]}]}`;
    answers each one's outcome in order, and how many were conflicts."""
    event = request.event
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": _("Send the queued scans as JSON.")}, status=400)
    scans = body.get("scans") if isinstance(body, dict) else None
    try:
        outcomes = services.sync_scans(event=event, scans=scans, by=request.user)
    except ServiceError as exc:
        return JsonResponse({"detail": exc.message}, status=400)
    results = [outcome.data() for outcome in outcomes]
    return JsonResponse({"results": results, "conflicts": sum(r["conflict"] for r in results)})


@can_check_in
def badges(request, event):
    """Badges of the event's paid tickets (or `?ticket=<id>`) as PDF, `?layout=a6` (default) or `avery`."""
    event = request.event
    layout = request.GET.get("layout") or badge_pdf.A6_LAYOUT
    if layout not in badge_pdf.LAYOUTS:
        return HttpResponseBadRequest(
            _("Choose layout=a6 (one badge per page) or layout=avery (A4 sheets of eight labels)."),
            content_type="text/plain; charset=utf-8",
        )
    ticket_id = None
    if "ticket" in request.GET:
        ticket_id = _ticket_id(request.GET["ticket"])
        if ticket_id is None:
            raise Http404("No paid ticket of this event has this id.")
    tickets = queries.badge_tickets(event, ticket_id)
    if ticket_id is not None and not tickets.exists():
        raise Http404("No paid ticket of this event has this id.")
    name = f"badges-{event.slug}" + (f"-{ticket_id}" if ticket_id else "") + f"-{layout}.pdf"
    response = HttpResponse(
        badge_pdf.badges_pdf(event, tickets, layout=layout), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _chart(day_chart) -> dict:
    """The SVG geometry of one day's chart: bars scaled to the day's busiest quarter, hour labels."""
    highest = max(day_chart.highest, 1)
    usable = CHART_HEIGHT - CHART_TOP - 20
    bars = []
    for index, bar in enumerate(day_chart.bars):
        height = round(usable * bar.count / highest, 1)
        bars.append(
            {
                "x": index * BAR_WIDTH,
                "y": round(CHART_TOP + usable - height, 1),
                "height": height,
                "count": bar.count,
                "start": bar.start,
            }
        )
    labels = [
        {"x": index * BAR_WIDTH, "text": f"{bar.start:%H:%M}"}
        for index, bar in enumerate(day_chart.bars)
        if bar.start.minute == 0 and bar.start.hour % 2 == 0
    ]
    return {
        "day": day_chart.day,
        "total": day_chart.total,
        "highest": day_chart.highest,
        "width": len(day_chart.bars) * BAR_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_TOP + usable,
        "label_y": CHART_HEIGHT - 6,
        "bars": bars,
        "labels": labels,
    }


@can_check_in
def figures(request, event):
    """Checked in so far against tickets sold, per ticket type, and check-ins per quarter hour."""
    event = request.event
    types = queries.figures_by_type(event)
    sold = sum(t.sold for t in types)
    arrived = sum(t.checked_in for t in types)
    return render(
        request,
        "orga/checkin/figures.html",
        {
            "event": event,
            "types": types,
            "sold": sold,
            "arrived": arrived,
            "percent": round(100 * arrived / sold) if sold else 0,
            "charts": [_chart(chart) for chart in queries.check_ins_per_quarter(event)],
            "now": timezone.now(),
        },
    )
