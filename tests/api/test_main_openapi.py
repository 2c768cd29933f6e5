import datetime as dt
import decimal
import json
import types
import typing
import uuid
from pathlib import Path

import pytest
from ninja import Schema
from ninja.constants import NOT_SET
from pydantic import AwareDatetime, BaseModel, ValidationError

from podium.api.auth import PUBLIC, TOKEN
from podium.api.main import api
from podium.api.management.commands.export_openapi import openapi_text
from podium.api.schemas import StrictInput

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def _operations():
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


# Values of another type that an input field must refuse, by where the value comes from. Bodies are
# JSON: a boolean is no number, a number no boolean or string, a fraction no integer (but 2.0 is one,
# as JSON Schema and so the schema's clients have it). Query, path and header values are always text:
# there an integer is digits only and a boolean is no "1" or "0".
RIGHT_IN_BODY = {int: [2.0]}
WRONG_IN_BODY = {
    int: [True, False, 2.5, "2"],
    bool: [1, 0, "true"],
    str: [1, 2.5, True],
    uuid.UUID: [1],
    dt.date: [20250614],
    dt.datetime: [1_780_000_000],
    AwareDatetime: [1_780_000_000],
    decimal.Decimal: [True, "2.5"],
}
WRONG_IN_TEXT = {int: ["true", "1.5"], bool: ["1", "0"]} | {kind: [] for kind in (str, uuid.UUID, dt.date)}


def _leaves(annotation, loc=()):
    """(loc, type) of every value an input annotation holds, through Optional, lists and nested schemas."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        yield from _leaves(args[0], loc)
    elif origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                yield from _leaves(arg, loc)
    elif origin is typing.Literal:
        yield loc, type(args[0])
    elif origin is list:
        yield from _leaves(args[0], (*loc, 0))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from _leaves(field.annotation, (*loc, field.alias or name))
    else:
        yield loc, annotation


def _nest(loc, value):
    for key in reversed(loc):
        value = [value] if isinstance(key, int) else {key: value}
    return value


def _lax_fields(models) -> list[str]:
    """Input fields (of ninja's parameter models) that take a value of another type without a 422,
    or that refuse a value of their own type as JSON has it."""
    lax = []
    for model in models:
        body = model.__ninja_param_source__ == "body"
        wrong_values = WRONG_IN_BODY if body else WRONG_IN_TEXT
        for loc, kind in _leaves(model):
            for value in RIGHT_IN_BODY.get(kind, []) if body else []:
                try:
                    model.model_validate(_nest(loc, value))
                except ValidationError as error:
                    if any(e["loc"] == loc for e in error.errors()):
                        lax.append(f"body {loc} refuses {value!r}, which the schema allows")
            if kind not in wrong_values:
                lax.append(
                    f"{model.__ninja_param_source__} {loc}: {kind} is unknown here; say what it refuses"
                )
            for value in wrong_values.get(kind, []):
                try:
                    model.model_validate(_nest(loc, value))
                except ValidationError as error:
                    if any(e["loc"] == loc and e["type"] != "missing" for e in error.errors()):
                        continue
                lax.append(f"{model.__ninja_param_source__} {loc} takes {value!r}")
    return lax


def test_every_input_field_refuses_a_value_of_another_type():
    """Bodies derive from schemas.StrictInput, with JsonInt for integers: a lax int, bool or str anywhere
    fails here."""
    models = [model for _path, operation in _operations() for model in operation.models]
    checked = [(model.__ninja_param_source__, loc) for model in models for loc, _kind in _leaves(model)]

    assert {"body", "query", "path", "header"} <= {source for source, _loc in checked}
    assert ("body", ("data", "score")) in checked
    assert _lax_fields(models) == []


def test_the_input_check_finds_a_lax_field():
    class LaxIn(Schema):
        score: int
        force: bool

    class TooStrictIn(StrictInput):
        version: int

    class Body(BaseModel):
        __ninja_param_source__ = "body"
        data: LaxIn
        strict: TooStrictIn

    lax = _lax_fields([Body])

    assert "body ('data', 'score') takes False" in lax
    assert "body ('data', 'force') takes 1" in lax
    assert "body ('strict', 'version') refuses 2.0, which the schema allows" in lax


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
