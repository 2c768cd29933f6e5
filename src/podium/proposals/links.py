"""Links of a session (slides, papers, recordings, feedback pages): web addresses only.

A session keeps its links and attachments as lists of `{"title", "url"}`. Every address must be an
absolute http(s) URL: anything else (`javascript:`, `data:`, `file:`, relative paths) could run in a
visitor's browser or point into the server, so it is refused by the edit form and left out, with a
note in the report, by the importers.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

MAX_URL = 500
MAX_TITLE = 200
MAX_LINKS = 50

_VALIDATE = URLValidator(schemes=["http", "https"])


def web_url(value) -> str | None:
    """The address, stripped, when it is an absolute http(s) URL of at most 500 characters, else None."""
    text = str(value or "").strip()
    if not text or len(text) > MAX_URL:
        return None
    try:
        _VALIDATE(text)
    except ValidationError:
        return None
    return text


def validate_web_url(value) -> None:
    """A model and form validator: only absolute http(s) addresses."""
    if value and web_url(value) is None:
        raise ValidationError(
            _("Enter a full web address starting with http:// or https:// (at most %(max)s characters)."),
            code="not_web_address",
            params={"max": MAX_URL},
        )


def link(title, url) -> dict:
    """One stored link: the title falls back to the address."""
    title = " ".join(str(title or "").split())[:MAX_TITLE]
    return {"title": title or url, "url": url}


def validate_links(value) -> None:
    """A model validator for the JSON lists: [{"title": text, "url": http(s) URL}]."""
    if not isinstance(value, list) or len(value) > MAX_LINKS:
        raise ValidationError(
            _("Give at most %(max)s links as a list.") % {"max": MAX_LINKS}, code="not_web_address"
        )
    for item in value:
        if not (isinstance(item, dict) and set(item) == {"title", "url"} and web_url(item["url"])):
            raise ValidationError(
                _("Each link needs a title and a web address starting with http:// or https://."),
                code="not_web_address",
            )


def parse_lines(text: str) -> list[dict]:
    """Links from lines "title | url" (or a bare url); raises ValidationError naming the bad lines."""
    result, errors = [], []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, bar, url = line.rpartition("|")
        if not bar:
            title, url = "", line
        valid = web_url(url)
        if valid is None:
            errors.append(
                _("Line %(number)s: “%(url)s” is not a web address starting with http:// or https://.")
                % {"number": number, "url": url.strip()[:80]}
            )
            continue
        result.append(link(title, valid))
    if errors:
        raise ValidationError(errors)
    if len(result) > MAX_LINKS:
        raise ValidationError(_("Give at most %(max)s links.") % {"max": MAX_LINKS})
    return result


def as_lines(links) -> str:
    """The lines `parse_lines` reads back."""
    return "\n".join(
        item["url"] if item["title"] == item["url"] else f"{item['title']} | {item['url']}"
        for item in links or []
    )
