"""The organiser's contact list pages: who may, the upload (dry run, then import), edits by hand."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.contacts.models import Contact, ContactList, Membership
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

CSV = "Email;Name;Company\nada@example.org;Ada Lovelace;Engines\nzoe@example.org;Zoë Ångström;\n"


@pytest.fixture
def event():
    return factories.EventFactory()


@pytest.fixture
def mailer(event):
    return factories.team_member(event, can_send_mail=True)


@pytest.fixture
def press(event):
    return ContactList.objects.create(organiser=event.organiser, name="Press")


def _base(event) -> str:
    return f"/orga/organiser/{event.organiser.slug}/contacts/"


def _member(contact_list, email, **values):
    contact = Contact.objects.create(organiser=contact_list.organiser, email=email, **values)
    Membership.objects.create(contact_list=contact_list, contact=contact)
    return contact


def _upload(text: str, name: str = "people.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _urls(event, contact_list, contact) -> list[str]:
    base = f"{_base(event)}{contact_list.pk}/"
    return [_base(event), base, f"{base}import/", f"{base}add/", f"{base}contact/{contact.pk}/"]


@pytest.mark.parametrize("flags", [{"is_admin": True}, {"can_send_mail": True}, {"can_draft_mail": True}])
def test_admins_and_mail_teams_see_the_pages(client, event, press, flags):
    contact = _member(press, "ada@example.org", name="Ada Lovelace")
    client.force_login(factories.team_member(event, **flags))

    assert [client.get(url).status_code for url in _urls(event, press, contact)] == [200] * 5
    assert "Ada Lovelace" in client.get(_urls(event, press, contact)[1]).content.decode()


@pytest.mark.parametrize("flags", [{"can_edit_event": True, "can_review": True}, {"can_approve_mail": True}])
def test_other_team_members_are_refused(client, event, press, flags):
    contact = _member(press, "ada@example.org")
    client.force_login(factories.team_member(event, **flags))

    assert [client.get(url).status_code for url in _urls(event, press, contact)] == [403] * 5
    remove = f"{_base(event)}{press.pk}/contact/{contact.pk}/remove/"
    assert client.post(remove).status_code == 403
    assert client.post(_base(event), {"name": "Mine"}).status_code == 403
    assert Membership.objects.count() == 1


def test_another_organisers_team_gets_403_here_and_404_for_these_lists_under_its_own(client, event, press):
    contact = _member(press, "ada@example.org")
    other = factories.EventFactory()
    client.force_login(factories.team_member(other, is_admin=True, can_send_mail=True))

    assert [client.get(url).status_code for url in _urls(event, press, contact)] == [403] * 5
    own = f"/orga/organiser/{other.organiser.slug}/contacts/{press.pk}/"
    assert client.get(_base(other)).status_code == 200
    assert [client.get(url).status_code for url in (own, f"{own}import/", f"{own}contact/{contact.pk}/")] == [
        404
    ] * 3
    assert client.post(f"{own}contact/{contact.pk}/remove/").status_code == 404


def test_a_contact_of_another_list_is_not_found_through_this_one(client, event, press, mailer):
    other = ContactList.objects.create(organiser=event.organiser, name="Speakers")
    stranger = _member(other, "bob@example.org")
    client.force_login(mailer)

    assert client.get(f"{_base(event)}{press.pk}/contact/{stranger.pk}/").status_code == 404


def test_making_a_list(client, event, mailer, press):
    client.force_login(mailer)

    response = client.post(_base(event), {"name": "Partners", "description": "Sponsors and friends"})

    made = ContactList.objects.get(name="Partners")
    assert response.status_code == 302
    assert response["Location"] == f"{_base(event)}{made.pk}/"
    again = client.post(_base(event), {"name": "Press"})
    assert "There is a list called &#x27;Press&#x27; already." in again.content.decode()


def test_upload_shows_a_dry_run_then_imports(client, event, mailer, press, settings, tmp_path):
    settings.PODIUM_IMPORT_DIR = tmp_path
    client.force_login(mailer)
    url = f"{_base(event)}{press.pk}/import/"

    preview = client.post(url, {"file": _upload(CSV)})

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Would create 2, updated 0, unchanged 0, skipped 0." in page
    assert "Nothing has been saved yet" in page
    assert Contact.objects.count() == 0
    token = preview.context["apply_form"].initial["token"]
    done = client.post(f"{url}apply/", {"token": token, "filename": "people.csv", "skip_invalid": "False"})
    assert done.status_code == 200
    assert "Created 2, updated 0, unchanged 0, skipped 0." in done.content.decode()
    assert sorted(press.contacts.values_list("name", flat=True)) == ["Ada Lovelace", "Zoë Ångström"]
    assert list((tmp_path / "contacts").iterdir()) == []
    gone = client.post(f"{url}apply/", {"token": token, "filename": "people.csv"})
    assert gone.status_code == 400
    assert "unknown or has expired" in gone.content.decode()


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_import_report_is_in_the_organisers_language(client, event, mailer, press, settings, tmp_path):
    settings.PODIUM_IMPORT_DIR = tmp_path
    client.force_login(mailer)

    preview = client.post(
        f"{_base(event)}{press.pk}/import/", {"file": _upload(CSV)}, headers={"accept-language": "de"}
    )

    page = preview.content.decode()
    assert "Gelesen: people.csv als CSV, Trennzeichen &#x27;;&#x27;: 2 Kontakte." in page
    assert "Würde 2 anlegen, 0 aktualisieren, 0 unverändert lassen, 0 überspringen." in page
    assert "Would create" not in page


def test_bad_addresses_are_listed_and_nothing_is_staged_until_they_are_left_out(
    client, event, mailer, press, settings, tmp_path
):
    settings.PODIUM_IMPORT_DIR = tmp_path
    client.force_login(mailer)
    url = f"{_base(event)}{press.pk}/import/"
    text = CSV + "bob@;Bob;\n"

    refused = client.post(url, {"file": _upload(text)})

    assert refused.status_code == 400
    assert "line 4: &#x27;bob@&#x27; is not an e-mail address" in refused.content.decode()
    assert not (tmp_path / "contacts").exists() or list((tmp_path / "contacts").iterdir()) == []
    preview = client.post(url, {"file": _upload(text), "skip_invalid": "on"})
    token = preview.context["apply_form"].initial["token"]
    done = client.post(f"{url}apply/", {"token": token, "filename": "people.csv", "skip_invalid": "True"})
    assert "Created 2, updated 0, unchanged 0, skipped 1." in done.content.decode()


def test_a_file_without_an_email_column_is_refused_on_the_form(client, event, mailer, press):
    client.force_login(mailer)

    response = client.post(f"{_base(event)}{press.pk}/import/", {"file": _upload("Name,Phone\nAda,1\n")})

    assert response.status_code == 400
    assert "no e-mail column" in response.content.decode()


def test_a_vcard_upload(client, event, mailer, press, settings, tmp_path):
    settings.PODIUM_IMPORT_DIR = tmp_path
    client.force_login(mailer)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"

    preview = client.post(f"{_base(event)}{press.pk}/import/", {"file": _upload(card, "ada.vcf")})

    assert "as vCard" in preview.content.decode()


def test_adding_editing_and_removing_by_hand(client, event, mailer, press):
    client.force_login(mailer)
    base = f"{_base(event)}{press.pk}/"

    added = client.post(f"{base}add/", {"email": "Ada@Example.org", "name": "Ada"})
    ada = Contact.objects.get(email="ada@example.org")
    bad = client.post(f"{base}add/", {"email": "bob@"})
    edited = client.post(
        f"{base}contact/{ada.pk}/", {"email": "ada@example.org", "name": "Ada L.", "version": 1}
    )
    stale = client.post(f"{base}contact/{ada.pk}/", {"email": "ada@example.org", "name": "Old", "version": 1})

    assert (added.status_code, bad.status_code, edited.status_code) == (302, 200, 302)
    assert "Give a valid e-mail address." in bad.content.decode()
    assert "changed meanwhile" in stale.content.decode()
    assert Contact.objects.get(pk=ada.pk).name == "Ada L."
    removed = client.post(f"{base}contact/{ada.pk}/remove/", follow=True)
    assert "was taken off the list. It was on no other list, so it was deleted." in removed.content.decode()
    assert not Contact.objects.exists()


def test_the_list_page_is_searched_and_paginated(client, event, mailer, press):
    for n in range(105):
        _member(press, f"p{n:03d}@example.org", name=f"Person {n:03d}")
    _member(press, "ada@example.org", name="Ada Lovelace")
    client.force_login(mailer)
    url = f"{_base(event)}{press.pk}/"

    first, second = client.get(url), client.get(f"{url}?page=2")
    found = client.get(f"{url}?q=lovelace")

    assert "Page 1 of 2" in first.content.decode()
    assert "p104@example.org" in second.content.decode()
    assert "1 contact matching" in found.content.decode()


def test_the_list_page_reads_the_same_number_of_queries_whatever_its_size(client, event, mailer, press):
    client.force_login(mailer)
    count = iter(range(1000))

    def grow(n):
        for _ in range(n):
            _member(press, f"p{next(count)}@example.org", name="Someone", organisation="Somewhere")

    assert_constant_queries(client, f"{_base(event)}{press.pk}/", grow)
    assert_constant_queries(client, _base(event), lambda n: [
        ContactList.objects.create(organiser=event.organiser, name=f"List {next(count)}") for _ in range(n)
    ])  # fmt: skip


def test_the_organiser_page_links_to_the_lists(client, event):
    client.force_login(factories.team_member(event, is_admin=True))

    page = client.get(f"/orga/organiser/{event.organiser.slug}/").content.decode()

    assert f'href="{_base(event)}"' in page
