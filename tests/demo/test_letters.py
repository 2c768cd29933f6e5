"""The demo's visa letters: one approved, one declined, one waiting, the same on every build.

The demo is built once per test session (the `demo_output` fixture, tests/conftest.py).
"""

from django.test import Client

from podium.demo import letters
from podium.letters.models import LetterState


def test_the_demo_has_an_approved_a_declined_and_a_waiting_request(pycon):
    rows = list(pycon.letter_requests.select_related("user").order_by("pk"))

    assert [row.state for row in rows] == [LetterState.APPROVED, LetterState.DECLINED, LetterState.WAITING]
    assert [row.user for row in rows] == letters.letter_speakers(pycon)
    assert [row.passport_number for row in rows] == [number for _, number, *_ in letters.TRAVELLERS]
    assert {row.role for row in rows} == {"speaker"}
    assert rows[1].decline_reason == letters.DECLINED_REASON
    assert rows[0].verification_code


def test_the_approved_demo_letter_verifies_publicly(pycon):
    approved = pycon.letter_requests.get(state=LetterState.APPROVED)

    page = Client().get(f"/{pycon.slug}/letters/verify/{approved.verification_code}/")

    assert page.status_code == 200
    assert approved.passport_name in page.content.decode()
    assert approved.passport_number not in page.content.decode()
