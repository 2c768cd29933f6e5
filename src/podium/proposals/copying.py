"""The proposals' part of copying an event (events.copying): its tags, none of its proposals."""

from podium.proposals.models import Tag


def copy_tags(*, source, target) -> None:
    """Give `target` the tags of `source` (name, colour, public)."""
    Tag.objects.bulk_create(
        [Tag(event=target, name=tag.name, colour=tag.colour, public=tag.public) for tag in source.tags.all()]
    )
