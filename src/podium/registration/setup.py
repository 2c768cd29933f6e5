"""Setting up an event's registration: ticket types, questions and vouchers.

Each use case is one transaction and checks its actor (`rules.check_can_manage_orders`: the event's
organisers with `can_edit_event`; `by=None` is an operator on the command line). An edit carries the
version the organiser saw; a stale one is refused with StaleEdit. A ticket type's seat counter is
never written here: a quota is only compared with it, on the locked row, so a quota can never be set
below the seats already taken (the database's check constraint is the last guard).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events.models import Event
from podium.registration import rules
from podium.registration.answers import one_line
from podium.registration.enums import DiscountKind, Group, QuestionKind, Visibility
from podium.registration.models import Question, TicketType, Voucher

TICKET_TYPE_FIELDS = (
    "name",
    "description",
    "price",
    "quota",
    "sale_start",
    "sale_end",
    "visibility",
    "group",
    "position",
    "active",
)
QUESTION_FIELDS = ("label", "help_text", "kind", "choices", "required", "position")
VOUCHER_FIELDS = (
    "code",
    "max_usages",
    "valid_until",
    "ticket_type",
    "discount_kind",
    "discount_value",
    "comment",
)


def _stale(model) -> str:
    """The refusal of a stale edit of a `model` row."""
    if model is TicketType:
        return _(
            "Someone else changed this ticket type while you were editing. "
            "The form shows the current values; make your change again."
        )
    if model is Question:
        return _(
            "Someone else changed this question while you were editing. "
            "The form shows the current values; make your change again."
        )
    return _(
        "Someone else changed this voucher while you were editing. "
        "The form shows the current values; make your change again."
    )


def _locked(model, obj, *, event: Event, version: int | None):
    """The stored row of `obj`, locked; refused when it belongs to another event or `version` (the one
    the organiser saw) is not the stored one. A new object (no pk) is a fresh instance of `model`."""
    if obj is None or obj.pk is None:
        return model(event=event)
    if obj.event_id != event.pk:
        raise NotAllowed(_("This object belongs to another event."))
    stored = model.objects.select_for_update().get(pk=obj.pk, event=event)
    if version is not None and stored.version != version:
        raise StaleEdit(_stale(model))
    return stored


def _validate(obj, *, exclude: list[str]) -> None:
    """The model's own validators (price not negative, quota a whole number, …) for every caller."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=None if field == "__all__" else field) from exc


def _apply(obj, data: dict, fields) -> list[str]:
    """Set the known `fields` given in `data` on `obj`; the names of those that changed."""
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


def _save(obj, *, by, action: str, changed: list[str], **details) -> None:
    """Save `obj` with a new version (never its counters) and record the audit entry."""
    created = obj.pk is None
    obj.version = (obj.version or 0) + (0 if created else 1)
    if created:
        obj.save()
    else:
        counters = {"seats_taken", "times_used"}
        names = [field.name for field in obj._meta.concrete_fields if not field.primary_key]
        obj.save(update_fields=[name for name in names if name not in counters])
    audit.record(
        action=action,
        actor=by,
        target=obj,
        event_id=obj.event_id,
        created=created,
        fields=sorted(changed),
        **details,
    )


# --- Ticket types ----------------------------------------------------------------------------------


@transaction.atomic
def save_ticket_type(
    *, event: Event, by, data: dict, ticket_type: TicketType | None = None, version: int | None = None
) -> TicketType:
    """Create a ticket type or edit one (`TICKET_TYPE_FIELDS` in `data`).

    Refused for users who may not manage the event's orders, for a stale `version`, for a name another
    type of the event has (in any letter case), a sale that ends before it starts, a group missing for
    (or given to) a type that is not sold to a group, and a quota below the seats taken already.

    Side effects: audit entry with the changed fields.
    """
    rules.check_can_manage_orders(by, event)
    obj = _locked(
        TicketType,
        ticket_type,
        event=event,
        version=version,
    )
    changed = _apply(obj, data, TICKET_TYPE_FIELDS)
    obj.name = one_line(obj.name)
    if not obj.name:
        raise ServiceError(_("Give the ticket type a name."), field="name")
    if TicketType.objects.filter(event=event, name__iexact=obj.name).exclude(pk=obj.pk).exists():
        raise ServiceError(
            _("There is already a ticket type named “%(name)s”.") % {"name": obj.name}, field="name"
        )
    if obj.visibility == Visibility.GROUP:
        if obj.group not in Group.values:
            raise ServiceError(_("Choose the group these tickets are for."), field="group")
    else:
        obj.group = ""
    if obj.sale_start and obj.sale_end and obj.sale_end <= obj.sale_start:
        raise ServiceError(_("The sale must end after it starts."), field="sale_end")
    if obj.quota is not None and obj.quota < obj.seats_taken:
        raise ServiceError(
            ngettext(
                "%(count)s seat is taken already (tickets and waiting-list offers); "
                "the quota cannot be lower than that.",
                "%(count)s seats are taken already (tickets and waiting-list offers); "
                "the quota cannot be lower than that.",
                obj.seats_taken,
            )
            % {"count": obj.seats_taken},
            field="quota",
        )
    _validate(obj, exclude=["event", "seats_taken"])
    _save(obj, by=by, action="ticket_type.saved", changed=changed, name=obj.name)
    return obj


@transaction.atomic
def delete_ticket_type(*, ticket_type: TicketType, by) -> None:
    """Delete a ticket type nobody has a ticket of (its questions stay, for the other types). Refused
    once tickets of it exist, even of cancelled orders: deactivate it instead, so it is no longer sold.

    Side effects: audit entry.
    """
    rules.check_can_manage_orders(by, ticket_type.event)
    stored = TicketType.objects.select_for_update().get(pk=ticket_type.pk, event_id=ticket_type.event_id)
    if stored.tickets.exists() or stored.seats_taken:
        raise ServiceError(
            _(
                "Tickets of “%(name)s” exist, so it cannot be deleted. "
                "Untick “active” instead: it is then no longer sold."
            )
            % {"name": stored.name}
        )
    name, event_id = stored.name, stored.event_id
    stored.delete()
    audit.record(action="ticket_type.deleted", actor=by, event_id=event_id, name=name)


# --- Questions -------------------------------------------------------------------------------------


def _choices(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    seen, choices = set(), []
    for choice in value or []:
        text = one_line(choice)
        if text and text not in seen:
            seen.add(text)
            choices.append(text)
    return choices


@transaction.atomic
def save_question(
    *, event: Event, by, data: dict, question: Question | None = None, version: int | None = None
) -> Question:
    """Create a question or edit one (`QUESTION_FIELDS` in `data`, and `ticket_types`: the types it is
    asked for, none meaning all). A choice needs at least two different choices; other kinds have none.

    Refused for users who may not manage the event's orders, for a stale `version`, for a label
    another question of the event has, and for ticket types of another event.

    Side effects: audit entry with the changed fields.
    """
    rules.check_can_manage_orders(by, event)
    obj = _locked(
        Question,
        question,
        event=event,
        version=version,
    )
    if "choices" in data:
        data = {**data, "choices": _choices(data["choices"])}
    changed = _apply(obj, data, QUESTION_FIELDS)
    obj.label = one_line(obj.label)
    if not obj.label:
        raise ServiceError(_("Write the question."), field="label")
    if Question.objects.filter(event=event, label__iexact=obj.label).exclude(pk=obj.pk).exists():
        raise ServiceError(
            _("There is already a question “%(label)s”.") % {"label": obj.label}, field="label"
        )
    if obj.kind == QuestionKind.CHOICE and len(obj.choices) < 2:
        raise ServiceError(
            _("A choice needs at least two answers to choose from, one a line."), field="choices"
        )
    if obj.kind != QuestionKind.CHOICE:
        obj.choices = []
    types = data.get("ticket_types")
    if types is not None:
        types = list(types)
        if any(ticket_type.event_id != event.pk for ticket_type in types):
            raise ServiceError(_("Choose ticket types of this event."), field="ticket_types")
    _validate(obj, exclude=["event", "ticket_types"])
    _save(obj, by=by, action="question.saved", changed=changed, label=obj.label)
    if types is not None:
        before = set(obj.ticket_types.values_list("pk", flat=True))
        if before != {ticket_type.pk for ticket_type in types}:
            obj.ticket_types.set(types)
    return obj


@transaction.atomic
def delete_question(*, question: Question, by) -> None:
    """Delete a question with the answers given to it. Side effects: audit entry (how many answers
    went with it)."""
    rules.check_can_manage_orders(by, question.event)
    stored = Question.objects.select_for_update().get(pk=question.pk, event_id=question.event_id)
    label, event_id, answers = stored.label, stored.event_id, stored.answers.count()
    stored.delete()
    audit.record(action="question.deleted", actor=by, event_id=event_id, label=label, answers=answers)


# --- Vouchers --------------------------------------------------------------------------------------


@transaction.atomic
def save_voucher(
    *, event: Event, by, data: dict, voucher: Voucher | None = None, version: int | None = None
) -> Voucher:
    """Create a voucher or edit one (`VOUCHER_FIELDS` in `data`).

    Refused for users who may not manage the event's orders, for a stale `version`, for a code
    another voucher of the event has (in any letter case) or one with spaces, a ticket type of
    another event, a percentage above 100, a discount without its kind, and fewer uses than the
    voucher has had already.

    Side effects: audit entry with the changed fields.
    """
    rules.check_can_manage_orders(by, event)
    obj = _locked(
        Voucher,
        voucher,
        event=event,
        version=version,
    )
    if "code" in data:
        data = {**data, "code": str(data["code"] or "").strip()}
    if "discount_value" in data:
        try:
            data = {**data, "discount_value": Decimal(str(data["discount_value"] or 0))}
        except InvalidOperation:
            raise ServiceError(_("Enter the discount as a number."), field="discount_value") from None
    changed = _apply(obj, data, VOUCHER_FIELDS)
    if not obj.code:
        raise ServiceError(_("Give the voucher a code."), field="code")
    if any(character.isspace() for character in obj.code):
        raise ServiceError(_("A voucher code has no spaces."), field="code")
    if Voucher.objects.filter(event=event, code__iexact=obj.code).exclude(pk=obj.pk).exists():
        raise ServiceError(_("There is already a voucher “%(code)s”.") % {"code": obj.code}, field="code")
    if obj.ticket_type_id is not None and obj.ticket_type.event_id != event.pk:
        raise ServiceError(_("Choose a ticket type of this event."), field="ticket_type")
    if obj.discount_kind == DiscountKind.NONE:
        obj.discount_value = Decimal(0)
    elif obj.discount_value <= 0:
        raise ServiceError(_("Enter the discount, or choose “No discount”."), field="discount_value")
    if obj.discount_kind == DiscountKind.PERCENT and obj.discount_value > 100:
        raise ServiceError(_("A discount is at most 100 percent."), field="discount_value")
    if obj.max_usages < obj.times_used:
        raise ServiceError(
            ngettext(
                "The voucher was used %(count)s time already; it cannot allow fewer uses than that.",
                "The voucher was used %(count)s times already; it cannot allow fewer uses than that.",
                obj.times_used,
            )
            % {"count": obj.times_used},
            field="max_usages",
        )
    _validate(obj, exclude=["event", "times_used"])
    _save(obj, by=by, action="voucher.saved", changed=changed, code=obj.code)
    return obj


@transaction.atomic
def delete_voucher(*, voucher: Voucher, by) -> None:
    """Delete a voucher no order was placed with. Refused once it was used (even by an order cancelled
    since, which keeps its voucher): let it expire or lower its uses instead.

    Side effects: audit entry.
    """
    rules.check_can_manage_orders(by, voucher.event)
    stored = Voucher.objects.select_for_update().get(pk=voucher.pk, event_id=voucher.event_id)
    if stored.times_used or stored.orders.exists():
        raise ServiceError(
            _(
                "Orders were placed with the voucher “%(code)s”, so it cannot be deleted. "
                "Set its “valid until” to now instead."
            )
            % {"code": stored.code}
        )
    code, event_id = stored.code, stored.event_id
    stored.delete()
    audit.record(action="voucher.deleted", actor=by, event_id=event_id, code=code)
