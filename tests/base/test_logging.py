"""Request ids on every log line and in the response; one JSON object per log line."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from podium.base.logging import JsonFormatter, request_id_from
from podium.base.permissions import public

view_log = logging.getLogger("podium.tests.view")


@public
def logging_view(request):
    view_log.warning("inside the view")
    return HttpResponse("ok")


@public
def failing_view(request):
    raise RuntimeError("boom\nsecond line")


urlpatterns = [path("logs/", logging_view, name="logs"), path("fails/", failing_view, name="fails")]


@pytest.fixture
def json_lines(settings):
    """Every log line of podium.tests.view, podium.request and django.request, as parsed JSON objects."""
    settings.ROOT_URLCONF = __name__
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("podium.tests.view", "podium.request", "django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.parametrize("given", ["abc-123", "f" * 64, "req.1:2_3"])
def test_a_short_safe_incoming_id_is_kept(given):
    assert request_id_from(given) == given


@pytest.mark.parametrize("given", [None, "", "a" * 65, "two words", "x\nforged: line", 'quote"', "é"])
def test_a_missing_long_or_unsafe_id_is_replaced(given):
    made = request_id_from(given)

    assert made != given
    assert len(made) == 32
    assert made.isalnum()


@pytest.mark.django_db
def test_the_request_id_is_returned_and_on_every_log_line_of_the_request(client, json_lines):
    response = client.get("/logs/", HTTP_X_REQUEST_ID="edge-42")
    lines = json_lines()

    assert response["X-Request-ID"] == "edge-42"
    inside, access = lines
    assert inside == {
        "time": inside["time"],
        "level": "WARNING",
        "logger": "podium.tests.view",
        "message": "inside the view",
        "request_id": "edge-42",
        "method": "GET",
        "path": "/logs/",
    }
    assert inside["time"].endswith("+00:00")
    assert access["logger"] == "podium.request"
    assert (access["request_id"], access["status"], access["route"]) == ("edge-42", 200, "logs")
    assert access["message"] == "GET /logs/ 200"
    assert isinstance(access["duration_ms"], float)


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client, json_lines):
    first = client.get("/logs/", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    second = client.get("/logs/")["X-Request-ID"]

    assert first != second
    assert "bad id" not in first
    ids = [line["request_id"] for line in json_lines()]
    assert ids == [first, first, second, second]


@pytest.mark.django_db
def test_an_error_is_one_line_with_its_traceback(json_lines):
    response = Client(raise_request_exception=False).get("/fails/", HTTP_X_REQUEST_ID="err-1")
    error = next(line for line in json_lines() if line["logger"] == "django.request")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "err-1"
    assert error["level"] == "ERROR"
    assert error["status"] == 500
    assert error["request_id"] == "err-1"
    assert "RuntimeError: boom\nsecond line" in error["exc"]


def test_outside_a_request_a_line_has_no_request_fields():
    record = logging.LogRecord("podium.x", logging.INFO, __file__, 1, "plain %s", ("text",), None)

    line = json.loads(JsonFormatter().format(record))

    assert line == {"time": line["time"], "level": "INFO", "logger": "podium.x", "message": "plain text"}
