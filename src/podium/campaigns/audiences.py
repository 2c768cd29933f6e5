"""Audiences: saved, live filters over the people Podium knows, as a registry of kinds.

A kind has a label, the filter fields its form takes (`fields(event)`: Django form fields by name,
their cleaned values stored as the audience's JSON `filters`), the placeholders it fills beyond the
common ones, and `recipients(event, filters)`: the people it matches now, each once (by lower-cased
address) with their name, account (if any) and placeholder values. Adding a kind is one `register`
call with its function (sponsor and press contacts, imported contact lists).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from podium.contacts.models import ContactList
from podium.contacts.queries import lists_for
from podium.contacts.queries import recipients as contact_recipients
from podium.events.models import Team
from podium.mail.placeholders import Placeholder
from podium.proposals.enums import ProposalState
from podium.proposals.models import ProposalSpeaker
from podium.registration.enums import OrderState
from podium.registration.models import Ticket
from podium.schedule.models import ReleasedSession
from podium.schedule.queries import latest_release
from podium.sponsors.models import PUBLIC_STAGES, OrganisationContact, OrganisationKind, Stage

# Every campaign mail offers these, whatever its audience.
COMMON = (
    Placeholder("name", _("The person's name (or their address when no name is known)."), "Ada Lovelace"),
    Placeholder("email", _("The address the mail goes to."), "ada@example.org"),
    Placeholder("event", _("The event's name."), "PyConf"),
    Placeholder("event_url", _("The event's public page."), "https://podium.example/pyconf/"),
)


@dataclass(frozen=True)
class Recipient:
    """One person an audience matches."""

    email: str
    name: str
    user_id: int | None = None
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: Callable[[object], dict[str, forms.Field]]
    recipients: Callable[[object, dict], list[Recipient]]
    placeholders: tuple[Placeholder, ...] = ()
    help: str = ""


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.key] = kind
    return kind


def choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in KINDS.values()]


def kind_of(key: str) -> Kind | None:
    return KINDS.get(key)


def placeholders_of(key: str) -> tuple[Placeholder, ...]:
    """The placeholders a mail to an audience of this kind may use."""
    kind = KINDS.get(key)
    return COMMON + (kind.placeholders if kind is not None else ())


def all_placeholders() -> tuple[Placeholder, ...]:
    """Every placeholder of any kind (what a template may use; its campaign's audience narrows it)."""
    seen = {p.name: p for p in COMMON}
    for kind in KINDS.values():
        for placeholder in kind.placeholders:
            seen.setdefault(placeholder.name, placeholder)
    return tuple(seen.values())


def event_values(event) -> dict[str, str]:
    link = f"{settings.BASE_URL}{reverse('site:event', kwargs={'event': event.slug})}"
    return {"event": event.name, "event_url": link}


def _unique(rows) -> list[Recipient]:
    """The first recipient of each lower-cased address, in order."""
    seen: dict[str, Recipient] = {}
    for row in rows:
        address = row.email.strip().lower()
        if address and address not in seen:
            seen[address] = row
    return list(seen.values())


def _ids(values) -> list[int]:
    return [int(value) for value in values or [] if str(value).isdigit()]


# --- speakers ----------------------------------------------------------------------------------------

DEFAULT_STATES = [ProposalState.ACCEPTED.value, ProposalState.CONFIRMED.value]


def _speaker_fields(event) -> dict[str, forms.Field]:
    return {
        "states": forms.MultipleChoiceField(
            label=_("Proposal states"),
            choices=ProposalState.choices,
            initial=DEFAULT_STATES,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Speakers of proposals in any of these states."),
        ),
        "tracks": forms.MultipleChoiceField(
            label=_("Tracks"),
            required=False,
            choices=[(str(t.pk), t.name) for t in event.tracks.order_by("name")],
            widget=forms.CheckboxSelectMultiple,
            help_text=_("None ticked: every track."),
        ),
        "session_types": forms.MultipleChoiceField(
            label=_("Session types"),
            required=False,
            choices=[(str(t.pk), t.name) for t in event.session_types.order_by("name")],
            widget=forms.CheckboxSelectMultiple,
            help_text=_("None ticked: every session type."),
        ),
    }


def _session_times(event, codes: set[str]) -> dict[str, str]:
    """Each released session's day, time and room, in the event's time zone, by proposal code."""
    release = latest_release(event)
    if release is None or not codes:
        return {}
    times = {}
    with timezone.override(event.tz):
        for code, start, room in ReleasedSession.objects.filter(release=release, code__in=codes).values_list(
            "code", "start", "room_name"
        ):
            local = timezone.localtime(start)
            times[code] = dateformat.format(local, "l d F, H:i") + (f" ({room})" if room else "")
    return times


def speakers(event, filters: dict) -> list[Recipient]:
    """The speakers of the event's proposals in the given states (tracks, session types); one each,
    with the titles of all their matching proposals."""
    states = [s for s in filters.get("states") or DEFAULT_STATES if s in ProposalState.values]
    links = ProposalSpeaker.objects.filter(proposal__event=event, proposal__state__in=states)
    if tracks := _ids(filters.get("tracks")):
        links = links.filter(proposal__track_id__in=tracks)
    if types := _ids(filters.get("session_types")):
        links = links.filter(proposal__session_type_id__in=types)
    rows = list(
        links.order_by("user__name", "user_id", "proposal__title", "proposal_id").values_list(
            "user_id", "user__email", "user__name", "proposal__title", "proposal__code"
        )
    )
    times = _session_times(event, {code for *_rest, code in rows})
    people: dict[int, dict] = {}
    for user_id, email, name, title, code in rows:
        person = people.setdefault(user_id, {"email": email, "name": name, "titles": [], "times": []})
        person["titles"].append(title)
        if code in times:
            person["times"].append(times[code])
    return _unique(
        Recipient(
            email=p["email"],
            name=p["name"] or p["email"],
            user_id=user_id,
            values={"proposal_title": ", ".join(p["titles"]), "session_time": "; ".join(p["times"])},
        )
        for user_id, p in people.items()
    )


# --- team ----------------------------------------------------------------------------------------------


def _teams(event):
    return Team.objects.filter(organiser_id=event.organiser_id).filter(
        Q(all_events=True) | Q(limit_events=event)
    )


def _members(event, teams) -> list[Recipient]:
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(teams__in=teams.values("pk"), is_active=True)
        .distinct()
        .order_by("name", "pk")
        .values_list("pk", "email", "name")
    )
    return _unique(Recipient(email=email, name=name or email, user_id=pk) for pk, email, name in users)


def reviewers(event, filters: dict) -> list[Recipient]:
    """Members of the teams that review the event."""
    return _members(event, _teams(event).filter(can_review=True))


def team(event, filters: dict) -> list[Recipient]:
    """Members of every team with access to the event."""
    return _members(event, _teams(event))


# --- attendees ----------------------------------------------------------------------------------------

CHECKED_IN = (("any", _("Everyone")), ("yes", _("Checked in")), ("no", _("Not checked in")))


def _attendee_fields(event) -> dict[str, forms.Field]:
    return {
        "ticket_types": forms.MultipleChoiceField(
            label=_("Ticket types"),
            required=False,
            choices=[(str(t.pk), t.name) for t in event.ticket_types.order_by("position", "name")],
            widget=forms.CheckboxSelectMultiple,
            help_text=_("None ticked: every ticket type."),
        ),
        "checked_in": forms.ChoiceField(label=_("Checked in"), choices=CHECKED_IN, initial="any"),
    }


def ticket_link(event, order_code: str) -> str:
    path = reverse("site:my_order", kwargs={"event": event.slug, "code": order_code})
    return f"{settings.BASE_URL}{path}"


def attendees(event, filters: dict) -> list[Recipient]:
    """Holders of the tickets of paid orders (ticket types; checked in or not); one mail per address,
    with its ticket types and the link to the order."""
    tickets = Ticket.objects.filter(order__event=event, order__state=OrderState.PAID)
    if types := _ids(filters.get("ticket_types")):
        tickets = tickets.filter(ticket_type_id__in=types)
    checked = filters.get("checked_in") or "any"
    if checked == "yes":
        tickets = tickets.filter(check_in__isnull=False)
    elif checked == "no":
        tickets = tickets.filter(check_in__isnull=True)
    rows = tickets.order_by("pk").values_list(
        "attendee_email",
        "attendee_name",
        "ticket_type__name",
        "order__code",
        "order__buyer_id",
        "order__buyer__email",
    )
    people: dict[str, dict] = {}
    for email, name, type_name, code, buyer_id, buyer_email in rows:
        address = email.strip().lower()
        person = people.setdefault(
            address, {"email": email, "name": name, "types": [], "code": code, "user": None}
        )
        if type_name not in person["types"]:
            person["types"].append(type_name)
        if buyer_id and (buyer_email or "").lower() == address:
            person["user"] = buyer_id
    return _unique(
        Recipient(
            email=p["email"],
            name=p["name"] or p["email"],
            user_id=p["user"],
            values={"ticket_type": ", ".join(p["types"]), "ticket_link": ticket_link(event, p["code"])},
        )
        for p in people.values()
    )


register(
    Kind(
        key="speakers",
        label=_("Speakers"),
        fields=_speaker_fields,
        recipients=speakers,
        placeholders=(
            Placeholder(
                "proposal_title", _("The titles of their proposals in this audience."), "Lighthouse acoustics"
            ),
            Placeholder(
                "session_time",
                _("When and where their sessions are (latest release)."),
                "Friday 05 June, 10:30 (Hall A)",
            ),
        ),
        help=_("Speakers by proposal state, track and session type."),
    )
)
register(
    Kind(
        key="reviewers",
        label=_("Reviewers"),
        fields=lambda event: {},
        recipients=reviewers,
        help=_("Members of the teams that review this event."),
    )
)
register(
    Kind(
        key="team",
        label=_("Team members"),
        fields=lambda event: {},
        recipients=team,
        help=_("Members of every team with access to this event."),
    )
)
register(
    Kind(
        key="attendees",
        label=_("Attendees"),
        fields=_attendee_fields,
        recipients=attendees,
        placeholders=(
            Placeholder("ticket_type", _("The types of their tickets."), "Conference pass"),
            Placeholder(
                "ticket_link",
                _("The page of their order and tickets."),
                "https://podium.example/pyconf/orders/ABC123/",
            ),
        ),
        help=_("Ticket holders of paid orders, by ticket type and check-in."),
    )
)


# --- sponsors, exhibitors, press and partners ---------------------------------------------------------

DEFAULT_PARTNER_STAGES = [stage.value for stage in PUBLIC_STAGES]


def _partner_fields(event) -> dict[str, forms.Field]:
    return {
        "kinds": forms.MultipleChoiceField(
            label=_("Organisations"),
            required=False,
            choices=OrganisationKind.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("None ticked: every kind (sponsors, exhibitors, media and partners)."),
        ),
        "stages": forms.MultipleChoiceField(
            label=_("Pipeline stages"),
            choices=Stage.choices,
            initial=DEFAULT_PARTNER_STAGES,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Organisations at this event in any of these stages."),
        ),
        "levels": forms.MultipleChoiceField(
            label=_("Levels"),
            required=False,
            choices=[
                (str(level.pk), level.name) for level in event.sponsor_levels.order_by("position", "name")
            ],
            widget=forms.CheckboxSelectMultiple,
            help_text=_("None ticked: any level, or none."),
        ),
    }


def partner_contacts(event, filters: dict) -> list[Recipient]:
    """The people of the organisations at the event (by kind, pipeline stage and level) who have an
    address; one mail per address, with their organisation's name and their role."""
    stages = [s for s in filters.get("stages") or DEFAULT_PARTNER_STAGES if s in Stage.values]
    contacts = OrganisationContact.objects.filter(
        organisation__sponsorships__event=event, organisation__sponsorships__stage__in=stages
    ).exclude(email="")
    if kinds := [k for k in filters.get("kinds") or [] if k in OrganisationKind.values]:
        contacts = contacts.filter(organisation__kind__in=kinds)
    if levels := _ids(filters.get("levels")):
        contacts = contacts.filter(organisation__sponsorships__level_id__in=levels)
    rows = contacts.order_by("organisation__name", "-is_primary", "name", "pk").values_list(
        "email", "name", "organisation__name", "role"
    )
    return _unique(
        Recipient(email=email, name=name or email, values={"organisation": org, "role": role})
        for email, name, org, role in rows
    )


def _list_fields(event) -> dict[str, forms.Field]:
    return {
        "contact_list": forms.ChoiceField(
            label=_("Contact list"),
            choices=[(str(row.pk), f"{row.name} ({row.member_count})") for row in lists_for(event.organiser)],
            help_text=_(
                "A list of the organiser's contacts (imported with podium contacts import or on "
                "the contact lists page)."
            ),
        )
    }


def contact_list(event, filters: dict) -> list[Recipient]:
    """The contacts on one of the organiser's lists (a list of another organiser matches nobody)."""
    ids = _ids([filters.get("contact_list")])
    chosen = ContactList.objects.filter(organiser_id=event.organiser_id, pk__in=ids).first()
    if chosen is None:
        return []
    return _unique(
        Recipient(email=row.email, name=row.name or row.email, values={"organisation": row.organisation})
        for row in contact_recipients(chosen).iterator()
    )


register(
    Kind(
        key="partners",
        label=_("Sponsor, exhibitor and press contacts"),
        fields=_partner_fields,
        recipients=partner_contacts,
        placeholders=(
            Placeholder("organisation", _("The name of their organisation."), "Acme Cloud"),
            Placeholder("role", _("Their role at the organisation."), "Marketing"),
        ),
        help=_("The people of the sponsors, exhibitors, media and partners at this event."),
    )
)
register(
    Kind(
        key="contact_list",
        label=_("A contact list"),
        fields=_list_fields,
        recipients=contact_list,
        placeholders=(Placeholder("organisation", _("The name of their organisation."), "Acme Cloud"),),
        help=_("The contacts on one of the organiser's imported lists."),
    )
)


def clean_filters(event, kind_key: str, data: dict) -> dict:
    """The filters of an audience as stored: each of the kind's fields cleaned by its form field.
    Raises forms.ValidationError (by field) for a value the field refuses."""
    kind = KINDS.get(kind_key)
    if kind is None:
        raise forms.ValidationError({"kind": _("Choose who the audience is.")})
    cleaned, errors = {}, {}
    for name, form_field in kind.fields(event).items():
        value = data.get(name, form_field.initial if name not in data else None)
        try:
            cleaned[name] = form_field.clean(value)
        except forms.ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise forms.ValidationError(errors)
    return cleaned


def recipients(audience) -> list[Recipient]:
    """The people an audience matches now."""
    kind = KINDS.get(audience.kind)
    if kind is None:
        return []
    return kind.recipients(audience.event, audience.filters or {})


def describe(audience) -> str:
    """The audience's filters in words (for lists)."""
    kind = KINDS.get(audience.kind)
    if kind is None:
        return audience.kind
    parts = []
    for name, form_field in kind.fields(audience.event).items():
        value = (audience.filters or {}).get(name)
        if not value:
            continue
        labels = {str(k): v for k, v in getattr(form_field, "choices", [])}
        values = value if isinstance(value, list) else [value]
        if values == ["any"]:
            continue
        parts.append(f"{form_field.label}: " + ", ".join(str(labels.get(str(v), v)) for v in values))
    return str(kind.label) + (" — " + "; ".join(parts) if parts else "")
