"""Public sponsors for tests: organisations made and moved along the pipeline through the services."""

from podium.sponsors import services
from podium.sponsors.models import Stage
from tests.sponsoring import organisation, png


def sponsor(
    event, by, name="Acme Cloud", *, stage=Stage.COMMITTED, level=None, track=None, logo=False, **data
):
    """An organisation at `event` in `stage` (public by default), with an optional level, sponsored
    track and logo; returns its sponsorship."""
    sponsorship = organisation(event, by, name, **data)
    if logo:
        services.save_organisation(
            event=event, by=by, data={}, organisation=sponsorship.organisation, logo=png(f"{name}.png")
        )
    if level is not None:
        sponsorship = services.set_level(sponsorship=sponsorship, level=level, by=by)
    if track is not None:
        sponsorship = services.save_sponsorship(sponsorship=sponsorship, by=by, data={"track": track})
    if stage != Stage.PROSPECT:
        sponsorship = services.move_stage(sponsorship=sponsorship, stage=stage, by=by)
    sponsorship.refresh_from_db()
    return sponsorship
