"""The schedule editor (a grid per day with drag and drop, and a form per session for the keyboard),
breaks, and the release page.

A drop in the editor posts to `place` or `unschedule`; when the request comes from the editor's
script (header `X-Podium-Fragment: 1`, podium.orga.fragments) the answer is the editor re-rendered
from the database, with the service's message, so a refused move always shows the schedule as it is
now. A plain POST redirects back to the editor with a message.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from podium.base.bidi import isolated
from podium.base.errors import ServiceError, StaleEdit
from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.schedule import (
    BreakForm,
    PinForm,
    PlaceForm,
    ReleaseForm,
    SlotForm,
    UnscheduleForm,
    parse_day,
)
from podium.orga.fragments import wants_fragment
from podium.orga.schedule_editor import conflict_summary, editor_context, editor_page, editor_url
from podium.proposals.states import SCHEDULABLE
from podium.schedule import changelog, queries, services
from podium.schedule.conflicts import ERROR, find_conflicts
from podium.schedule.snapshot import preview_release

can_schedule = event_permission("can_schedule")


def _form_error_text(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _slot_of(event, proposal):
    return event.slots.filter(proposal=proposal).select_related("room").first()


def _fragment(request, day, *, error: str = "", notice: str = "", status: int = 200):
    """The editor's main container as it is now in the database, with the outcome of the request."""
    context = editor_context(request.event, day) | {"error": error, "notice": notice}
    return render(request, "orga/schedule/_editor.html", context, status=status)


def _answer(request, day, *, error: str = "", notice: str = "", status: int = 200):
    """The editor fragment for the editor's script, else a redirect to the editor with a message."""
    if wants_fragment(request):
        return _fragment(request, day, error=error, notice=notice, status=status)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect(editor_url(request.event, day))


# --- The editor ------------------------------------------------------------------------------------


@can_schedule
def editor(request, event):
    """One day of the draft as a grid, the sessions not on it yet, and the conflicts."""
    event = request.event
    day = parse_day(event, request.GET.get("day"))
    if day is None:
        day = event.days[0]
        if request.GET.get("day"):
            messages.warning(
                request,
                _("The event has no day “%(day)s”; showing its first day.") % {"day": request.GET["day"]},
            )
    return render(request, "orga/schedule/editor.html", editor_page(event, day))


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
    notice = _("“%(title)s” is now in %(where)s.") % {"title": proposal.title, "where": where}
    return _answer(request, event.conference_day(slot.start), notice=notice)


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
    return _answer(
        request, day, notice=_("“%(title)s” is off the schedule.") % {"title": isolated(proposal.title)}
    )


def _pin_notice(proposal, slot) -> str:
    if slot.pinned:
        return _("“%(title)s” is pinned: automatic scheduling leaves it where it is.") % {
            "title": proposal.title
        }
    return _("“%(title)s” is unpinned: automatic scheduling may move it.") % {
        "title": isolated(proposal.title)
    }


@can_schedule
@require_POST
def pin(request, event):
    """Pin or unpin a session where it is (the editor's pin buttons): code, version, pinned (1 or 0)."""
    event = request.event
    day = parse_day(event, request.POST.get("day")) or event.days[0]
    form = PinForm(request.POST)
    if not form.is_valid():
        return _answer(request, day, error=_form_error_text(form), status=400)
    proposal = get_object_or_404(event.proposals, code=form.cleaned_data["code"])
    try:
        slot = services.set_pinned(
            event=event,
            proposal=proposal,
            pinned=form.cleaned_data["pinned"],
            version=form.cleaned_data["version"],
            by=request.user,
        )
    except ServiceError as exc:
        return _answer(request, day, error=exc.message, status=409)
    return _answer(request, day, notice=_pin_notice(proposal, slot))


@can_schedule
def session_slot(request, event, code):
    """Place, move or remove one session with a form (the editor without drag and drop).

    A stale version shows where the session is now, with the form filled from there.
    """
    event = request.event
    proposal = get_object_or_404(event.proposals.select_related("session_type", "track"), code=code)
    slot = _slot_of(event, proposal)
    if request.method != "POST":
        form = _slot_form(event, slot)
    elif "remove" in request.POST:
        form, done = _remove_session(request, proposal, slot)
        if done:
            return redirect(
                editor_url(event, event.conference_day(slot.start) if slot and slot.start else None)
            )
    elif "pinned" in request.POST:
        form, done = _pin_session(request, proposal)
        if done:
            return redirect(request.path)
        slot = _slot_of(event, proposal)
    else:

        def stored():  # where the session is now: the page shows it above the form
            nonlocal slot
            slot = _slot_of(event, proposal)
            return _slot_form(event, slot)

        form, saved = save_form(
            SlotForm(request.POST, event=event),
            lambda form: services.place_session(
                event=event,
                proposal=proposal,
                room=form.cleaned_data["room"],
                start=form.start(),
                version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=stored,
            fields={"start": "time"},
        )
        if saved:
            where = f"{saved.room.name}, {services.span(event, saved.start, saved.end)}"
            messages.success(
                request, _("“%(title)s” is now in %(where)s.") % {"title": proposal.title, "where": where}
            )
            return redirect(editor_url(event, event.conference_day(saved.start)))
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
            "back_url": editor_url(event, event.conference_day(slot.start) if placed else None),
            "form": form,
        },
    )


def _slot_form(event, slot):
    """The session form filled with where the session is now (`slot`, None when it has none)."""
    return SlotForm(initial=SlotForm.initial_for(event, slot), event=event)


def _pin_session(request, proposal):
    """The "Pin here" and "Unpin" buttons of the session form: (form to show, whether it worked).

    A refusal (a stale version, a session not on the schedule) shows the form as the session is now,
    with the reason above it."""
    event = request.event
    pin_form = PinForm({**request.POST.dict(), "code": proposal.code})
    try:
        if not pin_form.is_valid():
            raise StaleEdit(_("This page is out of date. Reload it and make your change again."))
        slot = services.set_pinned(
            event=event,
            proposal=proposal,
            pinned=pin_form.cleaned_data["pinned"],
            version=pin_form.cleaned_data["version"],
            by=request.user,
        )
    except ServiceError as exc:
        form = _slot_form(event, _slot_of(event, proposal))
        form.show_conflict(exc.message)
        return form, False
    messages.success(request, _pin_notice(proposal, slot))
    return None, True


def _remove_session(request, proposal, slot):
    """The "Remove from the schedule" button of the session form: (form to show, whether it worked)."""
    event = request.event
    version = UnscheduleForm({"code": proposal.code, "version": request.POST.get("version")})
    try:
        if not version.is_valid():
            raise StaleEdit(_("This page is out of date. Reload it and make your change again."))
        services.unschedule_session(
            event=event, proposal=proposal, version=version.cleaned_data["version"], by=request.user
        )
    except ServiceError as exc:
        form = _slot_form(event, _slot_of(event, proposal))
        form.show_conflict(exc.message)
        return form, False
    messages.success(request, _("“%(title)s” is off the schedule.") % {"title": isolated(proposal.title)})
    return None, True


# --- Breaks ----------------------------------------------------------------------------------------


def _break_page(request, slot=None):
    """Create or change a break. A stale version shows the break as stored, with the conflict above."""
    event = request.event
    if request.method == "POST":

        def stored():  # the break as it is now; None when it was deleted
            nonlocal slot
            slot = event.slots.filter(pk=slot.pk).select_related("room").first()
            return _break_form(event, slot) if slot else None

        try:
            form, saved = save_form(
                BreakForm(request.POST, event=event, slot=slot),
                lambda form: services.save_break(
                    event=event,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    room=form.cleaned_data["room"],
                    start=form.moment("start"),
                    end=form.moment("end"),
                    slot=slot,
                    version=form.cleaned_data.get("version") or 0,
                ),
                reload=stored,
            )
        except StaleEdit as exc:  # the break is gone
            messages.error(request, exc.message)
            return redirect(editor_url(event, None))
        if saved:
            where = saved.room.name if saved.room_id else _("every room")
            messages.success(
                request,
                _("The break “%(title)s” is saved: %(where)s, %(when)s.")
                % {
                    "title": saved.title,
                    "where": where,
                    "when": services.span(event, saved.start, saved.end),
                },
            )
            return redirect(editor_url(event, event.conference_day(saved.start)))
    elif slot is not None:
        form = _break_form(event, slot)
    else:
        day = parse_day(event, request.GET.get("day")) or event.days[0]
        form = BreakForm(initial={"day": day.isoformat()}, event=event)
    back = editor_url(event, event.conference_day(slot.start) if slot else None)
    return render(
        request,
        "orga/schedule/break_form.html",
        {"event": event, "form": form, "slot": slot, "back_url": back},
    )


def _break_form(event, slot):
    return BreakForm(initial=BreakForm.initial_for(event, slot), event=event, slot=slot)


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
        messages.success(request, _("The break “%(title)s” was deleted.") % {"title": isolated(slot.title)})
    return redirect(editor_url(event, day))


# --- Releases --------------------------------------------------------------------------------------


def _published_message(release, notices: int) -> str:
    counts = release.counts()
    parts = ", ".join(f"{counts[kind]} {changelog.KIND_LABELS[kind].lower()}" for kind in changelog.KINDS)
    queued = ngettext("%(count)s speaker notice queued.", "%(count)s speaker notices queued.", notices) % {
        "count": notices
    }
    return _("Release %(name)s published: %(parts)s.") % {"name": release.name, "parts": parts} + " " + queued


@can_schedule
def release(request, event):
    """What publishing now would change, the conflicts, past releases, and the form to publish."""
    event = request.event
    latest = queries.latest_release(event)
    next_version = latest.version + 1 if latest else 1
    form = ReleaseForm(request.POST or None, next_version=next_version)
    if request.method == "POST":
        form, published = save_form(
            form,
            lambda form: services.publish_release(
                event=event,
                by=request.user,
                name=form.cleaned_data["name"],
                comment=form.cleaned_data["comment"],
            ),
        )
        if published:
            messages.success(request, _published_message(published, published.notices.get("speakers", 0)))
            return redirect("orga:schedule_release", event=event.slug)
    changes, changed = preview_release(event)
    counts = dict.fromkeys(changelog.KINDS, 0)
    for change in changes:
        counts[change["kind"]] += 1
    conflicts = find_conflicts(event)
    groups, _ = conflict_summary(conflicts)
    return render(
        request,
        "orga/schedule/release.html",
        {
            "event": event,
            "form": form,
            "latest": latest,
            "changes": changelog.readable(changes, event.tz),
            "counts": [(kind, changelog.KIND_LABELS[kind], counts[kind]) for kind in changelog.KINDS],
            "changed": changed,
            "conflict_groups": groups,
            "conflict_count": len(conflicts),
            "error_count": sum(1 for c in conflicts if c.severity == ERROR),
            "releases": event.releases.select_related("published_by").order_by("-version"),
            "release_check": services.release_check(event),
        },
    )
