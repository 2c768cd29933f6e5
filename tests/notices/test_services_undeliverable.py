"""Release notices never go to addresses in the reserved `.invalid` domain (imported and erased
people), and no calendar is rendered for them; an import therefore queues no mail at all."""

import pytest

from podium.interop.services import import_program
from podium.mail.models import OutboxMail
from podium.notices import services as notices
from tests import factories
from tests.program import at, place, placed_talk, release
from tests.shared import SCHEDULE_DATA

pytestmark = pytest.mark.django_db


def test_a_speaker_at_an_invalid_address_gets_no_notice(event):
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    ada = factories.UserFactory(name="Ada")
    ghost = factories.UserFactory(name="Imported", email="conf-7-abc@imported.invalid")
    talk = placed_talk(event, "First", "Hall A", at(event, 10), scheduler, speakers=[ada, ghost])
    release(event, scheduler)
    place(event, talk, "Hall A", at(event, 15), scheduler)

    published = release(event, scheduler)

    sent_to = set(
        OutboxMail.objects.filter(about=notices.speaker_about(published)).values_list("to", flat=True)
    )
    assert sent_to == {ada.email}


def test_an_import_queues_no_mail():
    organiser = factories.OrganiserFactory()
    data = (SCHEDULE_DATA / "pretalx/mrmcd2019.schedule.xml").read_bytes()

    report = import_program(
        data=data, by=None, event_slug="mrmcd", organiser_slug=organiser.slug, time_zone="Europe/Berlin"
    )

    assert report.release == "v1"
    assert not OutboxMail.objects.filter(event__slug="mrmcd").exists()
