"""The event's branding as a stylesheet: its primary colour, logo and header image.

Pages (and the release's files of them) are the same whatever the branding: they link this
stylesheet and carry an empty banner (`.event-banner`, `.event-logo`), which the rules here fill
in. So a new logo or colour shows at once, without writing the release's files again, and no page
needs an inline style under the CSP. The embeddable widget reads it too (in its iframe, and in the
shadow root its script builds on another site: hence `:host`).
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.encoding import filepath_to_uri

from podium.base.errors import ServiceError
from podium.base.permissions import public
from podium.events.branding import WHITE, check_colour
from podium.events.visibility import TEAM, event_or_404

MAX_AGE = 300


def _image_url(field) -> str:
    """The address of an uploaded image (served as uploads are), or "" when there is none."""
    if not field or not field.name:
        return ""
    return settings.MEDIA_URL + filepath_to_uri(field.name)


def _css_url(url: str) -> str:
    """`url` as a CSS string (upload names are random hex with an extension; quotes escaped anyway)."""
    return '"' + url.replace("\\", "\\\\").replace('"', '\\"') + '"'


def branding_rules(event) -> str:
    """The stylesheet's text for `event` (a comment alone when it has no branding)."""
    rules = [f"/* {event.slug}: the event's branding */"]
    try:
        colour = check_colour(event.brand_colour)
    except ServiceError:  # a colour stored before the checks: Podium's own colours instead
        colour = ""
    if colour:
        rules.append(f":root, :host {{ --event-colour: {colour}; --event-on-colour: {WHITE}; }}")
        # Pico's primary colour (links, buttons, the current day tab) on the event's public pages, in the
        # light scheme: white text is readable on the colour, so the colour is on a white page; a dark page
        # keeps Pico's own.
        rules.append(
            "@media not (prefers-color-scheme: dark) { body, .program {"
            f" --pico-primary: {colour}; --pico-primary-background: {colour};"
            f" --pico-primary-border: {colour}; --pico-primary-hover: {colour};"
            f" --pico-primary-hover-background: {colour}; --pico-primary-inverse: {WHITE};"
            f" --pico-primary-underline: {colour}; }} }}"
        )
    logo, header = _image_url(event.logo), _image_url(event.header_image)
    if logo:
        rules.append(
            f".event-logo, .event-banner .event-logo {{ display: block; background-image: url({_css_url(logo)}); }}"
        )
    if header:
        rules.append(f".event-banner {{ background-image: url({_css_url(header)}); }}")
    if logo or header:
        rules.append(".event-banner { display: flex; }")
    return "\n".join(rules) + "\n"


@public
def branding_css(request, event):
    """The event's branding as CSS. A non-public event's goes to its team only (its previews), never
    kept by shared caches."""
    event = event_or_404(event, request.user, admit={TEAM})
    response = HttpResponse(branding_rules(event), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"{'public' if event.is_public else 'private'}, max-age={MAX_AGE}"
    if event.is_public:  # the widget's script links it from the shadow root it builds on another site
        response["Access-Control-Allow-Origin"] = "*"
    return response
