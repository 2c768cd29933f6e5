import pytest

from podium.proposals import rules
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = {
    "admin": {"is_admin": True},
    "editor": {"can_edit_event": True},
    "reviewer": {"can_review": True},
    "scheduler": {"can_schedule": True},
    "mailer": {"can_send_mail": True},
}


@pytest.mark.parametrize("role", list(ROLES))
def test_can_see_identity_everyone_on_an_event_that_does_not_anonymise(event, role):
    user = factories.team_member(event, **ROLES[role])

    assert rules.can_see_identity(user, event) is True


@pytest.mark.parametrize(
    ("role", "sees"),
    [("admin", True), ("editor", True), ("reviewer", False), ("scheduler", False), ("mailer", False)],
)
def test_can_see_identity_on_an_anonymised_event_only_admins_and_editors(event, role, sees):
    event.anonymise_review = True
    event.save()
    user = factories.team_member(event, **ROLES[role])

    assert rules.can_see_identity(user, event) is sees


def test_can_see_identity_reviewer_who_also_edits_sees_identities(event):
    event.anonymise_review = True
    event.save()
    both = factories.team_member(event, can_review=True, can_edit_event=True)

    assert rules.can_see_identity(both, event) is True


def test_can_see_identity_site_administrator_sees_identities(event):
    event.anonymise_review = True
    event.save()
    root = factories.UserFactory(is_superuser=True)

    assert rules.can_see_identity(root, event) is True
