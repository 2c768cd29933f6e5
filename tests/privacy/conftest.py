import pytest

from tests.personal import build_person


@pytest.fixture
def person(event, organiser_user, settings):
    """Someone with a value in every PERSONAL field and a row behind every LINK (tests/personal.py)."""
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    return build_person(event, organiser_user)
