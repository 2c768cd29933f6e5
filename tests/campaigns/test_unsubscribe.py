import pytest
from django.utils import translation

from podium.campaigns import unsubscribe
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)


def test_a_token_names_organiser_address_and_campaign():
    token = unsubscribe.make_token(organiser_id=3, address=" Ada@Example.org ", campaign_id=7)

    assert unsubscribe.read_token(token) == {
        "organiser_id": 3,
        "address": "ada@example.org",
        "campaign_id": 7,
    }


def test_a_changed_or_foreign_token_is_refused():
    token = unsubscribe.make_token(organiser_id=3, address="ada@example.org", campaign_id=None)

    assert unsubscribe.read_token(token[:-2] + "xx") is None
    assert unsubscribe.read_token("nonsense") is None


def test_the_headers_offer_one_click_unsubscribe():
    headers = unsubscribe.headers("https://podium.example/mail/unsubscribe/t/")

    assert headers == {
        "List-Unsubscribe": "<https://podium.example/mail/unsubscribe/t/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_the_footers_name_the_organiser_and_escape_the_html_part():
    url = "https://podium.example/mail/unsubscribe/t/?a=1&b=2"

    assert unsubscribe.footer(url, "Ada & Co") == (
        f"\n\n-- \nYou get this mail from Ada & Co. To get no more of these mails: {url}\n"
    )
    assert unsubscribe.html_footer(url, "Ada & Co") == (
        '\n<hr>\n<p><small><a href="https://podium.example/mail/unsubscribe/t/?a=1&amp;b=2">Unsubscribe</a> '
        "from the mails of Ada &amp; Co.</small></p>"
    )


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_footers_are_in_the_active_language():
    with translation.override("fr"):
        text = unsubscribe.footer("https://x.example/u/", "PyCon")
        html = unsubscribe.html_footer("https://x.example/u/", "PyCon")

    assert "Vous recevez cet e-mail de PyCon." in text
    assert ">Se désabonner</a> des e-mails de PyCon." in html
