"""What proposals tell the apps above them, without importing them.

`proposal_state_changed` is sent by `services.change_state` once the transaction that changed the
state has committed (never for a change that was rolled back), with `proposal`, `old` and `new` (the
states). Receivers run after the commit, in their own transactions (registration issues and cancels
speakers' complimentary tickets); a receiver's failure does not undo the state change.
"""

from django.dispatch import Signal

proposal_state_changed = Signal()
