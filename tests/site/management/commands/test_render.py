"""`podium render EVENT [--release N]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from podium.schedule import services
from podium.site import release_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("release_dir")]


def _render(*args) -> str:
    out = io.StringIO()
    call_command("render", *args, stdout=out)
    return out.getvalue()


def test_renders_the_latest_release_once(program):
    slug = program["event"].slug
    first = _render(slug)
    assert "Release 1 of" in first
    assert "written" in first
    folder = release_files.event_dir(slug)
    names = sorted(p.name for p in folder.iterdir())
    again = _render(slug)
    assert "unchanged" in again
    # The same directories; what the second render wrote before finding its files there already is
    # set aside for a later render to write into (settings.PODIUM_RELEASE_SPARES).
    after = sorted(p.name for p in folder.iterdir())
    spares = [name for name in after if name.startswith(release_files.SPARE)]
    assert len(spares) == 1
    assert sorted(set(after) - set(spares)) == names


def test_renders_a_chosen_release(program):
    event = program["event"]
    services.publish_release(event=event, by=program["scheduler"], name="v2", force=True)
    assert "Release 1 of" in _render(event.slug, "--release", "1")
    assert "Release 2 of" in _render(event.slug)


def test_unknown_event_or_release_is_a_clear_error(program, event):
    with pytest.raises(CommandError, match="no event"):
        _render("nope")
    with pytest.raises(CommandError, match="has no release 7"):
        _render(program["event"].slug, "--release", "7")
