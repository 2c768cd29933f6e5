"""Uploaded images keep their pixels and nothing else: no metadata of any kind survives re-encoding."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from podium.base.uploads import clean_image

SCRIPT = "<script>alert(1)</script>"
RED = (200, 30, 30)
# What Pillow reports about the encoding itself (JFIF header, WebP frame timing), not metadata.
FORMAT_INFO = {
    "jfif",
    "jfif_version",
    "jfif_unit",
    "jfif_density",
    "dpi",
    "background",
    "loop",
    "timestamp",
    "duration",
}


def _exif(**tags) -> bytes:
    exif = Image.Exif()
    exif[0x010E] = SCRIPT  # ImageDescription
    for tag, value in tags.items():
        exif[{"orientation": 0x0112}[tag]] = value
    return exif.tobytes()


def _icc_with_text() -> bytes:
    """A valid sRGB profile whose description is the script."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    data = profile.tobytes()
    return data + SCRIPT.encode()  # trailing bytes: still read as a profile by most readers


def _png_text() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT)  # tEXt
    info.add_text("Description", SCRIPT, zip=True)  # zTXt
    info.add_itxt("Title", SCRIPT, lang="en", tkey="Title")  # iTXt
    info.add_itxt("XML:com.adobe.xmp", SCRIPT)  # XMP lives in an iTXt chunk
    return info


def _image(fmt: str, mode: str = "RGB", size=(24, 16), **params) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, RED if mode == "RGB" else None).save(out, format=fmt, **params)
    return out.getvalue()


CRAFTED = {
    "jpeg-comment": ("JPEG", {"comment": SCRIPT.encode()}),
    "jpeg-exif": ("JPEG", {"exif": _exif()}),
    "jpeg-xmp": ("JPEG", {"xmp": SCRIPT.encode()}),
    "jpeg-icc": ("JPEG", {"icc_profile": _icc_with_text()}),
    "jpeg-icc-unreadable": ("JPEG", {"icc_profile": SCRIPT.encode() * 4}),
    "png-text-chunks": ("PNG", {"pnginfo": _png_text()}),
    "png-exif": ("PNG", {"exif": _exif()}),
    "png-icc": ("PNG", {"icc_profile": _icc_with_text()}),
    "webp-exif": ("WEBP", {"exif": _exif()}),
    "webp-xmp": ("WEBP", {"xmp": SCRIPT.encode()}),
    "webp-icc": ("WEBP", {"icc_profile": _icc_with_text()}),
}


def _clean(data: bytes) -> bytes:
    return clean_image(SimpleUploadedFile("photo.bin", data)).read()


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_no_metadata_survives_re_encoding(case):
    fmt, params = CRAFTED[case]
    crafted = _image(fmt, **params)
    with Image.open(io.BytesIO(crafted)) as original:
        # The crafted file really carries the metadata (compressed kinds are checked decoded).
        assert SCRIPT in repr(original.info) + repr(getattr(original, "text", {})) + crafted.decode("latin-1")

    stored = _clean(crafted)

    with Image.open(io.BytesIO(stored)) as image:
        image.load()
        metadata = {key: value for key, value in image.info.items() if key not in FORMAT_INFO}
        assert (image.format, image.size, metadata, dict(image.getexif())) == (fmt, (24, 16), {}, {})
        assert getattr(image, "text", {}) == {}
        assert image.convert("RGB").getpixel((3, 3)) == pytest.approx(RED, abs=8)
    assert b"<script>" not in stored
    assert b"Exif" not in stored
    assert b"xmp" not in stored.lower()


def test_exif_orientation_is_applied_before_the_exif_goes():
    crafted = _image("JPEG", size=(30, 10), exif=_exif(orientation=6))  # 6: rotate 90° clockwise

    stored = _clean(crafted)

    with Image.open(io.BytesIO(stored)) as image:
        assert (image.size, dict(image.getexif())) == ((10, 30), {})


def test_png_transparency_is_kept():
    out = io.BytesIO()
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.save(out, format="PNG", transparency=1, pnginfo=_png_text())

    stored = _clean(out.getvalue())

    with Image.open(io.BytesIO(stored)) as clean:
        assert (clean.mode, clean.info.get("transparency"), clean.convert("RGBA").getpixel((0, 0))) == (
            "P",
            1,
            (255, 0, 0, 0),
        )
    assert b"<script>" not in stored


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")  # Pillow's notice, as in production
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_unreadable_metadata_is_dropped_or_refused_never_an_error(fmt):
    rng = random.Random(13)
    for _ in range(20):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(8, 200)))
        crafted = _image(fmt, exif=b"Exif\x00\x00MM\x00*" + junk)
        try:
            stored = _clean(crafted)
        except ValidationError:
            continue
        assert b"Exif" not in stored
