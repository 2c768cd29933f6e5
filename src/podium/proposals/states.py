"""The proposal state machine: every allowed transition and who may make it, in one place."""

from podium.proposals.enums import Actor
from podium.proposals.enums import ProposalState as S

SPEAKER = frozenset({Actor.SPEAKER})
ORGANISER = frozenset({Actor.ORGANISER})
BOTH = SPEAKER | ORGANISER

TRANSITIONS: dict[tuple[str, str], frozenset] = {
    (S.SUBMITTED, S.ACCEPTED): ORGANISER,
    (S.SUBMITTED, S.REJECTED): ORGANISER,
    (S.SUBMITTED, S.WITHDRAWN): SPEAKER,
    (S.ACCEPTED, S.CONFIRMED): BOTH,
    (S.ACCEPTED, S.WITHDRAWN): SPEAKER,  # the speaker declines
    (S.ACCEPTED, S.REJECTED): ORGANISER,
    (S.ACCEPTED, S.CANCELLED): ORGANISER,
    (S.ACCEPTED, S.SUBMITTED): ORGANISER,  # undo a decision
    (S.REJECTED, S.ACCEPTED): ORGANISER,
    (S.REJECTED, S.SUBMITTED): ORGANISER,  # undo a decision
    (S.CONFIRMED, S.CANCELLED): ORGANISER,
    (S.CONFIRMED, S.WITHDRAWN): SPEAKER,
    (S.WITHDRAWN, S.SUBMITTED): ORGANISER,  # reopen on the speaker's request
    (S.CANCELLED, S.CONFIRMED): ORGANISER,  # reinstate
}

# Decisions an organiser takes from the review screens (held until notifications are sent).
DECISIONS = (S.ACCEPTED, S.REJECTED)
# States in which a proposal is still editable by its speakers (before the CfP deadline).
SPEAKER_EDITABLE = (S.SUBMITTED,)
# States that count as "in the program" for the schedule.
SCHEDULABLE = (S.ACCEPTED, S.CONFIRMED)


def allowed(from_state: str, to_state: str, actor: str) -> bool:
    return actor in TRANSITIONS.get((from_state, to_state), frozenset())


def targets(from_state: str, actor: str) -> list[str]:
    """The states `actor` may move a proposal in `from_state` to."""
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == from_state and actor in actors]
