"""The event's branding: a primary colour white text is readable on (WCAG AA), logo and header image
re-encoded like photos, SVG refused, only for those who may edit the event, stale edits refused."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events import branding
from podium.events.models import Event
from tests import factories
from tests.sponsoring import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(event):
    return factories.team_member(event, name="Setup", can_edit_event=True)


def test_contrast_ratio_follows_wcag():
    assert branding.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert branding.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert branding.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", ["#1F6FEB", "#0b4a9e", "#767676", " #b71c1c "])
def test_readable_colours_are_kept_in_their_normal_form(colour):
    assert branding.check_colour(colour) == colour.strip().lower()


@pytest.mark.parametrize("colour", ["#ffff00", "#8fd3ff", "#777777", "#ffffff"])
def test_colours_white_text_is_unreadable_on_are_refused(colour):
    with pytest.raises(ServiceError, match=r"hard to read \(contrast \d\.\d:1") as refused:
        branding.check_colour(colour)
    assert refused.value.field == "brand_colour"


@pytest.mark.parametrize("colour", ["blue", "#12345", "#12345g", "1f6feb"])
def test_malformed_colours_are_refused(colour):
    with pytest.raises(ServiceError, match="like #1f6feb"):
        branding.check_colour(colour)


def test_save_branding_stores_the_colour_and_re_encoded_images(event, editor):
    saved = branding.save_branding(
        event=event,
        by=editor,
        colour="#0B4A9E",
        logo=png("logo.png"),
        header_image=png("header.png", size=(300, 60)),
        version=event.version,
    )
    stored = Event.objects.get(pk=event.pk)
    assert stored.brand_colour == "#0b4a9e"
    assert stored.version == saved.version == 2
    assert stored.logo.name.startswith("events/logos/")
    assert stored.logo.name != "events/logos/logo.png"
    assert stored.header_image.name.startswith("events/headers/")
    with Image.open(stored.logo.path) as image:
        assert image.format == "PNG"
        assert image.size == (40, 20)


def test_save_branding_removes_images(event, editor, django_capture_on_commit_callbacks):
    branding.save_branding(event=event, by=editor, colour="", logo=png())
    event.refresh_from_db()
    path = event.logo.path
    with django_capture_on_commit_callbacks(execute=True):
        branding.save_branding(event=event, by=editor, colour="", remove_logo=True, version=event.version)
    event.refresh_from_db()
    assert not event.logo
    assert not os.path.exists(path)


def test_an_unreadable_colour_saves_nothing(event, editor):
    with pytest.raises(ServiceError):
        branding.save_branding(event=event, by=editor, colour="#ffee58", logo=png())
    event.refresh_from_db()
    assert event.brand_colour == ""
    assert not event.logo
    assert event.version == 1


def test_svg_and_non_images_are_refused(event, editor):
    svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'></svg>", content_type="image/svg+xml")
    with pytest.raises(ServiceError, match="SVG") as refused:
        branding.save_branding(event=event, by=editor, colour="", logo=svg)
    assert refused.value.field == "logo"
    text = SimpleUploadedFile("header.png", b"not an image", content_type="image/png")
    with pytest.raises(ServiceError, match="not a readable image") as refused:
        branding.save_branding(event=event, by=editor, colour="", header_image=text)
    assert refused.value.field == "header_image"


def test_metadata_is_dropped_from_a_logo(event, editor):
    out = io.BytesIO()
    image = Image.new("RGB", (10, 10), "red")
    exif = image.getexif()
    exif[0x010E] = "<script>alert(1)</script>"  # ImageDescription
    image.save(out, format="JPEG", exif=exif)
    branding.save_branding(
        event=event, by=editor, colour="", logo=SimpleUploadedFile("l.jpg", out.getvalue(), "image/jpeg")
    )
    event.refresh_from_db()
    with event.logo.open("rb") as stored:
        assert b"<script>" not in stored.read()


def test_only_event_editors_may_brand(event):
    reviewer = factories.team_member(event, name="Reviewers", can_review=True)
    with pytest.raises(NotAllowed):
        branding.save_branding(event=event, by=reviewer, colour="#0b4a9e")


def test_a_stale_version_is_refused(event, editor):
    branding.save_branding(event=event, by=editor, colour="#0b4a9e", version=1)
    with pytest.raises(StaleEdit):
        branding.save_branding(event=event, by=editor, colour="#1b5e20", version=1)
    event.refresh_from_db()
    assert event.brand_colour == "#0b4a9e"
