"""A person's rows in contact lists: found by their address in any case, exported, deleted on erasure."""

import pytest

from podium.contacts.models import Contact, ContactList, Membership
from podium.privacy.contacts import erase, export
from tests import factories

pytestmark = pytest.mark.django_db


def test_rows_with_the_address_in_any_case_are_exported_and_erased_others_stay():
    user = factories.UserFactory(email="Ada@Example.org")
    organiser = factories.OrganiserFactory(slug="pycon")
    press = ContactList.objects.create(organiser=organiser, name="Press")
    mine = Contact.objects.create(organiser=organiser, email="ada@example.org", name="Ada", phone="123")
    other = Contact.objects.create(organiser=organiser, email="bob@example.org", name="Bob")
    for contact in (mine, other):
        Membership.objects.create(contact_list=press, contact=contact)

    exported = export(user)["contacts"]

    assert [(row["organiser"], row["email"], row["phone"], row["lists"]) for row in exported] == [
        ("pycon", "ada@example.org", "123", ["Press"])
    ]
    assert erase(user) == {"contacts": 1}
    assert list(Contact.objects.values_list("email", flat=True)) == ["bob@example.org"]
    assert list(press.contacts.all()) == [other]
