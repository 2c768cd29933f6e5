"""What the sponsor pages read: the pipeline of an event, the "due this week" lists, an
organisation's log at an event (its entries and the mail Podium sent its people), and the team
members work can be given to. Each reads a fixed, small number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, DecimalField, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.mail.models import OutboxMail
from podium.sponsors.models import PUBLIC_STAGES, Deliverable, Interaction, Sponsorship, Stage
from podium.sponsors.rules import PIPELINE


def today_at(event, now: dt.datetime | None = None) -> dt.date:
    """Today in the event's time zone (deadlines are days there)."""
    return (now or timezone.now()).astimezone(event.tz).date()


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and the Sunday of `day`'s week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def sponsor_team(event):
    """The users who manage the event's sponsors through a team (`can_manage_sponsors` or `is_admin`,
    for all the organiser's events or this one), by name: the people work can be given to."""
    team = Q(teams__organiser_id=event.organiser_id) & (
        Q(teams__can_manage_sponsors=True) | Q(teams__is_admin=True)
    )
    team &= Q(teams__all_events=True) | Q(teams__limit_events=event)
    return get_user_model().objects.filter(team, is_active=True).distinct().order_by("name", "email")


# --- The pipeline ----------------------------------------------------------------------------------


@dataclass
class StageColumn:
    stage: str
    label: str
    rows: list = field(default_factory=list)


@dataclass
class LevelTotal:
    name: str
    committed_count: int
    committed: object
    paid: object


@dataclass
class Pipeline:
    stages: list[StageColumn]
    totals: list[LevelTotal]
    today: dt.date

    @property
    def count(self) -> int:
        return sum(len(column.rows) for column in self.stages)


def _amount():
    return Coalesce("amount", "level__price", output_field=DecimalField(max_digits=12, decimal_places=2))


def pipeline(event, *, stage: str = "", kind: str = "", level_id: int | None = None, today=None) -> Pipeline:
    """The event's sponsorships grouped by stage (the pipeline's order, declined last), each with its
    organisation, level and owner, `open_count` (deliverables not ticked), `overdue_count` (of those,
    due before today in the event's zone) and `next_due` (its open next step due soonest, or None);
    optionally only one stage, kind of organisation or level. `totals`: per level, how many are
    committed or further and the amounts (the agreed amount, else the level's price) committed and
    paid, over the whole event. Three queries whatever the number of organisations."""
    today = today or today_at(event)
    open_deliverable = Q(deliverables__done_at__isnull=True)
    rows = (
        Sponsorship.objects.filter(event=event)
        .select_related("organisation", "level", "owner")
        .annotate(
            open_count=Count("deliverables", filter=open_deliverable),
            overdue_count=Count("deliverables", filter=open_deliverable & Q(deliverables__due__lt=today)),
        )
        .prefetch_related(
            Prefetch(
                "interactions",
                queryset=Interaction.objects.filter(done_at__isnull=True, due__isnull=False)
                .exclude(next_step="")
                .select_related("assigned_to")
                .order_by("due", "pk"),
                to_attr="open_steps",
            )
        )
        .order_by("organisation__name", "pk")
    )
    if stage:
        rows = rows.filter(stage=stage)
    if kind:
        rows = rows.filter(organisation__kind=kind)
    if level_id:
        rows = rows.filter(level_id=level_id)
    columns = {value: StageColumn(value, Stage(value).label) for value in (*PIPELINE, Stage.DECLINED)}
    for row in rows:
        row.next_due = row.open_steps[0] if row.open_steps else None
        columns[row.stage].rows.append(row)
    return Pipeline(stages=list(columns.values()), totals=level_totals(event), today=today)


def level_totals(event) -> list[LevelTotal]:
    """Per level (by position; "No level" last), the sponsorships committed or further and the amounts
    committed (committed, invoiced or paid) and paid. One query."""
    committed = Q(stage__in=PUBLIC_STAGES)
    rows = (
        Sponsorship.objects.filter(event=event)
        .filter(committed)
        .values("level_id", "level__name", "level__position")
        .annotate(
            count=Count("pk"),
            committed=Sum(_amount()),
            paid=Sum(_amount(), filter=Q(stage=Stage.PAID)),
        )
    )
    rows = sorted(
        rows, key=lambda row: (row["level_id"] is None, row["level__position"] or 0, row["level__name"] or "")
    )
    return [
        LevelTotal(row["level__name"] or _("No level"), row["count"], row["committed"] or 0, row["paid"] or 0)
        for row in rows
    ]


def sponsorship_detail(event, pk: int) -> Sponsorship:
    """One sponsorship of `event` (DoesNotExist for another event's) with what its page shows."""
    return (
        Sponsorship.objects.select_related("organisation", "level", "owner", "track")
        .prefetch_related("organisation__contacts", "deliverables__done_by")
        .get(event=event, pk=pk)
    )


# --- Due this week ---------------------------------------------------------------------------------


@dataclass
class DueGroup:
    person: object  # a User, or None for work nobody was given
    interactions: list = field(default_factory=list)
    deliverables: list = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.person is None:
            return "Nobody"
        return self.person.name or self.person.email


@dataclass
class DueList:
    groups: list[DueGroup]
    today: dt.date
    week_end: dt.date

    @property
    def empty(self) -> bool:
        return not self.groups


def due_this_week(event, user=None, *, today: dt.date | None = None) -> DueList:
    """The open next steps (not done) due by the end of this week (Sunday, in the event's time zone),
    overdue ones included, and the checklist items overdue (not ticked, due before today; of
    organisations not declined), grouped by person: a next step's assignee, an item's owner (the
    sponsorship's). With `user`, only theirs. Each row has `is_overdue`. Two queries."""
    today = today or today_at(event)
    _monday, sunday = week_of(today)
    steps = (
        Interaction.objects.filter(
            sponsorship__event=event, done_at__isnull=True, due__isnull=False, due__lte=sunday
        )
        .exclude(next_step="")
        .select_related("sponsorship__organisation", "assigned_to", "contact")
        .order_by("due", "pk")
    )
    items = (
        Deliverable.objects.filter(sponsorship__event=event, done_at__isnull=True, due__lt=today)
        .exclude(sponsorship__stage=Stage.DECLINED)
        .select_related("sponsorship__organisation", "sponsorship__owner")
        .order_by("due", "pk")
    )
    if user is not None:
        steps = steps.filter(assigned_to=user)
        items = items.filter(sponsorship__owner=user)
    groups: dict[int | None, DueGroup] = {}
    for step in steps:
        step.is_overdue = step.due < today
        groups.setdefault(step.assigned_to_id, DueGroup(step.assigned_to)).interactions.append(step)
    for item in items:
        item.is_overdue = True
        owner = item.sponsorship.owner
        groups.setdefault(item.sponsorship.owner_id, DueGroup(owner)).deliverables.append(item)
    ordered = sorted(groups.values(), key=lambda group: (group.person is None, group.name.lower()))
    return DueList(groups=ordered, today=today, week_end=sunday)


# --- An organisation's log at an event -------------------------------------------------------------


@dataclass
class LogEntry:
    when: dt.datetime
    interaction: Interaction | None = None
    mail: OutboxMail | None = None

    @property
    def is_mail(self) -> bool:
        return self.mail is not None


def mails_to_contacts(sponsorship: Sponsorship, addresses: list[str]):
    """The event's outbox mails addressed to any of `addresses` (any letter case)."""
    addresses = sorted({address.strip().lower() for address in addresses if address and address.strip()})
    if not addresses:
        return OutboxMail.objects.none()
    to = Q()
    for address in addresses:
        to |= Q(to__iexact=address)
    return OutboxMail.objects.filter(to, event_id=sponsorship.event_id)


def organisation_log(sponsorship: Sponsorship, contacts=None) -> list[LogEntry]:
    """The log of an organisation at the event, newest first: its entries, and the mail Podium sent
    (or holds, or failed to send) to any of its people's addresses at this event, shown as "mail sent
    from Podium" with its status. `contacts` (already loaded) saves a query."""
    if contacts is None:
        contacts = list(sponsorship.organisation.contacts.all())
    entries = [
        LogEntry(entry.happened_at, interaction=entry)
        for entry in sponsorship.interactions.select_related("by", "assigned_to", "contact")
    ]
    mails = mails_to_contacts(sponsorship, [contact.email for contact in contacts]).only(
        "pk", "to", "subject", "status", "created", "sent_at", "template", "event_id"
    )
    entries += [LogEntry(mail.sent_at or mail.created, mail=mail) for mail in mails]
    entries.sort(key=lambda entry: (entry.when, entry.is_mail), reverse=True)
    return entries
