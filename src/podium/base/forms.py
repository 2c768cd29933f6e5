"""The form side of the one write path: a form validates, one service saves, and a refusal or a
stale edit shows on the page the way every edit page shows it."""

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict

from podium.base.errors import ServiceError, StaleEdit, apply_error


class ConflictMixin:
    """For the forms of objects two people can edit at once (see StaleEdit)."""

    def show_conflict(self, message: str) -> None:
        """Show `message` above the fields: above the stored values (an unbound form), or above the
        user's input kept to be saved again knowingly (a bound form, which keeps its own errors)."""
        if self.is_bound:
            self.add_error(None, message)
            return
        self._errors = ErrorDict()
        self._errors[NON_FIELD_ERRORS] = self.error_class(
            [message], error_class="nonfield", renderer=self.renderer
        )


def save_form(form, save: Callable, *, reload: Callable | None = None, refresh=None, fields=None):
    """Validate `form` and save it with `save(form)`, which calls the service and returns what it saved.

    - A refusal (ServiceError) shows on the form field it names (`fields` renames the service's
      field names to the form's, see apply_error).
    - A stale edit (StaleEdit: someone saved in between), when `reload` is given, shows `reload()`
      instead: the form filled with the values stored now, the conflict above its fields. When
      `reload()` returns None (the object is gone) the StaleEdit goes on to the caller. Without
      `reload` a stale edit is refused like any other error.
    - `refresh` is the object the form edits, read again from the database whenever nothing was
      saved (a model form's validation writes the input into it; the page shows what is stored).

    Returns (the form to show, what `save` returned or None when nothing was saved).
    """
    conflict = None
    if form.is_valid():
        try:
            return form, save(form)
        except StaleEdit as exc:
            if reload is None:
                apply_error(form, exc, fields)
            else:
                conflict = exc
        except ServiceError as exc:
            apply_error(form, exc, fields)
    if refresh is not None:
        refresh.refresh_from_db()
    if conflict is None:
        return form, None
    stored = reload()
    if stored is None:
        raise conflict
    stored.show_conflict(conflict.message)
    return stored, None
