"""What proposals tell the apps above them, without importing them.

`proposal_state_changed` is sent by `services.change_state` once the transaction that changed the
state has committed (never for a change that was rolled back), with `proposal`, `old` and `new` (the
states). Receivers run after the commit, in their own transactions (registration issues and cancels
speakers' complimentary tickets); a receiver's failure does not undo the state change.

`proposal_edited` is sent by `services.update_proposal` inside its transaction, after the proposal is
saved, with `proposal` and `fields` (the names of the fields that changed). Receivers write what the
edit sets off in the same commit (attendance gives the seats a session gained by moving to another
session type to the people waiting for them).
"""

from django.dispatch import Signal

proposal_state_changed = Signal()
proposal_edited = Signal()
