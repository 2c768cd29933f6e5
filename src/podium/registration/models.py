"""Tickets and orders of one event: ticket types with their quotas, questions, orders, tickets,
vouchers, the waiting list and the event's registration settings.

Counters that concurrent buyers change (`TicketType.seats_taken`, `Voucher.times_used`) are only ever
changed by one conditional UPDATE each (registration.seats); the check constraints below are the last
guard, so a bug can fail an order but never oversell.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event
from podium.registration.enums import (
    ACTIVE_WAITING,
    ORDER_CODE_LENGTH,
    DiscountKind,
    Group,
    OrderOrigin,
    OrderState,
    QuestionKind,
    Visibility,
    WaitingState,
    new_ticket_secret,
)

MONEY = {"max_digits": 10, "decimal_places": 2}


class RegistrationSettings(models.Model):
    """How registration works for one event (an event without a row has the defaults, closed)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="registration_settings")
    is_open = models.BooleanField(default=False, verbose_name=_("registration open"))
    payment_deadline_hours = models.PositiveIntegerField(
        default=72,
        validators=[MinValueValidator(1)],
        help_text=_("A pending order is cancelled, and its seats freed, when not paid within this time."),
    )
    name_change_until = models.DateTimeField(
        null=True, blank=True, help_text=_("Buyers may change a ticket's name until then (empty: always).")
    )
    cancellation_until = models.DateTimeField(
        null=True, blank=True, help_text=_("Buyers may cancel a paid order until then (empty: never).")
    )
    offer_hours = models.PositiveIntegerField(
        default=24,
        validators=[MinValueValidator(1)],
        verbose_name=_("waiting-list offer lifetime (hours)"),
    )
    max_tickets_per_order = models.PositiveIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    currency = models.CharField(max_length=3, default="EUR")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "registration settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(payment_deadline_hours__gte=1), name="registration_deadline_min"
            ),
            models.CheckConstraint(condition=Q(offer_hours__gte=1), name="registration_offer_hours_min"),
            models.CheckConstraint(
                condition=Q(max_tickets_per_order__gte=1), name="registration_max_tickets_min"
            ),
        ]

    def __str__(self):
        return f"Registration for {self.event}"


class TicketType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Shown and recorded only; Podium takes no payments.
    price = models.DecimalField(**MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)])
    quota = models.PositiveIntegerField(null=True, blank=True, help_text=_("Empty: unlimited."))
    # Seats held by tickets of pending and paid orders and by open waiting-list offers (seats.py).
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    sale_start = models.DateTimeField(null=True, blank=True)
    sale_end = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    group = models.CharField(
        max_length=12, choices=Group.choices, blank=True, default="", help_text=_("For group tickets only.")
    )
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="ticket_type_name_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="ticket_type_price_not_negative"),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(seats_taken__lte=F("quota")),
                name="ticket_type_never_oversold",
            ),
            models.CheckConstraint(
                condition=Q(sale_start__isnull=True)
                | Q(sale_end__isnull=True)
                | Q(sale_end__gt=F("sale_start")),
                name="ticket_type_sale_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(visibility=Visibility.GROUP) & Q(group__in=Group.values))
                | (~Q(visibility=Visibility.GROUP) & Q(group="")),
                name="ticket_type_group_matches_visibility",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="ticket_type_visibility_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_sold_out(self) -> bool:
        return self.quota is not None and self.seats_taken >= self.quota

    @property
    def seats_left(self) -> int | None:
        """Seats still free (None: unlimited), as last loaded."""
        return None if self.quota is None else max(self.quota - self.seats_taken, 0)


class Question(models.Model):
    """A question each ticket's attendee answers (for the ticket types chosen; none chosen: all)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registration_questions")
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = models.JSONField(default=list, blank=True, help_text=_("The allowed answers of a choice."))
    required = models.BooleanField(default=False)
    ticket_types = models.ManyToManyField(TicketType, blank=True, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "label"], name="registration_question_label_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="registration_question_kind_valid"
            ),
        ]

    def __str__(self):
        return self.label


class Voucher(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="vouchers")
    code = models.CharField(max_length=50)
    max_usages = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    # Orders placed with the voucher and not cancelled (seats.py).
    times_used = models.PositiveIntegerField(default=0, editable=False)
    valid_until = models.DateTimeField(null=True, blank=True)
    ticket_type = models.ForeignKey(
        TicketType,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="vouchers",
        help_text=_(
            "Unlocks this ticket type when it is sold only with a voucher, and limits the discount to it."
        ),
    )
    discount_kind = models.CharField(max_length=10, choices=DiscountKind.choices, default=DiscountKind.NONE)
    discount_value = models.DecimalField(**MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)])
    comment = models.CharField(max_length=300, blank=True, help_text=_("For the organisers only."))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(Lower("code"), "event", name="voucher_code_unique_ci"),
            models.CheckConstraint(condition=Q(max_usages__gte=1), name="voucher_max_usages_min"),
            models.CheckConstraint(
                condition=Q(times_used__lte=F("max_usages")), name="voucher_never_overused"
            ),
            models.CheckConstraint(condition=Q(discount_value__gte=0), name="voucher_discount_not_negative"),
            models.CheckConstraint(
                condition=~Q(discount_kind=DiscountKind.PERCENT) | Q(discount_value__lte=100),
                name="voucher_percent_at_most_100",
            ),
        ]

    def __str__(self):
        return self.code


class Order(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="orders")
    code = models.CharField(max_length=ORDER_CODE_LENGTH)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.EmailField()
    state = models.CharField(max_length=12, choices=OrderState.choices, default=OrderState.PENDING)
    origin = models.CharField(max_length=14, choices=OrderOrigin.choices, default=OrderOrigin.PURCHASE)
    total = models.DecimalField(**MONEY, default=Decimal("0.00"))
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.RESTRICT, related_name="orders"
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="order_code_unique"),
            models.UniqueConstraint(
                fields=["event", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="order_idempotency_key_unique",
            ),
            models.CheckConstraint(condition=Q(state__in=OrderState.values), name="order_state_valid"),
            models.CheckConstraint(condition=Q(origin__in=OrderOrigin.values), name="order_origin_valid"),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(state=OrderState.PENDING) | Q(expires_at__isnull=True),
                name="order_only_pending_expires",
            ),
        ]
        indexes = [models.Index(fields=["state", "expires_at"], name="order_state_expiry")]

    def __str__(self):
        return self.code

    @property
    def holds_seats(self) -> bool:
        return self.state in (OrderState.PENDING, OrderState.PAID)


class Ticket(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tickets")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.RESTRICT, related_name="tickets")
    attendee_name = models.CharField(max_length=200)
    attendee_email = models.EmailField()
    attendee_company = models.CharField(max_length=200, blank=True)
    price = models.DecimalField(**MONEY, default=Decimal("0.00"))
    # Bound into the signed token of the ticket's QR code (tickets.py); replaced when re-issued.
    secret = models.CharField(max_length=32, default=new_ticket_secret)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="ticket_price_not_negative")]

    def __str__(self):
        return f"{self.attendee_name} ({self.ticket_type})"


class Answer(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "question"], name="answer_unique")]

    def __str__(self):
        return f"{self.question}: {self.value}"


class WaitingListEntry(models.Model):
    """A person waiting for a seat of a sold-out ticket type; offered a freed seat in turn."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="waiting_list")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.CASCADE, related_name="waiting_list")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waiting_list_entries"
    )
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=WaitingState.choices, default=WaitingState.WAITING)
    token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waiting list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_type", "user"],
                condition=Q(state__in=ACTIVE_WAITING),
                name="waiting_list_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(state__in=WaitingState.values), name="waiting_list_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=WaitingState.OFFERED)
                | (Q(token__isnull=False) & Q(offer_expires_at__isnull=False)),
                name="waiting_list_offer_has_token",
            ),
        ]

    def __str__(self):
        return f"{self.email} for {self.ticket_type}"
