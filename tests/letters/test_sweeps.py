import datetime as dt

import pytest
from django.utils import timezone

from podium.base.cleanup import SWEEPS, sweep_all
from podium.letters import sweeps
from podium.letters.models import LetterRequest
from tests.visa import letter

pytestmark = pytest.mark.django_db


def _after_event(event, days: int) -> dt.datetime:
    end = dt.datetime.combine(event.date_to, dt.time(12), tzinfo=dt.UTC)
    return end + dt.timedelta(days=days)


def test_the_sweep_is_registered():
    assert sweeps.letter_passport_data in SWEEPS


def test_passport_data_is_erased_after_the_retention_and_not_before(client, event, speaker, issuer, settings):
    settings.PODIUM_LETTER_RETENTION_DAYS = 30
    approved = letter(event, speaker, issuer)

    assert sweeps.letter_passport_data(now=_after_event(event, 30), dry_run=False) == []
    kept = LetterRequest.objects.get()
    assert (kept.passport_number, kept.nationality, kept.passport_erased_at) == ("PX1234567", "Polish", None)

    said = sweep_all(now=_after_event(event, 32), dry_run=True)["letter_passport_data"]
    assert [removal.path for removal in said] == ["passport data of 1 letter request(s)"]
    assert LetterRequest.objects.get().passport_number == "PX1234567"  # a dry run changes nothing

    assert len(sweeps.letter_passport_data(now=_after_event(event, 32), dry_run=False)) == 1
    erased = LetterRequest.objects.get()
    assert (erased.passport_number, erased.nationality, erased.date_of_birth) == ("", "", None)
    assert (erased.address, erased.note) == ("", "")
    assert erased.passport_name == approved.passport_name
    assert erased.passport_erased_at is not None
    assert sweeps.letter_passport_data(now=_after_event(event, 40), dry_run=False) == []

    page = client.get(f"/{event.slug}/letters/verify/{approved.verification_code}/")
    assert page.status_code == 200
    assert approved.passport_name in page.content.decode()
    assert "Valid" in page.content.decode()


def test_the_retention_is_a_setting(event, speaker, issuer, settings):
    settings.PODIUM_LETTER_RETENTION_DAYS = 5
    letter(event, speaker, issuer)
    assert sweeps.letter_passport_data(now=_after_event(event, 4), dry_run=False) == []
    assert len(sweeps.letter_passport_data(now=_after_event(event, 7), dry_run=False)) == 1
    assert timezone.now()
