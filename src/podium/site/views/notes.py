"""An attendee's notes: written under a talk, listed for the whole conference, downloaded as Markdown."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from podium.attendance import services
from podium.attendance.models import Note
from podium.attendance.queries import NoteEntry, notes_in_program_order, public_talks
from podium.base.forms import save_form
from podium.base.permissions import login_required
from podium.schedule.queries import latest_release
from podium.site.forms import NoteForm
from podium.site.views.common import public_event
from podium.site.views.program import render_talk


def _talk_url(event, code: str) -> str:
    return reverse("site:talk", kwargs={"event": event.slug, "code": code})


@login_required
def note(request, event, code):
    """POST: save the visitor's note on a talk (empty text deletes it), or `delete` it. Errors show on
    the talk page with what was typed."""
    event = public_event(event)
    code = code.upper()
    proposal = public_talks(event).filter(code=code).first()
    if proposal is None:
        raise Http404("There is no public session with this code.")
    if request.method != "POST":
        return redirect(_talk_url(event, code) + "#note")
    if request.POST.get("delete"):
        existing = Note.objects.filter(user=request.user, proposal=proposal).first()
        if existing is not None:
            services.delete_note(note=existing, by=request.user)
        messages.success(request, _("Your note was deleted."))
        return redirect(_talk_url(event, code) + "#note")
    written = {}

    def save(form):
        written["note"] = services.save_note(
            proposal=proposal,
            by=request.user,
            text=form.cleaned_data["text"],
            shared=form.cleaned_data["shared"],
        )
        return True

    form, saved = save_form(NoteForm(request.POST), save)
    if not saved:
        return render_talk(request, event, latest_release(event), code, note_form=form)
    if written["note"] is None:
        messages.success(request, _("Your note was deleted."))
    elif written["note"].shared:
        messages.success(request, _("Your note was saved and is shown under the talk."))
    else:
        messages.success(request, _("Your note was saved. Only you can see it."))
    return redirect(_talk_url(event, code) + "#note")


@login_required
def notes(request, event):
    """Every note of the visitor on this conference, in program order."""
    event = public_event(event)
    release = latest_release(event)
    return render(
        request,
        "site/notes.html",
        {"event": event, "release": release, "entries": notes_in_program_order(event, request.user, release)},
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _when(entry: NoteEntry, event, release) -> str:
    session = entry.session
    if session is None:
        return _("Not scheduled yet") if release is None else _("Not on the published program")
    start = timezone.localtime(session.start, event.tz)
    end = timezone.localtime(session.end, event.tz)
    room = session.room_name or _("All rooms")
    times = f"{format_date(start, 'l j F Y, H:i')}–{format_date(end, 'H:i')}"  # noqa: RUF001 - a range
    return f"{times} ({event.timezone}) · {room}"


def notes_document(request, event, release, entries: list[NoteEntry]) -> str:
    """The notes as one Markdown document: per talk its title, speakers, day, time and room, its
    address, then the note as it was written."""
    lines = ["# " + _("My notes on %(event)s") % {"event": _one_line(event.name)}, ""]
    for entry in entries:
        lines += [f"## {_one_line(entry.title)}", ""]
        if entry.speakers:
            lines.append(_("Speakers: %(names)s") % {"names": _one_line(", ".join(entry.speakers))} + "  ")
        lines.append(_("When: %(when)s") % {"when": _when(entry, event, release)} + "  ")
        lines += [f"<{request.build_absolute_uri(_talk_url(event, entry.code))}>", ""]
        lines += [entry.note.text.strip(), ""]
    if not entries:
        lines += [_("No notes yet."), ""]
    return "\n".join(lines)


@login_required
def notes_markdown(request, event):
    """The visitor's notes on this conference as a Markdown file, in program order."""
    event = public_event(event)
    release = latest_release(event)
    document = notes_document(request, event, release, notes_in_program_order(event, request.user, release))
    response = HttpResponse(document.encode(), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-notes.md"'
    response["Cache-Control"] = "private, no-store"
    return response
