import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.sponsors import queries, services
from podium.sponsors.models import Interaction, Organisation, SponsorLevel, Stage
from tests import factories
from tests.querycount import assert_constant_queries
from tests.sponsoring import colleague_fixture, contact, level, manager_fixture, organisation, png  # noqa: F401 (fixtures)
from tests.test_inline_code import inline_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsorship(event, manager):
    found = organisation(event, manager)
    contact(found, manager)
    gold = level(event, manager)
    return services.set_level(sponsorship=found, level=gold, by=manager)


def _urls(event, sponsorship):
    base = f"/orga/event/{event.slug}/sponsors/"
    person = sponsorship.organisation.contacts.first()
    gold = event.sponsor_levels.first()
    return [
        base,
        f"{base}due/",
        f"{base}due/everyone/",
        f"{base}levels/",
        f"{base}levels/new/",
        f"{base}levels/{gold.pk}/",
        f"{base}organisations/new/",
        f"{base}{sponsorship.pk}/",
        f"{base}{sponsorship.pk}/organisation/",
        f"{base}{sponsorship.pk}/contacts/new/",
        f"{base}{sponsorship.pk}/contacts/{person.pk}/",
    ]


def test_every_page_renders_for_the_sponsors_team(client, event, manager, sponsorship):
    client.force_login(manager)
    for url in _urls(event, sponsorship):
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    page = client.get(f"/orga/event/{event.slug}/sponsors/{sponsorship.pk}/").content.decode()
    assert "Acme Cloud" in page
    assert "Dana Lee" in page
    assert "Marketing" in page
    assert "Booth assigned" in page
    assert "Sponsors" in client.get(f"/orga/event/{event.slug}/").content.decode()  # the Organise menu


@pytest.mark.parametrize("flags", [{"can_edit_event": True, "can_send_mail": True}, {"can_review": True}])
def test_a_member_without_the_flag_is_refused(client, event, sponsorship, flags):
    client.force_login(factories.team_member(event, **flags))
    assert {client.get(url).status_code for url in _urls(event, sponsorship)} == {403}
    response = client.post(
        f"/orga/event/{event.slug}/sponsors/{sponsorship.pk}/",
        {"action": "stage", "stage": "declined", "version": sponsorship.version},
    )
    assert response.status_code == 403
    sponsorship.refresh_from_db()
    assert sponsorship.stage == Stage.PROSPECT
    assert "/sponsors/" not in client.get(f"/orga/event/{event.slug}/").content.decode()


def test_another_organisers_team_cannot_reach_them(client, event, sponsorship):
    other = factories.EventFactory()
    client.force_login(factories.team_member(other, is_admin=True, can_manage_sponsors=True))
    assert {client.get(url).status_code for url in _urls(event, sponsorship)} == {403}
    base = f"/orga/event/{other.slug}/sponsors/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{sponsorship.pk}/").status_code == 404
    assert client.get(f"{base}{sponsorship.pk}/organisation/").status_code == 404
    assert client.get(f"{base}levels/{event.sponsor_levels.first().pk}/").status_code == 404


def test_an_admin_manages_them_without_the_flag(client, event, sponsorship):
    client.force_login(factories.team_member(event, is_admin=True))
    assert client.get(f"/orga/event/{event.slug}/sponsors/{sponsorship.pk}/").status_code == 200


def test_logging_on_the_page_puts_it_on_due_this_week(client, event, manager, sponsorship):
    client.force_login(manager)
    url = f"/orga/event/{event.slug}/sponsors/{sponsorship.pk}/"
    today = queries.today_at(event)  # the event's day: the week ends on its Sunday
    response = client.post(
        url,
        {
            "action": "log",
            "kind": "call",
            "summary": "Called about the booth",
            "next_step": "Send the floor plan",
            "due": today.isoformat(),
        },
    )
    assert response.status_code == 302
    entry = Interaction.objects.get()
    assert (entry.by, entry.assigned_to) == (manager, manager)
    due = client.get(f"/orga/event/{event.slug}/sponsors/due/").content.decode()
    assert "Send the floor plan" in due


def test_a_due_date_without_a_next_step_is_shown_and_nothing_is_saved(client, event, manager, sponsorship):
    client.force_login(manager)
    response = client.post(
        f"/orga/event/{event.slug}/sponsors/{sponsorship.pk}/",
        {"action": "log", "kind": "note", "summary": "Thinking", "due": "2031-01-01"},
    )
    assert response.status_code == 200
    assert "Say what the next step is" in response.content.decode()
    assert 'value="Thinking"' in response.content.decode()  # the input is kept
    assert not Interaction.objects.exists()


def test_stage_buttons_move_and_a_refused_move_says_why(client, event, manager, sponsorship):
    client.force_login(manager)
    url = f"/orga/event/{event.slug}/sponsors/{sponsorship.pk}/"
    assert client.post(url, {"action": "stage", "stage": "invoiced", "version": 2}).status_code == 302
    sponsorship.refresh_from_db()
    assert sponsorship.stage == Stage.INVOICED
    response = client.post(url, {"action": "stage", "stage": "prospect", "version": sponsorship.version})
    assert "not to prospect" in response.content.decode()
    stale = client.post(url, {"action": "stage", "stage": "paid", "version": 1})
    assert "Someone else changed" in stale.content.decode()
    sponsorship.refresh_from_db()
    assert sponsorship.stage == Stage.INVOICED


def test_ticking_and_setting_due_dates_on_the_page(client, event, manager, sponsorship):
    client.force_login(manager)
    url = f"/orga/event/{event.slug}/sponsors/{sponsorship.pk}/"
    item = sponsorship.deliverables.get(name="Logo received")
    client.post(url, {"action": "due", "item": item.pk, "version": item.version, "due": "2020-01-01"})
    page = client.get(url).content.decode()
    assert "overdue since" in page
    item.refresh_from_db()
    client.post(url, {"action": "tick", "item": item.pk, "version": item.version})
    item.refresh_from_db()
    assert item.done_by == manager


def test_a_new_organisation_with_an_svg_logo_is_refused_on_the_page(client, event, manager):
    client.force_login(manager)
    url = f"/orga/event/{event.slug}/sponsors/organisations/new/"
    svg = SimpleUploadedFile(
        "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml"
    )
    response = client.post(url, {"name": "Vector Inc", "kind": "sponsor", "logo": svg})
    assert response.status_code == 200
    assert "SVG logos are not accepted" in response.content.decode()
    assert not Organisation.objects.exists()
    response = client.post(url, {"name": "Raster Inc", "kind": "sponsor", "logo": png()})
    assert response.status_code == 302
    assert Organisation.objects.get().logo.name.endswith(".png")


def test_a_stale_organisation_edit_shows_the_stored_values(client, event, manager, sponsorship):
    client.force_login(manager)
    url = f"/orga/event/{event.slug}/sponsors/{sponsorship.pk}/organisation/"
    services.save_organisation(
        event=event, by=manager, data={"name": "Acme Renamed"}, organisation=sponsorship.organisation
    )
    response = client.post(url, {"name": "Acme Mine", "kind": "sponsor", "version": 1})
    page = response.content.decode()
    assert "Someone else changed" in page
    assert "Acme Renamed" in page
    assert Organisation.objects.get().name == "Acme Renamed"


def test_levels_through_the_shared_pattern(client, event, manager):
    client.force_login(manager)
    base = f"/orga/event/{event.slug}/sponsors/levels/"
    response = client.post(
        f"{base}new/",
        {
            "name": "Community",
            "position": 3,
            "price": "250",
            "logo_size": "small",
            "complimentary_tickets": 2,
            "checklist": "Logo received\nTickets issued\n",
        },
    )
    assert response.status_code == 302
    found = SponsorLevel.objects.get()
    assert (found.deliverables, found.complimentary_tickets) == (["Logo received", "Tickets issued"], 2)
    assert client.post(f"{base}{found.pk}/delete/").status_code == 302
    assert not SponsorLevel.objects.exists()


def test_adding_an_existing_organisation_from_the_pipeline(client, event, manager):
    other = factories.EventFactory(organiser=event.organiser)
    org = services.save_organisation(event=other, by=None, data={"name": "Returning Co"})
    client.force_login(manager)
    response = client.post(
        f"/orga/event/{event.slug}/sponsors/", {"organisation": org.pk, "owner": manager.pk}
    )
    assert response.status_code == 302
    assert org.sponsorships.get(event=event).owner == manager


def test_the_pipeline_reads_a_fixed_number_of_queries(client, event, manager):
    client.force_login(manager)
    gold = level(event, manager)
    made = []

    def grow(count):
        for _ in range(count):
            sponsorship = organisation(event, manager, f"Org {len(made)}")
            services.set_level(sponsorship=sponsorship, level=gold, by=manager)
            services.log_interaction(
                sponsorship=sponsorship,
                by=manager,
                data={"summary": "x", "next_step": "y", "due": dt.date(2031, 1, 1)},
            )
            made.append(sponsorship)

    assert_constant_queries(client, f"/orga/event/{event.slug}/sponsors/", grow)
    assert_constant_queries(
        client, f"/orga/event/{event.slug}/sponsors/due/everyone/", grow, small=1, large=4
    )
