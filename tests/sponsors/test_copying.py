import pytest

from podium.events.copying import copy_event
from podium.sponsors.models import SponsorLevel

pytestmark = pytest.mark.django_db


def test_sponsor_levels_are_copied_without_sponsorships(event, organiser_user):
    SponsorLevel.objects.create(event=event, name="Gold", price=5000, booth=True, deliverables=["Logo"])

    copy = copy_event(actor=organiser_user, source=event, name="Next", slug="next-one", start=event.date_from)

    level = copy.sponsor_levels.get()
    assert (level.name, level.price, level.booth, level.deliverables) == ("Gold", 5000, True, ["Logo"])
    assert not copy.sponsorships.exists()
