"""An event's branding: its primary colour, logo and header image.

They show on the event's public pages (through a stylesheet, `site:branding_css`: no inline style
under the CSP), in the embeddable schedule widget and on the PDFs. The colour carries white text
(buttons, the widget's day headings), so a colour on which white text is not readable (WCAG AA:
a contrast ratio of at least 4.5:1) is refused. The images are checked and re-encoded like photos
and sponsor logos (base.uploads.clean_image); SVG is refused (an SVG file can carry scripts).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.base import audit
from podium.base.errors import ServiceError
from podium.base.uploads import clean_image
from podium.events.models import Event, colour_validator
from podium.events.rules import check_can_edit_event
from podium.events.services import _lock_version

#: WCAG 2 level AA for normal text.
MIN_CONTRAST = 4.5
WHITE = "#ffffff"
SVG_REFUSED = gettext_lazy(
    "SVG images are not accepted (an SVG file can carry scripts). "
    "Upload the image as a PNG (a transparent background works), JPEG or WebP image."
)


def _channel(value: int) -> float:
    value = value / 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """The relative luminance (WCAG 2) of a colour written as #rrggbb."""
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_colour(colour: str) -> str:
    """The colour in its normal form (lowercase #rrggbb, "" for none), or a ServiceError on the field
    "brand_colour" saying why it cannot be used: not a colour, or white text on it unreadable."""
    colour = (colour or "").strip().lower()
    if not colour:
        return ""
    try:
        colour_validator(colour)
    except ValidationError:
        raise ServiceError(_("Use a colour like #1f6feb."), field="brand_colour") from None
    ratio = contrast_ratio(colour, WHITE)
    if ratio < MIN_CONTRAST:
        raise ServiceError(
            _(
                "White text on %(colour)s is hard to read (contrast %(ratio)s:1; at least "
                "%(minimum)s:1 is needed, WCAG AA). Choose a darker colour."
            )
            % {"colour": colour, "ratio": f"{ratio:.1f}", "minimum": MIN_CONTRAST},
            field="brand_colour",
        )
    return colour


def clean_brand_image(upload, *, field: str):
    """An uploaded logo or header image, checked and re-encoded (pixels only, a random name); SVG and
    anything that is not a JPEG, PNG or WebP image are refused with a ServiceError on `field`."""
    name = (getattr(upload, "name", "") or "").lower()
    content_type = (getattr(upload, "content_type", "") or "").lower()
    upload.seek(0)
    head = upload.read(1024).lstrip().lower()
    upload.seek(0)
    if name.endswith((".svg", ".svgz")) or "svg" in content_type or b"<svg" in head:
        raise ServiceError(SVG_REFUSED, field=field)
    try:
        return clean_image(upload)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], field=field) from None


def _delete_after_commit(name: str, *, storage) -> None:
    """Delete a replaced image once the change has committed (no event uses it any more)."""

    def delete():
        if (
            name
            and not Event.objects.filter(logo=name).exists()
            and not Event.objects.filter(header_image=name).exists()
        ):
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def save_branding(
    *,
    event: Event,
    by,
    colour: str,
    logo=None,
    header_image=None,
    remove_logo: bool = False,
    remove_header_image: bool = False,
    version: int | None = None,
) -> Event:
    """Set the event's primary colour ("" for Podium's own) and replace or remove its logo and header
    image (uploads, checked and re-encoded: `clean_brand_image`).

    Refused when `by` may not edit the event, for a colour on which white text is unreadable
    (`check_colour`), for a file that is not an image, and for a stale `version` (nothing is saved
    then). Side effects: audit entry listing what changed; replaced image files are deleted after
    commit; the event's version goes up (its pages' caches are renewed).
    """
    check_can_edit_event(by, event)
    colour = check_colour(colour)
    new_logo = clean_brand_image(logo, field="logo") if logo is not None else None
    new_header = clean_brand_image(header_image, field="header_image") if header_image is not None else None
    stored_version = _lock_version(Event, pk=event.pk, version=version, what=_("the event's branding"))
    changed, replaced = [], []
    if colour != event.brand_colour:
        event.brand_colour = colour
        changed.append("brand_colour")
    for field, upload, remove in (
        ("logo", new_logo, remove_logo),
        ("header_image", new_header, remove_header_image),
    ):
        current = getattr(event, field)
        old = current.name if current else ""
        if upload is not None:
            current.save(upload.name, upload, save=False)
        elif remove and old:
            setattr(event, field, "")
        else:
            continue
        changed.append(field)
        if old:
            replaced.append(old)
    event.version = stored_version + 1
    event.save(update_fields=[*changed, "version"])
    storage = Event._meta.get_field("logo").storage
    for name in replaced:
        _delete_after_commit(name, storage=storage)
    audit.record(action="event.branding_updated", actor=by, target=event, event_id=event.pk, fields=changed)
    return event
