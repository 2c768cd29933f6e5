"""Schemathesis hooks of the battery (loaded through SCHEMATHESIS_HOOKS by benchmarks/battery.py).

A schema-valid Idempotency-Key gets a fresh value per generated request: reusing one key for another
body is refused with 422 on purpose (docs/api.md), which is not what the schema run is about. Keys
that break the schema (negative mode) are sent as generated.
"""

import itertools
import os
import re

import schemathesis

VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
KEYS = itertools.count(1)
PREFIX = f"battery-{os.getpid()}"


@schemathesis.hook
def before_call(context, case, **kwargs):
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.match(key):
        headers["Idempotency-Key"] = f"{PREFIX}-{next(KEYS)}"
