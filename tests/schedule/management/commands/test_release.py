"""`podium release`: publish the draft from the command line."""

import pytest
from django.core.management import CommandError, call_command

from podium.mail.models import OutboxMail
from podium.schedule.queries import latest_release
from tests import factories
from tests.program import at, place, placed_talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("release", *args, stdout=out)
    return out.getvalue()


def test_release_command_publishes_the_draft_and_reports_counts(event, scheduler):
    placed_talk(event, "Opening", "Hall A", at(event, 10), scheduler)

    output = _run(event.slug, "--name", "First cut", "--comment", "Hello")

    published = latest_release(event)
    assert (published.version, published.name, published.comment, published.published_by) == (
        1,
        "First cut",
        "Hello",
        None,
    )
    assert "1 new, 0 moved, 0 changed, 0 cancelled" in output
    assert "1 notice(s) queued" in output
    assert OutboxMail.objects.filter(about=f"release:{published.pk}").count() == 1


def test_release_command_refuses_when_nothing_changed(event, scheduler):
    placed_talk(event, "Opening", "Hall A", at(event, 10), scheduler)
    _run(event.slug)

    with pytest.raises(CommandError, match=r"Nothing public changed since release v1.*--force"):
        _run(event.slug)
    assert latest_release(event).version == 1


def test_release_command_force_publishes_anyway(event, scheduler):
    placed_talk(event, "Opening", "Hall A", at(event, 10), scheduler)
    _run(event.slug)

    output = _run(event.slug, "--force")

    assert latest_release(event).version == 2
    assert "0 notice(s) queued" in output


def test_release_command_reports_moves(event, scheduler):
    proposal = placed_talk(event, "Opening", "Hall A", at(event, 10), scheduler)
    _run(event.slug)
    place(event, proposal, "Room 101", at(event, 11), scheduler)

    output = _run(event.slug)

    assert "0 new, 1 moved" in output


def test_release_command_unknown_event_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        _run("nope")


def test_release_command_refuses_a_name_in_use(event, scheduler):
    placed_talk(event, "Opening", "Hall A", at(event, 10), scheduler)
    _run(event.slug, "--name", "Final")

    with pytest.raises(CommandError, match="already named"):
        _run(event.slug, "--name", "Final", "--force")
