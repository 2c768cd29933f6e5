"""The sponsors' part of copying an event (events.copying): its sponsor levels, none of its sponsorships."""

from podium.sponsors.models import SponsorLevel


def copy_sponsor_levels(*, source, target) -> None:
    """Give `target` the sponsor levels of `source` (price, benefits, logo size, checklist)."""
    SponsorLevel.objects.bulk_create(
        [
            SponsorLevel(
                event=target,
                name=level.name,
                position=level.position,
                price=level.price,
                booth=level.booth,
                talk_slot=level.talk_slot,
                logo_size=level.logo_size,
                complimentary_tickets=level.complimentary_tickets,
                deliverables=list(level.deliverables or []),
            )
            for level in source.sponsor_levels.all()
        ]
    )
