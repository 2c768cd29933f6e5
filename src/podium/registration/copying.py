"""The registration set-up an event's next edition starts from (a part of podium.events.copying)."""

from podium.base import audit
from podium.events.copying import moved
from podium.registration.models import Question, RegistrationSettings, TicketType
from podium.registration.services import SETTINGS_FIELDS
from podium.registration.setup import QUESTION_FIELDS, TICKET_TYPE_FIELDS

#: The settings and ticket types' fields that are moments of the source edition (moved with its days).
MOMENTS = {"name_change_until", "cancellation_until", "sale_start", "sale_end"}


def _values(row, fields, *, source, target) -> dict:
    return {
        name: moved(getattr(row, name), source=source, target=target)
        if name in MOMENTS
        else getattr(row, name)
        for name in fields
    }


def copy_registration(*, source, target) -> None:
    """Give `target` the registration set-up of `source`: what organisers set of its settings
    (registration closed, whatever the source's state), ticket types (none sold) and registration
    questions (asked for the copies of the same ticket types); sale windows and the name-change and
    cancellation cut-offs move by the days between the two editions' first days, at the same local
    time. Orders, tickets, vouchers and the waiting list stay behind: they belong to the people of the
    source edition. The caller checks who may copy."""
    settings = RegistrationSettings.objects.filter(event=source).first()
    if settings is not None:
        values = _values(settings, SETTINGS_FIELDS, source=source, target=target)
        RegistrationSettings.objects.update_or_create(event=target, defaults=values | {"is_open": False})
    types = {
        kind.pk: TicketType.objects.create(
            event=target, **_values(kind, TICKET_TYPE_FIELDS, source=source, target=target)
        )
        for kind in source.ticket_types.all()
    }
    questions = 0
    for question in source.registration_questions.prefetch_related("ticket_types"):
        copy = Question.objects.create(
            event=target, **_values(question, QUESTION_FIELDS, source=source, target=target)
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
