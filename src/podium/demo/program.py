"""The demo conference after its decisions: attendees who star talks, a full schedule, two releases.

Attendees star the accepted talks first (the event lists them before the schedule exists), so the
schedule can use the demand: popular talks are spread over the day and get the biggest rooms. Then
the program committee places every accepted session through the schedule services, publishes "v1",
makes the kind of changes real conferences make (a move, a cancellation, a new title, a late
addition) and publishes "v2", so the public changelog has something in every category.

Accounts and stars are seed data and created in bulk; everything that is schedule state (slots,
breaks, proposal states, releases) goes through the services, with their audit entries and mails.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from podium.accounts.models import User
from podium.attendance.models import Star
from podium.attendance.queries import public_talks, star_counts
from podium.base.errors import ServiceError
from podium.demo import words
from podium.demo.shape import DOMAIN
from podium.events import services as event_services
from podium.events.models import Event
from podium.proposals import services as proposal_services
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal, SpeakerAvailability
from podium.proposals.states import SCHEDULABLE
from podium.schedule import services as schedule_services
from podium.schedule.models import Slot, SlotKind

ATTENDEE_COUNT = 300
STARS_PER_ATTENDEE = (3, 12)
# How fast popularity falls off with a talk's rank (Zipf-like): the favourite talk is starred by
# most attendees, the least popular by a handful.
POPULARITY_FALL_OFF = 0.8

# Local times (hour, minute). Day 1 is the tutorial day: its three-hour tutorials cannot be cut, so
# its coffee breaks frame the tutorial blocks. Days 2 and 3 are talk days.
KEYNOTE_AT = (9, 0)
TUTORIAL_BLOCKS = ((10, 15), (14, 15))
TALK_PERIODS = ((10, 0), (11, 0), (11, 45), (13, 30), (14, 15), (15, 15), (16, 0))
TUTORIAL_DAY_BREAKS = (
    ("Morning coffee", (9, 45), (10, 15)),
    ("Lunch", (13, 15), (14, 15)),
    ("Afternoon coffee", (17, 15), (17, 45)),
)
TALK_DAY_BREAKS = (
    ("Morning coffee", (10, 30), (11, 0)),
    ("Lunch", (12, 15), (13, 30)),
    ("Afternoon coffee", (14, 45), (15, 15)),
)
LOGIN_SPEAKER_CONFIRMED = f"speaker1@{DOMAIN}"
LOGIN_SPEAKER_TO_CONFIRM = f"speaker2@{DOMAIN}"
RELEASE_COMMENTS = {
    "v1": "The first full schedule: three keynotes, a day of tutorials and two days of talks.",
    "v2": "One talk moved to a later slot, one was cancelled, one has a new title, and one late addition.",
}


@dataclass(frozen=True)
class ProgramSummary:
    attendees: int
    stars: int
    scheduled: int  # sessions on the draft schedule
    releases: tuple[str, ...]


def build_program(*, event: Event, admin, rng: random.Random, password_hash: str) -> ProgramSummary:
    """Attendees and their stars, the schedule, and releases v1 and v2 of `event`, acting as `admin`.

    Side effects: as the services called (audit entries; speaker notices in the outbox on release).
    """
    event_services.update_event(event=event, by=admin, data={"show_accepted_talks": True})
    attendees = create_attendees(rng, password_hash)
    stars = add_stars(event, rng, attendees)
    program = _Program(event, admin)
    late = program.schedule_all()
    release = schedule_services.publish_release(
        event=event, by=admin, name="v1", comment=RELEASE_COMMENTS["v1"]
    )
    program.revise(late)
    second = schedule_services.publish_release(
        event=event, by=admin, name="v2", comment=RELEASE_COMMENTS["v2"]
    )
    scheduled = event.slots.filter(
        kind=SlotKind.SESSION,
        start__isnull=False,
        proposal__state__in=SCHEDULABLE,
    ).count()
    return ProgramSummary(
        attendees=len(attendees), stars=stars, scheduled=scheduled, releases=(release.name, second.name)
    )


def attendee_email(number: int) -> str:
    return f"attendee{number}@{DOMAIN}"


def create_attendees(rng: random.Random, password_hash: str) -> list[User]:
    """ATTENDEE_COUNT accounts sharing the demo's one password hash (one bulk insert)."""
    User.objects.bulk_create(
        [
            User(
                email=attendee_email(number),
                name=f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}",
                password=password_hash,
            )
            for number in range(1, ATTENDEE_COUNT + 1)
        ]
    )
    emails = [attendee_email(number) for number in range(1, ATTENDEE_COUNT + 1)]
    by_email = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


def add_stars(event: Event, rng: random.Random, attendees: list[User]) -> int:
    """Each attendee stars a few of the talks the public may see, favouring the popular ones."""
    talks = list(public_talks(event).order_by("pk"))
    ranked = talks[:]
    rng.shuffle(ranked)
    appeal = {talk.pk: 1 / (rank + 1) ** POPULARITY_FALL_OFF for rank, talk in enumerate(ranked)}
    stars = []
    for user in attendees:
        count = rng.randint(*STARS_PER_ATTENDEE)
        # Weighted sampling without replacement (Efraimidis-Spirakis): highest random key wins.
        chosen = sorted(talks, key=lambda talk: rng.random() ** (1 / appeal[talk.pk]), reverse=True)[:count]
        stars += [Star(event=event, user=user, proposal=talk) for talk in chosen]
    Star.objects.bulk_create(stars, batch_size=1000)
    return len(stars)


class _Program:
    """Places sessions so that no speaker is in two places at once, within speakers' availability (and
    at their preferred times) where possible, popular sessions in big rooms."""

    def __init__(self, event: Event, admin):
        self.event = event
        self.admin = admin
        self.rooms = sorted(event.rooms.all(), key=lambda room: (-(room.capacity or 0), room.position))
        self.stars = star_counts(event)
        self.busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        self.windows: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        self.preferred: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        for window in SpeakerAvailability.objects.filter(profile__event=event).select_related("profile"):
            kind = self.preferred if window.preferred else self.windows
            kind[window.profile.user_id].append((window.start, window.end))
        # The demo log-ins with a session: speaker1's confirmed talk and speaker2's talk to confirm
        # stay where v1 puts them.
        self.login_speakers = set(
            User.objects.filter(email__in=(LOGIN_SPEAKER_CONFIRMED, LOGIN_SPEAKER_TO_CONFIRM)).values_list(
                "pk", flat=True
            )
        )
        # {start: [(room, proposal)]}, the draft as placed here.
        self.grid: dict[dt.datetime, list] = defaultdict(list)

    def at(self, day: dt.date, hour_minute: tuple[int, int]) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(*hour_minute), tzinfo=self.event.tz)

    def popularity(self, proposal: Proposal) -> tuple:
        return (-self.stars.get(proposal.pk, 0), proposal.title)

    # --- Speakers --------------------------------------------------------------------------------

    def speaker_ids(self, proposal: Proposal) -> list[int]:
        return [link.user_id for link in proposal.speaker_links.all()]

    def has_login_speaker(self, proposal: Proposal) -> bool:
        return not self.login_speakers.isdisjoint(self.speaker_ids(proposal))

    def free(self, proposal: Proposal, start: dt.datetime, end: dt.datetime) -> bool:
        return not any(
            s < end and start < e for user_id in self.speaker_ids(proposal) for s, e in self.busy[user_id]
        )

    def available(self, proposal: Proposal, start: dt.datetime, end: dt.datetime) -> bool:
        return all(
            not self.windows[user_id] or any(s <= start and end <= e for s, e in self.windows[user_id])
            for user_id in self.speaker_ids(proposal)
        )

    def preferred_time(self, proposal: Proposal, start: dt.datetime, end: dt.datetime) -> bool:
        return all(
            not self.preferred[user_id] or any(s <= start and end <= e for s, e in self.preferred[user_id])
            for user_id in self.speaker_ids(proposal)
        )

    def occupy(self, proposal: Proposal, start: dt.datetime, end: dt.datetime) -> None:
        for user_id in self.speaker_ids(proposal):
            self.busy[user_id].append((start, end))

    def release_speakers(self, proposal: Proposal, start: dt.datetime) -> None:
        for user_id in self.speaker_ids(proposal):
            self.busy[user_id] = [span for span in self.busy[user_id] if span[0] != start]

    # --- Placing ---------------------------------------------------------------------------------

    def schedule_all(self) -> Proposal:
        """Breaks, keynotes, tutorials and talks on the draft; returns the one talk held back for v2."""
        days = self.event.days
        for index, day in enumerate(days):
            for title, start, end in TUTORIAL_DAY_BREAKS if index == 0 else TALK_DAY_BREAKS:
                schedule_services.save_break(
                    event=self.event,
                    by=self.admin,
                    title=title,
                    room=None,
                    start=self.at(day, start),
                    end=self.at(day, end),
                )
        sessions = list(
            self.event.proposals.filter(state__in=SCHEDULABLE)
            .select_related("session_type")
            .prefetch_related("speaker_links")
            .order_by("pk")
        )
        keynotes = [p for p in sessions if p.session_type.is_plenary]
        tutorials = [p for p in sessions if p.session_type.name == "Tutorial"]
        talks = [p for p in sessions if p not in keynotes and p not in tutorials]
        # A late addition for v2: the least popular accepted talk whose speakers have not confirmed
        # yet (it gets whichever small room is free then).
        late = max(
            (p for p in talks if p.state == ProposalState.ACCEPTED and not self.has_login_speaker(p)),
            key=self.popularity,
        )
        talks.remove(late)
        self.fill(keynotes, [self.at(day, KEYNOTE_AT) for day in days], per_period=1)
        self.fill(
            tutorials, [self.at(days[0], block) for block in TUTORIAL_BLOCKS], per_period=len(self.rooms)
        )
        self.fill(
            talks,
            [self.at(day, period) for day in days[1:] for period in TALK_PERIODS],
            per_period=len(self.rooms),
        )
        return late

    def fill(self, proposals: list[Proposal], starts: list[dt.datetime], *, per_period: int) -> None:
        """Spread `proposals` over `starts`, then give the most popular of each period the biggest room.

        Sessions whose speakers can come at fewer of the `starts` choose first; the others go most
        popular first, so popular sessions end up in different periods.
        """
        chosen: dict[dt.datetime, list[Proposal]] = defaultdict(list)

        def choice_order(proposal: Proposal) -> tuple:
            minutes = dt.timedelta(minutes=proposal.session_type.duration_minutes)
            fitting = sum(self.available(proposal, start, start + minutes) for start in starts)
            return (fitting, *self.popularity(proposal))

        for proposal in sorted(proposals, key=choice_order):
            minutes = dt.timedelta(minutes=proposal.session_type.duration_minutes)
            open_periods = sorted(
                (
                    start
                    for start in starts
                    if len(chosen[start]) < per_period and self.free(proposal, start, start + minutes)
                ),
                key=lambda start: (len(chosen[start]), start),
            )
            if not open_periods:
                raise ServiceError(f"The demo schedule has no room left for “{proposal.title}”.")
            start = next(
                (
                    s
                    for s in open_periods
                    if self.available(proposal, s, s + minutes)
                    and self.preferred_time(proposal, s, s + minutes)
                ),
                next((s for s in open_periods if self.available(proposal, s, s + minutes)), open_periods[0]),
            )
            chosen[start].append(proposal)
            self.occupy(proposal, start, start + minutes)
        for start in starts:
            for room, proposal in zip(self.rooms, sorted(chosen[start], key=self.popularity), strict=False):
                self.place(proposal, room, start)

    def place(self, proposal: Proposal, room, start: dt.datetime, version: int = 0) -> Slot:
        slot = schedule_services.place_session(
            event=self.event, proposal=proposal, room=room, start=start, version=version, by=self.admin
        )
        self.grid[start].append((room, proposal))
        return slot

    def free_room(self, start: dt.datetime):
        taken = {room.pk for room, _ in self.grid[start]}
        return next((room for room in reversed(self.rooms) if room.pk not in taken), None)

    # --- Between v1 and v2 -----------------------------------------------------------------------

    def revise(self, late: Proposal) -> None:
        """Move one talk, cancel one, retitle one, and add the late one: through the services."""
        days = self.event.days
        talk_starts = [self.at(day, period) for day in days[1:] for period in TALK_PERIODS]
        placed = [(start, room, p) for start in talk_starts for room, p in self.grid[start]]
        candidates = [(start, room, p) for start, room, p in placed if not self.has_login_speaker(p)]

        # Move: the least popular talk of the first talk morning goes to a free room on the last day.
        start, _, moved = max(
            (c for c in candidates if c[0] == talk_starts[0]), key=lambda c: self.popularity(c[2])
        )
        minutes = dt.timedelta(minutes=moved.session_type.duration_minutes)
        self.release_speakers(moved, start)
        target = next(
            s
            for s in reversed(talk_starts)
            if self.free_room(s)
            and self.free(moved, s, s + minutes)
            and self.available(moved, s, s + minutes)
        )
        slot = Slot.objects.get(event=self.event, proposal=moved)
        self.grid[start] = [(r, p) for r, p in self.grid[start] if p.pk != moved.pk]
        self.place(moved, self.free_room(target), target, version=slot.version)
        self.occupy(moved, target, target + minutes)

        rest = [c for c in candidates if c[2].pk != moved.pk and c[2].state == ProposalState.CONFIRMED]
        # Cancel: a confirmed talk from the middle of the field.
        cancelled = sorted(rest, key=lambda c: self.popularity(c[2]))[len(rest) // 2][2]
        proposal_services.set_state_as_organiser(
            proposal=cancelled, to_state=ProposalState.CANCELLED, by=self.admin
        )
        # Retitle: the most popular talk of the last day's first period.
        retitled = min(
            (c for c in rest if c[0] == talk_starts[len(TALK_PERIODS)] and c[2].pk != cancelled.pk),
            key=lambda c: self.popularity(c[2]),
        )[2]
        retitled.refresh_from_db()
        proposal_services.update_proposal(
            proposal=retitled,
            by=self.admin,
            data={"title": f"{retitled.title}, revisited"},
            version=retitled.version,
            as_organiser=True,
        )
        # Add: the late talk in the first period with a free room and its speakers free.
        late_minutes = dt.timedelta(minutes=late.session_type.duration_minutes)
        late_start = next(
            s
            for s in talk_starts
            if self.free_room(s)
            and self.free(late, s, s + late_minutes)
            and self.available(late, s, s + late_minutes)
        )
        self.place(late, self.free_room(late_start), late_start)
        self.occupy(late, late_start, late_start + late_minutes)
