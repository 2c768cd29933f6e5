"""Mail campaign use cases: templates and audiences, a campaign's draft, its submission for review
(one held outbox mail per person), approval, sending (campaigns.sending releases the held mails at
the campaign's rate), cancelling, and unsubscribing.

Every state change of a campaign is a conditional UPDATE on its state, so two people acting at once
cannot both succeed (the loser gets StaleEdit), and each is in the audit log.
"""

import html as html_lib
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from podium.base import audit
from podium.base.errors import ServiceError, StaleEdit
from podium.base.text import render_markdown
from podium.campaigns import audiences, rules, unsubscribe
from podium.campaigns.models import (
    Audience,
    Campaign,
    CampaignRecipient,
    CampaignState,
    SkipReason,
    Template,
    Unsubscription,
)
from podium.mail import about, placeholders
from podium.mail.models import Bounce, MailStatus, OutboxMail
from podium.mail.services import recipient_language, undeliverable

#: Rows written per INSERT when a campaign is submitted.
BATCH = 1000
MAX_RATE = 10_000
TEMPLATE_NAME = "campaign"


def _problems(errors: dict) -> None:
    if errors:
        field, messages = next(iter(errors.items()))
        raise ServiceError(" ".join(messages), field=field)


def _check_text(subject: str, body: str, allowed) -> None:
    """Refuse unknown placeholders, attribute paths, indexes and formats in the subject and body."""
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            placeholders.check(text, [p.name for p in allowed])
        except ValidationError as exc:
            errors[field] = exc.messages
    _problems(errors)


def _stale(model) -> str:
    if model is Template:
        return _("This template was changed meanwhile; here it is as saved now.")
    if model is Audience:
        return _("This audience was changed meanwhile; here it is as saved now.")
    return _("This campaign was changed meanwhile; here it is as saved now.")


def _locked(model, obj, version):
    current = model.objects.select_for_update().get(pk=obj.pk)
    if version is not None and current.version != version:
        raise StaleEdit(_stale(model))
    return current


def _state(campaign: Campaign) -> str:
    """The campaign's state as said inside a sentence ("this campaign is sent already")."""
    names = {
        CampaignState.DRAFT: pgettext("campaign state, inside a sentence", "draft"),
        CampaignState.IN_REVIEW: pgettext("campaign state, inside a sentence", "in review"),
        CampaignState.APPROVED: pgettext("campaign state, inside a sentence", "approved"),
        CampaignState.SENDING: pgettext("campaign state, inside a sentence", "sending"),
        CampaignState.SENT: pgettext("campaign state, inside a sentence", "sent"),
        CampaignState.CANCELLED: pgettext("campaign state, inside a sentence", "cancelled"),
    }
    return names.get(campaign.state) or campaign.get_state_display().lower()


# --- templates and audiences ----------------------------------------------------------------------------


@transaction.atomic
def save_template(
    *, event, by, name: str, subject: str, body: str, html_enabled: bool = False, template=None, version=None
) -> Template:
    """Create a campaign template of `event`, or change `template`. The subject and body may use only
    the listed placeholders (audiences.all_placeholders); anything else is refused, named, with nothing
    saved. `by` must draft mail; a `version` other than the stored one is refused (StaleEdit).
    Side effects: audit entry."""
    rules.check_can_draft(by, event)
    name = " ".join(str(name or "").split())[:120]
    subject = " ".join(str(subject or "").split())
    body = str(body or "").replace("\r\n", "\n").strip()
    if not name:
        raise ServiceError(_("Give the template a name."), field="name")
    if not subject:
        raise ServiceError(_("Write a subject."), field="subject")
    if len(subject) > 300:
        raise ServiceError(_("Use at most 300 characters."), field="subject")
    if not body:
        raise ServiceError(_("Write the mail's text."), field="body")
    _check_text(subject, body, audiences.all_placeholders())
    if event.campaign_templates.filter(name=name).exclude(pk=getattr(template, "pk", None)).exists():
        raise ServiceError(_("Another template has this name."), field="name")
    if template is None:
        template = Template.objects.create(
            event=event, name=name, subject=subject, body=body, html_enabled=bool(html_enabled), created_by=by
        )
    else:
        template = _locked(Template, template, version)
        template.name, template.subject, template.body = name, subject, body
        template.html_enabled = bool(html_enabled)
        template.version = F("version") + 1
        template.save()
        template.refresh_from_db()
    audit.record(action="campaign.template_saved", actor=by, target=template, event_id=event.pk)
    return template


@transaction.atomic
def save_audience(*, event, by, name: str, kind: str, filters: dict, audience=None, version=None) -> Audience:
    """Create an audience of `event` (a kind of audiences.KINDS and its filters), or change `audience`.
    `by` must draft mail; a stale `version` is refused. Side effects: audit entry."""
    rules.check_can_draft(by, event)
    name = " ".join(str(name or "").split())[:120]
    if not name:
        raise ServiceError(_("Give the audience a name."), field="name")
    if audiences.kind_of(kind) is None:
        raise ServiceError(_("Choose who the audience is."), field="kind")
    try:
        cleaned = audiences.clean_filters(event, kind, filters or {})
    except ValidationError as exc:
        _problems(exc.message_dict)
    if event.campaign_audiences.filter(name=name).exclude(pk=getattr(audience, "pk", None)).exists():
        raise ServiceError(_("Another audience has this name."), field="name")
    if audience is None:
        audience = Audience.objects.create(event=event, name=name, kind=kind, filters=cleaned, created_by=by)
    else:
        audience = _locked(Audience, audience, version)
        audience.name, audience.kind, audience.filters = name, kind, cleaned
        audience.version = F("version") + 1
        audience.save()
        audience.refresh_from_db()
    audit.record(action="campaign.audience_saved", actor=by, target=audience, event_id=event.pk)
    return audience


# --- drafts -------------------------------------------------------------------------------------------


def _check_campaign_fields(event, name, audience, template, rate_per_minute) -> tuple[str, int]:
    name = " ".join(str(name or "").split())[:200]
    if not name:
        raise ServiceError(_("Give the campaign a name."), field="name")
    if audience is None or audience.event_id != event.pk:
        raise ServiceError(_("Choose an audience of this event."), field="audience")
    if template is None or template.event_id != event.pk:
        raise ServiceError(_("Choose a template of this event."), field="template")
    try:
        rate = int(rate_per_minute)
    except (TypeError, ValueError):
        rate = 0
    if not 1 <= rate <= MAX_RATE:
        raise ServiceError(
            _("Send between 1 and %(count)s mails a minute.") % {"count": f"{MAX_RATE:,}"},
            field="rate_per_minute",
        )
    return name, rate


@transaction.atomic
def save_campaign(
    *, event, by, name: str, audience, template, rate_per_minute: int = 100, campaign=None, version=None
):
    """Create a draft campaign (an audience and a template), or change a draft. `by` must draft mail; only a
    draft can be changed, and a stale `version` is refused. Side effects: audit entry."""
    rules.check_can_draft(by, event)
    name, rate = _check_campaign_fields(event, name, audience, template, rate_per_minute)
    if campaign is None:
        campaign = Campaign.objects.create(
            event=event, name=name, audience=audience, template=template, rate_per_minute=rate, created_by=by
        )
        audit.record(action="campaign.created", actor=by, target=campaign, event_id=event.pk)
        return campaign
    campaign = _locked(Campaign, campaign, version)
    if campaign.state != CampaignState.DRAFT:
        raise StaleEdit(
            _("This campaign is %(state)s; only a draft can be changed.") % {"state": _state(campaign)}
        )
    campaign.name, campaign.audience, campaign.template, campaign.rate_per_minute = (
        name,
        audience,
        template,
        rate,
    )
    campaign.version = F("version") + 1
    campaign.save()
    campaign.refresh_from_db()
    audit.record(action="campaign.changed", actor=by, target=campaign, event_id=event.pk)
    return campaign


# --- rendering ----------------------------------------------------------------------------------------

_MARK = re.compile(r"QXPLACEHOLDER(\d+)QX")


class Text:
    """A campaign's text prepared once (its HTML part rendered from Markdown once), filled per recipient.

    Values are put in once: the text part by `placeholders.fill` (one pass), the HTML part by putting
    the escaped values where the rendered Markdown kept a marker for each placeholder, so a value is
    never read as a placeholder, as Markdown or as HTML."""

    def __init__(self, *, event, subject: str, body: str, html_enabled: bool):
        self.event = event
        self.subject = subject
        self.body = body
        self.common = audiences.event_values(event)
        self.html = None
        if html_enabled:
            self.names = placeholders.used(body)
            marked = placeholders.fill(
                body, {name: f"QXPLACEHOLDER{i}QX" for i, name in enumerate(self.names)}
            )
            self.html = str(render_markdown(marked))

    def values(self, recipient: audiences.Recipient) -> dict:
        return {**self.common, "name": recipient.name, "email": recipient.email, **recipient.values}

    def render(
        self, recipient: audiences.Recipient, unsubscribe_url: str = "", language: str | None = None
    ) -> tuple[str, str, str]:
        """(subject, text body, HTML part or "") for one recipient; the unsubscribe lines (with
        `unsubscribe_url`) in `language` (the recipient's; default: the active one). The text itself
        is the organisers', as they wrote it."""
        values = self.values(recipient)
        subject = " ".join(placeholders.fill(self.subject, values).split())[:300]
        body = placeholders.fill(self.body, values).rstrip() + "\n"
        organiser = self.event.organiser.name
        if unsubscribe_url:
            with translation.override(language or translation.get_language()):
                text_footer = unsubscribe.footer(unsubscribe_url, organiser)
                html_footer = unsubscribe.html_footer(unsubscribe_url, organiser)
            body = body.rstrip("\n") + text_footer
        html = ""
        if self.html is not None:

            def put(match):
                value = values.get(self.names[int(match.group(1))])
                return html_lib.escape("" if value is None else str(value))

            html = _MARK.sub(put, self.html)
            if unsubscribe_url:
                html += html_footer
        return subject, body, html


def preview(
    *, event, template: Template, recipient: audiences.Recipient | None = None, kind: str | None = None
):
    """(subject, body, html) of a template for one recipient, or with each placeholder's example."""
    text = Text(event=event, subject=template.subject, body=template.body, html_enabled=template.html_enabled)
    if recipient is None:
        examples = placeholders.examples(
            audiences.placeholders_of(kind) if kind else audiences.all_placeholders()
        )
        recipient = audiences.Recipient(email=examples["email"], name=examples["name"], values=examples)
    return text.render(recipient)


def placeholder_problems(campaign) -> list[str]:
    """What the campaign's template uses that its audience does not offer."""
    allowed = [p.name for p in audiences.placeholders_of(campaign.audience.kind)]
    template = campaign.template
    return placeholders.problems(template.subject, allowed) + placeholders.problems(template.body, allowed)


# --- submission -------------------------------------------------------------------------------------------


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _skips(organiser_id: int, addresses: list[str]) -> dict[str, str]:
    """Why some of these (lower-cased) addresses get no campaign mail: unsubscribed, bounced."""
    skipped = {}
    for chunk in _chunks(addresses, BATCH):
        for address in Unsubscription.objects.filter(
            organiser_id=organiser_id, address__in=chunk
        ).values_list("address", flat=True):
            skipped[address] = SkipReason.UNSUBSCRIBED
        for address in Bounce.objects.filter(address__in=chunk).values_list("address", flat=True):
            skipped.setdefault(address, SkipReason.BOUNCED)
    return skipped


def _languages(event, chunk: list[tuple[str, audiences.Recipient]]) -> dict[str, str]:
    """{address: language} of the mails to these (address, person) pairs, by `recipient_language`'s
    rule (the person's chosen language, else the event's default), their choices read in one query."""
    user_model = get_user_model()
    ids = [person.user_id for _address, person in chunk if person.user_id]
    addresses = [address for address, person in chunk if not person.user_id]
    chosen_by_id, chosen_by_address = {}, {}
    for pk, email, language in user_model.objects.filter(Q(pk__in=ids) | Q(email__in=addresses)).values_list(
        "pk", "email", "language"
    ):
        chosen_by_id[pk] = language
        chosen_by_address[email.lower()] = language
    languages = {}
    for address, person in chunk:
        chosen = chosen_by_id.get(person.user_id) if person.user_id else chosen_by_address.get(address)
        # An unsaved account standing for the person's choice, so the rule needs no query of its own.
        languages[address] = recipient_language(
            to=address, user=user_model(language=chosen or ""), event=event
        )
    return languages


def _write_recipients(campaign: Campaign, people: list[audiences.Recipient]) -> int:
    """One held OutboxMail and one CampaignRecipient per address, in batches; skipped people get a
    recipient row without a mail. Returns how many mails were written."""
    event = campaign.event
    key = about.campaign(campaign.pk)
    text = Text(event=event, subject=campaign.subject, body=campaign.body, html_enabled=campaign.html_enabled)
    unique = {}
    for person in people:
        unique.setdefault(person.email.strip().lower(), person)
    skipped = _skips(event.organiser_id, list(unique))
    link = unsubscribe.link_maker()
    written = 0
    for chunk in _chunks(list(unique.items()), BATCH):
        mails, rows = [], []
        languages = _languages(event, chunk)
        for address, person in chunk:
            reason = skipped.get(address) or (SkipReason.UNDELIVERABLE if undeliverable(address) else "")
            row = CampaignRecipient(
                campaign=campaign,
                address=address,
                name=person.name[:200],
                user_id=person.user_id,
                skipped=reason,
            )
            rows.append(row)
            if reason:
                continue
            token = unsubscribe.make_token(
                organiser_id=event.organiser_id, address=address, campaign_id=campaign.pk
            )
            url = link(token)
            subject, body, html = text.render(person, url, languages[address])
            mail = OutboxMail(
                event=event,
                user_id=person.user_id,
                to=person.email.strip(),
                subject=subject,
                body=body,
                html=html,
                template=TEMPLATE_NAME,
                about=key,
                status=MailStatus.HELD,
                headers=unsubscribe.headers(url),
            )
            mails.append(mail)
            row.mail = mail
        OutboxMail.objects.bulk_create(mails)
        for row in rows:
            if row.mail is not None:
                row.mail_id = row.mail.pk
        CampaignRecipient.objects.bulk_create(rows)
        written += len(mails)
    return written


@transaction.atomic
def submit_campaign(*, campaign: Campaign, by) -> Campaign:
    """Submit a draft for review: the template's text is kept as it is now, and every person the
    audience matches now gets one held mail in the outbox (placeholders filled in once, with the
    unsubscribe link and headers). Unsubscribed, bounced and `.invalid` addresses are skipped and
    recorded with the reason. `by` must draft mail; the template may use only its audience's
    placeholders. Side effects: held outbox mails; audit entry."""
    rules.check_can_draft(by, campaign.event)
    campaign = (
        Campaign.objects.select_for_update()
        .select_related("event__organiser", "audience", "template")
        .get(pk=campaign.pk)
    )
    if campaign.state != CampaignState.DRAFT:
        raise StaleEdit(_("This campaign is %(state)s already.") % {"state": _state(campaign)})
    if problems := placeholder_problems(campaign):
        raise ServiceError(
            _("The template does not suit the audience “%(audience)s”: %(problems)s")
            % {"audience": campaign.audience.name, "problems": " ".join(problems)},
            field="template",
        )
    people = audiences.recipients(campaign.audience)
    if not people:
        raise ServiceError(
            _("The audience matches nobody now; there is nobody to send this to."), field="audience"
        )
    template = campaign.template
    campaign.subject, campaign.body, campaign.html_enabled = (
        template.subject,
        template.body,
        template.html_enabled,
    )
    campaign.state = CampaignState.IN_REVIEW
    campaign.submitted_by = by
    campaign.submitted_at = timezone.now()
    campaign.version += 1
    campaign.save()
    written = _write_recipients(campaign, people)
    audit.record(
        action="campaign.submitted",
        actor=by,
        target=campaign,
        event_id=campaign.event_id,
        mails=written,
        skipped=len(people) - written,
    )
    return campaign


def _transition(campaign: Campaign, *, source, target, **fields) -> Campaign:
    """Move the campaign from one of `source` states to `target` by a conditional UPDATE; StaleEdit when
    someone else moved it first."""
    sources = source if isinstance(source, list | tuple) else [source]
    changed = Campaign.objects.filter(pk=campaign.pk, state__in=sources).update(
        state=target, version=F("version") + 1, **fields
    )
    if not changed:
        current = Campaign.objects.get(pk=campaign.pk)
        raise StaleEdit(_("This campaign is %(state)s already.") % {"state": _state(current)})
    return Campaign.objects.select_related("event__organiser").get(pk=campaign.pk)


@transaction.atomic
def approve_campaign(*, campaign: Campaign, by) -> Campaign:
    """Approve a campaign in review, so that it can be sent. `by` must approve mail, and may not be
    the one who submitted it unless the event allows that. Of two approvals at once one wins, the
    other is refused (StaleEdit). Side effects: audit entry."""
    campaign = Campaign.objects.select_related("event").get(pk=campaign.pk)
    rules.check_can_approve(by, campaign)
    campaign = _transition(
        campaign,
        source=CampaignState.IN_REVIEW,
        target=CampaignState.APPROVED,
        approved_by=by,
        approved_at=timezone.now(),
    )
    audit.record(action="campaign.approved", actor=by, target=campaign, event_id=campaign.event_id)
    return campaign


@transaction.atomic
def send_campaign(*, campaign: Campaign, by) -> Campaign:
    """Start sending an approved campaign: its held mails are released at its rate by the sender
    (campaigns.sending; the worker with a broker, a background thread without), which `podium campaigns
    send` resumes. `by` must send mail. Side effects: audit entry; the sender starts after commit."""
    from podium.campaigns import sending

    rules.check_can_send(by, campaign.event)
    campaign = _transition(
        campaign,
        source=CampaignState.APPROVED,
        target=CampaignState.SENDING,
        sent_by=by,
        sending_at=timezone.now(),
    )
    audit.record(action="campaign.sending", actor=by, target=campaign, event_id=campaign.event_id)
    sending.start_after_commit(campaign.pk)
    return campaign


@transaction.atomic
def cancel_campaign(*, campaign: Campaign, by) -> Campaign:
    """Cancel a campaign that is not sent yet (a draft, in review, approved, or part-way sending): its
    held mails are discarded; mail already released stays as it is. `by` must draft, approve or send
    mail. Side effects: audit entry with the number of discarded mails."""
    rules.check_can_see(by, campaign.event)
    campaign = _transition(
        campaign,
        source=[CampaignState.DRAFT, CampaignState.IN_REVIEW, CampaignState.APPROVED, CampaignState.SENDING],
        target=CampaignState.CANCELLED,
        cancelled_by=by,
        cancelled_at=timezone.now(),
    )
    discarded = OutboxMail.objects.filter(
        event_id=campaign.event_id, about=about.campaign(campaign.pk), status=MailStatus.HELD
    ).update(status=MailStatus.DISCARDED)
    audit.record(
        action="campaign.cancelled",
        actor=by,
        target=campaign,
        event_id=campaign.event_id,
        discarded=discarded,
    )
    return campaign


# --- unsubscribing ---------------------------------------------------------------------------------------


@transaction.atomic
def unsubscribe_address(*, organiser, address: str, campaign=None) -> Unsubscription:
    """Send `address` no more campaign mail of `organiser` (its events' transactional mail still goes).
    Held mail of campaigns not yet released to it is discarded. Idempotent: a second call returns the
    first unsubscription. No permission check: the caller holds the signed link (or is an operator).
    Side effects: audit entry (first time only)."""
    address = address.strip().lower()
    if not address:
        raise ServiceError(_("Give an address."), field="address")
    existing = Unsubscription.objects.filter(organiser=organiser, address=address).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = Unsubscription.objects.create(organiser=organiser, address=address, campaign=campaign)
    except IntegrityError:
        return Unsubscription.objects.get(organiser=organiser, address=address)
    OutboxMail.objects.filter(
        event__organiser=organiser,
        about__startswith=f"{about.CAMPAIGN}:",
        status=MailStatus.HELD,
        campaign_recipient__address=address,
    ).update(status=MailStatus.DISCARDED)
    audit.record(
        action="campaign.unsubscribed",
        target=row,
        event_id=campaign.event_id if campaign is not None else None,
        organiser=organiser.pk,
    )
    return row


def unsubscribe_with_token(*, token: str) -> Unsubscription:
    """Unsubscribe the address a signed unsubscribe link names; ServiceError for an invalid link."""
    from podium.events.models import Organiser

    data = unsubscribe.read_token(token)
    organiser = Organiser.objects.filter(pk=data["organiser_id"]).first() if data else None
    if organiser is None:
        raise ServiceError(_("This unsubscribe link is not valid. Use the link of a recent mail."))
    campaign = Campaign.objects.filter(pk=data["campaign_id"], event__organiser=organiser).first()
    return unsubscribe_address(organiser=organiser, address=data["address"], campaign=campaign)


@transaction.atomic
def resubscribe(*, event, address: str, by) -> int:
    """Let `address` get the campaign mail of the event's organiser again (they asked for it). `by` must
    send mail in `event`. Returns 1 if an unsubscription was removed, else 0. Side effects: audit entry."""
    rules.check_can_send(by, event)
    address = address.strip().lower()
    removed = Unsubscription.objects.filter(organiser_id=event.organiser_id, address=address).delete()[0]
    if removed:
        audit.record(action="campaign.resubscribed", actor=by, event_id=event.pk, address=address)
    return removed
