"""A deterministic demo: a PyCon-US-sized conference with its schedule out, and a small event with an open CfP.

Everything comes from seeded `random.Random`s, so two builds give the same people, titles, tracks,
reviews, decisions, stars and schedule. Proposal codes are the exception: the submission service
draws them from `secrets`, as it does for real proposals, and the demo does not work around that.

State changes go through the services (submission, co-speakers, withdrawal, reviews, decisions,
confirmations, and in podium.demo.program the schedule and its releases), so the audit log, the
outbox and the state machine look exactly as they would after a real CfP. Only the accounts (sharing
one password hash), the attendees' stars, and the ticket sales and scans (podium.demo.bulk, as the
registration and check-in services would write them) are created in bulk.
"""

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from podium.accounts.models import User
from podium.base.errors import ServiceError
from podium.base.models import AuditEntry
from podium.demo import attendees, campaigns, contacts, letters, pages, program, sponsors, tutorials, words
from podium.demo.shape import (
    ACCEPTED,
    AVAILABILITY_PATTERNS,
    COMMENT_SHARE,
    CONFIRMED,
    COSPEAKER_PROPOSALS,
    DOMAIN,
    FATES,
    MIN_PAUSE_MINUTES,
    PENDING_ACCEPT,
    PENDING_REJECT,
    PREFERRED_PATTERNS,
    PYCON_DESCRIPTION,
    PYCON_ROOMS,
    PYCON_SUITABLE_ROOMS,
    PYCON_TRACKS,
    PYTEXAS_DESCRIPTION,
    PYTEXAS_PROPOSALS,
    PYTEXAS_ROOMS,
    PYTEXAS_TRACKS,
    REJECTED,
    REVIEW_SHARE,
    REVIEWER_COUNT,
    SCORE_WEIGHTS,
    SECOND_PROPOSALS,
    SPEAKER_COUNT,
    TUTORIALS,
    TWO_COSPEAKER_PROPOSALS,
    UNDECIDED,
    WITHDRAWN,
)
from podium.events import services as event_services
from podium.events.models import Event, Organiser
from podium.mail.models import MailStatus, OutboxMail
from podium.proposals import services as proposal_services
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.reviews import services as review_services

SEED = 20240515
PASSWORD = "podium-demo"  # noqa: S105 (the published password of the demo accounts)
TIMEZONE = "America/Chicago"
MAIN_EVENT = "pycon-demo"
CFP_EVENT = "pytexas-demo"
ORGANISERS = ("psf", "pytexas")


@dataclass(frozen=True)
class Login:
    role: str
    email: str


LOGINS = (
    Login("organiser admin", f"admin@{DOMAIN}"),
    Login("reviewer, approves mail campaigns", f"reviewer1@{DOMAIN}"),
    Login("speaker with a confirmed talk", f"speaker1@{DOMAIN}"),
    Login("speaker with an accepted talk to confirm", f"speaker2@{DOMAIN}"),
    Login("attendee who starred talks", program.attendee_email(1)),
    Login("check-in volunteer", attendees.VOLUNTEER_EMAIL),
)


@dataclass
class Plan:
    """One proposal to submit, with what will happen to it."""

    speakers: list
    session_type: str
    track: str
    title: str
    abstract: str
    description: str
    audience_level: str
    notes: str
    fate: str = UNDECIDED
    proposal: Proposal | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Summary:
    proposals: dict[str, int]  # per event slug
    reviews: int
    program: program.ProgramSummary
    registration: attendees.RegistrationSummary
    seconds: float


def demo_exists() -> bool:
    return Event.objects.filter(slug=MAIN_EVENT).exists()


def demo_users():
    return User.objects.filter(email__iendswith="@" + DOMAIN)


@transaction.atomic
def delete_demo() -> None:
    """Remove the demo events with everything in them, the demo accounts, and the demo organisers.

    An organiser with a demo short name that still has other events is not the demo's: it stays.
    """
    event_ids = list(Event.objects.filter(slug__in=(MAIN_EVENT, CFP_EVENT)).values_list("pk", flat=True))
    user_ids = list(demo_users().values_list("pk", flat=True))
    AuditEntry.objects.filter(Q(event_id__in=event_ids) | Q(actor_id__in=user_ids)).delete()
    OutboxMail.objects.filter(Q(event_id__in=event_ids) | Q(to__iendswith="@" + DOMAIN)).delete()
    # Proposals first: they protect their session types from a cascade through the event.
    Proposal.objects.filter(event_id__in=event_ids).delete()
    Event.objects.filter(pk__in=event_ids).delete()
    Organiser.objects.filter(slug__in=ORGANISERS, events__isnull=True).delete()
    User.objects.filter(pk__in=user_ids).delete()


def build_demo(*, today: dt.date | None = None) -> Summary:
    """Build both demo events in one transaction, leftovers of an earlier demo removed first.

    Refused (ServiceError) when a demo organiser short name belongs to someone else's events.

    Mail is written to the outbox as usual but never delivered: on-commit delivery is off while the
    demo is built, and the mails that would have gone out are marked sent.
    """
    started = timezone.now()
    tz = zoneinfo.ZoneInfo(TIMEZONE)
    today = today or timezone.localdate(timezone=tz)
    with override_settings(PODIUM_DELIVER_MAIL_ON_COMMIT=False), transaction.atomic():
        delete_demo()
        taken = list(Organiser.objects.filter(slug__in=ORGANISERS).values_list("slug", flat=True))
        if taken:
            raise ServiceError(
                f"The organiser short name {', '.join(taken)} belongs to other events, and the demo needs it. "
                "Build the demo in a fresh data directory (PODIUM_DATA_DIR)."
            )
        builder = _Builder(random.Random(SEED), today=today, tz=tz)
        summary_events = builder.build()
        events = Event.objects.filter(slug__in=summary_events)
        OutboxMail.objects.filter(status=MailStatus.QUEUED).filter(
            Q(event__in=events) | Q(to__iendswith="@" + DOMAIN)
        ).update(status=MailStatus.SENT, sent_at=timezone.now(), attempts=1)
    return Summary(
        proposals={slug: Proposal.objects.filter(event__slug=slug).count() for slug in summary_events},
        reviews=builder.review_count,
        program=builder.program,
        registration=attendees.summarise(builder.event),
        seconds=(timezone.now() - started).total_seconds(),
    )


class _Builder:
    def __init__(self, rng: random.Random, *, today: dt.date, tz: zoneinfo.ZoneInfo):
        self.rng = rng
        self.today = today
        self.tz = tz
        self.review_count = 0
        self.used_titles: set[str] = set()

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def build(self) -> tuple[str, ...]:
        self.create_accounts()
        self.build_pycon()
        self.build_pytexas()
        return (MAIN_EVENT, CFP_EVENT)

    # --- People --------------------------------------------------------------------------------

    def create_accounts(self) -> None:
        hashed = make_password(PASSWORD)
        names = self.unique_names(1 + REVIEWER_COUNT + SPEAKER_COUNT)
        accounts = [User(email=f"admin@{DOMAIN}", name=names[0], password=hashed)]
        accounts += [
            User(email=f"reviewer{n}@{DOMAIN}", name=names[n], password=hashed)
            for n in range(1, REVIEWER_COUNT + 1)
        ]
        accounts += [
            User(email=f"speaker{n}@{DOMAIN}", name=names[REVIEWER_COUNT + n], password=hashed)
            for n in range(1, SPEAKER_COUNT + 1)
        ]
        User.objects.bulk_create(accounts)
        by_email = {user.email: user for user in demo_users()}
        self.admin = by_email[f"admin@{DOMAIN}"]
        self.reviewers = [by_email[f"reviewer{n}@{DOMAIN}"] for n in range(1, REVIEWER_COUNT + 1)]
        self.speakers = [by_email[f"speaker{n}@{DOMAIN}"] for n in range(1, SPEAKER_COUNT + 1)]

    def unique_names(self, count: int) -> list[str]:
        names: list[str] = []
        while len(names) < count:
            name = f"{self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.LAST_NAMES)}"
            if name not in names:
                names.append(name)
        return names

    def bio(self, user) -> str:
        rng = self.rng
        first = user.name.split()[0]
        role = rng.choice(words.ROLES)
        article = "an" if role[0] in "aeiou" else "a"
        return (
            f"{user.name} is {article} {role} at {rng.choice(words.COMPANIES)}, based in "
            f"{rng.choice(words.CITIES)}. {first} has been writing Python for {rng.randint(2, 20)} years "
            f"and {rng.choice(words.HOBBIES)}."
        )

    def save_profiles(self, event, speakers) -> dict:
        profiles = {}
        for user in speakers:
            handle = user.email.split("@")[0]
            profiles[user.pk] = proposal_services.save_speaker_profile(
                event=event,
                user=user,
                name=user.name,
                bio=self.bio(user),
                website=f"https://{handle}.{DOMAIN}/" if self.rng.random() < 0.4 else "",
                social=f"@{handle}@fosstodon.example" if self.rng.random() < 0.5 else "",
            )
        return profiles

    # --- PyCon US Demo -------------------------------------------------------------------------

    def build_pycon(self) -> None:
        self.psf = event_services.create_organiser(
            name="Python Software Foundation", slug="psf", admin=self.admin
        )
        start = self.today + dt.timedelta(days=28)
        while start.weekday() != 4:  # the main conference runs Friday to Sunday
            start += dt.timedelta(days=1)
        event = self.event = event_services.create_event(
            organiser=self.psf,
            by=self.admin,
            slug=MAIN_EVENT,
            data={
                "name": "PyCon US Demo",
                "timezone": TIMEZONE,
                "date_from": start,
                "date_to": start + dt.timedelta(days=2),
                "anonymise_review": True,
                "cfp_opens": self.at(self.today - dt.timedelta(days=120), 9),
                # Open while the proposals are submitted; closed (yesterday) once they are in.
                "cfp_closes": self.at(self.today + dt.timedelta(days=1), 23, 59),
                "contact_email": f"program@{DOMAIN}",
                "description": PYCON_DESCRIPTION,
                # Its program shows accepted talks before their speakers confirm (marked tentative),
                # and its acceptance mails say so.
                "publish_unconfirmed": True,
            },
        )
        self.setup_rooms_and_tracks(event, PYCON_ROOMS, PYCON_TRACKS)
        self.setup_scheduling_rules(event, PYCON_SUITABLE_ROOMS, MIN_PAUSE_MINUTES)
        pages.build_pages(event=event, admin=self.admin)
        committee = event_services.save_team(
            organiser=self.psf, by=self.admin, data={"name": "Program committee", "can_review": True}
        )
        committee.members.add(*self.reviewers)
        # The first reviewer also approves mail campaigns, so the campaign in review can be approved.
        communications = event_services.save_team(
            organiser=self.psf, by=self.admin, data={"name": "Communications", "can_approve_mail": True}
        )
        communications.members.add(self.reviewers[0])

        plans = self.pycon_plans()
        profiles = self.save_profiles(event, self.speakers)
        # Tutorials run on the first day in three-hour blocks: their speakers can come then, so the
        # limited availability goes to speakers of talks only.
        teaching = {plan.speakers[0] for plan in plans if plan.session_type == "Tutorial"}
        limited = [user for user in self.speakers[4::5] if user not in teaching]
        for index, user in enumerate(limited):
            pattern = AVAILABILITY_PATTERNS[index % len(AVAILABILITY_PATTERNS)]
            windows = [
                (
                    self.at(event.date_from + dt.timedelta(days=day), start_h),
                    self.at(event.date_from + dt.timedelta(days=day), end_h),
                )
                for day, start_h, end_h in pattern
            ]
            proposal_services.set_availability(profile=profiles[user.pk], windows=windows)
        preferring = [user for user in self.speakers[3::7] if user not in limited and user not in teaching]
        for index, user in enumerate(preferring):
            pattern = PREFERRED_PATTERNS[index % len(PREFERRED_PATTERNS)]
            preferred = [
                (
                    self.at(event.date_from + dt.timedelta(days=day), start_h),
                    self.at(event.date_from + dt.timedelta(days=day), end_h),
                )
                for day, start_h, end_h in pattern
            ]
            proposal_services.set_availability(profile=profiles[user.pk], windows=[], preferred=preferred)

        for plan in plans:
            self.submit(event, plan)
        self.add_cospeakers(plans)
        for plan in plans:
            if plan.fate == WITHDRAWN:
                proposal_services.withdraw_proposal(proposal=plan.proposal, by=plan.speakers[0])
        event_services.update_event(
            event=event,
            by=self.admin,
            data={"cfp_closes": self.at(self.today - dt.timedelta(days=1), 23, 59)},
        )
        self.review(plans)
        self.decide(plans)
        self.review_criteria_and_assignments()
        # Its own random stream, so the program never shifts the people, titles and reviews above.
        self.program = program.build_program(
            event=event, admin=self.admin, rng=random.Random(SEED + 1), password_hash=self.admin.password
        )
        attendees.build_attendees(event=event, admin=self.admin, seed=SEED + 2)
        tutorials.build_tutorials(event=event, admin=self.admin, seed=SEED + 3)
        letters.build_letters(event=event, admin=self.admin)
        campaigns.build_campaigns(event=event, admin=self.admin)
        contacts.build_contact_lists(organiser=event.organiser, admin=self.admin)
        sponsors.build_sponsors(event=event, admin=self.admin, today=self.today)

    def setup_rooms_and_tracks(self, event, rooms, tracks) -> None:
        for position, (name, capacity, description) in enumerate(rooms):
            event_services.save_room(
                event=event,
                by=self.admin,
                data={"name": name, "capacity": capacity, "description": description, "position": position},
            )
        self.tracks = {
            name: event_services.save_track(
                event=event, by=self.admin, data={"name": name, "colour": colour, "description": description}
            )
            for name, colour, description, _ in tracks
        }
        self.track_weights = [weight for *_, weight in tracks]
        self.session_types = {st.name: st for st in event.session_types.all()}

    def setup_scheduling_rules(self, event, suitable_rooms: dict, pause: int) -> None:
        """The session types' suitable rooms and the minimum pause between a speaker's sessions."""
        rooms = {room.name: room for room in event.rooms.all()}
        for name, room_names in suitable_rooms.items():
            session_type = self.session_types[name]
            event_services.save_session_type(
                event=event,
                by=self.admin,
                session_type=session_type,
                data={"rooms": [rooms[room_name] for room_name in room_names]},
            )
        event_services.update_event(event=event, by=self.admin, data={"min_pause_minutes": pause})

    def pycon_plans(self) -> list[Plan]:
        rng = self.rng
        keynote_speakers = self.speakers[-len(words.KEYNOTES) :]
        regular = self.speakers[: -len(words.KEYNOTES)]
        # speaker2 keeps exactly one proposal, so the log-in shows one accepted talk to confirm.
        seconds = rng.sample([regular[0], *regular[2:]], SECOND_PROPOSALS)
        submitters = regular + seconds
        tutorials = set(rng.sample(range(len(submitters)), TUTORIALS))
        fates = [fate for fate, count in FATES.items() for _ in range(count)]
        if len(fates) != len(submitters):
            raise ValueError(
                f"FATES add up to {len(fates)}, but there are {len(submitters)} proposals to submit."
            )
        rng.shuffle(fates)
        self.put_first(fates, 0, CONFIRMED)  # speaker1's first proposal
        self.put_first(fates, 1, ACCEPTED)  # speaker2's only proposal
        plans = []
        for index, user in enumerate(submitters):
            kind = "Tutorial" if index in tutorials else "Talk"
            plan = self.plan(user, kind, rng.choices(list(self.tracks), weights=self.track_weights)[0])
            plan.fate = fates[index]
            plans.append(plan)
        for user, (title, track) in zip(keynote_speakers, words.KEYNOTES, strict=True):
            plan = self.plan(user, "Keynote", track, title=title)
            plan.fate = CONFIRMED
            plans.append(plan)
        return plans

    @staticmethod
    def put_first(fates: list[str], index: int, fate: str) -> None:
        """Swap a `fate` into position `index` (the rest stays shuffled)."""
        if fates[index] != fate:
            other = next(i for i, f in enumerate(fates) if f == fate and i > 1)
            fates[index], fates[other] = fates[other], fates[index]

    def plan(self, user, kind: str, track: str, title: str | None = None) -> Plan:
        rng = self.rng
        if title is None:
            title, (topic, area) = self.title(track, kind)
        else:
            topic, area = rng.choice(words.TRACK_TOPICS[track])
        company = rng.choice(words.COMPANIES[:20])
        text = {"topic": topic, "Topic": _capitalise(topic), "area": area, "company": company}
        abstract = " ".join(
            rng.choice(options).format(**text) for options in (words.OPENINGS, words.MIDDLES, words.CLOSINGS)
        )
        return Plan(
            speakers=[user],
            session_type=kind,
            track=track,
            title=title,
            abstract=abstract,
            description=self.description(topic, self.session_types[kind].duration_minutes),
            audience_level=rng.choices(("beginner", "intermediate", "advanced"), weights=(4, 4, 2))[0],
            notes=rng.choice(words.ORGANISER_NOTES),
        )

    def title(self, track: str, kind: str) -> tuple[str, tuple[str, str]]:
        """A title not used yet in the demo, with the (topic, area) it is about."""
        patterns = words.TUTORIAL_PATTERNS if kind == "Tutorial" else words.TITLE_PATTERNS
        while True:
            topic, area = self.rng.choice(words.TRACK_TOPICS[track])
            title = self.rng.choice(patterns).format(
                topic=topic, Topic=_capitalise(topic), company=self.rng.choice(words.COMPANIES[:20])
            )
            if title not in self.used_titles:
                self.used_titles.add(title)
                return title, (topic, area)

    def description(self, topic: str, minutes: int) -> str:
        parts = [
            "Why " + topic + " matters",
            "Core ideas",
            "A worked example",
            "Pitfalls and how to spot them",
        ]
        if minutes >= 120:
            parts += ["Exercise: your own project", "Exercise: testing and deployment"]
        share = (minutes - 5) // len(parts)
        outline = "\n".join(f"{n}. {part} ({share} min)" for n, part in enumerate(parts, start=1))
        return (
            f"## Outline\n\n{outline}\n{len(parts) + 1}. Questions (5 min)\n\n"
            f"## Who should attend\n\nAnyone who works with {topic} or is about to. "
            f"Slides and code will be published after the session."
        )

    def submit(self, event, plan: Plan) -> None:
        plan.proposal = proposal_services.submit_proposal(
            event=event,
            speaker=plan.speakers[0],
            data={
                "title": plan.title,
                "abstract": plan.abstract,
                "description": plan.description,
                "track": self.tracks[plan.track],
                "session_type": self.session_types[plan.session_type],
                "audience_level": plan.audience_level,
                "language": "en",
                "notes": plan.notes,
            },
        )

    def add_cospeakers(self, plans: list[Plan]) -> None:
        rng = self.rng
        candidates = [i for i, plan in enumerate(plans) if plan.session_type != "Keynote"]
        chosen = rng.sample(candidates, COSPEAKER_PROPOSALS)
        pool = self.speakers[2 : -len(words.KEYNOTES)]
        for number, index in enumerate(chosen):
            plan = plans[index]
            others = [user for user in pool if user not in plan.speakers]
            for user in rng.sample(others, 2 if number < TWO_COSPEAKER_PROPOSALS else 1):
                invite = proposal_services.invite_co_speaker(
                    proposal=plan.proposal, email=user.email, by=plan.speakers[0]
                )
                proposal_services.accept_co_speaker_invite(invite=invite, user=user)
                plan.speakers.append(user)

    def review(self, plans: list[Plan]) -> None:
        rng = self.rng
        for plan in plans:
            if plan.fate == WITHDRAWN:
                continue
            share = REVIEW_SHARE if plan.fate != UNDECIDED else 0.5
            for reviewer in self.reviewers:
                if rng.random() >= share:
                    continue
                score = rng.choices((0, 1, 2, 3), weights=SCORE_WEIGHTS[plan.fate])[0]
                comment = rng.choice(words.REVIEW_COMMENTS[score]) if rng.random() < COMMENT_SHARE else ""
                review_services.save_review(
                    proposal=plan.proposal, reviewer=reviewer, score=score, comment=comment
                )
                self.review_count += 1

    def review_criteria_and_assignments(self) -> None:
        """Two weighted criteria for the reviews still to come, and the undecided proposals given to
        the committee, two reviewers each (those who reviewed one already count)."""
        review_services.save_criterion(
            event=self.event,
            by=self.admin,
            name="Relevance",
            description="Does it fit the audience?",
            weight=2,
            max_score=3,
        )
        review_services.save_criterion(
            event=self.event,
            by=self.admin,
            name="Clarity",
            description="Is the outline clear?",
            weight=1,
            max_score=3,
        )
        review_services.assign_reviewers(event=self.event, by=self.admin, per_proposal=2)

    def decide(self, plans: list[Plan]) -> None:
        """Decide, send the decisions that are final, and let most accepted speakers confirm."""
        by_fate: dict[str, list[Plan]] = {}
        for plan in plans:
            by_fate.setdefault(plan.fate, []).append(plan)

        def codes(*fates):
            return [plan.proposal.code for fate in fates for plan in by_fate.get(fate, [])]

        event = self.event
        review_services.decide_many(
            event=event,
            codes=codes(CONFIRMED, ACCEPTED, PENDING_ACCEPT),
            decision=ProposalState.ACCEPTED,
            by=self.admin,
        )
        review_services.decide_many(
            event=event, codes=codes(REJECTED, PENDING_REJECT), decision=ProposalState.REJECTED, by=self.admin
        )
        review_services.send_decision_notifications(
            event=event, by=self.admin, codes=codes(CONFIRMED, ACCEPTED, REJECTED)
        )
        for plan in by_fate[CONFIRMED]:
            proposal_services.confirm_proposal(proposal=plan.proposal, by=plan.speakers[0])

    # --- PyTexas Demo: the CfP is open ---------------------------------------------------------

    def build_pytexas(self) -> None:
        organiser = event_services.create_organiser(
            name="PyTexas Foundation", slug="pytexas", admin=self.admin
        )
        start = self.today + dt.timedelta(days=75)
        while start.weekday() != 5:  # a weekend conference
            start += dt.timedelta(days=1)
        event = event_services.create_event(
            organiser=organiser,
            by=self.admin,
            slug=CFP_EVENT,
            data={
                "name": "PyTexas Demo",
                "timezone": TIMEZONE,
                "date_from": start,
                "date_to": start + dt.timedelta(days=1),
                "cfp_opens": self.at(self.today - dt.timedelta(days=21), 9),
                "cfp_closes": self.at(self.today + dt.timedelta(days=30), 23, 59),
                "contact_email": f"cfp@{DOMAIN}",
                "description": PYTEXAS_DESCRIPTION,
            },
        )
        self.setup_rooms_and_tracks(event, PYTEXAS_ROOMS, PYTEXAS_TRACKS)
        speakers = [self.speakers[0], *self.speakers[2 : PYTEXAS_PROPOSALS + 1]]
        self.save_profiles(event, speakers)
        for user in speakers:
            plan = self.plan(user, "Talk", self.rng.choice(list(self.tracks)))
            self.submit(event, plan)


def _capitalise(text: str) -> str:
    """Capitalise a topic for the start of a title, keeping names that are lower case on purpose."""
    if text.split()[0] in {"pandas", "htmx", "scikit-learn", "pyproject.toml", "asyncio", "pytest"}:
        return text
    return text[0].upper() + text[1:]
