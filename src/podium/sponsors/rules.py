"""Who may work on an event's sponsors, exhibitors, media and partners, and how a sponsorship moves
along the pipeline. No HTTP here; services check these, pages ask them.

- The organisations, their contacts, the levels, the pipeline and the log of an event are for team
  members with `can_manage_sponsors` in the event and for the organiser's administrators (`is_admin`).
- The pipeline runs prospect → contacted → committed → invoiced → paid. A sponsorship moves forward
  one or more steps, back one step, to declined from any stage, and out of declined back to prospect
  or contacted (`may_move`, the one place this rule is written).
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from podium.base.errors import NotAllowed, ServiceError
from podium.events.rules import permissions_for
from podium.sponsors.models import Stage

MANAGE_FLAGS = ("can_manage_sponsors", "is_admin")
#: The pipeline's stages in order; declined stands beside them.
PIPELINE = (Stage.PROSPECT, Stage.CONTACTED, Stage.COMMITTED, Stage.INVOICED, Stage.PAID)
#: Where a declined sponsorship may start again.
REOPEN = (Stage.PROSPECT, Stage.CONTACTED)


def can_manage_sponsors(user, event) -> bool:
    """Whether `user` works on the event's sponsors (pages, log, pipeline)."""
    return permissions_for(user, event).has_any(MANAGE_FLAGS)


def check_can_manage_sponsors(by, event) -> None:
    """Refuse `by` unless they manage the event's sponsors (None: an operator on the command line)."""
    if by is not None and not can_manage_sponsors(by, event):
        raise NotAllowed(_("Only team members who manage sponsors may do this."))


def may_move(current: str, target: str) -> bool:
    """Whether a sponsorship in stage `current` may move to `target`."""
    if current == target or target not in Stage.values:
        return False
    if target == Stage.DECLINED:
        return True
    if current == Stage.DECLINED:
        return target in REOPEN
    here, there = PIPELINE.index(current), PIPELINE.index(target)
    return there > here or there == here - 1


def moves_from(current: str) -> list[str]:
    """The stages a sponsorship in `current` may move to, in the pipeline's order (declined last)."""
    return [stage for stage in (*PIPELINE, Stage.DECLINED) if may_move(current, stage)]


def check_move(current: str, target: str) -> None:
    """Refuse a move the pipeline does not allow, saying which moves it does."""
    if may_move(current, target):
        return
    if target not in Stage.values:
        raise ServiceError(_("Choose a stage of the pipeline."), field="stage")
    if current == target:
        raise ServiceError(_("It is %(stage)s already.") % {"stage": in_sentence(current)}, field="stage")
    allowed = ", ".join(in_sentence(stage) for stage in moves_from(current))
    raise ServiceError(
        _("From %(stage)s it can move to %(allowed)s; not to %(target)s.")
        % {"stage": in_sentence(current), "allowed": allowed, "target": in_sentence(target)},
        field="stage",
    )


def in_sentence(stage: str) -> str:
    """A stage's name as said inside a sentence ("it is contacted already")."""
    names = {
        Stage.PROSPECT: pgettext("sponsorship stage, inside a sentence", "prospect"),
        Stage.CONTACTED: pgettext("sponsorship stage, inside a sentence", "contacted"),
        Stage.COMMITTED: pgettext("sponsorship stage, inside a sentence", "committed"),
        Stage.INVOICED: pgettext("sponsorship stage, inside a sentence", "invoiced"),
        Stage.PAID: pgettext("sponsorship stage, inside a sentence", "paid"),
        Stage.DECLINED: pgettext("sponsorship stage, inside a sentence", "declined"),
    }
    return names.get(stage) or Stage(stage).label.lower()
