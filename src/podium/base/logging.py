"""Request ids and structured logs.

Every request gets an id: the incoming `X-Request-ID` when it is short and made of safe characters
(a proxy or load balancer in front may set one), else a new random one. It is sent back in the
response's `X-Request-ID` header and, while the request is answered, kept in a context variable, so
every log line written for that request carries it, whichever logger wrote it.

With `PODIUM_LOG_FORMAT=json` (settings.py) each log line is one JSON object (`JsonFormatter`): time,
level, logger, message, request_id, method, path and, on the line that ends a request (logger
"podium.request"), status, route and duration_ms; a traceback, when there is one, as "exc". The
default format stays plain text.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
request_log = logging.getLogger("podium.request")

# What every log line of the current request carries: {"request_id": …, "method": …, "path": …}.
_request: contextvars.ContextVar[dict | None] = contextvars.ContextVar("podium_request", default=None)


def request_id_from(value: str | None) -> str:
    """The request id to use: `value` (an incoming header) when it is short and safe, else a new one."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current() -> dict:
    """The current request's id, method and path ({} outside a request)."""
    return _request.get() or {}


class RequestIdMiddleware:
    """Give each request its id (in the response header and on every log line) and log its end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = _request.set({"request_id": request_id, "method": request.method, "path": request.path})
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            if request_log.isEnabledFor(logging.INFO):
                match = getattr(request, "resolver_match", None)
                request_log.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "status": response.status_code,
                        "route": match.view_name if match else "",
                        "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    },
                )
            return response
        finally:
            _request.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the current request's id, method and path when there is one."""

    EXTRA = ("status", "route", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **current(),
        }
        for key in self.EXTRA:
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if "status" not in line and isinstance(getattr(record, "status_code", None), int):
            line["status"] = record.status_code  # django.request's error lines
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["exc"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
