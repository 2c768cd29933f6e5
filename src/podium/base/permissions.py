"""Every view declares who may reach it.

A view is wrapped by exactly one of the decorators below; each stamps the view with
`podium_permission` so a meta-test can prove that no URL is left without a declared rule.
The rules themselves live in each domain app's `rules.py`.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

ATTR = "podium_permission"


def _stamp(view, permission: str):
    setattr(view, ATTR, permission)
    return view


def public(view):
    """Anyone, logged in or not."""
    return _stamp(view, "public")


def token(view):
    """Anyone holding a secret token from a mail link; the view checks the token itself."""
    return _stamp(view, "token")


def login_required(view):
    """Any logged-in user (their own data only; the view scopes every query to request.user)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _stamp(wrapper, "login")


def require(permission: str, check: Callable):
    """A logged-in user for whom `check(request, **kwargs)` is true; 403 otherwise.

    `check` may attach what it loaded to the request (e.g. request.event) so the view does not
    load it twice.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request, **kwargs):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _stamp(wrapper, permission)

    return decorator
