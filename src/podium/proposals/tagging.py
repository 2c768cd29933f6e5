"""Tags on proposals: the event's tags (name, colour, public or not) and putting them on proposals.

Organisers who manage the event's proposals (`proposals.rules.can_manage_proposals`) create tags and
tag proposals; everyone on the team who sees a proposal sees its tags; the public talk page shows only
the public ones.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events.models import Event, colour_validator
from podium.proposals.models import Proposal, Tag
from podium.proposals.rules import can_manage_proposals

MAX_TAG_NAME = 50


def check_can_tag(by, event: Event) -> None:
    """Refuse `by` unless they may manage the event's proposals (None: an operator)."""
    if by is not None and not can_manage_proposals(by, event):
        raise NotAllowed(_("Only organisers who manage this event's proposals may change its tags."))


def _clean(event: Event, *, name: str, colour: str, exclude: int | None = None) -> tuple[str, str]:
    name = " ".join(str(name or "").split())
    if not name:
        raise ServiceError(_("Give the tag a name."), field="name")
    if len(name) > MAX_TAG_NAME:
        raise ServiceError(
            _("A tag's name has at most %(max)s characters.") % {"max": MAX_TAG_NAME}, field="name"
        )
    colour = str(colour or "").strip() or "#6c757d"
    try:
        colour_validator(colour)
    except ValidationError as exc:
        raise ServiceError(_("Use a colour like #1f6feb."), field="colour") from exc
    taken = event.tags.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ServiceError(_("The event has a tag “%(name)s” already.") % {"name": name}, field="name")
    return name, colour.lower()


@transaction.atomic
def save_tag(
    *,
    event: Event,
    by,
    name: str,
    colour: str = "",
    public: bool = False,
    tag: Tag | None = None,
    version: int | None = None,
) -> Tag:
    """Create a tag of `event` (no `tag`) or change one. A name is unique in the event (ignoring
    case); a stale `version` is refused. Side effects: audit entry."""
    check_can_tag(by, event)
    if tag is not None:
        tag = Tag.objects.select_for_update().filter(event=event, pk=tag.pk).first()
        if tag is None:
            raise ServiceError(_("This tag was deleted."))
        if version is not None and tag.version != version:
            raise StaleEdit(_("Someone else changed this tag while you were editing. Edit it again."))
    name, colour = _clean(event, name=name, colour=colour, exclude=tag.pk if tag else None)
    if tag is None:
        tag = Tag.objects.create(event=event, name=name, colour=colour, public=bool(public))
        action = "tag.created"
    else:
        tag.name, tag.colour, tag.public = name, colour, bool(public)
        tag.version += 1
        tag.save()
        action = "tag.changed"
    audit.record(action=action, actor=by, target=tag, event_id=event.pk, name=name, public=tag.public)
    return tag


@transaction.atomic
def delete_tag(*, tag: Tag, by) -> None:
    """Delete a tag; the proposals keep everything else. Side effects: audit entry."""
    check_can_tag(by, tag.event)
    audit.record(action="tag.deleted", actor=by, target=tag.event, event_id=tag.event_id, name=tag.name)
    tag.delete()


def _tags_of_event(event: Event, tags) -> list[Tag]:
    tags = list(tags)
    if any(tag.event_id != event.pk for tag in tags):
        raise ServiceError(_("Choose tags of this event."), field="tags")
    return tags


@transaction.atomic
def tag_proposals(*, event: Event, by, proposals, tags, add: bool = True) -> int:
    """Put `tags` on `proposals` (`add`) or take them off; proposals and tags must be the event's.
    Returns how many proposal and tag pairs changed. Side effects: one audit entry per proposal changed."""
    check_can_tag(by, event)
    tags = _tags_of_event(event, tags)
    proposals = list(proposals)
    if not tags:
        raise ServiceError(_("Choose a tag."), field="tag")
    if not proposals:
        raise ServiceError(_("Select at least one proposal."), field="codes")
    if any(proposal.event_id != event.pk for proposal in proposals):
        raise ServiceError(_("Choose proposals of this event."), field="codes")
    through = Proposal.tags.through
    existing = set(
        through.objects.filter(
            proposal_id__in=[p.pk for p in proposals], tag_id__in=[t.pk for t in tags]
        ).values_list("proposal_id", "tag_id")
    )
    changed: dict[int, list[str]] = {}
    if add:
        rows = [
            through(proposal_id=p.pk, tag_id=t.pk)
            for p in proposals
            for t in tags
            if (p.pk, t.pk) not in existing
        ]
        through.objects.bulk_create(rows)
        for row in rows:
            changed.setdefault(row.proposal_id, []).append(row.tag_id)
    else:
        for proposal_id, tag_id in existing:
            changed.setdefault(proposal_id, []).append(tag_id)
        through.objects.filter(
            proposal_id__in=[p.pk for p in proposals], tag_id__in=[t.pk for t in tags]
        ).delete()
    names = {t.pk: t.name for t in tags}
    for proposal in proposals:
        if proposal.pk in changed:
            audit.record(
                action="proposal.tagged" if add else "proposal.untagged",
                actor=by,
                target=proposal,
                event_id=event.pk,
                tags=sorted(names[pk] for pk in changed[proposal.pk]),
            )
    return sum(len(ids) for ids in changed.values())


@transaction.atomic
def set_proposal_tags(*, proposal: Proposal, by, tags) -> list[Tag]:
    """Make the proposal's tags exactly `tags` (of its event). Side effects: audit entry when they changed."""
    event = proposal.event
    check_can_tag(by, event)
    tags = _tags_of_event(event, tags)
    current = set(proposal.tags.values_list("pk", flat=True))
    wanted = {tag.pk for tag in tags}
    if current != wanted:
        proposal.tags.set(tags)
        audit.record(
            action="proposal.tags_set",
            actor=by,
            target=proposal,
            event_id=event.pk,
            tags=sorted(tag.name for tag in tags),
        )
    return sorted(tags, key=lambda tag: (tag.name, tag.pk))


def public_tags_by_code(event: Event) -> dict[str, list[Tag]]:
    """The public tags of the event's proposals, by proposal code (each list by name), in two queries."""
    by_code: dict[str, list[Tag]] = {}
    rows = Proposal.tags.through.objects.filter(tag__event=event, tag__public=True)
    for row in rows.order_by("tag__name", "tag_id").values("proposal__code", "tag_id"):
        by_code.setdefault(row["proposal__code"], []).append(row["tag_id"])
    tags = {tag.pk: tag for tag in Tag.objects.filter(event=event, public=True)}
    return {code: [tags[pk] for pk in ids] for code, ids in by_code.items()}


def public_tags(event: Event, code: str) -> list[Tag]:
    """The public tags of the event's proposal with `code` (for its public talk page)."""
    return list(Tag.objects.filter(event=event, public=True, proposals__code=code).order_by("name", "id"))
