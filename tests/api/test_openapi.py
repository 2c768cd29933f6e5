import json
from pathlib import Path

import pytest
from ninja.constants import NOT_SET

from podium.api.auth import PUBLIC, TOKEN
from podium.api.main import api
from podium.api.management.commands.export_openapi import openapi_text

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def _operations():
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


def test_committed_schema_equals_the_generated_one():
    assert COMMITTED.read_text() == openapi_text(), (
        "docs/openapi.json is out of date: run `.venv/bin/podium export_openapi > docs/openapi.json`"
    )


def test_every_operation_declares_its_auth():
    """The meta-test of tests/test_meta.py leaves /api/v1/ to this one: PUBLIC or TOKEN, never unsaid."""
    operations = list(_operations())
    undeclared = [
        (path, operation.methods) for path, operation in operations if operation.auth_param is NOT_SET
    ]
    unknown = [
        (path, operation.methods)
        for path, operation in operations
        if operation.auth_param is not NOT_SET and operation.auth_param not in (PUBLIC, TOKEN)
    ]

    assert len(operations) >= 20
    assert undeclared == []
    assert unknown == []


def test_only_organiser_operations_need_a_token():
    by_path = {path: operation.auth_param for path, operation in _operations()}

    assert {path for path, auth in by_path.items() if auth is TOKEN} == {
        path for path in by_path if path.startswith("/orga/")
    }


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert docs.status_code == 200
    assert json.loads(COMMITTED.read_text())["paths"] == schema.json()["paths"]
