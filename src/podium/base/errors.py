"""Errors raised by services, carrying a message an end user can act on."""


class ServiceError(Exception):
    """A refused use case. `str(error)` is shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    pass


class StaleEdit(ServiceError):
    """Someone else saved this object since it was loaded."""


def apply_error(form, exc: ServiceError, fields: dict | None = None) -> None:
    """Show a service's refusal on the form field it names (renamed through `fields` where the form calls
    it something else), or above the form."""
    field = (fields or {}).get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
