"""Import a schedule file into an event: upload, read the dry-run report, then confirm."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError
from podium.interop import services
from podium.orga.access import event_permission
from podium.orga.forms.imports import ImportApplyForm, ImportUploadForm

can_edit_event = event_permission("can_edit_event")


@can_edit_event
def event_import(request, event):
    """GET: the upload form. POST: a dry run of the uploaded file, shown with a confirm button."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"event": request.event, "form": form}
    if request.method == "POST" and form.is_valid():
        data, fmt = form.cleaned_data["file"], form.cleaned_data["format"] or None
        time_zone = form.cleaned_data["timezone"] or None
        allow_partial = form.cleaned_data["allow_partial"]
        try:
            report = services.import_program(
                data=data, by=request.user, event=request.event, fmt=fmt, dry_run=True,
                time_zone=time_zone, allow_partial=allow_partial,
            )  # fmt: skip
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            token = services.stage_upload(event=request.event, data=data)
            context["report"] = report
            # The file names no zone and none was chosen: the preview asks to check the event's.
            context["ask_zone"] = report.time_zone_source == "event"
            context["apply_form"] = ImportApplyForm(
                initial={"token": token, "format": fmt or "", "timezone": time_zone or "",
                         "allow_partial": allow_partial}
            )  # fmt: skip
            return render(request, "orga/interop/import_preview.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "orga/interop/import.html", context, status=status)


@can_edit_event
@require_POST
def event_import_apply(request, event):
    """Apply a previewed upload for real and show what it did."""
    form = ImportApplyForm(request.POST)
    context = {"event": request.event, "form": ImportUploadForm()}
    if not form.is_valid():
        context["error"] = _("This upload is unknown or has expired; upload the file again.")
        return render(request, "orga/interop/import.html", context, status=400)
    try:
        report = services.apply_staged_upload(
            event=request.event, token=form.cleaned_data["token"], by=request.user,
            fmt=form.cleaned_data["format"] or None, time_zone=form.cleaned_data["timezone"] or None,
            allow_partial=form.cleaned_data["allow_partial"],
        )  # fmt: skip
    except ServiceError as exc:
        context["error"] = exc.message
        return render(request, "orga/interop/import.html", context, status=400)
    return render(request, "orga/interop/import_done.html", {"event": request.event, "report": report})
