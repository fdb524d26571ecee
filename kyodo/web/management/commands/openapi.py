"""``kyodo openapi``: print the API's OpenAPI 3 schema (committed as docs/openapi.json)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from kyodo.web.api.v1 import api


class Command(BaseCommand):
    help = "Print the OpenAPI schema of the REST API."

    def handle(self, *args: Any, **options: Any) -> None:
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        self.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True))
