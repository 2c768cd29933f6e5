"""Permission declarations for back-office views (the rules themselves live in the domain apps)."""

from django.shortcuts import get_object_or_404

from podium.base.permissions import require
from podium.events.models import Organiser
from podium.events.rules import FLAGS, event_check, is_organiser_admin


def event_permission(*flags: str):
    """The view needs any of `flags` in the URL's event; sets request.event and request.permissions."""
    return require("event:" + "|".join(flags), event_check(*flags))


team_member = require("event:team-member", event_check(*FLAGS))


def _organiser_admin_check(request, **kwargs) -> bool:
    request.organiser = get_object_or_404(Organiser, slug=kwargs["organiser"])
    return is_organiser_admin(request.user, request.organiser)


organiser_admin = require("organiser:admin", _organiser_admin_check)


def _site_admin_check(request, **kwargs) -> bool:
    return request.user.is_superuser


site_admin = require("site:admin", _site_admin_check)
