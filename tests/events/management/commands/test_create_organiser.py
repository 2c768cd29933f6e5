import pytest
from django.core.management import CommandError, call_command

from podium.events.models import Organiser
from tests import factories

pytestmark = pytest.mark.django_db


def test_create_organiser_command_makes_the_account_its_admin(capsys):
    user = factories.UserFactory(email="chair@example.org")

    call_command(
        "create_organiser",
        "--name",
        "PyTexas Foundation",
        "--slug",
        "pytexas",
        "--admin",
        "Chair@example.org",
    )

    organiser = Organiser.objects.get(slug="pytexas")
    assert list(organiser.teams.get(is_admin=True).members.all()) == [user]
    assert "administers it" in capsys.readouterr().out


def test_create_organiser_command_unknown_account_is_a_clear_error():
    with pytest.raises(CommandError, match=r"No account uses nobody@example\.org"):
        call_command("create_organiser", "--name", "X", "--slug", "xx", "--admin", "nobody@example.org")
    assert Organiser.objects.count() == 0
