"""API tokens: a user's own tokens for one organiser, made for events they work on, revoked when no
longer needed.

The secret is shown once, right after the token is made; afterwards only its first characters.
Pages are per organiser (its team members only) and list request.user's tokens of that organiser.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.accounts import tokens
from podium.base.forms import save_form
from podium.base.permissions import require
from podium.events.models import Organiser, Team
from podium.orga.forms.tokens import ApiTokenForm


def _organiser_member_check(request, **kwargs) -> bool:
    request.organiser = get_object_or_404(Organiser, slug=kwargs["organiser"])
    user = request.user
    return user.is_superuser or Team.objects.filter(organiser=request.organiser, members=user).exists()


organiser_member = require("organiser:team-member", _organiser_member_check)


def _choices(user, organiser) -> list:
    """[(organiser, events)]: the organiser's events the user may make tokens for."""
    events = tokens.token_events(user, organiser)
    return [(organiser, events)] if events else []


@organiser_member
def api_tokens(request, organiser):
    """The user's tokens and the form to make one (the new secret is shown once, on this page)."""
    organiser = request.organiser
    choices = _choices(request.user, organiser)
    form = ApiTokenForm(request.POST or None, choices=choices)
    secret = None
    if request.method == "POST":
        form, created = save_form(
            form,
            lambda form: tokens.create_api_token(
                user=request.user,
                organiser=form.chosen_organiser(),
                name=form.cleaned_data["name"],
                events=form.chosen_events(),
                scope=form.cleaned_data["scope"],
            ),
        )
        if created:  # the page shows the secret once, above a new empty form
            _token, secret = created
            form = ApiTokenForm(choices=choices)
    mine = request.user.api_tokens.filter(organiser=organiser).prefetch_related("events")
    return render(
        request,
        "orga/tokens/tokens.html",
        {"organiser": organiser, "form": form, "tokens": mine, "secret": secret},
    )


@require_POST
@organiser_member
def api_token_revoke(request, organiser):
    mine = request.user.api_tokens.filter(organiser=request.organiser)
    token = get_object_or_404(mine, pk=request.POST.get("token") or 0)
    tokens.revoke_api_token(token=token, by=request.user)
    messages.success(
        request,
        _("The token “%(name)s” was revoked; calls with it are refused from now on.") % {"name": token.name},
    )
    return redirect("orga:api_tokens", organiser=request.organiser.slug)
