"""Reading contact lists: for the mail manager (recipients), and for the organiser's pages."""

from django.db.models import Count, Q, QuerySet

from podium.contacts.models import Contact, ContactList


def recipients(contact_list: ContactList) -> QuerySet:
    """The list's contacts as (email, name, organisation) rows (named tuples), by address, in one query when read.

    A query set: count it, slice it or read it with `.iterator()` for large lists."""
    return (
        Contact.objects.filter(memberships__contact_list=contact_list)
        .order_by("email")
        .values_list("email", "name", "organisation", named=True)
    )


def lists_for(organiser) -> QuerySet:
    """The organiser's contact lists by name, each with `member_count`, in one query."""
    return (
        ContactList.objects.filter(organiser=organiser)
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )


def contacts_on(contact_list: ContactList, search: str = "") -> QuerySet:
    """The list's contacts by address, those whose address, name or organisation contain `search`."""
    contacts = Contact.objects.filter(memberships__contact_list=contact_list).order_by("email")
    search = search.strip()
    if search:
        contacts = contacts.filter(
            Q(email__icontains=search) | Q(name__icontains=search) | Q(organisation__icontains=search)
        )
    return contacts
