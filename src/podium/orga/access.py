"""Permission declarations for back-office views (the rules themselves live in the domain apps)."""

from django.shortcuts import get_object_or_404

from podium.base.permissions import require
from podium.contacts.rules import can_manage_contacts
from podium.events.models import Event, Organiser
from podium.events.rules import FLAGS, is_organiser_admin, permissions_for


def _event_check(*flags: str):
    """A check for base.permissions.require: the URL's event (404 when unknown), and any one of `flags`.

    Loads the event once and leaves it on `request.event` with `request.permissions`.
    """

    def check(request, **kwargs) -> bool:
        request.event = get_object_or_404(Event.objects.select_related("organiser"), slug=kwargs["event"])
        request.permissions = permissions_for(request.user, request.event)
        return request.permissions.has_any(flags)

    return check


def event_permission(*flags: str):
    """The view needs any of `flags` in the URL's event; sets request.event and request.permissions."""
    return require("event:" + "|".join(flags), _event_check(*flags))


team_member = require("event:team-member", _event_check(*FLAGS))


def _organiser_admin_check(request, **kwargs) -> bool:
    request.organiser = get_object_or_404(Organiser, slug=kwargs["organiser"])
    return is_organiser_admin(request.user, request.organiser)


organiser_admin = require("organiser:admin", _organiser_admin_check)


def _contacts_check(request, **kwargs) -> bool:
    request.organiser = get_object_or_404(Organiser, slug=kwargs["organiser"])
    return can_manage_contacts(request.user, request.organiser)


# The organiser's contact lists: its administrators and mail teams (contacts.rules).
contacts_keeper = require("organiser:contacts", _contacts_check)


def _site_admin_check(request, **kwargs) -> bool:
    return request.user.is_superuser


site_admin = require("site:admin", _site_admin_check)
