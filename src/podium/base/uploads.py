"""The one allow-list of upload types, with checks by content and size.

Used by every form and API that accepts a file. Images are decoded and re-encoded with Pillow, which
proves they are images (not a script with a .png name) and drops metadata such as GPS positions.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def clean_image(upload: UploadedFile) -> InMemoryUploadedFile:
    """Check an uploaded image and return a re-encoded copy with a random name.

    Raises ValidationError with a message a person can act on.
    """
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            "The image is %(size)s MB; the limit is 2 MB.", params={"size": f"{upload.size / 1048576:.1f}"}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            if fmt not in IMAGE_FORMATS:
                raise ValidationError("Upload a JPEG, PNG or WebP image.")
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError("The image is too large in pixels (at most 40 megapixels).")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=fmt)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError("This file is not a readable image. Upload a JPEG, PNG or WebP image.") from exc
    content_type, ext = IMAGE_FORMATS[fmt]
    size = out.tell()
    out.seek(0)
    return InMemoryUploadedFile(out, "photo", f"{uuid.uuid4().hex}.{ext}", content_type, size, None)
