"""Property-based runs of the whole API against its own OpenAPI schema (Schemathesis).

Every operation gets a bounded, deterministic set of generated requests, once anonymously and once
with an organiser's write token; every answer must match the schema (status, headers, body) and
none may be a server error. The event in the path is the seeded one, so requests reach real data.
A last run sends requests that break the schema, which must be refused with a clear 4xx.
"""

import itertools

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as examples
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from tests import factories, program
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db

EXAMPLES = 20
# A schema-valid request may still be refused by a use case's rules (400: "Nothing public changed
# since release v1.", a score off the event's scale) or by a stale version (409).
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}
        }
    }
)
# A fresh Idempotency-Key per generated request: reusing one with another body is refused on purpose
# (tests/api/test_idempotency.py), which is not what these runs are about.
KEYS = itertools.count(1)


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept from closing the test's database connection after each request
    (as Django's own test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(settings, event, organiser_user, scheduler, speaker):
    """A released program, a proposal to review, and a write token of an all-permissions user."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # Schemathesis' WSGI client
    talk = program.placed_talk(event, "Released talk", "Hall A", program.at(event, 10), scheduler)
    program.lunch(event, scheduler)
    program.release(event, scheduler)
    factories.ProposalFactory(event=event, speakers=[speaker], state="submitted")
    everything = factories.team_member(
        event, user=organiser_user, name="Everything", can_schedule=True, can_review=True
    )
    return {
        "secret": make_token(everything, event, scope="write"),
        "path": {"event": event.slug, "code": talk.code, "speaker": program.speaker_code(talk)},
    }


def _run(
    operation,
    *,
    path_parameters: dict,
    headers: dict,
    count: int = EXAMPLES,
    mode: GenerationMode = GenerationMode.POSITIVE,
) -> None:
    @examples(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode, path_parameters=path_parameters, headers=headers))
    def check(case):
        if case.headers and "Idempotency-Key" in case.headers:
            case.headers["Idempotency-Key"] = f"run-{next(KEYS)}"
        case.call_and_validate(headers=headers)

    check()


def _operations(schema, prefix: str):
    operations = [result.ok() for result in schema.get_all_operations()]
    return [op for op in operations if op.path.startswith(prefix)]


def _fixed(operation, world) -> dict:
    """The seeded event, talk and speaker for the operation's path parameters."""
    return {name: value for name, value in world["path"].items() if "{" + name + "}" in operation.path}


def test_api_conforms_to_its_schema_anonymously(world, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=CONFIG)

    operations = _operations(schema, "/api/v1/")
    for operation in operations:
        _run(operation, path_parameters=_fixed(operation, world), headers={})

    assert len(operations) >= 20


def test_organiser_api_conforms_to_its_schema_with_a_token(world, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=CONFIG)
    headers = {"Authorization": f"Bearer {world['secret']}"}

    operations = _operations(schema, "/api/v1/orga/")
    for operation in operations:
        _run(operation, path_parameters=_fixed(operation, world), headers=headers)

    assert len(operations) >= 9


def test_api_conforms_to_its_schema_for_unknown_path_parameters(world, wsgi_app):
    """Generated slugs and codes (no seeded ones): clear 404s and 422s, never a server error."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=CONFIG)
    headers = {"Authorization": f"Bearer {world['secret']}"}

    for operation in _operations(schema, "/api/v1/"):
        _run(operation, path_parameters={}, headers=headers, count=5)


def test_api_rejects_schema_invalid_requests_clearly(world, wsgi_app):
    """Generated requests that break the schema: a 4xx with a JSON message, never a server error."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=CONFIG)
    headers = {"Authorization": f"Bearer {world['secret']}"}

    for operation in _operations(schema, "/api/v1/"):
        _run(
            operation,
            path_parameters={},
            headers=headers,
            count=10,
            mode=GenerationMode.NEGATIVE,
        )
