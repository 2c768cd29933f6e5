import os
import tempfile

# Tests never touch ./data: each run gets its own data directory (SQLite, uploads, secret key).
os.environ.setdefault("PODIUM_DATA_DIR", tempfile.mkdtemp(prefix="podium-test-"))
os.environ.setdefault("PODIUM_BASE_URL", "https://podium.test")

import pytest  # noqa: E402

from tests import factories  # noqa: E402


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def event(db):
    return factories.EventFactory()


@pytest.fixture
def organiser_user(event):
    """A member of the event's admin team (every permission)."""
    return factories.team_member(event, is_admin=True, can_edit_event=True, can_review=True, can_send_mail=True)


@pytest.fixture
def reviewer(event):
    return factories.team_member(event, name="Reviewers", can_review=True)


@pytest.fixture
def speaker(db):
    return factories.UserFactory(name="Speaker Person")


@pytest.fixture
def proposal(event, speaker):
    return factories.ProposalFactory(event=event, speakers=[speaker])
