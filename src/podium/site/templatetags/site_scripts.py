"""`{% script_messages "live" %}`: the words a public page's script shows, in the page's language, as
the JSON data block the script reads (podium.base.scripts). The keys are the ones the script reads
(`TEXT.<key>` in site/static/podium/<script>.js); its built-in English is the same text."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.base.scripts import messages_block, plural_forms

register = template.Library()


def _agenda():
    return {
        "copy": _("Copy"),
        "copied": _("Copied"),
        "copied_status": _("The address was copied."),
        "copy_by_hand": _("Select the address and copy it by hand."),
    }


def _live():
    return {
        "updated": _("Program updated to v%(version)s"),
        "updated_with": _("Program updated to v%(version)s: %(changes)s"),
        "new": plural_forms(lambda n: ngettext("%(count)s new", "%(count)s new", n)),
        "moved": plural_forms(lambda n: ngettext("%(count)s moved", "%(count)s moved", n)),
        "changed": plural_forms(lambda n: ngettext("%(count)s changed", "%(count)s changed", n)),
        "cancelled": plural_forms(lambda n: ngettext("%(count)s cancelled", "%(count)s cancelled", n)),
    }


def _rooms():
    return {
        "left": _("%(minutes)s min left"),
        "in": _("in %(minutes)s min"),
    }


def _stars():
    return {
        "cannot_keep": _("This browser cannot keep stars. Log in to keep them in your account."),
        "starred_here": _("Starred in this browser. Log in to keep your stars on every device."),
        "removed": _("Star removed."),
        "starred": _("Starred."),
        "not_saved": _("The star could not be saved. Try again."),
        "merged": _("The stars you kept in this browser are now in your account."),
    }


SCRIPTS = {"agenda": _agenda, "live": _live, "rooms": _rooms, "stars": _stars}


@register.simple_tag
def script_messages(name):
    """The data block of the script `name` (one of SCRIPTS), in the active language."""
    return messages_block(name, SCRIPTS[name]())
