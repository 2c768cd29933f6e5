"""Contact use cases: permission checks, the import in one transaction, staged uploads, edits by hand."""

import pytest

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.contacts import services
from podium.contacts.importing import ImportRefused
from podium.contacts.models import Contact, ContactList, Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return factories.EventFactory()


@pytest.fixture
def mailer(event):
    return factories.team_member(event, can_draft_mail=True)


@pytest.fixture
def press(event, mailer):
    return services.create_list(organiser=event.organiser, by=mailer, name="Press")


def test_only_admins_and_mail_teams_may_import(event, mailer):
    data = b"email\nada@example.org\n"
    reviewer = factories.team_member(event, can_review=True, can_edit_event=True)

    with pytest.raises(NotAllowed):
        services.import_contacts(organiser=event.organiser, list_name="Press", data=data, by=reviewer)
    report = services.import_contacts(organiser=event.organiser, list_name="Press", data=data, by=mailer)

    assert report.created == 1
    entry = AuditEntry.objects.get(action="contacts.imported")
    assert (entry.actor, entry.data["created"]) == (mailer, 1)


def test_a_refused_import_writes_nothing_at_all(event):
    data = b"email\nada@example.org\nnot-an-address\n"

    with pytest.raises(ImportRefused):
        services.import_contacts(organiser=event.organiser, list_name="Press", data=data, by=None)

    assert (Contact.objects.count(), ContactList.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)


def test_a_file_too_large_is_refused(event, settings):
    settings.PODIUM_IMPORT_MAX_BYTES = 10

    with pytest.raises(ImportRefused, match="larger than"):
        services.import_contacts(
            organiser=event.organiser, list_name="Press", data=b"email\nada@example.org\n", by=None
        )


def test_a_list_needs_a_name_of_its_own(event, mailer, press):
    with pytest.raises(ServiceError, match="called 'Press' already"):
        services.create_list(organiser=event.organiser, by=mailer, name=" Press ")
    with pytest.raises(ServiceError, match="Give the list a name"):
        services.create_list(organiser=event.organiser, by=mailer, name="  ")


def test_a_staged_upload_is_imported_once_then_gone(event, mailer, settings, tmp_path):
    settings.PODIUM_IMPORT_DIR = tmp_path
    token = services.stage_upload(organiser=event.organiser, data=b"email\nada@example.org\n", by=mailer)

    report = services.import_staged_upload(
        organiser=event.organiser, token=token, by=mailer, list_name="Press"
    )

    assert report.created == 1
    assert list((tmp_path / "contacts").iterdir()) == []
    with pytest.raises(ImportRefused, match="unknown or has expired"):
        services.import_staged_upload(organiser=event.organiser, token=token, by=mailer, list_name="Press")
    with pytest.raises(ImportRefused, match="unknown or has expired"):
        services.import_staged_upload(organiser=event.organiser, token="../../etc", by=mailer, list_name="P")


def test_another_organisers_upload_cannot_be_imported(event, mailer, settings, tmp_path):
    settings.PODIUM_IMPORT_DIR = tmp_path
    other = factories.EventFactory()
    token = services.stage_upload(organiser=other.organiser, data=b"email\nada@example.org\n", by=None)

    with pytest.raises(ImportRefused, match="unknown"):
        services.import_staged_upload(organiser=event.organiser, token=token, by=mailer, list_name="Press")


def test_adding_by_hand_makes_or_reuses_the_contact(event, mailer, press):
    contact, created = services.add_contact(
        contact_list=press, by=mailer, data={"email": " Ada@Example.org ", "name": "Ada"}
    )
    assert (contact.email, created) == ("ada@example.org", True)
    other = services.create_list(organiser=event.organiser, by=mailer, name="Speakers")

    again, created = services.add_contact(
        contact_list=other, by=mailer, data={"email": "ada@example.org", "phone": "123"}
    )

    assert (again.pk, created, again.name, again.phone) == (contact.pk, False, "Ada", "123")
    with pytest.raises(ServiceError, match="on this list already"):
        services.add_contact(contact_list=other, by=mailer, data={"email": "ADA@example.org"})
    with pytest.raises(ServiceError, match="valid e-mail"):
        services.add_contact(contact_list=other, by=mailer, data={"email": "ada@"})


def test_editing_checks_the_version_and_the_address(event, mailer, press):
    ada, _ = services.add_contact(contact_list=press, by=mailer, data={"email": "ada@example.org"})
    services.add_contact(contact_list=press, by=mailer, data={"email": "bob@example.org"})

    saved = services.save_contact(
        contact=ada, by=mailer, data={"email": "ADA@example.org", "name": "Ada L."}, version=1
    )

    assert (saved.name, saved.version) == ("Ada L.", 2)
    with pytest.raises(StaleEdit):
        services.save_contact(contact=ada, by=mailer, data={"email": "ada@example.org"}, version=1)
    with pytest.raises(ServiceError, match=r"Another contact has the address bob@example\.org"):
        services.save_contact(contact=ada, by=mailer, data={"email": "bob@example.org"}, version=2)
    with pytest.raises(ServiceError, match="at most 200"):
        services.save_contact(contact=ada, by=mailer, data={"email": "ada@example.org", "name": "x" * 201})
    assert Contact.objects.get(pk=ada.pk).email == "ada@example.org"


def test_removing_deletes_a_contact_on_no_other_list(event, mailer, press):
    other = services.create_list(organiser=event.organiser, by=mailer, name="Speakers")
    ada, _ = services.add_contact(contact_list=press, by=mailer, data={"email": "ada@example.org"})
    services.add_contact(contact_list=other, by=mailer, data={"email": "ada@example.org"})

    assert services.remove_contact(contact_list=press, contact=ada, by=mailer) is False
    assert Contact.objects.filter(pk=ada.pk).exists()
    assert services.remove_contact(contact_list=other, contact=ada, by=mailer) is True
    assert not Contact.objects.filter(pk=ada.pk).exists()
    assert Membership.objects.count() == 0


def test_someone_outside_the_organiser_changes_nothing(event, press):
    stranger = factories.team_member(factories.EventFactory(), is_admin=True, can_send_mail=True)
    contact = Contact.objects.create(organiser=event.organiser, email="ada@example.org")
    Membership.objects.create(contact_list=press, contact=contact)

    for call in (
        lambda: services.create_list(organiser=event.organiser, by=stranger, name="Mine"),
        lambda: services.add_contact(contact_list=press, by=stranger, data={"email": "b@example.org"}),
        lambda: services.save_contact(contact=contact, by=stranger, data={"email": "c@example.org"}),
        lambda: services.remove_contact(contact_list=press, contact=contact, by=stranger),
        lambda: services.stage_upload(organiser=event.organiser, data=b"", by=stranger),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert Membership.objects.count() == 1
