import pytest

from podium.schedule import services
from podium.site import release_files
from tests import factories
from tests.program import at, placed_talk, release
from tests.sponsoring import manager_fixture  # noqa: F401 (a fixture: the sponsors pages, logos and marks)


@pytest.fixture
def release_dir(settings, tmp_path):
    """The release files go to a directory of this test's own (the manifest is read afresh): the directory."""
    settings.PODIUM_RELEASE_DIR = tmp_path / "releases"
    release_files._manifest.cache_clear()
    return settings.PODIUM_RELEASE_DIR


@pytest.fixture
def files_on(settings, release_dir):
    """Release files on, written to a directory of this test's own: the directory. A module turns them
    on for all its tests with `pytest.mark.usefixtures("files_on")`."""
    settings.PODIUM_RELEASE_FILES = True
    return release_dir


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def program(event, scheduler):
    """A released program: two parallel talks and a lunch on the first day, one talk on the second.

    Alpha (Web, Hall A, 10:00, Ada) and Beta (Data, Room 101, 10:00, Bob); Lunch in every room
    12:00-13:00; Gamma (Web, Hall A, day two 10:00, Ada). Release "v1".
    """
    ada = factories.UserFactory(name="Ada Lovelace")
    bob = factories.UserFactory(name="Bob Babbage")
    alpha = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler, speakers=[ada])
    beta = placed_talk(
        event, "Beta talk", "Room 101", at(event, 10), scheduler, track_name="Data", speakers=[bob]
    )
    services.save_break(
        event=event, by=scheduler, title="Lunch", room=None, start=at(event, 12), end=at(event, 13)
    )
    gamma = placed_talk(event, "Gamma talk", "Hall A", at(event, 10, day=1), scheduler, speakers=[ada])
    first = release(event, scheduler, name="v1", comment="The first schedule.")
    return {
        "event": event,
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "ada": ada,
        "bob": bob,
        "release": first,
        "scheduler": scheduler,
    }
