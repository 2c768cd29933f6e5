"""Webhook pages: the event's endpoints, their secrets, a test ping and the delivery log.

Endpoints and deliveries are loaded through `request.event`, so another event's id is a 404.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.webhooks import EndpointForm
from podium.webhooks import services
from podium.webhooks.models import DeliveryStatus

can_edit_event = event_permission("can_edit_event")
LOG_SIZE = 50


def _endpoint(request, pk):
    return get_object_or_404(request.event.webhook_endpoints, pk=pk)


@can_edit_event
def webhooks(request, event):
    endpoints = request.event.webhook_endpoints.annotate(
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        waiting=Count(
            "deliveries", filter=Q(deliveries__status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING])
        ),
    )
    return render(request, "orga/webhooks/list.html", {"event": request.event, "endpoints": endpoints})


@can_edit_event
def webhook_new(request, event):
    event = request.event
    posted = request.method == "POST"
    form = EndpointForm(request.POST) if posted else EndpointForm(initial={"is_active": True})
    if posted:
        form, endpoint = save_form(
            form,
            lambda form: services.register_endpoint(
                event=event,
                by=request.user,
                url=form.cleaned_data["url"],
                kinds=form.cleaned_data["kinds"],
                is_active=form.cleaned_data["is_active"],
            ),
        )
        if endpoint:
            messages.success(request, _("The webhook was added. Copy its secret to verify the signatures."))
            return redirect("orga:webhook_edit", event=event.slug, pk=endpoint.pk)
    return render(request, "orga/webhooks/form.html", {"event": event, "form": form, "endpoint": None})


@can_edit_event
def webhook_edit(request, event, pk):
    """Edit an endpoint; it also shows the secret. A stale version shows the stored values instead."""
    event, endpoint = request.event, _endpoint(request, pk)
    if request.method == "POST":
        form, saved = save_form(
            EndpointForm(request.POST),
            lambda form: services.update_endpoint(
                event=event,
                endpoint=endpoint,
                by=request.user,
                url=form.cleaned_data["url"],
                kinds=form.cleaned_data["kinds"],
                is_active=form.cleaned_data["is_active"],
                version=form.cleaned_data["version"],
            ),
            reload=lambda: EndpointForm(initial=EndpointForm.initial_for(endpoint)),
            refresh=endpoint,
        )
        if saved:
            messages.success(request, _("The webhook was saved."))
            return redirect("orga:webhooks", event=event.slug)
    else:
        form = EndpointForm(initial=EndpointForm.initial_for(endpoint))
    return render(request, "orga/webhooks/form.html", {"event": event, "form": form, "endpoint": endpoint})


@can_edit_event
@require_POST
def webhook_rotate_secret(request, event, pk):
    endpoint = services.rotate_secret(event=request.event, endpoint=_endpoint(request, pk), by=request.user)
    messages.success(request, _("A new secret was made; deliveries from now on are signed with it."))
    return redirect("orga:webhook_edit", event=request.event.slug, pk=endpoint.pk)


@can_edit_event
def webhook_delete(request, event, pk):
    """GET asks for confirmation; POST deletes the endpoint with its delivery log."""
    endpoint = _endpoint(request, pk)
    if request.method == "POST":
        services.delete_endpoint(event=request.event, endpoint=endpoint, by=request.user)
        messages.success(request, _("The webhook to %(url)s was deleted.") % {"url": endpoint.url})
        return redirect("orga:webhooks", event=request.event.slug)
    return render(request, "orga/webhooks/delete.html", {"event": request.event, "endpoint": endpoint})


@can_edit_event
@require_POST
def webhook_ping(request, event, pk):
    endpoint = _endpoint(request, pk)
    services.send_ping(event=request.event, endpoint=endpoint, by=request.user)
    messages.success(request, _("A test ping was queued; its outcome is in the log below."))
    return redirect("orga:webhook_deliveries", event=request.event.slug, pk=endpoint.pk)


@can_edit_event
def webhook_deliveries(request, event, pk):
    """The latest deliveries of one endpoint: status, response code, attempts, next retry, last error."""
    endpoint = _endpoint(request, pk)
    deliveries = endpoint.deliveries.order_by("-created", "-pk")[:LOG_SIZE]
    return render(
        request,
        "orga/webhooks/deliveries.html",
        {"event": request.event, "endpoint": endpoint, "deliveries": deliveries, "log_size": LOG_SIZE},
    )
