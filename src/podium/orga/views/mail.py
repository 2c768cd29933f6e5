"""The event's outbox: decision mails held for review, and every other mail with its status."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError
from podium.mail import about
from podium.mail.models import MailStatus
from podium.orga.access import event_permission
from podium.reviews import services as review_services

MAILS_PER_PAGE = 50


@event_permission("can_send_mail", "can_edit_event")
def outbox(request, event):
    event = request.event
    held = list(review_services.pending_decision_mails(event))
    proposal_ids = {about.decision_proposal_id(mail.about) for mail in held}
    proposals = {p.pk: p for p in event.proposals.filter(pk__in=proposal_ids).select_related("session_type")}
    groups = []
    for mail in held:
        proposal = proposals[about.decision_proposal_id(mail.about)]
        if not groups or groups[-1]["proposal"] != proposal:
            groups.append({"proposal": proposal, "mails": []})
        groups[-1]["mails"].append(mail)
    others = event.mails.exclude(status__in=[MailStatus.HELD, MailStatus.DISCARDED]).order_by(
        "-created", "-pk"
    )
    return render(
        request,
        "orga/mail/outbox.html",
        {
            "event": event,
            "groups": groups,
            "held_count": len(held),
            "pending_count": event.proposals.exclude(pending_state="").count(),
            "page": Paginator(others, MAILS_PER_PAGE).get_page(request.GET.get("page")),
            "can_send": request.permissions.can_edit_event,
        },
    )


@event_permission("can_edit_event")
@require_POST
def send_decisions(request, event):
    """Apply every pending decision and send its held mails."""
    try:
        count = review_services.send_decision_notifications(event=request.event, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(n)s decision sent to the speakers.", "%(n)s decisions sent to the speakers.", count
                )
                % {"n": count},
            )
        else:
            messages.info(request, _("There were no pending decisions to send."))
    return redirect("orga:outbox", event=request.event.slug)
