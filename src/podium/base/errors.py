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
