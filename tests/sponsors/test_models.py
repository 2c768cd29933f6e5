import pytest

from podium.events.models import Event
from podium.sponsors.models import Deliverable, SponsorLevel, Sponsorship
from tests import sponsoring

pytestmark = pytest.mark.django_db


def test_deleting_an_event_takes_its_levels_and_sponsorships_with_it(event, manager):
    sponsorship = sponsoring.organisation(event, manager)
    gold = sponsoring.level(event, manager)
    sponsoring.services.set_level(sponsorship=sponsorship, level=gold, by=manager)

    Event.objects.filter(pk=event.pk).delete()

    assert not SponsorLevel.objects.exists()
    assert not Sponsorship.objects.exists()
    assert not Deliverable.objects.exists()


def test_a_level_in_use_cannot_be_deleted_on_its_own(event, manager):
    from django.db.models import RestrictedError

    sponsorship = sponsoring.organisation(event, manager)
    gold = sponsoring.level(event, manager)
    sponsoring.services.set_level(sponsorship=sponsorship, level=gold, by=manager)

    with pytest.raises(RestrictedError):
        gold.delete()
