"""The ticket shop and a visitor's orders.

- `/<event>/tickets/`: the ticket types the visitor may buy (public ones, those a voucher unlocks,
  those of a group they belong to), with price, seats left and sale window; anyone may look.
- `/<event>/tickets/order/?qty-<type id>=n`: one block per ticket (attendee and answers), placed with
  `registration.services.place_order` under an idempotency key, so a double submit makes one order.
- `/<event>/orders/…`: the visitor's own orders (anyone else's answer 404), a ticket's PDF once paid,
  another name on a ticket until the cut-off, cancelling where the rules allow.
- `/<event>/tickets/offer/<token>/`: a seat offered from the waiting list, taken up with its form.

What a visitor may do is decided by registration.rules and the services; these views ask and show.
"""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.bidi import isolated
from podium.base.errors import NotAllowed, ServiceError
from podium.base.forms import save_form
from podium.base.permissions import login_required, public
from podium.registration import pdf, rules, services, waiting_list
from podium.registration.answers import event_questions
from podium.registration.enums import ACTIVE_WAITING, OrderState, WaitingState
from podium.registration.models import Answer, TicketType, WaitingListEntry
from podium.registration.orders import discounted
from podium.registration.queries import orders_of, settings_for, usable_voucher
from podium.registration.tickets import pdf_filename
from podium.schedule.queries import latest_release
from podium.site.order_forms import ChangeAttendeeForm, OfferForm, OrderForm
from podium.site.views.common import public_event

QUANTITY = "qty-"
ON_SALE, NOT_YET, ENDED = "on_sale", "not_yet", "ended"
ATTENDEE_FIELDS = {"attendee_name": "name", "attendee_email": "email"}


def _page(request, template: str, event, context: dict, status: int = 200):
    """A ticket page with the event's program navigation."""
    return render(
        request,
        f"site/tickets/{template}",
        {"event": event, "release": latest_release(event), **context},
        status=status,
    )


def _shop_url(event, voucher_code: str = "") -> str:
    url = reverse("site:tickets", kwargs={"event": event.slug})
    return f"{url}?{urlencode({'voucher': voucher_code})}" if voucher_code else url


def _order_url(order) -> str:
    return reverse("site:my_order", kwargs={"event": order.event.slug, "code": order.code})


def sale_state(ticket_type: TicketType, now: dt.datetime) -> str:
    if ticket_type.sale_start is not None and now < ticket_type.sale_start:
        return NOT_YET
    if ticket_type.sale_end is not None and now >= ticket_type.sale_end:
        return ENDED
    return ON_SALE


def _refusal(check, *args) -> str:
    """ "" when the rule allows it, else the rule's reason."""
    try:
        check(*args)
    except NotAllowed as exc:
        return exc.message
    return ""


# --- The shop --------------------------------------------------------------------------------------


@public
def shop(request, event):
    """The ticket types this visitor may see; `?voucher=CODE` shows those the voucher unlocks."""
    event = public_event(event)
    settings = settings_for(event)
    code = (request.GET.get("voucher") or "").strip()
    voucher, voucher_error = None, ""
    try:
        voucher = usable_voucher(event, code)
    except ServiceError as exc:
        voucher_error = exc.message
    now = timezone.now()
    waiting = set()
    if request.user.is_authenticated:
        waiting = set(
            WaitingListEntry.objects.filter(
                event=event, user=request.user, state__in=ACTIVE_WAITING
            ).values_list("ticket_type_id", flat=True)
        )
    rows = []
    for ticket_type in rules.visible_ticket_types(event, request.user, voucher):
        state = sale_state(ticket_type, now)
        buyable = settings.is_open and state == ON_SALE and not ticket_type.is_sold_out
        left = ticket_type.seats_left
        rows.append(
            {
                "type": ticket_type,
                "price": discounted(ticket_type.price, voucher, ticket_type),
                "discounted": discounted(ticket_type.price, voucher, ticket_type) != ticket_type.price,
                "state": state,
                "buyable": buyable,
                "max": min(settings.max_tickets_per_order, left)
                if left is not None
                else settings.max_tickets_per_order,
                "can_wait": settings.is_open
                and ticket_type.is_sold_out
                and state == ON_SALE
                and ticket_type.visibility != "voucher",
                "waiting": ticket_type.pk in waiting,
            }
        )
    return _page(
        request,
        "shop.html",
        event,
        {
            "settings": settings,
            "rows": rows,
            "any_buyable": any(row["buyable"] for row in rows),
            "voucher": voucher,
            "voucher_code": code,
            "voucher_error": voucher_error,
            "quantity_prefix": QUANTITY,
        },
    )


def _chosen(query, types: dict[int, TicketType], settings, now) -> list[TicketType]:
    """The tickets asked for by `qty-<type id>=n` (one entry per ticket), or a ServiceError saying
    what is wrong with the choice."""
    chosen = []
    for key, value in query.items():
        if not key.startswith(QUANTITY):
            continue
        try:
            pk, count = int(key.removeprefix(QUANTITY)), int(value or 0)
        except ValueError:
            raise ServiceError(_("Choose how many tickets you want, as a number.")) from None
        if count < 0:
            raise ServiceError(_("Choose how many tickets you want, as a number."))
        if count == 0:
            continue
        ticket_type = types.get(pk)
        if ticket_type is None:
            raise ServiceError(_("One of these ticket types is not on sale to you."))
        if sale_state(ticket_type, now) != ON_SALE:
            raise ServiceError(_("“%(type)s” tickets are not on sale now.") % {"type": ticket_type.name})
        if ticket_type.is_sold_out:
            raise ServiceError(_("“%(type)s” is sold out.") % {"type": ticket_type.name})
        chosen += [ticket_type] * count
    if not chosen:
        raise ServiceError(_("Choose at least one ticket."))
    if len(chosen) > settings.max_tickets_per_order:
        raise ServiceError(
            _("An order has at most %(count)s tickets.") % {"count": settings.max_tickets_per_order}
        )
    return chosen


@login_required
def order_form(request, event):
    """GET: the order form for the tickets chosen in the shop. POST: place the order."""
    event = public_event(event)
    settings = settings_for(event)
    code = (request.GET.get("voucher") or "").strip()
    if not settings.is_open:
        messages.error(
            request, _("Registration for %(event)s is not open.") % {"event": isolated(event.name)}
        )
        return redirect(_shop_url(event))
    try:
        voucher = usable_voucher(event, code)
        types = {t.pk: t for t in rules.visible_ticket_types(event, request.user, voucher)}
        chosen = _chosen(request.GET, types, settings, timezone.now())
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_shop_url(event, "" if exc.field == "voucher_code" else code))
    form = OrderForm(request.POST or None, types=chosen, questions=event_questions(event), buyer=request.user)
    if request.method == "POST":
        form, order = save_form(
            form,
            lambda form: services.place_order(
                event=event,
                buyer=request.user,
                items=form.items(),
                email=form.cleaned_data["email"],
                voucher_code=code or None,
                idempotency_key=form.cleaned_data.get("idempotency_key") or None,
            ),
        )
        if order:
            messages.success(
                request,
                (
                    _(
                        "Thank you! Your order %(code)s is complete: your tickets are below and on their way by mail."
                    )
                    if order.state == OrderState.PAID
                    else _(
                        "Thank you! Your order %(code)s is placed. Please pay by the date below; "
                        "the seats are held for you until then."
                    )
                )
                % {"code": order.code},
            )
            return redirect(_order_url(order))
    summary = {}
    for ticket_type in chosen:
        line = summary.setdefault(
            ticket_type.pk,
            {"type": ticket_type, "count": 0, "price": discounted(ticket_type.price, voucher, ticket_type)},
        )
        line["count"] += 1
    lines = list(summary.values())
    return _page(
        request,
        "order.html",
        event,
        {
            "form": form,
            "settings": settings,
            "lines": lines,
            "total": sum(line["price"] * line["count"] for line in lines),
            "voucher": voucher,
            "shop_url": _shop_url(event, code),
        },
    )


@login_required
@require_POST
def join_waiting_list(request, event):
    """POST ticket_type=<id>: wait for a seat of a sold-out type the visitor may buy."""
    event = public_event(event)
    types = {str(t.pk): t for t in rules.visible_ticket_types(event, request.user)}
    ticket_type = types.get(request.POST.get("ticket_type", ""))
    if ticket_type is None:
        raise Http404("There is no such ticket type.")
    try:
        waiting_list.join_waiting_list(ticket_type=ticket_type, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "You are on the waiting list for “%(type)s”. When a seat becomes free, "
                "we send you a link to %(email)s."
            )
            % {"type": ticket_type.name, "email": request.user.email},
        )
    return redirect(_shop_url(event))


# --- The visitor's orders --------------------------------------------------------------------------


@login_required
def my_orders(request, event):
    event = public_event(event)
    return _page(
        request,
        "my_orders.html",
        event,
        {"orders": list(orders_of(request.user, event)), "settings": settings_for(event)},
    )


def _own_order(request, event, code: str):
    """The visitor's order with this code; anyone else's (and an unknown code) is a 404."""
    return get_object_or_404(orders_of(request.user, event).select_related("event"), code=code.upper())


@login_required
def my_order(request, event, code):
    """One order: its state, how to pay, its tickets. POST ticket=<id> with the attendee's fields
    puts another name on a ticket (its buyer, until the cut-off)."""
    event = public_event(event)
    order = _own_order(request, event, code)
    settings = settings_for(event)
    tickets = list(order.tickets.select_related("ticket_type").order_by("pk"))
    answers = {}
    for answer in Answer.objects.filter(ticket__order=order).select_related("question"):
        answers.setdefault(answer.ticket_id, []).append(answer)
    change_refused = _refusal(rules.check_can_change_attendee, request.user, order, settings)
    may_change = order.holds_seats and not change_refused
    posted = None
    if request.method == "POST":
        ticket = next((t for t in tickets if str(t.pk) == request.POST.get("ticket")), None)
        if ticket is None:
            raise Http404("There is no such ticket in this order.")
        ticket.order = order
        form, saved = save_form(
            ChangeAttendeeForm.for_ticket(ticket, request.POST),
            lambda form: services.change_attendee(
                ticket=ticket,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                company=form.cleaned_data["company"],
                by=request.user,
                version=form.cleaned_data["version"],
            ),
            fields=ATTENDEE_FIELDS,
        )
        if saved:
            messages.success(
                request,
                (
                    _(
                        "The ticket is now made out to %(name)s. The new ticket was sent by mail; the old one no longer works."
                    )
                    if order.state == OrderState.PAID
                    else _("The ticket is now made out to %(name)s.")
                )
                % {"name": saved.attendee_name},
            )
            return redirect(_order_url(order))
        posted = (ticket.pk, form)
    for ticket in tickets:
        ticket.order = order
        ticket.answer_list = answers.get(ticket.pk, [])
        if posted and posted[0] == ticket.pk:
            ticket.change_form = posted[1]
        elif may_change:
            ticket.change_form = ChangeAttendeeForm.for_ticket(ticket)
    cancel_refused = _refusal(rules.check_can_cancel, request.user, order, settings)
    return _page(
        request,
        "my_order.html",
        event,
        {
            "order": order,
            "tickets": tickets,
            "settings": settings,
            "is_paid": order.state == OrderState.PAID,
            "is_pending": order.state == OrderState.PENDING,
            "may_cancel": order.holds_seats and not cancel_refused,
            "cancel_refused": cancel_refused if order.holds_seats else "",
            "change_refused": change_refused if order.holds_seats else "",
        },
        status=400 if posted else 200,
    )


@login_required
def cancel_order(request, event, code):
    """GET: what cancelling means, with a button. POST: cancel (the rules decide whether the buyer may)."""
    event = public_event(event)
    order = _own_order(request, event, code)
    settings = settings_for(event)
    if request.method == "POST":
        try:
            version = int(request.POST.get("version") or 0) or None
            services.cancel_order(order=order, by=request.user, version=version)
        except ValueError:
            messages.error(request, _("This page is out of date. Reload it and try again."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Your order %(code)s was cancelled; its seats are free for others.") % {"code": order.code},
            )
        return redirect(_order_url(order))
    refused = _refusal(rules.check_can_cancel, request.user, order, settings)
    if not order.holds_seats:
        refused = _("This order is %(state)s already.") % {"state": order.get_state_display().lower()}
    return _page(request, "cancel.html", event, {"order": order, "refused": refused, "settings": settings})


@login_required
def ticket_pdf(request, event, code, pk):
    """One ticket of the visitor's paid order as a PDF (its QR code admits the attendee)."""
    event = public_event(event)
    order = _own_order(request, event, code)
    if order.state != OrderState.PAID:
        raise Http404("Tickets can be downloaded once the order is paid.")
    ticket = get_object_or_404(order.tickets.select_related("ticket_type", "order__event"), pk=pk)
    response = HttpResponse(pdf.ticket_pdf(ticket), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(ticket)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Waiting-list offers ---------------------------------------------------------------------------


@login_required
def offer(request, event, token):
    """A seat offered from the waiting list: its expiry and the form to take it up."""
    event = public_event(event)
    entry = (
        WaitingListEntry.objects.select_related("ticket_type__event", "user", "order")
        .filter(event=event, token=token)
        .first()
    )
    if entry is None:
        raise Http404("There is no such offer.")
    if entry.user_id != request.user.pk:
        message = _(
            "This offer was made to someone else. Log in with the account that joined the waiting list."
        )
        return _page(request, "offer_invalid.html", event, {"message": message}, status=403)
    if entry.state == WaitingState.ACCEPTED and entry.order is not None:
        messages.info(request, _("You have taken up this offer already; here is your order."))
        return redirect(_order_url(entry.order))
    if entry.state != WaitingState.OFFERED or entry.offer_expires_at <= timezone.now():
        message = _(
            "This offer has expired, and the seat was offered to the next person on the waiting list."
        )
        return _page(request, "offer_invalid.html", event, {"message": message}, status=410)
    form = OfferForm(
        request.POST or None, ticket_type=entry.ticket_type, questions=event_questions(event), entry=entry
    )
    if request.method == "POST":
        form, order = save_form(
            form,
            lambda form: waiting_list.accept_offer(
                event=event,
                token=token,
                user=request.user,
                attendee_name=form.cleaned_data["attendee_name"],
                attendee_email=form.cleaned_data["attendee_email"],
                email=form.cleaned_data["email"],
                answers=form.answers(),
            ),
        )
        if order:
            messages.success(request, _("The seat is yours: order %(code)s.") % {"code": order.code})
            return redirect(_order_url(order))
    return _page(
        request, "offer.html", event, {"entry": entry, "form": form, "settings": settings_for(event)}
    )
