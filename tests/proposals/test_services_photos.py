"""A speaker's photo: a replaced or removed one stops being served once the change commits."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from podium.base.uploads import clean_image
from podium.proposals import services

pytestmark = pytest.mark.django_db


def _photo(colour: str):
    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, format="PNG")
    return clean_image(SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png"))


def _save(event, speaker, **extra):
    return services.save_speaker_profile(
        event=event, user=speaker, **{"name": "Speaker", "bio": "Bio.", **extra}
    )


@transaction.atomic
def _change_then_fail(event, speaker, change: str):
    _save(event, speaker, **({"photo": _photo("blue")} if change == "replace" else {"remove_photo": True}))
    raise RuntimeError("the use case failed after the save")


def _served(client, profile_name: str) -> int:
    response = client.get(f"/media/{profile_name}")
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, which closes the file
    return response.status_code


def test_a_replaced_photo_is_deleted_after_commit(client, event, speaker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _save(event, speaker, photo=_photo("red")).photo.name
    assert _served(client, first) == 200

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = _save(event, speaker, photo=_photo("blue")).photo.name
        storage = event.speaker_profiles.get(user=speaker).photo.storage
        assert storage.exists(first)  # not before the commit

    assert len(callbacks) == 1
    assert (storage.exists(first), storage.exists(second)) == (False, True)
    assert (_served(client, first), _served(client, second)) == (404, 200)


def test_a_removed_photo_is_deleted_after_commit(client, event, speaker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _save(event, speaker, photo=_photo("red")).photo.name

    with django_capture_on_commit_callbacks(execute=True):
        profile = _save(event, speaker, remove_photo=True)

    assert profile.photo.name == ""
    assert _served(client, first) == 404


def test_saving_without_a_new_photo_keeps_the_photo(
    client, event, speaker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _save(event, speaker, photo=_photo("red")).photo.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _save(event, speaker, bio="A new bio.")

    assert callbacks == []
    assert _served(client, first) == 200


@pytest.mark.parametrize("change", ["replace", "remove"])
def test_a_rolled_back_change_keeps_the_old_photo(
    client, event, speaker, django_capture_on_commit_callbacks, change
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _save(event, speaker, photo=_photo("red")).photo.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        _change_then_fail(event, speaker, change)

    assert callbacks == []
    assert event.speaker_profiles.get(user=speaker).photo.name == first
    assert _served(client, first) == 200
