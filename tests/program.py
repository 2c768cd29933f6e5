"""Build a program through the real services: confirmed talks, places in the draft, releases."""

import datetime as dt

from django.utils import timezone

from podium.proposals.models import Proposal
from podium.proposals.services import set_state_as_organiser, update_proposal
from podium.schedule import services
from podium.schedule.models import Release, Slot
from tests import factories


def at(event, hour: int, minute: int = 0, day: int = 0) -> dt.datetime:
    """A moment on the event's `day`-th day, in the event's time zone."""
    return dt.datetime.combine(
        event.date_from + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=event.tz
    )


def track(event, name: str):
    return event.tracks.get(name=name)


def room(event, name: str):
    return event.rooms.get(name=name)


def talk(event, title: str, *, track_name: str = "Web", state: str = "confirmed", **kwargs) -> Proposal:
    return factories.ProposalFactory(
        event=event, title=title, state=state, track=track(event, track_name), **kwargs
    )


def place(event, proposal, room_name: str, start: dt.datetime, by) -> Slot:
    """Place or move a session (with the version the editor would have seen)."""
    version = Slot.objects.filter(proposal=proposal).values_list("version", flat=True).first() or 0
    return services.place_session(
        event=event, proposal=proposal, room=room(event, room_name), start=start, version=version, by=by
    )


def placed_talk(event, title: str, room_name: str, start: dt.datetime, by, **kwargs) -> Proposal:
    proposal = talk(event, title, **kwargs)
    place(event, proposal, room_name, start, by)
    return proposal


def lunch(event, by, *, day: int = 0) -> Slot:
    """A lunch break in every room, 12:00 to 13:00 on the event's `day`-th day."""
    return services.save_break(
        event=event, by=by, title="Lunch", room=None, start=at(event, 12, day=day), end=at(event, 13, day=day)
    )


def release(event, by, **kwargs) -> Release:
    return services.publish_release(event=event, by=by, **kwargs)


def rename(proposal, title: str, by) -> Proposal:
    proposal.refresh_from_db()
    return update_proposal(
        proposal=proposal, by=by, data={"title": title}, version=proposal.version, as_organiser=True
    )


def cancel(proposal, by) -> Proposal:
    return set_state_as_organiser(proposal=proposal, to_state="cancelled", by=by)


def speaker_code(proposal) -> str:
    user = proposal.speakers.first()
    return proposal.event.speaker_profiles.get(user=user).code


def fill_day(event, by, count: int, *, day: int = 0, prefix: str = "Talk") -> list[Proposal]:
    """`count` more talks on one day, alternating rooms in 30-minute steps after the day's last one."""
    taken = Slot.objects.filter(event=event, start__isnull=False).count()
    made = []
    for index in range(taken, taken + count):
        start = at(event, 9, day=day) + dt.timedelta(minutes=30 * (index // 2))
        made.append(
            placed_talk(
                event,
                f"{prefix} {index:03d}",
                "Hall A" if index % 2 == 0 else "Room 101",
                start,
                by,
                speakers=[factories.UserFactory(name=f"Speaker {index:03d}")],
            )
        )
    return made


def running_program() -> dict:
    """A public event that began two days ago and ends in two days, released: "Opening talk" (Ada,
    Hall A, first day 10:00, so it has started) and "Closing talk" (Bob, Room 101, last day 10:00,
    still to come)."""
    today = timezone.localdate()
    event = factories.EventFactory(
        date_from=today - dt.timedelta(days=2), date_to=today + dt.timedelta(days=2)
    )
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    ada = factories.UserFactory(name="Ada Lovelace")
    bob = factories.UserFactory(name="Bob Babbage")
    opening = placed_talk(event, "Opening talk", "Hall A", at(event, 10), scheduler, speakers=[ada])
    closing = placed_talk(event, "Closing talk", "Room 101", at(event, 10, day=4), scheduler, speakers=[bob])
    return {
        "event": event,
        "scheduler": scheduler,
        "ada": ada,
        "bob": bob,
        "opening": opening,
        "closing": closing,
        "release": release(event, scheduler, name="v1"),
    }


def small_program(event, scheduler):
    """Six confirmed talks for the engine, two sharing a speaker, one pinned in place, one plenary
    keynote; returns (the talks to place, the pinned one)."""
    shared = factories.UserFactory(name="Busy Speaker")
    talks = [talk(event, f"Talk {n}") for n in range(3)]
    talks += [talk(event, f"Shared {n}", speakers=[shared]) for n in range(2)]
    talks.append(talk(event, "Opening", session_type=event.session_types.get(name="Keynote")))
    pinned = placed_talk(event, "Pinned", "Room 101", at(event, 11), scheduler)
    Slot.objects.filter(proposal=pinned).update(pinned=True)
    return talks, pinned
