"""/metrics for Prometheus: from the allowed addresses (the monitoring host) or with the
bearer token — the figures name municipalities and are nobody else's business."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView

from kyodo.platform.accounts.access import public


@public
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.KYODO_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    allowed = request.META.get("REMOTE_ADDR") in settings.KYODO_METRICS_ALLOWED
    if not allowed and not (token and hmac.compare_digest(given, token)):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    return ExportToDjangoView(request)
