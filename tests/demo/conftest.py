"""The demo is built once for the tests of this package (it takes a few seconds) and removed afterwards.

Tests that change it do so inside their own transaction, which is rolled back.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from podium.demo import generator
from podium.events.models import Event


@pytest.fixture(scope="package")
def demo_output(django_db_setup, django_db_blocker):
    # The same fast hasher as every other test (tests/conftest.py), so log-ins can be checked.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    out = StringIO()
    with django_db_blocker.unblock(), fast:
        call_command("demo", "--no-serve", stdout=out)
        yield out.getvalue()
        generator.delete_demo()


@pytest.fixture
def pycon(demo_output, db):
    return Event.objects.get(slug="pycon-demo")
