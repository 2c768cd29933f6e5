"""The cooling schedule both annealers follow."""

import itertools
import math
import random
import time

import pytest

from podium.scheduling.solver import load_instance, search, timing
from podium.scheduling.solver.construct import construct
from podium.scheduling.solver.cooling import Cooling
from podium.scheduling.solver.search import Clock
from podium.scheduling.solver.state import Candidates, State
from podium.scheduling.solver.timing import TimeAnnealer, anneal_times
from tests.scheduling.solver.instances import random_instance


def _constructed(seed):
    loaded = load_instance(random_instance(seed, sessions=30, rooms=4, per_day=5, attendees=150))
    state = State(loaded, Candidates(loaded))
    movable = set(range(len(loaded.sessions)))
    construct(state, movable, prefer_current=False)
    return state, movable


def test_cooling_falls_geometrically_from_start_to_end():
    cooling = Cooling.between(3.0, 0.2)

    assert cooling.at(0.0) == 3.0
    assert cooling.at(1.0) == pytest.approx(0.2)
    assert cooling.at(0.5) == pytest.approx(math.sqrt(3.0 * 0.2))
    # The same factor in every equal part of the run.
    assert cooling.at(0.25) / cooling.at(0.0) == pytest.approx(cooling.at(1.0) / cooling.at(0.75))


def test_cooling_stays_at_the_end_past_it():
    cooling = Cooling(2.0, 0.001)

    assert cooling.at(1.7) == cooling.at(1.0) == pytest.approx(0.002)


def test_a_restarted_cooling_starts_cooler_and_keeps_its_ratio():
    cooling = Cooling(2.0, 0.001).restarted(0.5)

    assert cooling == Cooling(1.0, 0.001)
    assert cooling.at(1.0) == pytest.approx(0.001)


def test_annealing_times_hands_its_chunks_the_shared_schedule(monkeypatch):
    # A step budget of three chunks: each chunk cools from where the previous one ended, along COOLING.
    state, movable = _constructed(14)
    chunks = []
    real_run = TimeAnnealer.run

    def run(self, steps, temperature_from, temperature_to):
        chunks.append((steps, temperature_from, temperature_to))
        return real_run(self, steps, temperature_from, temperature_to)

    monkeypatch.setattr(TimeAnnealer, "run", run)
    budget = 3 * timing.CHUNK

    anneal_times(state, movable, Clock(60, time.monotonic(), max_iterations=budget), random.Random(2))

    assert [steps for steps, _start, _end in chunks] == [timing.CHUNK] * 3
    assert chunks[0][1] == timing.COOLING.at(0.0) == timing.START_TEMPERATURE
    assert chunks[-1][2] == pytest.approx(timing.END_TEMPERATURE)
    for before, after in itertools.pairwise(chunks):
        assert after[1] == before[2]
    fractions = [
        math.log(end / timing.START_TEMPERATURE) / math.log(timing.COOLING.ratio) for _s, _f, end in chunks
    ]
    assert fractions == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_annealing_places_follows_the_shared_schedule(monkeypatch):
    # With an iteration budget the temperature at iteration i is the schedule's at i / budget.
    state, movable = _constructed(15)
    seen = []
    real_relocate = search.relocate

    def relocate(state, s, start, room, temperature, rng):
        seen.append(temperature)
        return real_relocate(state, s, start, room, temperature, rng)

    monkeypatch.setattr(search, "relocate", relocate)
    monkeypatch.setattr(search, "initial_temperature", lambda state, movable_list, rng: 4.0)

    search.anneal(state, movable, Clock(60, time.monotonic(), max_iterations=2000), random.Random(3))

    expected = Cooling(4.0, search.COOLING_RATIO)
    assert seen[0] == expected.start
    assert min(seen) == pytest.approx(expected.at(1920 / 2000))  # read every 128 iterations
    assert set(seen) <= {expected.start} | {expected.at(i / 2000) for i in range(128, 2001, 128)}
