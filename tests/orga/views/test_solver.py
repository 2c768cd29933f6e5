"""Automatic scheduling in the editor: the panel, starting a run, its page and progress, apply and discard."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Event
from podium.schedule.models import Slot
from podium.scheduling import runs
from podium.scheduling.models import SolverRun, SolverRunStatus
from podium.scheduling.solver.instance import DEFAULT_WEIGHTS
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.program import at, place, placed_talk, talk
from tests.scheduling.engine_spy import engine_weights

pytestmark = pytest.mark.django_db

RUN_PAGES = ["schedule_solver_run", "schedule_solver_progress"]
RUN_POSTS = ["schedule_solver_apply", "schedule_solver_discard"]
WEIGHT_ERROR = "Give a whole number from 0 to 100000."


@pytest.fixture(autouse=True)
def _inline_runner(settings):
    settings.PODIUM_SOLVER_RUNNER = "inline"


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def scheduler_client(client, scheduler):
    client.force_login(scheduler)
    return client


@pytest.fixture
def talks(event):
    return [talk(event, "Async all the way"), talk(event, "Typing the untyped")]


def _url(name, event, **kwargs):
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs})


def _run_url(name, run):
    return _url(name, run.event, uuid=run.uuid)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def _weights(**weights) -> dict:
    """The panel's weight fields as posted: the defaults, with those given."""
    return {f"weight_{term}": str(value) for term, value in {**DEFAULT_WEIGHTS, **weights}.items()}


def _start(client, event, **data):
    data = {"mode": "fill", "time_limit": "1", "keep_pinned": "on", **_weights(), **data}
    return client.post(_url("schedule_solver_start", event), data)


def _places(event) -> list[tuple]:
    return list(event.slots.order_by("pk").values_list("pk", "room_id", "start", "end", "version"))


def test_editor_shows_the_automatic_scheduling_panel(scheduler_client, event):
    response = scheduler_client.get(_url("schedule", event))

    text = _text(response)
    assert response.status_code == 200
    assert '<h2 id="solver-heading">Automatic scheduling</h2>' in text
    assert re.search(r'<button type="submit" name="mode" value="fill"[^>]*>Fill the rest</button>', text)
    assert re.search(r'<button type="submit" name="mode" value="replan"[^>]*>Re-plan</button>', text)
    assert re.search(r'<input type="number" name="time_limit" value="10"', text)
    assert re.search(r'<input type="checkbox" name="keep_pinned"[^>]*checked', text)
    assert "Latest run" not in text


def test_start_fills_the_rest_and_shows_the_plan(scheduler_client, event, talks):
    response = _start(scheduler_client, event)

    run = SolverRun.objects.get()
    assert response.status_code == 302
    assert response.url == _run_url("schedule_solver_run", run)
    assert (run.status, run.mode, run.time_limit, run.keep_pinned) == ("done", "fill", 1, True)
    page = scheduler_client.get(response.url)
    text = _text(page)
    assert "<h1>Fill the rest: ready to apply</h1>" in text
    assert "Placed (2)" in text
    assert "Moved (0)" in text
    assert "Left out (0)" in text
    for proposal in talks:
        assert f'{proposal.title} <small class="muted">{proposal.code}</small>' in text
    assert (
        'Sessions not on the schedule</th><td></td><td>2</td><td>0</td><td data-field="gain">2</td>' in text
    )
    assert ">Apply</button>" in text
    assert ">Discard</button>" in text
    assert not Slot.objects.filter(event=event, start__isnull=False).exists()


def test_editor_links_to_the_latest_run(scheduler_client, event, talks):
    _start(scheduler_client, event)
    run = SolverRun.objects.get()

    text = _text(scheduler_client.get(_url("schedule", event)))

    assert f'<a href="{_run_url("schedule_solver_run", run)}">Fill the rest, ' in text
    assert "ready to apply</a>" in text


@pytest.mark.parametrize("limit", ["0", "301", "-1", "2.5", "ten", ""])
def test_start_with_a_bad_time_limit_shows_a_form_error_and_starts_nothing(
    scheduler_client, event, talks, limit
):
    response = _start(scheduler_client, event, time_limit=limit)

    assert response.status_code == 400
    assert "Give a whole number of seconds from 1 to 300." in _text(response)
    assert re.search(r'<input type="number" name="time_limit"[^>]* autofocus', _text(response))
    assert '<h2 id="solver-heading">Automatic scheduling</h2>' in _text(response)
    assert not SolverRun.objects.exists()


def test_start_with_an_unknown_mode_starts_nothing(scheduler_client, event, talks):
    response = _start(scheduler_client, event, mode="shuffle")

    assert response.status_code == 400
    assert "Choose “Fill the rest” or “Re-plan”." in _text(response)
    assert not SolverRun.objects.exists()


def test_start_while_a_run_is_running_is_refused_in_the_panel(scheduler_client, event, talks):
    running = SolverRun.objects.create(
        event=event, mode="replan", time_limit=60, status="running", started_at=timezone.now()
    )

    response = _start(scheduler_client, event, day=str(event.days[1]))

    text = _text(response)
    assert response.status_code == 409
    assert list(SolverRun.objects.all()) == [running]
    assert (
        '<div class="form-errors" role="alert" tabindex="-1" autofocus><p>Automatic scheduling is already running for this event '
        "(Re-plan, started by an operator); wait for it to finish, then apply or discard its plan.</p></div>"
    ) in text
    assert f'<a href="{_run_url("schedule_solver_run", running)}">Re-plan, ' in text  # the run to wait for
    assert re.search(r'<a href="[^"]*\?day=' + str(event.days[1]) + '" aria-current="page">', text)


def test_apply_writes_the_plan_and_says_what_changed(scheduler_client, event, talks):
    _start(scheduler_client, event)
    run = SolverRun.objects.get()

    response = scheduler_client.post(_run_url("schedule_solver_apply", run))

    run.refresh_from_db()
    assert response.status_code == 302
    assert response.url == _url("schedule", event)
    assert _messages(response) == ["The plan is applied: 2 sessions placed, 0 moved."]
    assert run.status == SolverRunStatus.APPLIED
    assert Slot.objects.filter(event=event, start__isnull=False).count() == 2
    assert "This plan was applied" in _text(scheduler_client.get(_run_url("schedule_solver_run", run)))


def test_discard_leaves_the_draft_alone(scheduler_client, event, talks):
    _start(scheduler_client, event)
    run = SolverRun.objects.get()

    response = scheduler_client.post(_run_url("schedule_solver_discard", run))

    run.refresh_from_db()
    assert (response.status_code, response.url) == (302, _url("schedule", event))
    assert _messages(response) == ["The plan is discarded; the schedule is unchanged."]
    assert run.status == SolverRunStatus.DISCARDED
    assert not Slot.objects.filter(event=event, start__isnull=False).exists()


def test_a_plan_for_a_changed_draft_offers_to_plan_again_and_cannot_be_applied(
    scheduler_client, event, scheduler, talks
):
    _start(scheduler_client, event)
    run = SolverRun.objects.get()
    place(event, talks[0], "Hall A", at(event, 16), scheduler)
    before = _places(event)

    page = _text(scheduler_client.get(_run_url("schedule_solver_run", run)))
    response = scheduler_client.post(_run_url("schedule_solver_apply", run))

    assert "The draft changed since this plan was made" in page
    assert ">Plan again</button>" in page
    assert ">Apply</button>" not in page
    assert (response.status_code, response.url) == (302, _run_url("schedule_solver_run", run))
    assert _messages(response) == [
        "The draft changed since this plan was made, so it no longer fits; plan again. Nothing was changed."
    ]
    assert _places(event) == before


def test_a_failed_run_shows_its_error(scheduler_client, event):
    response = _start(scheduler_client, event)  # no sessions to schedule

    text = _text(scheduler_client.get(response.url))
    assert "<h1>Fill the rest: failed</h1>" in text
    assert f"The run failed:</strong> {event.name} has no accepted or confirmed sessions to schedule." in text
    assert ">Plan again</button>" in text


def _running_run(event, scheduler) -> SolverRun:
    """A fill run 4.26 s into its 20, searching."""
    return SolverRun.objects.create(
        event=event,
        mode="fill",
        time_limit=20,
        status="running",
        started_at=timezone.now(),
        created_by=scheduler,
        progress={"phase": "searching", "seconds": 4.26, "iterations": 2048, "unscheduled": 3, "total": 120},
    )


def test_a_running_run_shows_its_progress(scheduler_client, event, scheduler):
    run = _running_run(event, scheduler)

    text = _text(scheduler_client.get(_run_url("schedule_solver_run", run)))

    assert "<h1>Fill the rest: running</h1>" in text
    assert '<progress id="solver-elapsed" max="20" value="4.3"></progress>' in text
    assert f'data-progress-url="{_run_url("schedule_solver_progress", run)}"' in text
    assert '<dd data-field="iterations">2048</dd>' in text
    assert '<dd data-field="unscheduled">3</dd>' in text
    assert f'<a href="{_run_url("schedule_solver_run", run)}">Refresh</a>' in text
    assert ">Apply</button>" not in text


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_phase_is_shown_in_the_schedulers_language(scheduler_client, event, scheduler):
    run = _running_run(event, scheduler)
    german = {"accept-language": "de"}

    page = _text(scheduler_client.get(_run_url("schedule_solver_run", run), headers=german))
    data = scheduler_client.get(_run_url("schedule_solver_progress", run), headers=german).json()

    assert '<span data-field="phase">Suche läuft</span>' in page
    assert data["phase"] == "Suche läuft"


def test_progress_endpoint_answers_json(scheduler_client, event):
    run = SolverRun.objects.create(
        event=event,
        mode="replan",
        time_limit=20,
        status="running",
        started_at=timezone.now(),
        progress={
            "phase": "searching",
            "seconds": 25.5,
            "iterations": 512,
            "unscheduled": 0,
            "missed_favourites": 3,
            "total": 42.0,
        },
    )

    response = scheduler_client.get(_run_url("schedule_solver_progress", run))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "running",
        "status_label": "Running",
        "active": True,
        "phase": "searching",
        "seconds": 25.5,
        "time_limit": 20,
        "shown_seconds": 20,
        "iterations": 512,
        "unscheduled": 0,
        "missed_favourites": 3,
        "total": 42.0,
        "url": _run_url("schedule_solver_run", run),
    }


def test_progress_endpoint_of_a_finished_run_says_it_is_no_longer_active(scheduler_client, event, talks):
    _start(scheduler_client, event)
    run = SolverRun.objects.get()

    data = scheduler_client.get(_run_url("schedule_solver_progress", run)).json()

    assert (data["status"], data["active"], data["phase"], data["unscheduled"]) == (
        "done",
        False,
        "finished",
        0,
    )


def _some_run(event):
    return SolverRun.objects.create(event=event, mode="fill", time_limit=5, status="done", solution={})


@pytest.mark.parametrize("name", ["schedule_solver_start", *RUN_PAGES, *RUN_POSTS])
def test_solver_pages_refused_for_a_team_member_without_the_flag(client, event, organiser_user, name):
    client.force_login(organiser_user)  # an administrator of the event, but not a scheduler
    run = _some_run(event)
    url = _url(name, event) if name == "schedule_solver_start" else _run_url(name, run)

    response = (
        client.get(url)
        if name in RUN_PAGES
        else _start(client, event)
        if "start" in name
        else client.post(url)
    )

    run.refresh_from_db()
    assert response.status_code == 403
    assert (SolverRun.objects.count(), run.status) == (1, "done")


@pytest.mark.parametrize("name", [*RUN_PAGES, *RUN_POSTS])
def test_solver_pages_of_another_events_run_are_not_found(scheduler_client, event, name):
    other = _some_run(factories.EventFactory())
    url = _url(name, event, uuid=other.uuid)

    response = scheduler_client.get(url) if name in RUN_PAGES else scheduler_client.post(url)

    other.refresh_from_db()
    assert response.status_code == 404
    assert other.status == "done"


@pytest.mark.parametrize("name", ["schedule_solver_start", *RUN_POSTS])
def test_solver_changes_need_a_post(scheduler_client, event, name):
    run = _some_run(event)
    url = _url(name, event) if name == "schedule_solver_start" else _run_url(name, run)

    assert scheduler_client.get(url).status_code == 405


def test_replan_view_keeps_a_placed_session_where_it_is_when_nothing_is_better(
    scheduler_client, event, scheduler
):
    placed_talk(event, "Already placed", "Hall A", at(event, 10), scheduler)

    response = _start(scheduler_client, event, mode="replan")

    run = SolverRun.objects.get()
    assert response.status_code == 302
    assert (run.status, run.changes["moved"], run.changes["unchanged"]) == ("done", [], 1)
    assert (
        "Sessions moved from their current place (weighted: a published session counts more)</th><td>100</td><td>0</td><td>0</td>"
        in _text(scheduler_client.get(response.url))
    )
    assert run.changes["goals"]["moves"] == 0


def test_a_run_discarded_before_it_finished_shows_no_plan(scheduler_client, event, scheduler):
    run = SolverRun.objects.create(
        event=event, mode="fill", time_limit=20, status="running", started_at=timezone.now()
    )
    scheduler_client.post(_run_url("schedule_solver_discard", run))

    text = _text(scheduler_client.get(_run_url("schedule_solver_run", run)))

    assert "This run was discarded before it finished; the schedule was not changed." in text
    assert "Placed (" not in text
    assert ">Apply</button>" not in text


def _weight_input(text, term) -> str:
    found = re.search(rf'<input type="number" name="weight_{term}"[^>]*>', text)
    assert found, f"no input for the weight of {term}"
    return found.group(0)


def test_panel_offers_the_weights_with_their_defaults_labelled(scheduler_client, event):
    text = _text(scheduler_client.get(_url("schedule", event)))

    start = text.index('<details class="solver-weights">')
    weights = text[start : text.index("</details>", start)]
    assert "<summary>Weights</summary>" in weights
    assert "The engine minimises the weighted sum of these goals" in weights
    labels = re.findall(r'<label for="id_weight_(\w+)">([^<]+)</label>', weights)
    assert labels == [
        ("missed_favourites", "Missed favourites (per attendee per clash)"),
        ("overflow", "Overflow (per seat above capacity)"),
        ("track_room", "Track changes room (per extra room a day)"),
        ("track_clash", "Track runs against itself (per clash)"),
        ("preference", "Speaker outside preferred times (per session)"),
        ("changes", "Moved from the current plan (per session)"),
    ]
    for term, default in DEFAULT_WEIGHTS.items():
        field = _weight_input(weights, term)
        assert f'value="{default}"' in field
        assert f'id="id_weight_{term}"' in field
        assert 'min="0"' in field
        assert 'max="100000"' in field


@pytest.mark.parametrize("value", ["-1", "x", "2.5", "", "100001"])
def test_start_with_a_bad_weight_shows_the_error_at_the_field_and_starts_nothing(
    scheduler_client, event, talks, value
):
    response = _start(scheduler_client, event, weight_overflow=value)

    text = _text(response)
    assert response.status_code == 400
    assert '<details class="solver-weights" open>' in text
    assert f'<small class="field-error" id="id_weight_overflow_error">{WEIGHT_ERROR}</small>' in text
    assert text.count(WEIGHT_ERROR) == 1  # at the weight given, not at the others
    field = _weight_input(text, "overflow")
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_weight_overflow_error"' in field
    assert " autofocus" in field
    assert not SolverRun.objects.exists()
    event.refresh_from_db()
    assert event.solver_weights == {}


def test_start_with_weights_plans_with_them_and_the_next_panel_starts_from_them(
    scheduler_client, event, talks, monkeypatch
):
    received = engine_weights(monkeypatch, runs)
    chosen = {**DEFAULT_WEIGHTS, "missed_favourites": 250, "overflow": 0, "changes": 40}

    response = _start(scheduler_client, event, **_weights(**chosen))

    run = SolverRun.objects.get()
    assert (response.status_code, run.status) == (302, "done")
    assert received == [chosen]
    assert run.weights == chosen
    assert Event.objects.get(pk=event.pk).solver_weights == chosen
    panel = _text(scheduler_client.get(_url("schedule", event)))
    for term, weight in chosen.items():
        assert f'value="{weight}"' in _weight_input(panel, term)


def test_run_page_lists_its_weights_and_plans_again_with_them(scheduler_client, event):
    chosen = {**DEFAULT_WEIGHTS, "track_clash": 75}
    response = _start(scheduler_client, event, **_weights(**chosen))  # no sessions: the run fails

    text = _text(scheduler_client.get(response.url))

    assert '<th scope="row">Track runs against itself (per clash)</th><td>75</td>' in text
    assert (
        '<th scope="row">Missed favourites (per attendee per clash)</th>'
        f'<td>{DEFAULT_WEIGHTS["missed_favourites"]} <small class="muted">(default)</small></td>'
    ) in text
    start = _url("schedule_solver_start", event)
    again = re.search(rf'<form method="post" action="{start}" class="inline">(.*?)</form>', text, re.S)
    assert "Plan again</button>" in again.group(1)
    hidden = dict(re.findall(r'<input type="hidden" name="(weight_\w+)" value="([^"]*)">', again.group(1)))
    assert hidden == {f"weight_{term}": str(weight) for term, weight in chosen.items()}


def test_run_page_of_a_run_without_stored_weights_lists_the_defaults(scheduler_client, event):
    run = SolverRun.objects.create(event=event, mode="fill", time_limit=5, status="failed", error="Stopped.")

    text = _text(scheduler_client.get(_run_url("schedule_solver_run", run)))

    for weight in DEFAULT_WEIGHTS.values():
        assert f'<td>{weight} <small class="muted">(default)</small></td>' in text
    assert f'<input type="hidden" name="weight_changes" value="{DEFAULT_WEIGHTS["changes"]}">' in text


def test_run_page_says_what_each_goal_gained_and_how_many_moves_it_took(scheduler_client, event, scheduler):
    before = {
        "unscheduled": 0,
        "missed_favourites": 3,
        "overflow": 0,
        "track_room": 2,
        "track_clash": 0,
        "preference": 4,
        "changes": 0,
        "total": 318,
    }
    after = {**before, "missed_favourites": 1, "preference": 1, "changes": 3, "total": 307}
    terms = {term: {"moves": 0, "codes": []} for term in DEFAULT_WEIGHTS}
    terms["missed_favourites"] = {"moves": 2, "codes": ["A1", "A2"]}
    terms["preference"] = {"moves": 1, "codes": ["A2"]}
    terms["changes"] = {"moves": 3, "codes": ["A1", "A2", "A3"]}
    run = SolverRun.objects.create(
        event=event,
        mode="replan",
        time_limit=1,
        status=SolverRunStatus.DONE,
        weights=DEFAULT_WEIGHTS,
        objective_before=before,
        solution={"assignments": [], "unscheduled": [], "objective": after, "stats": {}},
        changes={
            "placed": [],
            "moved": [],
            "left_out": [],
            "unchanged": 0,
            "goals": {"moves": 3, "unattributed": 1, "terms": terms},
        },
        created_by=scheduler,
    )

    text = _text(scheduler_client.get(_run_url("schedule_solver_run", run)))

    assert (
        "3 moves: 2 for missed favourites, 1 for speakers' preferred times; 1 only makes room for others"
        in text
    )

    def row(term):
        return re.search(rf'<tr data-goal="{term}"[^>]*>(.*?)</tr>', text, re.S).group(1)

    assert re.search(
        r"<td>100</td><td>3</td><td>1</td><td data-field=\"gain\">2</td><td data-field=\"weighted\">200</td>"
        r"<td data-field=\"moves\">2</td>",
        row("missed_favourites"),
    )
    assert re.search(
        r'<td data-field="gain">3</td><td data-field="weighted">6</td><td data-field="moves">1</td>',
        row("preference"),
    )
    assert (
        '<td data-field="gain">-3</td><td data-field="weighted">-300</td><td data-field="moves">3 (the cost)</td>'
        in row("changes")
    )
    assert '<td data-field="gain">11</td><td data-field="weighted"></td><td data-field="moves">3</td>' in row(
        "total"
    )


def test_run_page_of_a_run_without_goal_figures_still_shows_before_and_after(
    scheduler_client, event, scheduler
):
    run = SolverRun.objects.create(
        event=event,
        mode="fill",
        time_limit=1,
        status=SolverRunStatus.DONE,
        objective_before={"unscheduled": 2, "total": 10},
        solution={
            "assignments": [],
            "unscheduled": [],
            "objective": {"unscheduled": 0, "total": 5},
            "stats": {},
        },
        changes={"placed": [], "moved": [], "left_out": [], "unchanged": 0},
        created_by=scheduler,
    )

    text = _text(scheduler_client.get(_run_url("schedule_solver_run", run)))

    assert '<td data-field="gain">5</td><td data-field="weighted"></td><td data-field="moves">—</td>' in text
    assert "only make room" not in text
