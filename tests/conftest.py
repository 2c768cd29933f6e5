import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # counters (e.g. reset mails per account) must not leak from one test to the next
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Deliveries after commit run inline: a test's own transaction is invisible to another thread. The
    # background threads a server uses are tested where they matter (tests/base/test_background.py,
    # the webhook and mail tests that turn them on).
    settings.PODIUM_BACKGROUND_THREADS = False


@pytest.fixture
def event(db):
    return factories.EventFactory()


@pytest.fixture
def organiser_user(event):
    """A member of the event's admin team (every permission)."""
    return factories.team_member(
        event, is_admin=True, can_edit_event=True, can_review=True, can_send_mail=True
    )


@pytest.fixture
def reviewer(event):
    return factories.team_member(event, name="Reviewers", can_review=True)


@pytest.fixture
def speaker(db):
    return factories.UserFactory(name="Speaker Person")


@pytest.fixture
def proposal(event, speaker):
    return factories.ProposalFactory(event=event, speakers=[speaker])
