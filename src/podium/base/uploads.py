"""The one allow-list of upload types, with checks by content and size.

Used by every form and API that accepts a file. Images are decoded and re-encoded with Pillow, which
proves they are images (not a script with a .png name). Only the pixels are kept: EXIF (GPS positions),
JPEG comments, XMP, ICC profiles and PNG text chunks are all dropped, since any of them can carry text
such as `<script>` that a browser or a later tool might read. A photo's EXIF orientation is applied to
the pixels first, and colours in another colour space are converted to sRGB, so nothing looks different.
"""

import io
import struct
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# What a re-encoded image keeps besides its pixels: PNG transparency is part of the picture.
KEPT_INFO = ("transparency",)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _in_srgb(image: Image.Image) -> Image.Image:
    """The image converted from its embedded colour profile to sRGB (as it is when it has none).

    A profile that cannot be read is ignored: the pixels are then kept as they are.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=image.mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; as it is when the EXIF cannot be read."""
    try:
        return ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError, struct.error):
        return image  # corrupt EXIF: it goes anyway


def pixels_only(image: Image.Image) -> Image.Image:
    """An upright sRGB copy of `image` with its pixels (and palette and transparency) and nothing else."""
    clean = _in_srgb(_upright(image))
    clean = clean.copy() if clean is image else clean  # never strip the caller's image
    clean.info = {key: clean.info[key] for key in KEPT_INFO if key in clean.info}
    return clean


def clean_image(upload: UploadedFile) -> InMemoryUploadedFile:
    """Check an uploaded image and return a re-encoded copy with a random name.

    Raises ValidationError with a message a person can act on.
    """
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is 2 MB."), params={"size": f"{upload.size / 1048576:.1f}"}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            if fmt not in IMAGE_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP image."))
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image is too large in pixels (at most 40 megapixels)."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            pixels_only(image).save(out, format=fmt)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not a readable image. Upload a JPEG, PNG or WebP image.")
        ) from exc
    content_type, ext = IMAGE_FORMATS[fmt]
    size = out.tell()
    out.seek(0)
    return InMemoryUploadedFile(out, "photo", f"{uuid.uuid4().hex}.{ext}", content_type, size, None)


MAX_PDF_BYTES = 20 * 1024 * 1024


def clean_pdf(upload: UploadedFile, *, max_bytes: int = MAX_PDF_BYTES) -> InMemoryUploadedFile:
    """Check an uploaded PDF (slides) by its content and size; return a copy with a random name.

    A PDF starts with `%PDF-` and ends with `%%EOF` (give or take trailing white space); anything else
    with a .pdf name is refused. The file is served as a download (base.views.serve_media), never
    inline. Raises ValidationError with a message a person can act on.
    """
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            params={"size": f"{upload.size / 1048576:.1f}", "limit": max_bytes // 1048576},
        )
    upload.seek(0)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."), params={"limit": max_bytes // 1048576}
        )
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise ValidationError(_("This file is not a PDF. Upload your slides as a PDF file."))
    return InMemoryUploadedFile(
        io.BytesIO(content), "slides", f"{uuid.uuid4().hex}.pdf", "application/pdf", len(content), None
    )
