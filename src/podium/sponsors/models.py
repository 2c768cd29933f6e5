"""Sponsors, exhibitors, media and partners: the organisations an organiser talks to, their people, what
they take at each event (a level and its deliverables), and the log of every conversation."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SPONSOR = "sponsor", _("Sponsor")
    EXHIBITOR = "exhibitor", _("Exhibitor")
    MEDIA = "media", _("Media / press")
    PARTNER = "partner", _("Partner")


class Organisation(models.Model):
    """A company or group the organiser deals with, across its events."""

    organiser = models.ForeignKey(
        "events.Organiser", on_delete=models.CASCADE, related_name="partner_organisations"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=OrganisationKind.choices, default=OrganisationKind.SPONSOR)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True, help_text=_("Shown on the public sponsors page (Markdown)."))
    # A raster image, re-encoded on upload (base.uploads.clean_image); SVG is refused.
    logo = models.ImageField(upload_to="sponsors/", blank=True)
    notes = models.TextField(blank=True, help_text=_("For the team only."))
    created = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "name"], name="partner_organisation_name_unique")
        ]

    def __str__(self):
        return self.name


class OrganisationContact(models.Model):
    """A person at an organisation, with their role (marketing, booth lead, journalist, …)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=120, blank=True)
    is_primary = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class LogoSize(models.TextChoices):
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


def default_deliverables() -> list[str]:
    return ["Logo received", "Invoice sent", "Tickets issued"]


class SponsorLevel(models.Model):
    """A package an event sells (Gold, Silver, Community …): its price, benefits and checklist."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sponsor_levels")
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0, help_text=_("Lower comes first on the sponsors page."))
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    booth = models.BooleanField(default=False)
    talk_slot = models.BooleanField(default=False)
    logo_size = models.CharField(max_length=6, choices=LogoSize.choices, default=LogoSize.MEDIUM)
    complimentary_tickets = models.PositiveIntegerField(default=0)
    # The checklist every sponsorship at this level starts with (names of deliverables).
    deliverables = models.JSONField(default=default_deliverables, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="sponsor_level_name_unique")]

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    CONTACTED = "contacted", _("Contacted")
    COMMITTED = "committed", _("Committed")
    INVOICED = "invoiced", _("Invoiced")
    PAID = "paid", _("Paid")
    DECLINED = "declined", _("Declined")


# Stages in which an organisation shows publicly (its logo, the sponsors page, the sponsored mark).
PUBLIC_STAGES = (Stage.COMMITTED, Stage.INVOICED, Stage.PAID)


class Sponsorship(models.Model):
    """An organisation at one event: its level, where it is in the pipeline, and who looks after it."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sponsorships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sponsorships")
    level = models.ForeignKey(
        SponsorLevel, null=True, blank=True, on_delete=models.RESTRICT, related_name="sponsorships"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PROSPECT, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Talks in this track are marked "sponsored by" the organisation (a "Sponsor Tutorials" track).
    track = models.ForeignKey(
        "events.Track", null=True, blank=True, on_delete=models.SET_NULL, related_name="sponsorships"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    stage_changed = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="sponsorship_unique"),
        ]

    def __str__(self):
        return f"{self.organisation} at {self.event}"

    @property
    def is_public(self) -> bool:
        return self.stage in PUBLIC_STAGES


class InteractionKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    MAIL = "mail", _("Mail")
    NOTE = "note", _("Note")


class Interaction(models.Model):
    """One entry in an organisation's log at an event: what happened, and what is next by when."""

    sponsorship = models.ForeignKey(Sponsorship, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=8, choices=InteractionKind.choices, default=InteractionKind.NOTE)
    happened_at = models.DateTimeField()
    summary = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    contact = models.ForeignKey(
        OrganisationContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_step = models.CharField(max_length=300, blank=True)
    due = models.DateField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-happened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due__isnull=True) | ~Q(next_step=""), name="interaction_due_has_next_step"
            )
        ]

    def __str__(self):
        return self.summary


class Deliverable(models.Model):
    """One item of a sponsorship's checklist (logo received, booth assigned …), due by a date."""

    sponsorship = models.ForeignKey(Sponsorship, on_delete=models.CASCADE, related_name="deliverables")
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    due = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sponsorship", "name"], name="deliverable_name_unique")
        ]

    def __str__(self):
        return self.name

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_at is None and self.due is not None and self.due < today
