"""The system mails an event may word itself: receipt, decisions, schedule change notice, tickets.

Each mail has a key (the outbox row's `template`), a label, when it is sent, the placeholders it offers
and a default subject and body written in placeholders (`mail.placeholders`). An event's own text is a
`SystemMailTemplate` row; without one the default is sent, so deleting the row resets the mail.

The text is never a template language: whatever a default once decided in a template (a list of
changes, a sentence only for paid orders, "ticket" or "tickets") is a placeholder whose value the
sender computes in Python, times already in the event's zone. `render_system` fills the text in one
pass, so a speaker named "{ticket_link}" is greeted by that name and nothing else.

The default texts are marked for translation and read when a mail is written, in its recipient's
language (`mail.services.queue_system_mail`); the values a sender computes are words in that language
too (the sender computes them with it active).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy

from podium.mail.models import SystemMailTemplate
from podium.mail.placeholders import Placeholder, check, fill


@dataclass(frozen=True)
class SystemMail:
    """One editable system mail: its key, what the team calls it, when it is sent, what it offers
    (label and description in the reader's language)."""

    key: str
    label: str
    description: str
    placeholders: tuple[Placeholder, ...]
    subject: str
    body: str

    @property
    def names(self) -> list[str]:
        """The placeholder names a text of this mail may use."""
        return [placeholder.name for placeholder in self.placeholders]


# Offered by every system mail; `render_system` fills in the event's own two.
NAME = Placeholder(
    "name", _("The recipient's name (their e-mail address when they gave none)."), "Ada Lovelace"
)
EVENT = Placeholder("event", _("The event's name."), "PyCon Example 2030")
EVENT_URL = Placeholder(
    "event_url", _("The address of the event's public pages."), "https://podium.example.org/pycon-2030/"
)
PROPOSAL_TITLE = Placeholder("proposal_title", _("The proposal's title."), "Analytical engines in practice")
PROPOSAL_CODE = Placeholder("proposal_code", _("The proposal's code."), "K7QW3R")
COMMON = (NAME, EVENT, EVENT_URL)
# What the event's setting `publish_unconfirmed` (events.Event) means for the speaker, in the words
# of the acceptance mail; filled in by `fill_text` for the event, so the mail says what releases do.
CONFIRMED_ONLY = _("We will schedule only confirmed sessions.")
ACCEPTED_TOO = _(
    "Your session may appear on the published schedule before you confirm, marked as not confirmed yet; "
    "please confirm soon."
)
PUBLISHING_RULE = Placeholder(
    "publishing_rule",
    format_lazy(
        _(
            "What the event's settings say about unconfirmed sessions, in one sentence: "
            "“{confirmed_only}”, or when the event publishes accepted sessions too, “{accepted_too}”"
        ),
        confirmed_only=CONFIRMED_ONLY,
        accepted_too=ACCEPTED_TOO,
    ),
    CONFIRMED_ONLY,
)


def publishing_rule(event) -> str:
    """The sentence of the acceptance mail that tells the event's publishing rule (active language)."""
    return str(ACCEPTED_TOO if getattr(event, "publish_unconfirmed", False) else CONFIRMED_ONLY)


PROPOSAL_RECEIVED = SystemMail(
    key="proposal_received",
    label=_("Receipt of a proposal"),
    description=_("Sent to the speaker as soon as they submit a proposal."),
    placeholders=(
        *COMMON,
        PROPOSAL_TITLE,
        PROPOSAL_CODE,
        Placeholder(
            "proposal_link",
            _("Where the speaker reads and edits the proposal (they log in)."),
            "https://podium.example.org/pycon-2030/cfp/me/proposals/K7QW3R/",
        ),
        Placeholder(
            "until_cfp_closes",
            _(
                "Until when the proposal can be edited: “until the call for papers closes”, with its "
                "date and time when the event has one."
            ),
            "until the call for papers closes on 15 January 2030, 23:00 CET",
        ),
    ),
    subject=_('[{event}] Received: your proposal "{proposal_title}"'),
    body=_("""Hello {name},

thank you! We have received your proposal for {event}:

  "{proposal_title}" (code {proposal_code})

This is only a receipt: there is nothing you need to do now. You can edit your proposal
{until_cfp_closes}:

{proposal_link}

We will write again once the program committee has decided.
"""),
)

DECISION_ACCEPTED = SystemMail(
    key="decision_accepted",
    label=_("Acceptance"),
    description=_(
        "Sent to each speaker of an accepted proposal when the decisions are sent from the outbox; "
        "it asks them to confirm."
    ),
    placeholders=(
        *COMMON,
        PROPOSAL_TITLE,
        PROPOSAL_CODE,
        Placeholder(
            "confirm_link",
            _(
                "The speaker's own link to the page where they confirm or decline (no log-in needed). "
                "Keep it in the text: speakers confirm through it."
            ),
            "https://podium.example.org/pycon-2030/cfp/confirm/K7QW3R/…/",
        ),
        PUBLISHING_RULE,
    ),
    subject=_('[{event}] Accepted: please confirm "{proposal_title}"'),
    body=_("""Hello {name},

good news: the program committee of {event} has ACCEPTED your proposal

  "{proposal_title}" (code {proposal_code})

ACTION NEEDED: please confirm that you will present it, or decline if you cannot make it.
One click on this link opens the confirmation page; no log-in needed:

{confirm_link}

{publishing_rule} Thank you for being part of {event}!
"""),
)

DECISION_REJECTED = SystemMail(
    key="decision_rejected",
    label=_("Rejection"),
    description=_("Sent to each speaker of a rejected proposal when the decisions are sent from the outbox."),
    placeholders=(*COMMON, PROPOSAL_TITLE, PROPOSAL_CODE),
    subject=_('[{event}] About your proposal "{proposal_title}"'),
    body=_("""Hello {name},

thank you for proposing "{proposal_title}" for {event}. We received many more good proposals
than we have room for, and we are sorry that we could not include yours in the program this time.

We hope to see you at {event} all the same.
"""),
)

SCHEDULE_CHANGES = SystemMail(
    key="schedule_changes",
    label=_("Schedule change notice"),
    description=_(
        "Sent to each speaker whose session is new, moved, changed or cancelled when a schedule "
        "release is published, with the sessions in an iCal file."
    ),
    placeholders=(
        *COMMON,
        Placeholder("release", _("The release's name."), "v3"),
        Placeholder(
            "summary",
            _("The change in a few words: “Moved: <title>” for one session, else how many changes."),
            "Moved: Analytical engines in practice",
        ),
        Placeholder(
            "your_sessions", _("“your session” or “your sessions”, as many as changed."), "your session"
        ),
        Placeholder(
            "changes",
            _(
                "The list of changes, a paragraph each: what happened to which session, its time and "
                "room now and before, the details that changed."
            ),
            '* MOVED: "Analytical engines in practice" (K7QW3R)\n'
            "  now:  Tuesday 4 June, 14:00\N{EN DASH}14:45, Hall B\n"
            "  was:  Monday 3 June, 10:00\N{EN DASH}10:45, Hall A",
        ),
        Placeholder(
            "session_time",
            _(
                "The session's time and room now, when the mail is about one session still in the "
                "program (else empty)."
            ),
            "Tuesday 4 June, 14:00\N{EN DASH}14:45, Hall B",
        ),
        Placeholder("timezone", _("The event's time zone, in which every time is given."), "Europe/Berlin"),
        Placeholder(
            "schedule_link",
            _("The public schedule's address."),
            "https://podium.example.org/pycon-2030/schedule/",
        ),
        Placeholder(
            "organisers_note",
            _(
                "The comment published with the release as a paragraph of its own (“From the "
                "organisers: …”, with a blank line before and after it); empty when the release has none."
            ),
            "\nFrom the organisers: Rooms B and C swapped.\n",
        ),
    ),
    subject=_("{event}: {summary} ({release})"),
    body=_("""Hello {name},

the program of {event} was updated (release {release}). This concerns {your_sessions}:

{changes}

Times are in the event's time zone ({timezone}).
The schedule: {schedule_link}
{organisers_note}
If you cannot make it at this time, reply to the organisers as soon as possible.
"""),
)

# The words of the tickets mail's values (registration.mails.order_paid_values computes them in the
# recipient's language); the examples for previews are the plural ones.
PAYMENT_NOTE = _("thank you, your payment has arrived.")
HERE_ARE_YOUR_TICKETS = npgettext_lazy("tickets mail", "Here is your ticket", "Here are your tickets", 2)
TICKETS_WORD = npgettext_lazy("tickets mail", "ticket", "tickets", 2)

ORDER_PAID = SystemMail(
    key="order_paid",
    label=_("Tickets"),
    description=_(
        "Sent to the order's address once an order is paid (at once for a free or issued order), "
        "each ticket attached as a PDF file."
    ),
    placeholders=(
        *COMMON,
        Placeholder("order_code", _("The order's code."), "Q4ZT9"),
        Placeholder(
            "payment_note",
            _(
                "“thank you, your payment has arrived. ” (in the recipient's language) when the order "
                "cost something, else empty."
            ),
            format_lazy("{} ", PAYMENT_NOTE),
        ),
        Placeholder(
            "here_are_your_tickets",
            _(
                "“Here is your ticket” or “Here are your tickets” (in the recipient's language), as many "
                "as the order has."
            ),
            HERE_ARE_YOUR_TICKETS,
        ),
        Placeholder(
            "tickets_word",
            _("“ticket” or “tickets” (in the recipient's language), as many as the order has."),
            TICKETS_WORD,
        ),
        Placeholder("ticket_count", _("How many tickets the order has."), "2"),
        Placeholder(
            "ticket_list",
            _("The tickets, one line each: ticket type and attendee."),
            "  - Standard for Ada Lovelace\n  - Student for Charles Babbage",
        ),
        Placeholder(
            "ticket_link",
            _("The order's page on the site, with its tickets (the buyer logs in)."),
            "https://podium.example.org/pycon-2030/orders/Q4ZT9/",
        ),
    ),
    subject=_("[{event}] Your {tickets_word} (order {order_code})"),
    body=_("""Hello {name},

{payment_note}{here_are_your_tickets} for {event} (order {order_code}):

{ticket_list}

Each ticket is attached as a PDF file with a QR code. Print it or show it on your phone at the
entrance; each code admits one person.
"""),
)

SYSTEM_MAILS: dict[str, SystemMail] = {
    mail.key: mail
    for mail in (PROPOSAL_RECEIVED, DECISION_ACCEPTED, DECISION_REJECTED, SCHEDULE_CHANGES, ORDER_PAID)
}


def system_mail(key: str) -> SystemMail:
    """The registered mail `key`; LookupError for any other."""
    try:
        return SYSTEM_MAILS[key]
    except KeyError:
        raise LookupError(f"No system mail is registered as {key!r}.") from None


def check_text(key: str, *, subject: str, body: str) -> None:
    """Raise ValidationError on the fields "subject" and "body" naming every placeholder the mail
    `key` does not offer (and every attribute path, index, format or lone brace)."""
    names = system_mail(key).names
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            check(text, names, field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def text_for(event, key: str) -> tuple[str, str]:
    """The subject and body the event sends as `key`: its own text, else the default (translated
    text, read in the language active when it is filled in)."""
    mail = system_mail(key)
    own = SystemMailTemplate.objects.filter(event=event, key=key).only("subject", "body").first()
    if own is None:
        return mail.subject, mail.body
    return own.subject, own.body


def event_url(event) -> str:
    return f"{settings.BASE_URL}/{event.slug}/"


def fill_text(subject: str, body: str, *, event, values: dict) -> tuple[str, str]:
    """`subject` and `body` filled with `values` (and the event's name, address and publishing rule)
    in one pass each;
    the subject folded onto one line, the body ending in one line break, as `services.render` does."""
    values = {
        "event": event.name,
        "event_url": event_url(event),
        "publishing_rule": publishing_rule(event),
        **values,
    }
    # A default text is read here, in the active language (the recipient's, when a mail is written).
    subject = " ".join(fill(str(subject), values).split())
    body = fill(str(body), values).strip() + "\n"
    return subject, body


def render_system(key: str, *, event, values: dict) -> tuple[str, str]:
    """Subject and body of the system mail `key` for `event` with the recipient's `values`."""
    subject, body = text_for(event, key)
    return fill_text(subject, body, event=event, values=values)


def preview(key: str, *, event, subject: str, body: str) -> tuple[str, str]:
    """`subject` and `body` as the mail `key` would send them, filled with each placeholder's example
    (the event's own name and address)."""
    values = {p.name: p.example or f"[{p.name}]" for p in system_mail(key).placeholders}
    values.pop("event")
    values.pop("event_url")
    values.pop("publishing_rule", None)
    return fill_text(subject, body, event=event, values=values)


# Values the senders compute: names, times in the event's zone.


def person_name(user) -> str:
    """How a mail greets a user: their name, else their e-mail address."""
    return user.name or user.email


def local(value: dt.datetime, event, format_string: str) -> str:
    """`value` in the event's time zone, in a Django date format ("j F Y, H:i e")."""
    return dateformat.format(timezone.localtime(value, event.tz), format_string)
