"""Error pages in the user's language, as JSON for the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext


def _respond(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message}, status=status)
    return render(
        request, "kyodo/error.html", {"status": status, "message": message}, status=status
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 403, gettext("この操作を行う権限がありません。"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 404, gettext("ページまたはデータが見つかりません。"))
