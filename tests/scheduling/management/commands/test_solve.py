import json

import pytest
from django.core.management import CommandError, call_command

from tests.scheduling.solver.checker import violations
from tests.scheduling.solver.instances import instance, room, session, slots


@pytest.fixture
def instance_file(tmp_path):
    data = instance(
        slot_list=slots(per_day=3),
        rooms=[room("A"), room("B")],
        sessions=[session("a", speakers=["x"]), session("b", speakers=["x"]), session("c", length=2)],
        attendees=[{"id": "fan", "starred": ["a", "c"]}],
    )
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    return path, data


def test_solve_command_writes_a_solution_file(instance_file, tmp_path):
    path, data = instance_file
    output = tmp_path / "solution.json"

    call_command(
        "solve", str(path), "--time-limit", "1", "-o", str(output), "--seed", "2", "--mode", "replan"
    )

    solution = json.loads(output.read_text())
    assert {item["session"] for item in solution["assignments"]} == {"a", "b", "c"}
    assert violations(data, solution) == []
    assert solution["objective"]["missed_favourites"] == 0
    assert set(solution["stats"]) >= {"seconds", "iterations", "first_feasible_seconds"}


def test_solve_command_prints_to_standard_output(instance_file, capsys):
    call_command("solve", str(instance_file[0]), "--time-limit", "0.5")

    assert len(json.loads(capsys.readouterr().out)["assignments"]) == 3


def test_solve_command_reports_bad_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{")

    with pytest.raises(CommandError, match="is not a valid instance:\n  - not valid JSON"):
        call_command("solve", str(path))


def test_solve_command_lists_every_instance_fault(instance_file):
    path, data = instance_file
    data["sessions"][0]["allowed"] = ["never"]
    data["rooms"][1]["capacity"] = -1
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError) as caught:
        call_command("solve", str(path))

    assert "  - room B: 'capacity' must be at least 0, not -1" in str(caught.value)
    assert "  - session a 'allowed': unknown slot 'never'" in str(caught.value)


def test_solve_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Could not read"):
        call_command("solve", str(tmp_path / "nope.json"))
