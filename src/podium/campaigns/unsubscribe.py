"""The unsubscribe link of campaign mail: a signed token naming the organiser, the address and the
campaign, the `List-Unsubscribe` headers (RFC 2369, one-click POST of RFC 8058) and the footer line.

The token is signed with the site's secret (django.core.signing, its own salt) and does not expire: a
link in a mail from last year must still work. It carries no account, so whoever holds the link can
unsubscribe that one address from that one organiser's campaigns, nothing else.
"""

import html

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

SALT = "podium.campaigns.unsubscribe"


def make_token(*, organiser_id: int, address: str, campaign_id: int | None) -> str:
    return signing.dumps(
        {"o": organiser_id, "a": address.strip().lower(), "c": campaign_id}, salt=SALT, compress=True
    )


def read_token(token: str) -> dict | None:
    """{"organiser_id", "address", "campaign_id"} of a valid token, else None."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("o"), int) or not isinstance(data.get("a"), str):
        return None
    campaign = data.get("c")
    return {
        "organiser_id": data["o"],
        "address": data["a"],
        "campaign_id": campaign if isinstance(campaign, int) else None,
    }


def link(token: str) -> str:
    return f"{settings.BASE_URL}{reverse('site:unsubscribe', kwargs={'token': token})}"


def link_maker():
    """`link` for many tokens: the address is resolved once (a campaign signs one token per person)."""
    marker = "0TOKEN0"
    before, _, after = link(marker).partition(marker)
    return lambda token: f"{before}{token}{after}"


def headers(url: str) -> dict[str, str]:
    """The headers of a campaign mail that let a mail client unsubscribe with one click."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def footer(url: str, organiser_name: str) -> str:
    """The unsubscribe line below a campaign mail's text, in the active language (the recipient's)."""
    line = _("You get this mail from %(organiser)s. To get no more of these mails: %(url)s") % {
        "organiser": organiser_name,
        "url": url,
    }
    return f"\n\n-- \n{line}\n"


def html_footer(url: str, organiser_name: str) -> str:
    """The unsubscribe line below a campaign mail's HTML part, in the active language."""
    line = _('<a href="%(url)s">Unsubscribe</a> from the mails of %(organiser)s.') % {
        "url": html.escape(url),
        "organiser": html.escape(organiser_name),
    }
    return f"\n<hr>\n<p><small>{line}</small></p>"
