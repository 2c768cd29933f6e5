"""The sponsors' part of copying an event (events.copying): its sponsor levels, none of its sponsorships."""

import copy

from podium.sponsors.models import SponsorLevel
from podium.sponsors.services import LEVEL_FIELDS


def copy_sponsor_levels(*, source, target) -> None:
    """Give `target` the sponsor levels of `source` (price, benefits, logo size, checklist)."""
    SponsorLevel.objects.bulk_create(
        [
            SponsorLevel(event=target, **{name: copy.copy(getattr(level, name)) for name in LEVEL_FIELDS})
            for level in source.sponsor_levels.all()
        ]
    )
