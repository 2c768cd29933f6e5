"""The registration set-up an event's next edition starts from (a part of podium.events.copying)."""

from functools import partial

from podium.base import audit
from podium.events.copying import moved
from podium.registration.models import Question, RegistrationSettings, TicketType


def copy_registration(*, source, target) -> None:
    """Give `target` the registration set-up of `source`: its settings (registration closed, whatever
    the source's state), ticket types (none sold; sale dates and the name-change and cancellation
    deadlines moved by the days between the two editions' first days, at the same local time) and
    registration questions (asked for the copies of the same ticket types). Orders, tickets, vouchers
    and the waiting list stay behind: they belong to the people of the source edition. The caller
    checks who may copy."""
    move = partial(moved, source=source, target=target)

    settings = RegistrationSettings.objects.filter(event=source).first()
    if settings is not None:
        RegistrationSettings.objects.update_or_create(
            event=target,
            defaults={
                "is_open": False,
                "payment_deadline_hours": settings.payment_deadline_hours,
                "name_change_until": move(settings.name_change_until),
                "cancellation_until": move(settings.cancellation_until),
                "offer_hours": settings.offer_hours,
                "max_tickets_per_order": settings.max_tickets_per_order,
                "currency": settings.currency,
            },
        )
    types = {
        kind.pk: TicketType.objects.create(
            event=target,
            name=kind.name,
            description=kind.description,
            price=kind.price,
            quota=kind.quota,
            sale_start=move(kind.sale_start),
            sale_end=move(kind.sale_end),
            visibility=kind.visibility,
            group=kind.group,
            position=kind.position,
            active=kind.active,
        )
        for kind in source.ticket_types.all()
    }
    questions = 0
    for question in source.registration_questions.prefetch_related("ticket_types"):
        copy = Question.objects.create(
            event=target,
            label=question.label,
            help_text=question.help_text,
            kind=question.kind,
            choices=list(question.choices or []),
            required=question.required,
            position=question.position,
        )
        copy.ticket_types.set([types[kind.pk] for kind in question.ticket_types.all()])
        questions += 1
    if settings is not None or types or questions:
        audit.record(
            action="registration.copied",
            event_id=target.pk,
            source=source.slug,
            ticket_types=len(types),
            questions=questions,
        )
