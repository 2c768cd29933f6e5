"""Mail campaigns: a template and an audience of an event become one held outbox mail per person,
reviewed, approved, then sent at a rate. See docs/mail.md, "Campaigns"."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event, Organiser
from podium.mail.models import OutboxMail


class Template(models.Model):
    """A campaign's text: a subject and a body with `{name}` placeholders (mail.placeholders), and an
    optional HTML part rendered from the body as Markdown."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="campaign_templates")
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_enabled = models.BooleanField(
        default=False, verbose_name=_("Also send as HTML"), help_text=_("The body is read as Markdown.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="campaign_template_name_unique")
        ]

    def __str__(self):
        return self.name


class Audience(models.Model):
    """A saved, live filter over the people Podium knows (campaigns.audiences: one kind, its filters)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="campaign_audiences")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=40)
    filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="campaign_audience_name_unique")
        ]

    def __str__(self):
        return self.name


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(models.Model):
    """One mailing: an audience and a template. Submitting writes the held mails (the text is kept as it
    was then); approving and sending release them at `rate_per_minute`."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=200)
    audience = models.ForeignKey(Audience, on_delete=models.RESTRICT, related_name="campaigns")
    template = models.ForeignKey(Template, on_delete=models.RESTRICT, related_name="campaigns")
    # The text as submitted for review (the template may change afterwards).
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    html_enabled = models.BooleanField(default=False)
    state = models.CharField(max_length=12, choices=CampaignState.choices, default=CampaignState.DRAFT)
    rate_per_minute = models.PositiveIntegerField(default=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[choice.value for choice in CampaignState]), name="campaign_state_valid"
            ),
            models.CheckConstraint(condition=Q(rate_per_minute__gte=1), name="campaign_rate_positive"),
        ]

    def __str__(self):
        return self.name


class SkipReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Address bounced")
    UNDELIVERABLE = "undeliverable", _("No deliverable address")


class CampaignRecipient(models.Model):
    """One person of a submitted campaign: the mail they got (or why they were skipped). At most one
    per address and campaign, so a resumed send never writes a second mail."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    address = models.EmailField()  # lower-cased
    name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mail = models.OneToOneField(
        OutboxMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaign_recipient"
    )
    skipped = models.CharField(max_length=16, choices=SkipReason.choices, blank=True)

    class Meta:
        ordering = ["address", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "address"], name="campaign_recipient_unique"),
        ]

    def __str__(self):
        return self.address


class Unsubscription(models.Model):
    """An address that gets no more campaign mail from this organiser (transactional mail still goes)."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="unsubscriptions")
    address = models.EmailField()  # lower-cased
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="unsubscriptions"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["organiser", "address"], name="unsubscription_unique")]

    def __str__(self):
        return self.address
