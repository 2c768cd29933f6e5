"""A release's files rendered by several processes (release_files._Helpers): the same bytes as one
process writes, whoever renders which page, and when a helper fails or dies."""

import dataclasses
import os
import shutil
import time

import pytest

from podium.site import program_data, release_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_on")]


def _render(program, monkeypatch, processes: int) -> dict[str, bytes]:
    """Every file of a render (with its .gz and .br, and the manifest) by `processes` processes."""
    monkeypatch.setattr(release_files, "RENDER_PROCESSES", processes)
    monkeypatch.setattr(release_files, "FORK_MIN_PAGES", 1)
    monkeypatch.setattr(release_files, "BATCH", 1)
    event = program["event"]
    shutil.rmtree(release_files.event_dir(event.slug), ignore_errors=True)
    rendered = release_files.render_release(event, program["release"])
    return {
        str(path.relative_to(rendered.path)): path.read_bytes()
        for path in sorted(rendered.path.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def helped(monkeypatch):
    """The names of the files helper processes wrote (as this process learns of them)."""
    names = []

    @dataclasses.dataclass(frozen=True)
    class Spy(release_files.Written):
        def __post_init__(self):
            names.append(self.name)

    monkeypatch.setattr(release_files, "Written", Spy)
    return names


def test_helper_processes_write_the_files_one_process_writes(program, monkeypatch, helped):
    alone = _render(program, monkeypatch, 1)
    assert helped == []
    together = _render(program, monkeypatch, 3)
    assert helped  # the helpers rendered pages, and this process the rest
    # Which pages a helper takes depends on timing; only the schedule (with its rooms'), talk and speaker
    # pages may be a helper's (a list, the exports and the widget are rendered here).
    assert all(
        name.startswith(("pages/schedule/", "pages/room/", "pages/talk/", "pages/speaker/"))
        for name in helped
    )
    assert together == alone


def test_pages_a_helper_may_not_render_are_rendered_here(program, monkeypatch, helped, caplog):
    """A helper asks no database: a page that would is left to this process, with a warning."""
    alone = _render(program, monkeypatch, 1)
    parent = os.getpid()
    sessions_of = program_data.ProgramData.sessions_of  # what the schedule's pages, first, ask

    def querying(self, **filters):
        if os.getpid() != parent:
            self.release.sessions.count()
        return sessions_of(self, **filters)

    monkeypatch.setattr(program_data.ProgramData, "sessions_of", querying)
    with caplog.at_level("WARNING", logger="podium.site.release_files"):
        together = _render(program, monkeypatch, 2)
    assert together == alone
    assert "rendered here instead" in caplog.text
    assert "asked the database" in caplog.text


def test_the_pages_of_a_helper_that_dies_are_rendered_here(program, monkeypatch, helped, caplog):
    alone = _render(program, monkeypatch, 1)
    parent = os.getpid()
    sessions_of = program_data.ProgramData.sessions_of

    def dying(self, **filters):
        if os.getpid() != parent:
            os._exit(3)
        return sessions_of(self, **filters)

    monkeypatch.setattr(program_data.ProgramData, "sessions_of", dying)
    with caplog.at_level("WARNING", logger="podium.site.release_files"):
        together = _render(program, monkeypatch, 2)
    assert together == alone
    assert helped == []
    assert "ended without a report" in caplog.text


def test_the_pages_of_a_helper_that_hangs_are_rendered_here_after_the_deadline(
    program, monkeypatch, helped, caplog
):
    alone = _render(program, monkeypatch, 1)
    parent = os.getpid()
    sessions_of = program_data.ProgramData.sessions_of

    def hanging(self, **filters):
        if os.getpid() != parent:
            time.sleep(600)
        return sessions_of(self, **filters)

    monkeypatch.setattr(program_data.ProgramData, "sessions_of", hanging)
    monkeypatch.setattr(release_files, "HELPER_DEADLINE", 3.0)
    with caplog.at_level("WARNING", logger="podium.site.release_files"):
        together = _render(program, monkeypatch, 2)
    assert together == alone
    assert helped == []
    assert "ended without a report" in caplog.text
