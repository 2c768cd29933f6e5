"""A person's visa letter requests in the export and the erasure."""

import pytest

from podium.letters.models import LetterRequest
from podium.privacy.erase import erase_person
from podium.privacy.export import export_person
from tests import factories
from tests.visa import ask, event, letter, speaker  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_export_lists_every_request_with_its_passport_data(event, speaker):
    issuer = factories.team_member(event, can_issue_letters=True)
    approved = letter(event, speaker, issuer)

    exported = export_person(user=speaker)["letter_requests"]

    assert len(exported) == 1
    row = exported[0]
    assert (row["event"], row["state"], row["role"]) == (event.slug, "approved", "speaker")
    assert (row["passport_name"], row["passport_number"], row["nationality"]) == (
        approved.passport_name,
        "PX1234567",
        "Polish",
    )
    assert row["date_of_birth"] == "1990-05-17"
    assert "verification_code" not in row
    assert export_person(user=issuer)["letter_requests"] == []


def test_erasure_deletes_the_requests_and_their_letters_no_longer_verify(client, event, speaker):
    issuer = factories.team_member(event, can_issue_letters=True)
    approved = letter(event, speaker, issuer)
    other = factories.UserFactory()
    factories.ProposalFactory(event=event, speakers=[other], state="confirmed")
    kept = ask(event, other)

    counts = erase_person(user=speaker, by=None)

    assert counts["letter requests"] == 1
    assert list(LetterRequest.objects.all()) == [kept]
    assert client.get(f"/{event.slug}/letters/verify/{approved.verification_code}/").status_code == 404
