"""Sponsors for tests, made through the services as the sponsors team would."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from podium.sponsors import services
from tests import factories


def png(name="logo.png", size=(40, 20), colour="navy") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def organisation(event, by, name="Acme Cloud", **data):
    """A new organisation of the event's organiser, in the event's pipeline; returns its sponsorship."""
    org = services.save_organisation(event=event, by=by, data={"name": name, **data})
    return org.sponsorships.get(event=event)


def level(event, by, name="Gold", **data):
    values = {"price": 5000, "deliverables": ["Logo received", "Invoice sent", "Booth assigned"], **data}
    return services.save_level(event=event, by=by, data={"name": name, **values})


def contact(sponsorship, by, name="Dana Lee", email="dana@acme.example", **data):
    return services.save_contact(
        event=sponsorship.event,
        organisation=sponsorship.organisation,
        by=by,
        data={"name": name, "email": email, "role": "Marketing", **data},
    )


# The fixtures the sponsor test modules share: each imports those it uses.


@pytest.fixture(name="manager")
def manager_fixture(event):
    """A team member who manages sponsors (and nothing else)."""
    return factories.team_member(event, name="Sponsors", can_manage_sponsors=True)


@pytest.fixture(name="colleague")
def colleague_fixture(event):
    """A second member of the sponsors team."""
    return factories.team_member(event, name="Sponsors too", can_manage_sponsors=True)


def seeded(event, by) -> dict:
    """An organisation at `event` with a person, a level, a checklist item overdue, a log entry with a
    next step due today and a mail to its person, for crawlers: {"sponsorship", "sponsor_level"}."""
    import datetime as dt

    from podium.mail.models import OutboxMail
    from podium.sponsors import queries

    sponsorship = organisation(event, by, "Crawled Sponsor Co", logo=png())
    contact(sponsorship, by, email="crawled@sponsor.example", is_primary=True)
    gold = level(event, by, "Crawled Gold", booth=True, complimentary_tickets=2)
    sponsorship = services.set_level(sponsorship=sponsorship, level=gold, by=by)
    item = sponsorship.deliverables.first()
    services.set_deliverable_due(deliverable=item, due=dt.date(2020, 1, 1), by=by)
    services.log_interaction(
        sponsorship=sponsorship,
        by=by,
        data={"summary": "Called", "next_step": "Send the plan", "due": queries.today_at(event)},
    )
    OutboxMail.objects.create(
        event=event, to="crawled@sponsor.example", subject="Your tickets", body="…", template="t"
    )
    return {"sponsorship": sponsorship, "sponsor_level": gold}
