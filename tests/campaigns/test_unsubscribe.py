from podium.campaigns import unsubscribe


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
