"""The outbox: every mail is a row written in the transaction of the change that caused it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    HELD = "held", _("Held for review")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


class OutboxMail(models.Model):
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="mails"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # An optional HTML part (a campaign written in Markdown); the text body is always sent.
    html = models.TextField(blank=True, default="")
    template = models.CharField(max_length=80)
    # What the mail is about, e.g. "proposal:42"; held decision mails are replaced per subject.
    about = models.CharField(max_length=80, blank=True, default="", db_index=True)
    status = models.CharField(
        max_length=12, choices=MailStatus.choices, default=MailStatus.QUEUED, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Files sent with the mail: [{"filename", "content_type", "content"}], e.g. an iCal event (text) or a
    # PDF ticket (base64, with "encoding": "base64"); see services.attachment.
    attachments = models.JSONField(default=list, blank=True)
    # Extra headers sent with the mail, e.g. List-Unsubscribe on campaign mail: {"Name": "value"}.
    headers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class Bounce(models.Model):
    """An address the mail server refused or a bounce processor reported (`podium mail bounce`)."""

    class Source(models.TextChoices):
        SMTP = "smtp", _("Refused by the mail server")
        REPORT = "report", _("Reported by bounce processing")

    address = models.EmailField(db_index=True)  # stored lower-cased
    source = models.CharField(max_length=8, choices=Source.choices)
    reason = models.TextField(blank=True)
    mail = models.ForeignKey(
        OutboxMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.address} ({self.get_source_display()})"


class SystemMailTemplate(models.Model):
    """An event's own text for one of the system mails (receipt, decisions, schedule changes, ticket);
    without a row the mail's default text is sent."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="system_mail_templates")
    key = models.CharField(max_length=80)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["event", "key"], name="system_mail_template_unique")]

    def __str__(self):
        return f"{self.event}: {self.key}"
