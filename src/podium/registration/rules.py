"""Who may do what with an event's registration: see attendees, manage orders, buy group tickets,
cancel an order, change a ticket's attendee. No HTTP here; services check these, pages ask them.

- Attendee data (names, addresses, answers) is seen by team members with `can_check_in` or
  `can_edit_event` of the event.
- Orders are managed (marked paid, cancelled at any time, refunded, tickets issued by hand) by team
  members with `can_edit_event`; `by=None` is an operator on the command line.
- Group tickets: `speakers` for people with an accepted or confirmed proposal at the event, `team` for
  the event's team members, `volunteers` only by hand (the organisers issue them).
- A buyer cancels their own order while it is pending, when it cost nothing, or while the event's
  cancellation period lasts (`RegistrationSettings.cancellation_until`; none set: paid orders are
  cancelled by the organisers only). A buyer changes a ticket's attendee until the name-change
  cut-off (none set: any time).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from podium.base.errors import NotAllowed
from podium.events.rules import permissions_for
from podium.proposals.states import SCHEDULABLE
from podium.registration.enums import Group, OrderState, Visibility
from podium.registration.models import Order, RegistrationSettings, TicketType, Voucher


def can_see_attendees(user, event) -> bool:
    """Whether `user` sees the event's attendees (names, addresses, answers)."""
    return permissions_for(user, event).has_any(("can_check_in", "can_edit_event"))


def can_manage_orders(user, event) -> bool:
    return permissions_for(user, event).can_edit_event


def check_can_see_attendees(by, event) -> None:
    if by is not None and not can_see_attendees(by, event):
        raise NotAllowed(_("You may not see this event's attendees."))


def check_can_manage_orders(by, event) -> None:
    """Refuse `by` unless they manage the event's orders (None: an operator on the command line)."""
    if by is not None and not can_manage_orders(by, event):
        raise NotAllowed(_("Only the event's organisers may manage its orders."))


def is_speaker(user, event) -> bool:
    """A user with an accepted or confirmed proposal at the event."""
    return user.is_authenticated and event.proposals.filter(speakers=user, state__in=SCHEDULABLE).exists()


def in_group(user, event, group: str) -> bool:
    """Whether `user` may buy tickets of a `group` type themselves (volunteers never: issued by hand)."""
    if group == Group.SPEAKERS:
        return is_speaker(user, event)
    if group == Group.TEAM:
        return permissions_for(user, event).is_team_member
    return False


def check_may_buy_group(user, ticket_type: TicketType) -> None:
    if in_group(user, ticket_type.event, ticket_type.group):
        return
    if ticket_type.group == Group.VOLUNTEERS:
        raise NotAllowed(
            _("“%(ticket_type)s” tickets are issued by the organisers.") % {"ticket_type": ticket_type.name}
        )
    if ticket_type.group == Group.SPEAKERS:
        message = _("“%(ticket_type)s” tickets are only for speakers.")
    elif ticket_type.group == Group.TEAM:
        message = _("“%(ticket_type)s” tickets are only for the event's team.")
    else:
        message = _("“%(ticket_type)s” tickets are only for a group of people.")
    raise NotAllowed(message % {"ticket_type": ticket_type.name})


def may_see_type(user, ticket_type: TicketType, voucher: Voucher | None = None, *, groups=None) -> bool:
    """Whether the shop shows `ticket_type` to `user`: an active type that is public, unlocked by
    `voucher` (a usable one, see queries.usable_voucher), or for a group `user` belongs to. `groups`
    ({group: bool}) caches the group answers over several types."""
    if not ticket_type.active:
        return False
    if ticket_type.visibility == Visibility.PUBLIC:
        return True
    if ticket_type.visibility == Visibility.VOUCHER:
        return voucher is not None and voucher.ticket_type_id == ticket_type.pk
    groups = {} if groups is None else groups
    if ticket_type.group not in groups:
        groups[ticket_type.group] = user is not None and in_group(user, ticket_type.event, ticket_type.group)
    return groups[ticket_type.group]


def visible_ticket_types(event, user, voucher: Voucher | None = None) -> list[TicketType]:
    """The ticket types the shop shows `user` (see `may_see_type`), in the organisers' order."""
    groups: dict[str, bool] = {}
    types = TicketType.objects.filter(event=event, active=True).select_related("event")
    return [
        ticket_type
        for ticket_type in types.order_by("position", "name", "pk")
        if may_see_type(user, ticket_type, voucher, groups=groups)
    ]


def is_buyer(user, order: Order) -> bool:
    return user is not None and user.is_authenticated and order.buyer_id == user.pk


def check_can_cancel(by, order: Order, settings: RegistrationSettings) -> None:
    """Organisers (and operators) cancel any time; the buyer within the event's rules (see above)."""
    if by is None or can_manage_orders(by, order.event):
        return
    if not is_buyer(by, order):
        raise NotAllowed(_("Only the buyer or the organisers may cancel this order."))
    if order.state != OrderState.PAID or order.total == 0:
        return  # pending, free, or ended already (the service says so)
    until = settings.cancellation_until
    if until is None or timezone.now() >= until:
        raise NotAllowed(
            _("Paid orders can no longer be cancelled here; please write to the organisers.")
            if until is not None
            else _("Paid orders are cancelled by the organisers; please write to them.")
        )


def check_can_change_attendee(by, order: Order, settings: RegistrationSettings) -> None:
    """Organisers (and operators) any time; the buyer until the name-change cut-off."""
    if by is None or can_manage_orders(by, order.event):
        return
    if not is_buyer(by, order):
        raise NotAllowed(_("Only the buyer or the organisers may change this ticket."))
    until = settings.name_change_until
    if until is not None and timezone.now() >= until:
        raise NotAllowed(_("Names can no longer be changed; please write to the organisers."))
