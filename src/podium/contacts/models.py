"""An organiser's contacts and contact lists: people the team writes to who need no account (press,
partners, past attendees). A contact is one address per organiser; it can be on several lists.
Imported from CSV or vCard (importing.py, `podium contacts import`), kept by hand on the organiser's
pages (services.py), read by the mail manager through queries.py. See docs/contacts.md."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from podium.events.models import Organiser

NAME_LENGTH = 200
ORGANISATION_LENGTH = 200
PHONE_LENGTH = 50
EMAIL_LENGTH = 254


class ContactList(models.Model):
    """A named group of the organiser's contacts ("Press", "Sponsors 2026")."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="contact_lists")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    contacts = models.ManyToManyField("Contact", through="Membership", related_name="lists")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "name"], name="contact_list_name_unique"),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """One address of the organiser's, stored lower-cased (the database refuses another case)."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField(max_length=EMAIL_LENGTH)
    name = models.CharField(max_length=NAME_LENGTH, blank=True)
    organisation = models.CharField(max_length=ORGANISATION_LENGTH, blank=True)
    phone = models.CharField(max_length=PHONE_LENGTH, blank=True)
    notes = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "email"], name="contact_email_unique"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="contact_email_lower_case"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class Membership(models.Model):
    """A contact on a list, since `joined`."""

    contact_list = models.ForeignKey(ContactList, on_delete=models.CASCADE, related_name="memberships")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contact_list", "contact"], name="contact_membership_unique"),
        ]

    def __str__(self):
        return f"{self.contact} on {self.contact_list}"
