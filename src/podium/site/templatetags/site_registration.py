"""What the site's navigation asks about registration: whether to link "Tickets" and "My tickets"."""

from django import template
from django.db.models import Q

from podium.events.models import Event
from podium.registration.queries import settings_for

register = template.Library()


@register.simple_tag
def registration_open(event) -> bool:
    return settings_for(event).is_open


@register.simple_tag
def shows_my_tickets(event, user) -> bool:
    """For a logged-in visitor: registration is open, or they hold orders for the event (one query)."""
    if not user.is_authenticated:
        return False
    return (
        Event.objects.filter(pk=event.pk)
        .filter(Q(registration_settings__is_open=True) | Q(orders__buyer=user))
        .exists()
    )
