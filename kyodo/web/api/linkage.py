"""API v1, linkage: the pull feed of external systems (外部システム連携).

No ``from __future__ import annotations`` here: django-ninja reads the real annotations.

External systems are not staff: they authenticate with their bearer token, never with a
session, and the feed does not use the staff ``guarded`` helper.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from kyodo.linkage.external import authenticate, feed
from kyodo.platform.accounts.access import external_system
from kyodo.web.api.schemas import Error

router = Router(tags=["データ連携"])


class ExternalToken(HttpBearer):
    """``Authorization: Bearer <tenant code>.<secret>`` of a registered external system."""

    def authenticate(self, request: HttpRequest, token: str) -> tuple[str, str] | None:
        return authenticate(token)


class FeedEvent(Schema):
    id: int
    name: str
    atena_no: int | None
    payload: dict[str, Any]


class FeedOut(Schema):
    events: list[FeedEvent]
    next_cursor: int


@router.get(
    "/feed",
    auth=ExternalToken(),
    response={200: FeedOut, 401: Error, 422: Error},
)
def linkage_feed(request: HttpRequest, cursor: int = 0, limit: int = 100) -> dict[str, Any]:
    """The events granted to the calling system after ``cursor`` (id order, at most
    ``limit`` ≤ 1000), each payload cut down to its granted items. Continue with
    ``next_cursor``. Every batch is audit-logged."""
    tenant_code, name = request.auth  # type: ignore[attr-defined]  # set by ExternalToken
    return feed(tenant_code=tenant_code, name=name, cursor=cursor, limit=limit)


# The authorization-matrix declaration: no staff session opens this operation, only an
# external system's bearer token does.
external_system(linkage_feed)
