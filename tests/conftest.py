import gc
import itertools
import os
import sys
from io import StringIO

import pytest
from django.db import connection
from pytest_django.plugin import blocking_manager_key

from tests import factories, served

# The tests that use the demo conference (the `demo_output` fixture) are one xdist group, so one worker
# runs them one after another: the demo is built once per test session, before the first of them, and
# removed after the last, so no other test sees it.
DEMO_GROUP = "demo"


class _Demo:
    """The demo conference in this worker's test database: built once, removed after the last test that
    needs it. Tests that change it do so inside their own transaction, which is rolled back."""

    output: str | None = None
    builds = 0

    def build(self) -> str:
        from django.core.management import call_command
        from django.test.utils import override_settings

        out = StringIO()
        # The settings every test has (`_fast_and_isolated` below), which a session fixture does not get: the
        # fast hasher, so log-ins can be checked; deliveries inline and no release files, so no thread
        # of the build's is still rendering (and holding a database connection) when the tests start.
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            PODIUM_BACKGROUND_THREADS=False,
            PODIUM_RELEASE_FILES=False,
        ):
            call_command("demo", "--no-serve", stdout=out)
        self.builds += 1
        if not connection.in_atomic_block:  # else the test's transaction takes it away again
            self.output = out.getvalue()
        return out.getvalue()

    def remove(self) -> None:
        from podium.demo import generator

        generator.delete_demo()
        self.output = None


DEMO = _Demo()


def _needs_demo(item) -> bool:
    return "demo_output" in getattr(item, "fixturenames", ())


def _demo_last(items) -> None:
    items[:] = [item for item in items if not _needs_demo(item)] + [
        item for item in items if _needs_demo(item)
    ]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Put every test that uses the demo in one xdist group (before xdist reads the groups) and, for a run
    without xdist, one after another at the end."""
    for item in items:
        if _needs_demo(item):
            item.add_marker(pytest.mark.xdist_group(DEMO_GROUP))
    _demo_last(items)


class _DemoTestsLast:
    """Once more after every other plugin's reordering (pytest-django sorts by database use, which would
    put a demo test that needs no database of its own among the first)."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        _demo_last(items)
        _check_groups(config, items)


def _check_groups(config, items) -> None:
    """Refuse to run when xdist ignores the groups (pytest 9.2 with xdist 3.8 did, silently: a worker
    marks a test's group in its node id, which pytest 9.2 no longer reads); the demo would be built on
    every worker, and nothing would fail."""
    if not config.getoption("loadgroup", False):  # set on xdist's workers for --dist loadgroup
        return
    ungrouped = [
        item.nodeid for item in items if _needs_demo(item) and not item.nodeid.endswith(f"@{DEMO_GROUP}")
    ]
    if ungrouped:
        message = (
            f"xdist did not put {len(ungrouped)} test(s) in the {DEMO_GROUP!r} group (e.g. {ungrouped[0]}): "
            "this pytest and pytest-xdist do not work together for --dist loadgroup; see pyproject.toml."
        )
        print(message, file=sys.stderr)  # a worker's error is otherwise shown only as its crash
        raise pytest.UsageError(message)


def pytest_configure(config):
    config.pluginmanager.register(_DemoTestsLast(), "podium-demo-tests-last")
    config.pluginmanager.register(_Collector(), "podium-collector")


#: After how many tests of this process what is alive is set aside from the cyclic garbage collector.
FREEZE_EVERY = 100


class _Collector:
    """Keeps the garbage collector from walking, again and again, what lives for the whole run.

    A worker holds some 850,000 objects by its end (Django, the apps, their templates and catalogues,
    OR-Tools, numba, Hypothesis, the test modules); each full collection walked them all, and the
    collections a run of the suite made cost a worker about a seventh of its CPU. Once the tests are
    collected, and after the first test and every FREEZE_EVERY tests, what is alive once the garbage is
    collected is frozen (`gc.freeze`): later collections walk only what came after. A test's own objects are collected as before (by reference
    counting or by the collector); only a cycle that was alive at a freeze and dies later stays in
    memory, uncollected."""

    def __init__(self) -> None:
        self.tests = 0

    @pytest.hookimpl(wrapper=True)
    def pytest_collection(self):
        """Collecting imports every test module, and with them most of what the run keeps: no collection
        while it runs (its garbage is small), then what is alive is set aside."""
        gc.disable()
        try:
            return (yield)
        finally:
            gc.enable()
            gc.collect()
            gc.freeze()

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logfinish(self) -> None:
        self.tests += 1
        if self.tests % FREEZE_EVERY == 1:
            gc.collect()
            gc.freeze()


def pytest_sessionfinish(session):
    """The promise above, checked: a second build means the demo's tests were split up."""
    if DEMO.builds > 1:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(
            f"\nThe demo was built {DEMO.builds} times in one process; its tests must run one after another."
        )


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last test in a row that needs the demo, remove it (outside any test transaction). After
    the very last test the test database itself is gone already."""
    if DEMO.output is not None and _needs_demo(item) and nextitem is not None and not _needs_demo(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            DEMO.remove()


@pytest.fixture(scope="session")
def _demo_built(django_db_setup, django_db_blocker):
    """Builds the demo before any test transaction begins (session fixtures are set up first)."""
    if DEMO.output is None:
        with django_db_blocker.unblock():
            DEMO.build()
    return DEMO


@pytest.fixture
def demo_output(_demo_built, django_db_blocker) -> str:
    """What `podium demo` printed. Should a test that needs the demo run after it was removed (its
    group split), it is built again: slower, never wrong."""
    if DEMO.output is None:
        with django_db_blocker.unblock():
            return DEMO.build()
    return DEMO.output


@pytest.fixture
def pycon(demo_output, db):
    """The demo's main event."""
    from podium.demo import generator
    from podium.events.models import Event

    return Event.objects.get(slug=generator.MAIN_EVENT)


@pytest.fixture(scope="session", autouse=True)
def _run_dir(tmp_path_factory):
    """Where this run's processes share what is made once per run (tests/served.py): the base temporary
    directory, which under xdist holds each worker's own (and is kept or removed as pytest keeps them)."""
    base = tmp_path_factory.getbasetemp()
    served.RUN_DIR[:] = [base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base]


@pytest.fixture(scope="session")
def _media_roots(tmp_path_factory):
    """Where each test's MEDIA_ROOT goes: a folder of its own, numbered here. (pytest's `tmp_path` lists
    every folder it made before making the next one: some 2 ms a test once a worker has run thousands.)"""
    base = tmp_path_factory.mktemp("media")
    return (base / str(number) / "media" for number in itertools.count())


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, _media_roots):
    from django.core.cache import cache

    cache.clear()  # counters (e.g. reset mails per account) must not leak from one test to the next
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = next(_media_roots)  # made by the first file saved there
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Deliveries after commit run inline: a test's own transaction is invisible to another thread. The
    # background threads a server uses are tested where they matter (tests/base/test_background.py,
    # the webhook and mail tests that turn them on).
    settings.PODIUM_BACKGROUND_THREADS = False
    # Release files are written where a test asks for them (tests/site/test_release_files.py).
    settings.PODIUM_RELEASE_FILES = False


@pytest.fixture
def event(db):
    return factories.EventFactory()


@pytest.fixture
def organiser_user(event):
    """A member of the event's admin team (every permission)."""
    return factories.team_member(
        event, is_admin=True, can_edit_event=True, can_review=True, can_send_mail=True
    )


@pytest.fixture
def reviewer(event):
    return factories.team_member(event, name="Reviewers", can_review=True)


@pytest.fixture
def speaker(db):
    return factories.UserFactory(name="Speaker Person")


@pytest.fixture
def proposal(event, speaker):
    return factories.ProposalFactory(event=event, speakers=[speaker])
