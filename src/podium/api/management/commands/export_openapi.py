"""`podium export_openapi > docs/openapi.json`: the API's OpenAPI schema, as committed in docs/."""

import json

from django.core.management.base import BaseCommand

from podium.api.main import api


def openapi_text() -> str:
    """The schema as docs/openapi.json holds it (stable key order, two-space indent, final newline)."""
    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the REST API's OpenAPI schema (commit it as docs/openapi.json)."

    def handle(self, *args, **options):
        self.stdout.write(openapi_text(), ending="")
