"""`podium schedule solve`: an event's draft filled or re-planned from the command line, with its report,
a dry run, the weights of this run and clear errors."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from podium.events.models import Event
from podium.proposals.models import SpeakerAvailability
from podium.schedule.models import Slot
from podium.scheduling import solving
from podium.scheduling.solver.instance import DEFAULT_WEIGHTS
from tests import factories
from tests.program import at, placed_talk, small_program, talk
from tests.scheduling.engine_spy import engine_weights

pytestmark = pytest.mark.django_db

TIME_LIMIT = 0.5


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def _places(event) -> list[tuple]:
    return list(event.slots.order_by("pk").values_list("pk", "room_id", "start", "end", "version"))


def _run(*args) -> str:
    out = StringIO()
    call_command("schedule", *args, stdout=out)
    return out.getvalue()


def test_schedule_solve_command_applies_and_reports_counts(event, scheduler):
    small_program(event, scheduler)

    output = _run("solve", event.slug, "--time-limit", str(TIME_LIMIT))

    assert "Placed 6, moved 0, unchanged 1, left out 0." in output
    assert "Objective: missed_favourites 0" in output
    assert Slot.objects.filter(event=event, start__isnull=False).count() == 7


def test_schedule_solve_command_dry_run_writes_nothing(event, scheduler):
    small_program(event, scheduler)
    before = _places(event)

    output = _run("solve", event.slug, "--time-limit", str(TIME_LIMIT), "--dry-run", "--mode", "replan")

    assert "Would place 6, moved 0, unchanged 1, left out 0." in output
    assert "Dry run: nothing was changed." in output
    assert _places(event) == before


def test_schedule_solve_command_names_sessions_left_out(event, scheduler):
    tutorials = [
        talk(event, f"Tutorial {n}", session_type=event.session_types.get(name="Tutorial")) for n in range(2)
    ]
    for tutorial in tutorials:  # three hours long, but their speakers can only come for one
        profile = event.speaker_profiles.get(user=tutorial.speakers.first())
        SpeakerAvailability.objects.create(profile=profile, start=at(event, 9), end=at(event, 10))

    output = _run("solve", event.slug, "--time-limit", str(TIME_LIMIT), "--no-keep-pinned")

    assert "Placed 0, moved 0, unchanged 0, left out 2." in output
    assert f"left out {tutorials[0].code}: Session 'Tutorial 0' needs 3 hours in one stretch" in output
    assert "stays where it is" not in output


def test_schedule_solve_command_leaves_a_session_left_out_where_it_is(event, scheduler):
    tutorial = placed_talk(
        event,
        "Tutorial",
        "Hall A",
        at(event, 9),
        scheduler,
        session_type=event.session_types.get(name="Tutorial"),
    )
    profile = event.speaker_profiles.get(user=tutorial.speakers.first())
    SpeakerAvailability.objects.create(profile=profile, start=at(event, 9), end=at(event, 10))
    before = _places(event)

    output = _run("solve", event.slug, "--time-limit", str(TIME_LIMIT), "--mode", "replan")

    assert f"left out {tutorial.code}: " in output
    assert "It stays where it is on the draft." in output
    assert _places(event) == before


def test_schedule_solve_command_errors_are_clear(event):
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        _run("solve", "nope")
    with pytest.raises(CommandError, match="no accepted or confirmed sessions"):
        _run("solve", event.slug, "--time-limit", str(TIME_LIMIT))
    with pytest.raises(CommandError, match="--time-limit must be more than 0"):
        _run("solve", event.slug, "--time-limit", "0")
    bare = factories.EventFactory(setup=False)
    with pytest.raises(CommandError, match="has no rooms"):
        _run("solve", bare.slug)


def test_schedule_solve_command_passes_the_weights_given_to_the_engine(event, scheduler, monkeypatch):
    small_program(event, scheduler)
    received = engine_weights(monkeypatch, solving)

    weights = ["--weight", "overflow=35", "--weight", "preference=0.5"]
    output = _run("solve", event.slug, "--time-limit", str(TIME_LIMIT), "--dry-run", *weights)

    wanted = {**DEFAULT_WEIGHTS, "overflow": 35, "preference": 0.5}
    assert wanted != DEFAULT_WEIGHTS
    assert received == [wanted]
    assert "Weights: " + ", ".join(f"{term} {weight}" for term, weight in wanted.items()) + "." in output
    assert Event.objects.get(pk=event.pk).solver_weights == {}  # for this run only


def test_schedule_solve_command_starts_from_the_events_weights(event, scheduler, monkeypatch):
    small_program(event, scheduler)
    Event.objects.filter(pk=event.pk).update(solver_weights={**DEFAULT_WEIGHTS, "changes": 7, "overflow": 3})
    received = engine_weights(monkeypatch, solving)

    _run("solve", event.slug, "--time-limit", str(TIME_LIMIT), "--dry-run", "--weight", "overflow=35")

    assert received == [{**DEFAULT_WEIGHTS, "changes": 7, "overflow": 35}]


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("bogus=1", r"--weight bogus=1: unknown goal 'bogus'; the goals are missed_favourites, overflow, "),
        ("overflow=x", r"--weight overflow=x: the weight of overflow must be a number of at least 0\."),
        ("overflow=-2", r"--weight overflow=-2: the weight of overflow must be a number of at least 0\."),
        ("overflow=inf", r"--weight overflow=inf: the weight of overflow must be a number of at least 0\."),
        ("overflow", r"--weight overflow: write it as TERM=N, for example --weight overflow=80\."),
    ],
)
def test_schedule_solve_command_refuses_a_bad_weight(event, scheduler, monkeypatch, weight, message):
    small_program(event, scheduler)
    received = engine_weights(monkeypatch, solving)
    before = _places(event)

    with pytest.raises(CommandError, match=message):
        _run("solve", event.slug, "--time-limit", str(TIME_LIMIT), "--weight", weight)

    assert received == []
    assert _places(event) == before
