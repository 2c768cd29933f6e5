import datetime as dt

import pytest

from podium.base.errors import NotAllowed, ServiceError
from podium.cfp import services as cfp_services
from podium.events import copying
from podium.events.models import Event, Page, RoomAvailability, Team
from podium.mail.models import SystemMailTemplate
from podium.registration import services as registration_services
from podium.registration import setup as registration_setup
from podium.sponsors import services as sponsor_services
from tests import factories, program

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(event, organiser_user):
    room = event.rooms.get(name="Hall A")
    start = dt.datetime.combine(event.date_from, dt.time(9), tzinfo=event.tz)
    RoomAvailability.objects.create(room=room, start=start, end=start + dt.timedelta(hours=8))
    tutorial = event.session_types.get(name="Tutorial")
    tutorial.rooms.add(event.rooms.get(name="Room 101"))
    Page.objects.create(event=event, title="Venue", slug="venue", body="Where", state="published")
    SystemMailTemplate.objects.create(
        event=event, key="proposal_received", subject="Thanks", body="Hi {name}"
    )
    event.anonymise_review = True
    event.save()
    return event


def test_copy_brings_the_set_up_with_dates_moved(source, organiser_user):
    start = source.date_from + dt.timedelta(days=364)

    copy = copying.copy_event(
        actor=organiser_user, source=source, name="PyConf next", slug="pyconf-next", start=start
    )

    assert (copy.name, copy.slug, copy.organiser) == ("PyConf next", "pyconf-next", source.organiser)
    assert (copy.date_from, copy.date_to) == (start, source.date_to + dt.timedelta(days=364))
    assert copy.cfp_closes == source.cfp_closes + dt.timedelta(days=364)
    assert copy.anonymise_review
    assert not copy.is_public
    assert sorted(copy.rooms.values_list("name", flat=True)) == ["Hall A", "Room 101"]
    window = RoomAvailability.objects.get(room__event=copy)
    assert window.start.date() == start
    assert sorted(copy.tracks.values_list("name", "colour")) == sorted(
        source.tracks.values_list("name", "colour")
    )
    assert [r.name for r in copy.session_types.get(name="Tutorial").rooms.all()] == ["Room 101"]
    assert copy.session_types.get(name="Tutorial").rooms.get().event == copy
    assert copy.pages.get().slug == "venue"
    assert copy.system_mail_templates.get().body == "Hi {name}"
    assert not copy.proposals.exists()
    assert not copy.releases.exists()


def test_copy_leaves_the_program_behind(source, organiser_user):
    scheduler = factories.team_member(source, can_schedule=True)
    program.placed_talk(source, "Talk", "Hall A", program.at(source, 10), scheduler)
    program.release(source, scheduler)

    copy = copying.copy_event(
        actor=organiser_user,
        source=source,
        name="Next",
        slug="next-one",
        start=source.date_to + dt.timedelta(days=300),
    )

    assert not copy.proposals.exists()
    assert not copy.slots.exists()
    assert not copy.releases.exists()


def test_teams_limited_to_the_source_reach_the_copy(source, organiser_user):
    limited = factories.team_member(source, name="Track leads", can_review=True, events=[source],
                                    tracks=[source.tracks.first()])  # fmt: skip
    copy = copying.copy_event(
        actor=organiser_user, source=source, name="Next", slug="next-one", start=source.date_from
    )

    team = Team.objects.get(name="Track leads")
    assert copy in team.limit_events.all()
    assert team.limit_tracks.filter(event=copy).exists()
    assert limited in team.members.all()


def test_teams_may_be_copied_without_members(source, organiser_user):
    factories.team_member(source, name="Reviewers 2030", can_review=True, events=[source])

    copy = copying.copy_event(
        actor=organiser_user,
        source=source,
        name="Next",
        slug="next-one",
        start=source.date_from,
        team_members=False,
    )

    fresh = Team.objects.get(limit_events=copy, can_review=True, is_admin=False)
    assert fresh.name == "Reviewers 2030 (Next)"
    assert not fresh.members.exists()


def test_only_organiser_admins_copy(source, reviewer):
    with pytest.raises(NotAllowed):
        copying.copy_event(
            actor=reviewer, source=source, name="Next", slug="next-one", start=source.date_from
        )
    assert not Event.objects.filter(slug="next-one").exists()


def test_a_taken_slug_is_refused(source, organiser_user):
    with pytest.raises(ServiceError, match="taken"):
        copying.copy_event(
            actor=organiser_user, source=source, name="Next", slug=source.slug, start=source.date_from
        )


def test_registered_parts_are_copied_and_a_failing_part_rolls_everything_back(
    source, organiser_user, monkeypatch
):
    seen = []
    monkeypatch.setattr(copying, "_COPIERS", [])
    copying.register(lambda *, source, target: seen.append((source.slug, target.slug)))
    copying.copy_event(
        actor=organiser_user, source=source, name="Next", slug="next-one", start=source.date_from
    )
    assert seen == [(source.slug, "next-one")]

    def broken(*, source, target):
        raise ServiceError("This part cannot be copied.")

    copying.register(broken)
    with pytest.raises(ServiceError, match="cannot be copied"):
        copying.copy_event(
            actor=organiser_user, source=source, name="Other", slug="other-one", start=source.date_from
        )
    assert not Event.objects.filter(slug="other-one").exists()
    assert not Page.objects.filter(event__slug="other-one").exists()


def test_register_adds_a_part_once(monkeypatch):
    monkeypatch.setattr(copying, "_COPIERS", [])

    def part(*, source, target):
        pass

    copying.register(part)
    copying.register(part)

    assert copying.registered() == [part]


def test_times_keep_their_local_hour_across_a_change_of_summer_time(source, organiser_user):
    """Moving by whole days in the event's zone: a CfP closing at 23:59 in winter closes at 23:59 in
    summer (not at 00:59 the day after), a room opening at 09:00 opens at 09:00."""
    tz = source.tz
    january = dt.date(source.date_from.year, 1, 15)
    source.cfp_closes = dt.datetime.combine(january, dt.time(23, 59), tzinfo=tz)
    source.save()
    source.refresh_from_db()  # as stored: in UTC
    window = RoomAvailability.objects.get(room__event=source)
    window.start = dt.datetime.combine(january, dt.time(9), tzinfo=tz)
    window.end = dt.datetime.combine(january, dt.time(17), tzinfo=tz)
    window.save()
    shift = dt.timedelta(days=182)  # into July: the zone's offset differs by an hour
    assert source.cfp_closes.utcoffset() != (source.cfp_closes + shift).astimezone(tz).utcoffset()

    copy = copying.copy_event(
        actor=organiser_user, source=source, name="Next", slug="next-one", start=source.date_from + shift
    )

    closes = copy.cfp_closes.astimezone(tz)
    assert (closes.date(), closes.time()) == (january + shift, dt.time(23, 59))
    moved_window = RoomAvailability.objects.get(room__event=copy)
    assert moved_window.start.astimezone(tz).time() == dt.time(9)
    assert moved_window.end.astimezone(tz).time() == dt.time(17)
    assert moved_window.start.astimezone(tz).date() == january + shift


# Every field of what a copy brings, decided: copied (from the source, dates moved) or made anew for
# the copy. A field added to one of these models fails here until copying decides what to do with it,
# instead of silently starting the next edition without it.
COPY_DECISIONS = {
    "events.Room": ({"name", "description", "capacity", "position"}, {"id", "event", "uuid", "version"}),
    "events.RoomAvailability": ({"start", "end"}, {"id", "room"}),
    "events.Track": ({"name", "colour", "description"}, {"id", "event", "version"}),
    "events.SessionType": (
        {"name", "duration_minutes", "is_plenary", "requires_seat", "seats", "rooms"},
        {"id", "event", "version"},
    ),
    "events.Page": (
        {"title", "title_de", "title_fr", "slug", "body", "body_de", "body_fr", "position", "state"},
        {"id", "event", "version", "created", "updated"},
    ),
    "mail.SystemMailTemplate": (
        {"key", "subject", "body"},
        {"id", "event", "updated", "updated_by", "version"},
    ),
    "cfp.Question": ({*cfp_services.QUESTION_FIELDS, "tracks", "session_types"}, {"id", "event", "version"}),
    "reviews.ReviewSettings": (
        {"assignment_only", "reviews_per_proposal"},
        {"id", "event", "phase", "version"},
    ),
    "reviews.Criterion": (
        {"name", "description", "weight", "min_score", "max_score"},
        {"id", "event", "position"},
    ),
    "proposals.Tag": ({"name", "colour", "public"}, {"id", "event", "version"}),
    "sponsors.SponsorLevel": (set(sponsor_services.LEVEL_FIELDS), {"id", "event", "version"}),
    "registration.RegistrationSettings": (
        set(registration_services.SETTINGS_FIELDS) - {"is_open"},
        {"id", "event", "is_open", "version"},  # a copy's registration starts closed
    ),
    "registration.TicketType": (
        set(registration_setup.TICKET_TYPE_FIELDS),
        {"id", "event", "seats_taken", "version"},
    ),
    "registration.Question": (
        {*registration_setup.QUESTION_FIELDS, "ticket_types"},
        {"id", "event", "version"},
    ),
}


@pytest.mark.parametrize("label", sorted(COPY_DECISIONS))
def test_every_field_of_what_a_copy_brings_is_decided(label):
    from django.apps import apps

    copied, made_anew = COPY_DECISIONS[label]
    fields = {field.name for field in apps.get_model(label)._meta.get_fields() if field.concrete}

    assert not copied & made_anew
    assert fields == copied | made_anew, (
        f"{label}: decide whether copying an event copies {sorted(fields - copied - made_anew)} "
        f"(podium.events.copying and the parts registered with it), then list it here"
    )
