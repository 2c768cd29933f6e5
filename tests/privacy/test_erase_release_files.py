"""Erasing a person removes the written release files that named them (podium.site.release_files)."""

import pytest

from podium.privacy.erase import erase_person
from tests.personal import NAME

pytestmark = pytest.mark.django_db


def test_the_release_files_that_named_the_person_are_removed(
    person, settings, tmp_path, django_capture_on_commit_callbacks
):
    from podium.site import release_files  # the writer lives above privacy; the test may use both

    settings.PODIUM_RELEASE_DIR = tmp_path / "releases"
    rendered = release_files.render_release(person.event, person.release)
    assert NAME.encode() in (rendered.path / "schedule.xml").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(user=person.user, by=None)
    assert not release_files.event_dir(person.event.slug).exists()
    person.release.refresh_from_db()
    again = release_files.render_release(person.event, person.release)
    assert NAME.encode() not in (again.path / "schedule.xml").read_bytes()
