import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podium.mail.models import MailStatus, OutboxMail
from podium.sponsors import queries, services
from podium.sponsors.models import Stage
from tests import factories
from tests.sponsoring import contact, level, organisation

pytestmark = pytest.mark.django_db

# Sunday 5 January 2031, 21:00 in Chicago: already Monday 6 January in UTC.
NOW = dt.datetime(2031, 1, 6, 3, 0, tzinfo=dt.UTC)
SUNDAY = dt.date(2031, 1, 5)


def _step(sponsorship, by, due, next_step="Follow up", **data):
    return services.log_interaction(
        sponsorship=sponsorship, by=by, data={"summary": "Talked", "next_step": next_step, "due": due, **data}
    )


def test_today_and_the_week_are_the_event_zones(event):
    assert event.timezone == "America/Chicago"
    assert queries.today_at(event, NOW) == SUNDAY
    assert queries.week_of(SUNDAY) == (dt.date(2030, 12, 30), SUNDAY)
    assert queries.week_of(dt.date(2030, 12, 30)) == (dt.date(2030, 12, 30), SUNDAY)


def test_due_this_week_ends_on_the_event_zones_sunday(event, manager):
    sponsorship = organisation(event, manager)
    on_sunday = _step(sponsorship, manager, SUNDAY, "Sunday's step")
    overdue = _step(sponsorship, manager, dt.date(2030, 12, 20), "Old step")
    _step(
        sponsorship, manager, dt.date(2031, 1, 6), "Next week's step"
    )  # "today" in UTC, next week in Chicago
    services.log_interaction(
        sponsorship=sponsorship, by=manager, data={"summary": "No date", "next_step": "Some day"}
    )

    listing = queries.due_this_week(event, manager, today=queries.today_at(event, NOW))

    assert listing.week_end == SUNDAY
    [group] = listing.groups
    assert [step.pk for step in group.interactions] == [overdue.pk, on_sunday.pk]
    assert [step.is_overdue for step in group.interactions] == [True, False]


def test_a_monday_starts_a_new_week(event, manager):
    sponsorship = organisation(event, manager)
    _step(sponsorship, manager, dt.date(2031, 1, 12), "Sunday after")
    _step(sponsorship, manager, dt.date(2031, 1, 13), "Monday after")
    listing = queries.due_this_week(event, manager, today=dt.date(2031, 1, 6))
    assert [step.next_step for step in listing.groups[0].interactions] == ["Sunday after"]


def test_done_steps_leave_the_list_and_each_person_sees_their_own(event, manager, colleague):
    sponsorship = organisation(event, manager)
    mine = _step(sponsorship, manager, SUNDAY, "Mine")
    _step(sponsorship, manager, SUNDAY, "Theirs", assigned_to=colleague)
    done = _step(sponsorship, manager, SUNDAY, "Done already")
    services.complete_next_step(interaction=done, by=manager)

    assert [
        s.pk for g in queries.due_this_week(event, manager, today=SUNDAY).groups for s in g.interactions
    ] == [mine.pk]
    everyone = queries.due_this_week(event, today=SUNDAY)
    names = {group.person: [step.next_step for step in group.interactions] for group in everyone.groups}
    assert names == {manager: ["Mine"], colleague: ["Theirs"]}


def test_overdue_deliverables_go_to_the_owner(event, manager, colleague):
    gold = level(event, manager)
    ours = services.set_level(sponsorship=organisation(event, manager), level=gold, by=manager)
    theirs = services.set_level(sponsorship=organisation(event, colleague, "Globex"), level=gold, by=manager)
    declined = services.set_level(sponsorship=organisation(event, manager, "Initech"), level=gold, by=manager)
    services.move_stage(sponsorship=declined, stage=Stage.DECLINED, by=manager)
    late = ours.deliverables.get(name="Logo received")
    services.set_deliverable_due(deliverable=late, due=SUNDAY - dt.timedelta(days=1), by=manager)
    today_item = ours.deliverables.get(name="Invoice sent")
    services.set_deliverable_due(deliverable=today_item, due=SUNDAY, by=manager)  # due today: not overdue yet
    ticked = ours.deliverables.get(name="Booth assigned")
    services.set_deliverable_due(deliverable=ticked, due=dt.date(2030, 1, 1), by=manager)
    services.tick_deliverable(deliverable=ticked, done=True, by=manager)
    for sponsorship in (theirs, declined):
        item = sponsorship.deliverables.get(name="Logo received")
        services.set_deliverable_due(deliverable=item, due=dt.date(2030, 1, 1), by=manager)

    everyone = queries.due_this_week(event, today=SUNDAY)
    found = {
        group.person: [(i.sponsorship.organisation.name, i.name) for i in group.deliverables]
        for group in everyone.groups
    }
    assert found == {manager: [("Acme Cloud", "Logo received")], colleague: [("Globex", "Logo received")]}
    mine = queries.due_this_week(event, manager, today=SUNDAY)
    assert [item.pk for group in mine.groups for item in group.deliverables] == [late.pk]


def test_work_given_to_nobody_is_listed_last(event, manager):
    sponsorship = organisation(event, manager)
    entry = _step(sponsorship, manager, SUNDAY, "Unowned")
    services.reassign_next_step(interaction=entry, assigned_to=None, by=manager)
    _step(sponsorship, manager, SUNDAY, "Owned")
    groups = queries.due_this_week(event, today=SUNDAY).groups
    assert [group.name for group in groups] == [manager.name or manager.email, "Nobody"]


def test_mails_to_contacts_appear_in_the_log(event, manager):
    sponsorship = organisation(event, manager)
    contact(sponsorship, manager, email="Dana@Acme.example")
    entry = services.log_interaction(
        sponsorship=sponsorship,
        by=manager,
        data={"summary": "Called Dana", "happened_at": timezone.now() - dt.timedelta(days=2)},
    )
    sent = OutboxMail.objects.create(
        event=event,
        to="dana@ACME.example",
        subject="Your tickets",
        body="…",
        template="t",
        status=MailStatus.SENT,
        sent_at=timezone.now() - dt.timedelta(days=1),
    )
    held = OutboxMail.objects.create(
        event=event, to="dana@acme.example", subject="Held", body="…", template="t", status=MailStatus.HELD
    )
    OutboxMail.objects.create(
        event=event, to="someone@else.example", subject="Not theirs", body="…", template="t"
    )
    OutboxMail.objects.create(
        event=factories.EventFactory(), to="dana@acme.example", subject="Other event", body="…", template="t"
    )

    log = queries.organisation_log(sponsorship)

    assert [(item.mail or item.interaction).pk for item in log] == [held.pk, sent.pk, entry.pk]
    assert [item.is_mail for item in log] == [True, True, False]
    assert log[0].mail.get_status_display() == "Held for review"


def test_an_organisation_without_addresses_has_no_mail_in_its_log(event, manager):
    sponsorship = organisation(event, manager)
    contact(sponsorship, manager, email="")
    OutboxMail.objects.create(event=event, to="dana@acme.example", subject="x", body="…", template="t")
    assert queries.organisation_log(sponsorship) == []


def _count(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def _grow(event, by, start, count):
    gold = event.sponsor_levels.first() or level(event, by)
    for number in range(start, start + count):
        sponsorship = services.set_level(
            sponsorship=organisation(event, by, f"Org {number}"), level=gold, by=by
        )
        _step(sponsorship, by, SUNDAY, f"Step {number}")
        item = sponsorship.deliverables.first()
        services.set_deliverable_due(deliverable=item, due=dt.date(2030, 1, 1), by=by)
        contact(sponsorship, by, email=f"p{number}@example.org")
        services.move_stage(sponsorship=sponsorship, stage=Stage.COMMITTED, by=by)


def test_the_pipeline_and_due_lists_read_a_fixed_number_of_queries(event, manager):
    _grow(event, manager, 0, 2)
    small = [
        _count(lambda: queries.pipeline(event, today=SUNDAY)),
        _count(lambda: queries.due_this_week(event, today=SUNDAY)),
    ]
    _grow(event, manager, 2, 8)
    board = queries.pipeline(event, today=SUNDAY)
    large = [
        _count(lambda: queries.pipeline(event, today=SUNDAY)),
        _count(lambda: queries.due_this_week(event, today=SUNDAY)),
    ]
    assert small == large == [3, 2]
    committed = next(column for column in board.stages if column.stage == Stage.COMMITTED)
    assert len(committed.rows) == 10
    row = committed.rows[0]
    assert (row.open_count, row.overdue_count, row.next_due.next_step) == (3, 1, "Step 0")
    [total] = board.totals
    assert (total.name, total.committed_count, total.committed, total.paid) == ("Gold", 10, 50000, 0)


def test_the_pipeline_filters_and_totals_count_agreed_amounts(event, manager):
    gold = level(event, manager)
    paid = services.set_level(
        sponsorship=organisation(event, manager, "Paid Co", kind="exhibitor"), level=gold, by=manager
    )
    services.save_sponsorship(sponsorship=paid, by=manager, data={"amount": 4500})
    services.move_stage(sponsorship=paid, stage=Stage.PAID, by=manager)
    organisation(event, manager, "Prospect Co")
    board = queries.pipeline(event, kind="exhibitor", today=SUNDAY)
    assert [row.organisation.name for column in board.stages for row in column.rows] == ["Paid Co"]
    assert [(t.name, t.committed, t.paid) for t in board.totals] == [("Gold", 4500, 4500)]
    assert queries.pipeline(event, stage=Stage.PROSPECT, today=SUNDAY).count == 1
    assert queries.pipeline(event, level_id=gold.pk, today=SUNDAY).count == 1


def test_the_sponsor_team_is_who_may_be_given_work(event, manager):
    admin = factories.team_member(event, is_admin=True)
    factories.team_member(event, can_review=True)
    factories.team_member(factories.EventFactory(), can_manage_sponsors=True)
    assert set(queries.sponsor_team(event)) == {manager, admin}
