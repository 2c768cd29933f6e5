"""The demo's program: attendees' stars, the schedule placed through the services, releases v1 and v2.

The demo is built once per test session (the `demo_output` fixture, tests/conftest.py).
"""

import datetime as dt
import random
from collections import Counter, defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape

from podium.accounts.models import User
from podium.demo import program
from podium.events import services as event_services
from podium.mail.models import MailStatus, OutboxMail
from podium.proposals.enums import ProposalState
from podium.proposals.models import SpeakerAvailability
from podium.proposals.states import SCHEDULABLE
from podium.schedule import rules
from podium.schedule.conflicts import ERROR, find_conflicts
from podium.schedule.models import SlotKind
from podium.scheduling import solving
from podium.scheduling.solver import load_instance
from tests import factories


def _release(event, name):
    return event.releases.get(name=name)


def _sessions(release, **filters):
    return list(release.sessions.filter(kind=SlotKind.SESSION, **filters))


def test_program_admin_team_may_schedule(pycon):
    admin = User.objects.get(email="admin@podium.example")
    committee = User.objects.get(email="reviewer1@podium.example")

    assert rules.can_schedule(admin, pycon) is True
    assert rules.can_schedule(committee, pycon) is False


def test_program_lists_accepted_talks_before_release(pycon):
    assert pycon.show_accepted_talks is True


def test_program_publishes_v1_and_v2_with_comments(pycon):
    releases = list(pycon.releases.order_by("version").values_list("version", "name", "comment"))

    assert [(version, name) for version, name, _ in releases] == [(1, "v1"), (2, "v2")]
    assert all(comment for *_, comment in releases)


def test_program_v1_is_all_new(pycon):
    v1 = _release(pycon, "v1")

    assert {change["kind"] for change in v1.changes} == {"new"}
    assert len(v1.changes) == len(_sessions(v1))


def test_program_v2_moves_cancels_changes_and_adds_one_each(pycon):
    v2 = _release(pycon, "v2")

    assert Counter(change["kind"] for change in v2.changes) == {
        "new": 1,
        "moved": 1,
        "changed": 1,
        "cancelled": 1,
    }
    changed = next(change for change in v2.changes if change["kind"] == "changed")
    moved = next(change for change in v2.changes if change["kind"] == "moved")
    assert changed["fields"] == ["title"]
    assert moved["old"]["start"] != moved["new"]["start"]
    assert moved["old"]["room"] != moved["new"]["room"]


def test_program_v2_holds_every_schedulable_session_and_not_the_cancelled_one(pycon):
    v2_codes = {session.code for session in _sessions(_release(pycon, "v2"))}
    cancelled = pycon.proposals.get(state=ProposalState.CANCELLED)
    confirmed = set(pycon.proposals.filter(state=ProposalState.CONFIRMED).values_list("code", flat=True))
    schedulable = set(pycon.proposals.filter(state__in=SCHEDULABLE).values_list("code", flat=True))

    assert v2_codes == schedulable
    assert confirmed <= v2_codes
    assert cancelled.code not in v2_codes
    assert cancelled.code in {session.code for session in _sessions(_release(pycon, "v1"))}


def test_program_tutorials_are_on_the_first_day(pycon):
    tutorials = _sessions(_release(pycon, "v2"), session_type="Tutorial")

    assert (
        len(tutorials) == pycon.proposals.filter(session_type__name="Tutorial", state__in=SCHEDULABLE).count()
    )
    assert {session.day for session in tutorials} == {pycon.date_from}


def test_program_one_keynote_each_morning_alone_in_the_biggest_room(pycon):
    sessions = _sessions(_release(pycon, "v2"))
    keynotes = [session for session in sessions if session.session_type == "Keynote"]
    biggest = pycon.rooms.order_by("-capacity").first()

    assert sorted(session.day for session in keynotes) == pycon.days
    for keynote in keynotes:
        alongside = [
            s for s in sessions if s.pk != keynote.pk and s.start < keynote.end and keynote.start < s.end
        ]
        assert alongside == []
        assert keynote.room_name == biggest.name
        assert keynote.start.astimezone(pycon.tz).hour < 12


def test_program_breaks_in_every_room_each_day(pycon):
    breaks = _release(pycon, "v2").sessions.filter(kind=SlotKind.BREAK)
    per_day = defaultdict(list)
    for item in breaks:
        per_day[item.day].append((item.title, item.room_name))

    assert sorted(per_day) == pycon.days
    for titles in per_day.values():
        assert sorted(titles) == [("Afternoon coffee", ""), ("Lunch", ""), ("Morning coffee", "")]


def test_program_sessions_do_not_run_into_breaks(pycon):
    v2 = _release(pycon, "v2")
    breaks = list(v2.sessions.filter(kind=SlotKind.BREAK))

    overlapping = [
        (session.title, item.title)
        for session in _sessions(v2)
        for item in breaks
        if session.start < item.end and item.start < session.end
    ]

    assert overlapping == []


def test_program_has_no_error_conflicts(pycon):
    errors = [conflict.message for conflict in find_conflicts(pycon) if conflict.severity == ERROR]

    assert errors == []


def test_program_keeps_its_scheduling_rules_and_the_solver_can_read_them(pycon):
    suitable = {t.name: sorted(r.name for r in t.rooms.all()) for t in pycon.session_types.all()}
    preferred = SpeakerAvailability.objects.filter(profile__event=pycon, preferred=True)
    kinds = Counter(conflict.kind for conflict in find_conflicts(pycon))

    assert suitable["Keynote"] == ["Ballroom A"]
    assert len(suitable["Tutorial"]) == 6
    assert suitable["Talk"] == []
    assert pycon.min_pause_minutes == 10
    assert preferred.values("profile").distinct().count() >= 5
    assert (kinds["unsuitable_room"], kinds["speaker_pause"]) == (0, 0)
    instance = solving.build_instance(pycon)
    load_instance(instance)
    assert instance["min_pause_slots"] == 1
    assert sum("preferred" in session for session in instance["sessions"]) >= 3


def test_program_no_speaker_in_two_places_at_once(pycon):
    busy = defaultdict(list)
    for session in _sessions(_release(pycon, "v2")):
        for speaker in session.speakers:
            busy[speaker["code"]].append((session.start, session.end))

    clashes = [
        code
        for code, spans in busy.items()
        for (start, end), (next_start, _) in zip(sorted(spans), sorted(spans)[1:], strict=False)
        if next_start < end
    ]

    assert clashes == []


def test_program_stars_come_from_300_attendees_with_skewed_popularity(pycon):
    per_talk = list(
        pycon.stars.values("proposal").annotate(n=Count("pk")).order_by("-n").values_list("n", flat=True)
    )
    attendees = User.objects.filter(email__startswith="attendee", email__endswith="@podium.example")

    assert attendees.count() == 300
    assert pycon.stars.order_by().values("user").distinct().count() == 300
    assert pycon.stars.count() >= 300 * program.STARS_PER_ATTENDEE[0]
    assert per_talk[0] >= 5 * per_talk[-1]


def test_program_stars_only_talks_the_public_could_see(pycon):
    states = set(pycon.stars.values_list("proposal__state", flat=True))

    # One starred talk was cancelled after the stars were given.
    assert states == {ProposalState.ACCEPTED, ProposalState.CONFIRMED, ProposalState.CANCELLED}


def test_program_gives_the_most_starred_talk_of_each_period_the_biggest_room(pycon):
    stars = dict(pycon.stars.values_list("proposal__code").annotate(n=Count("pk")))
    capacity = dict(pycon.rooms.values_list("pk", "capacity"))
    periods = defaultdict(list)
    for session in _sessions(_release(pycon, "v1"), session_type="Talk"):
        periods[session.start].append(session)

    for sessions in periods.values():
        by_room = sorted(sessions, key=lambda s: -capacity[s.room_id])
        counts = [stars.get(s.code, 0) for s in by_room]
        assert counts == sorted(counts, reverse=True)


def test_program_speaker_notices_are_in_the_outbox_and_not_delivered(pycon):
    notices = OutboxMail.objects.filter(event=pycon, template="schedule_changes")

    assert notices.count() > 0
    assert set(notices.values_list("status", flat=True)) == {MailStatus.SENT}


def test_add_stars_stars_only_public_talks(db):
    event = factories.EventFactory()
    event_services.update_event(event=event, by=None, data={"show_accepted_talks": True})
    confirmed = factories.ProposalFactory(event=event, state=ProposalState.CONFIRMED)
    factories.ProposalFactory(event=event, state=ProposalState.REJECTED)
    factories.ProposalFactory(event=event, state=ProposalState.SUBMITTED)
    attendees = factories.UserFactory.create_batch(4)

    count = program.add_stars(event, random.Random(1), attendees)

    assert count == 4
    assert set(event.stars.values_list("proposal", flat=True)) == {confirmed.pk}


def test_add_stars_stars_nothing_while_accepted_talks_are_hidden(db):
    event = factories.EventFactory()
    factories.ProposalFactory(event=event, state=ProposalState.CONFIRMED)

    count = program.add_stars(event, random.Random(1), factories.UserFactory.create_batch(2))

    assert count == 0
    assert event.stars.count() == 0


def test_program_public_schedule_shows_v2(pycon, client):
    v2 = _release(pycon, "v2")
    changed = next(change for change in v2.changes if change["kind"] == "changed")
    cancelled = next(change for change in v2.changes if change["kind"] == "cancelled")
    day = pycon.conference_day(dt.datetime.fromisoformat(changed["new"]["start"]))
    cancelled_day = pycon.conference_day(dt.datetime.fromisoformat(cancelled["old"]["start"]))

    page = client.get(reverse("site:schedule", kwargs={"event": pycon.slug}), {"day": day.isoformat()})
    cancelled_page = client.get(
        reverse("site:schedule", kwargs={"event": pycon.slug}), {"day": cancelled_day.isoformat()}
    )

    assert page.status_code == 200
    assert escape(changed["title"]) in page.content.decode()
    assert escape(cancelled["title"]) not in cancelled_page.content.decode()
