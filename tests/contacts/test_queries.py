"""What the mail manager and the pages read of contact lists."""

import pytest

from podium.contacts.models import Contact, ContactList, Membership
from podium.contacts.queries import contacts_on, lists_for, recipients
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    organiser = factories.OrganiserFactory()
    press = ContactList.objects.create(organiser=organiser, name="Press")
    speakers = ContactList.objects.create(organiser=organiser, name="Speakers")
    ContactList.objects.create(organiser=organiser, name="Empty")
    for email, name, lists in (
        ("zoe@example.org", "Zoë", [press]),
        ("ada@example.org", "Ada Lovelace", [press, speakers]),
        ("bob@example.org", "", [speakers]),
    ):
        contact = Contact.objects.create(organiser=organiser, email=email, name=name, organisation="Engines")
        for contact_list in lists:
            Membership.objects.create(contact_list=contact_list, contact=contact)
    return organiser


def test_recipients_are_the_lists_contacts_by_address(organiser, django_assert_num_queries):
    press = organiser.contact_lists.get(name="Press")

    with django_assert_num_queries(1):
        rows = list(recipients(press))

    assert [(row.email, row.name) for row in rows] == [
        ("ada@example.org", "Ada Lovelace"),
        ("zoe@example.org", "Zoë"),
    ]


def test_lists_come_with_their_member_counts_in_one_query(organiser, django_assert_num_queries):
    other = factories.OrganiserFactory()
    ContactList.objects.create(organiser=other, name="Not ours")

    with django_assert_num_queries(1):
        counts = [(row.name, row.member_count) for row in lists_for(organiser)]

    assert counts == [("Empty", 0), ("Press", 2), ("Speakers", 2)]


def test_a_lists_contacts_can_be_searched(organiser):
    press = organiser.contact_lists.get(name="Press")

    assert [c.email for c in contacts_on(press)] == ["ada@example.org", "zoe@example.org"]
    assert [c.email for c in contacts_on(press, "LOVE")] == ["ada@example.org"]
    assert [c.email for c in contacts_on(press, "zoe@")] == ["zoe@example.org"]
    assert [c.email for c in contacts_on(press, "engines")] == ["ada@example.org", "zoe@example.org"]
    assert list(contacts_on(press, "bob")) == []
