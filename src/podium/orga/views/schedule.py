"""The schedule editor (a grid per day with drag and drop, and a form per session for the keyboard),
breaks, and the release page.

A drop in the editor posts to `place` or `unschedule`; when the request comes from the editor's
script (header `X-Podium-Fragment: 1`, podium.orga.fragments) the answer is the editor re-rendered
from the database, with the service's message, so a refused move always shows the schedule as it is
now. A plain POST redirects back to the editor with a message.
"""

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from podium.attendance.queries import star_counts
from podium.base.errors import ServiceError, StaleEdit, apply_error
from podium.orga.access import event_permission
from podium.orga.forms.schedule import (
    BreakForm,
    PlaceForm,
    ReleaseForm,
    SlotForm,
    UnscheduleForm,
    parse_day,
)
from podium.orga.fragments import wants_fragment
from podium.orga.views import solver as solver_views
from podium.proposals.states import SCHEDULABLE
from podium.schedule import changelog, queries, services
from podium.schedule.conflicts import ERROR, INFO, SEVERITY_ORDER, WARNING, find_conflicts
from podium.schedule.grid import build_grid
from podium.schedule.models import SlotKind
from podium.schedule.snapshot import preview_release

can_schedule = event_permission("can_schedule")

GRID_STEP_MINUTES = 15
# The editor shows at least this part of a day, so there is room to drop sessions on an empty day.
WORKING_DAY = (dt.time(8), dt.time(20))
SEVERITY_GROUPS = [(ERROR, "Errors", "error"), (WARNING, "Warnings", "warning"), (INFO, "Notes", "note")]


def _form_error_text(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _slot_of(event, proposal):
    return event.slots.filter(proposal=proposal).select_related("room").first()


def _grid_bounds(event, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """08:00 to 20:00 of the day, kept inside the conference day (which starts at day_start_hour)."""
    day_start, day_end = event.day_range(day)
    start = max(day_start, dt.datetime.combine(day, WORKING_DAY[0], tzinfo=event.tz))
    end = dt.datetime.combine(day, WORKING_DAY[1], tzinfo=event.tz)
    if end <= start:
        end = start + dt.timedelta(hours=12)
    return start, min(end, day_end)


def _summary(conflicts) -> tuple[list[dict], dict[str, str]]:
    """Conflicts grouped by severity, and {proposal code: most severe severity} of the sessions involved."""
    groups = [
        {
            "severity": severity,
            "label": label,
            "noun": noun,
            "items": [c for c in conflicts if c.severity == severity],
        }
        for severity, label, noun in SEVERITY_GROUPS
    ]
    involved: dict[str, str] = {}
    for conflict in conflicts:
        for code in conflict.codes:
            known = involved.get(code)
            if known is None or SEVERITY_ORDER[conflict.severity] < SEVERITY_ORDER[known]:
                involved[code] = conflict.severity
    return groups, involved


def _editor_context(event, day: dt.date) -> dict:
    """Everything the editor shows for one day, in a fixed number of queries."""
    rooms = list(event.rooms.all())
    slots = list(queries.placed_slots(event))
    conflicts = find_conflicts(event, slots)
    groups, involved = _summary(conflicts)
    stars = star_counts(event)
    day_start, day_end = event.day_range(day)
    todays = [slot for slot in slots if slot.start < day_end and slot.end > day_start]
    for slot in todays:
        if slot.proposal_id:
            slot.proposal.star_count = stars.get(slot.proposal_id, 0)
            slot.conflict = involved.get(slot.proposal.code, "")
    grid = build_grid(
        todays,
        rooms,
        column_of=lambda slot: slot.room_id,
        tz=event.tz,
        step=GRID_STEP_MINUTES,
        bounds=_grid_bounds(event, day),
    )
    for row in grid.rows:
        for cell in row.cells:
            if cell.item is None:
                cell.iso = cell.start.astimezone(dt.UTC).isoformat()
    unscheduled = list(queries.unscheduled_proposals(event))
    for proposal in unscheduled:
        slot = getattr(proposal, "slot", None)  # a reverse one-to-one without a row raises AttributeError
        proposal.slot_version = slot.version if slot else 0
        proposal.star_count = stars.get(proposal.pk, 0)
    return {
        "event": event,
        "day": day,
        "rooms": rooms,
        "grid": grid,
        "unscheduled": unscheduled,
        "conflict_groups": groups,
        "conflict_count": len(conflicts),
        "placed_count": sum(1 for slot in slots if slot.kind == SlotKind.SESSION),
    }


def _editor_url(event, day: dt.date | None) -> str:
    url = reverse("orga:schedule", kwargs={"event": event.slug})
    return f"{url}?day={day.isoformat()}" if day else url


def _fragment(request, day, *, error: str = "", notice: str = "", status: int = 200):
    """The editor's main container as it is now in the database, with the outcome of the request."""
    context = _editor_context(request.event, day) | {"error": error, "notice": notice}
    return render(request, "orga/schedule/_editor.html", context, status=status)


def _answer(request, day, *, error: str = "", notice: str = "", status: int = 200):
    """The editor fragment for the editor's script, else a redirect to the editor with a message."""
    if wants_fragment(request):
        return _fragment(request, day, error=error, notice=notice, status=status)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect(_editor_url(request.event, day))


# --- The editor ------------------------------------------------------------------------------------


@can_schedule
def editor(request, event):
    """One day of the draft as a grid, the sessions not on it yet, and the conflicts."""
    event = request.event
    day = parse_day(event, request.GET.get("day"))
    if day is None:
        day = event.days[0]
        if request.GET.get("day"):
            messages.warning(request, f"The event has no day “{request.GET['day']}”; showing its first day.")
    context = _editor_context(event, day) | solver_views.solver_panel(event, day=day)
    context["days"] = [{"day": d, "url": _editor_url(event, d), "current": d == day} for d in event.days]
    return render(request, "orga/schedule/editor.html", context)


@can_schedule
@require_POST
def place(request, event):
    """Place or move a session (a drop on the grid): code, version, room, start (ISO 8601)."""
    event = request.event
    day = parse_day(event, request.POST.get("day")) or event.days[0]
    form = PlaceForm(request.POST, event=event)
    if not form.is_valid():
        return _answer(request, day, error=_form_error_text(form), status=400)
    proposal = get_object_or_404(
        event.proposals.select_related("session_type"), code=form.cleaned_data["code"]
    )
    try:
        slot = services.place_session(
            event=event,
            proposal=proposal,
            room=form.cleaned_data["room"],
            start=form.cleaned_data["start"],
            version=form.cleaned_data["version"],
            by=request.user,
        )
    except ServiceError as exc:
        return _answer(request, day, error=exc.message, status=409)
    where = f"{slot.room.name}, {services.span(event, slot.start, slot.end)}"
    return _answer(request, event.conference_day(slot.start), notice=f"“{proposal.title}” is now in {where}.")


@can_schedule
@require_POST
def unschedule(request, event):
    """Take a session off the grid (a drop on the list of unscheduled sessions): code, version."""
    event = request.event
    day = parse_day(event, request.POST.get("day")) or event.days[0]
    form = UnscheduleForm(request.POST)
    if not form.is_valid():
        return _answer(request, day, error=_form_error_text(form), status=400)
    proposal = get_object_or_404(event.proposals, code=form.cleaned_data["code"])
    try:
        services.unschedule_session(
            event=event, proposal=proposal, version=form.cleaned_data["version"], by=request.user
        )
    except ServiceError as exc:
        return _answer(request, day, error=exc.message, status=409)
    return _answer(request, day, notice=f"“{proposal.title}” is off the schedule.")


@can_schedule
def session_slot(request, event, code):
    """Place, move or remove one session with a form (the editor without drag and drop).

    A stale version shows where the session is now, with the form filled from there.
    """
    event = request.event
    proposal = get_object_or_404(event.proposals.select_related("session_type", "track"), code=code)
    slot = _slot_of(event, proposal)
    if request.method != "POST":
        form = SlotForm(initial=SlotForm.initial_for(event, slot), event=event)
    elif "remove" in request.POST:
        form, done = _remove_session(request, proposal, slot)
        if done:
            return redirect(
                _editor_url(event, event.conference_day(slot.start) if slot and slot.start else None)
            )
    else:
        form = SlotForm(request.POST, event=event)
        if form.is_valid():
            try:
                slot = services.place_session(
                    event=event,
                    proposal=proposal,
                    room=form.cleaned_data["room"],
                    start=form.start(),
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except StaleEdit as exc:
                slot = _slot_of(event, proposal)
                form = SlotForm(initial=SlotForm.initial_for(event, slot), event=event)
                form.show_conflict(exc.message)
            except ServiceError as exc:
                apply_error(form, exc, {"start": "time"})
            else:
                where = f"{slot.room.name}, {services.span(event, slot.start, slot.end)}"
                messages.success(request, f"“{proposal.title}” is now in {where}.")
                return redirect(_editor_url(event, event.conference_day(slot.start)))
    placed = slot is not None and slot.start is not None
    return render(
        request,
        "orga/schedule/slot.html",
        {
            "event": event,
            "proposal": proposal,
            "slot": slot if placed else None,
            "where": services.span(event, slot.start, slot.end) if placed else "",
            "schedulable": proposal.state in SCHEDULABLE,
            "back_url": _editor_url(event, event.conference_day(slot.start) if placed else None),
            "form": form,
        },
    )


def _remove_session(request, proposal, slot):
    """The "Remove from the schedule" button of the session form: (form to show, whether it worked)."""
    event = request.event
    version = UnscheduleForm({"code": proposal.code, "version": request.POST.get("version")})
    try:
        if not version.is_valid():
            raise StaleEdit("This page is out of date. Reload it and make your change again.")
        services.unschedule_session(
            event=event, proposal=proposal, version=version.cleaned_data["version"], by=request.user
        )
    except ServiceError as exc:
        current = _slot_of(event, proposal)
        form = SlotForm(initial=SlotForm.initial_for(event, current), event=event)
        form.show_conflict(exc.message)
        return form, False
    messages.success(request, f"“{proposal.title}” is off the schedule.")
    return None, True


# --- Breaks ----------------------------------------------------------------------------------------


def _break_page(request, slot=None):
    """Create or change a break. A stale version shows the break as stored, with the conflict above."""
    event = request.event
    if request.method == "POST":
        form = BreakForm(request.POST, event=event, slot=slot)
        conflict = None
        if form.is_valid():
            try:
                saved = services.save_break(
                    event=event,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    room=form.cleaned_data["room"],
                    start=form.moment("start"),
                    end=form.moment("end"),
                    slot=slot,
                    version=form.cleaned_data.get("version") or 0,
                )
            except StaleEdit as exc:
                conflict = exc.message
            except ServiceError as exc:
                apply_error(form, exc)
            else:
                where = saved.room.name if saved.room_id else "every room"
                messages.success(
                    request,
                    f"The break “{saved.title}” is saved: {where}, {services.span(event, saved.start, saved.end)}.",
                )
                return redirect(_editor_url(event, event.conference_day(saved.start)))
        if conflict:
            slot = event.slots.filter(pk=slot.pk).select_related("room").first()
            if slot is None:
                messages.error(request, conflict)
                return redirect(_editor_url(event, None))
            form = BreakForm(initial=BreakForm.initial_for(event, slot), event=event, slot=slot)
            form.show_conflict(conflict)
    elif slot is not None:
        form = BreakForm(initial=BreakForm.initial_for(event, slot), event=event, slot=slot)
    else:
        day = parse_day(event, request.GET.get("day")) or event.days[0]
        form = BreakForm(initial={"day": day.isoformat()}, event=event)
    back = _editor_url(event, event.conference_day(slot.start) if slot else None)
    return render(
        request,
        "orga/schedule/break_form.html",
        {"event": event, "form": form, "slot": slot, "back_url": back},
    )


def _event_break(event, pk):
    return get_object_or_404(event.slots.filter(kind="break").select_related("room"), pk=pk)


@can_schedule
def break_new(request, event):
    return _break_page(request)


@can_schedule
def break_edit(request, event, pk):
    return _break_page(request, _event_break(request.event, pk))


@can_schedule
@require_POST
def break_delete(request, event, pk):
    event = request.event
    slot = _event_break(event, pk)
    day = event.conference_day(slot.start)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1  # an out-of-date or hand-made form: refused as stale below
    try:
        services.delete_break(event=event, slot=slot, version=version, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The break “{slot.title}” was deleted.")
    return redirect(_editor_url(event, day))


# --- Releases --------------------------------------------------------------------------------------


def _published_message(release, notices: int) -> str:
    counts = release.counts()
    parts = ", ".join(f"{counts[kind]} {kind}" for kind in changelog.KINDS)
    noun = "notice" if notices == 1 else "notices"
    return f"Release {release.name} published: {parts}. {notices} speaker {noun} queued."


@can_schedule
def release(request, event):
    """What publishing now would change, the conflicts, past releases, and the form to publish."""
    event = request.event
    latest = queries.latest_release(event)
    next_version = latest.version + 1 if latest else 1
    form = ReleaseForm(request.POST or None, next_version=next_version)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.publish_release(
                event=event,
                by=request.user,
                name=form.cleaned_data["name"],
                comment=form.cleaned_data["comment"],
            )
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _published_message(published, published.notices.get("speakers", 0)))
            return redirect("orga:schedule_release", event=event.slug)
    changes, changed = preview_release(event)
    counts = dict.fromkeys(changelog.KINDS, 0)
    for change in changes:
        counts[change["kind"]] += 1
    conflicts = find_conflicts(event)
    groups, _ = _summary(conflicts)
    return render(
        request,
        "orga/schedule/release.html",
        {
            "event": event,
            "form": form,
            "latest": latest,
            "changes": changelog.readable(changes),
            "counts": [(changelog.KIND_LABELS[kind], counts[kind]) for kind in changelog.KINDS],
            "changed": changed,
            "conflict_groups": groups,
            "conflict_count": len(conflicts),
            "error_count": sum(1 for c in conflicts if c.severity == ERROR),
            "releases": event.releases.select_related("published_by").order_by("-version"),
        },
    )
