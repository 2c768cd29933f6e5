"""What events tell the apps above them, without importing them.

`session_type_saved` is sent by `services.save_session_type` inside its transaction, after the type is
saved, with `session_type`. Receivers write what the change sets off in the same commit (attendance
gives the seats a type's sessions gained to the people waiting for them).
"""

from django.dispatch import Signal

session_type_saved = Signal()
