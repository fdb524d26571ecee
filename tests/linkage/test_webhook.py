"""Webhook push to external systems: signed, scoped, ordered, retried, suspended, audited.

A real HTTP server on the loopback interface receives the pushes; nothing is mocked.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from kyodo.linkage.external import external_register
from kyodo.linkage.models import ExternalSystem
from kyodo.linkage.webhook import MAX_ATTEMPTS, SIGNATURE_HEADER, push_once, sign, verify
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.tenkyo_setai import tenkyo
from tests.juki.helpers import day, member, move_in

WATER = {"juki.moved_within": ["atena_no", "town", "banchi", "katagaki", "postal_code"]}


class Receiver:
    """A webhook receiver: records each request; answers with ``status`` (settable)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        self.redirect_to: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers.items()), body))
                self.send_response(receiver.status)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/kyodo"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def batches(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def _register(code: str, url: str, name: str = "水道料金システム") -> str:
    with tenant_scope(code):
        return external_register(name=name, grants=WATER, webhook_url=url).webhook_secret


def _tenkyo(code: str, given: str = "太郎", town: str = "新町") -> None:
    """A 転入 (not granted) then a 転居 (granted) of the same household."""
    with tenant_scope(code):
        head = move_in([member(given=given)]).records[0]
        tenkyo(
            household_no=head.household_no,
            moved_on=day(10),
            notified_on=day(10),
            address=Address(town=town, banchi="9-1", katagaki="コーポ101"),
        )


def _system(code: str) -> ExternalSystem:
    with tenant_scope(code):
        return ExternalSystem.objects.get()


def _audits(code: str) -> list[AuditRecord]:
    with tenant_scope(code):
        return list(AuditRecord.objects.filter(object_type="linkage.webhook").order_by("id"))


def test_a_push_is_signed_and_carries_only_granted_items(
    tenant: Tenant, receiver: Receiver
) -> None:
    secret = _register(tenant.code, receiver.url)
    assert secret
    _tenkyo(tenant.code)
    result = push_once()
    assert (result.batches, result.events, result.failed) == (1, 1, 0)
    [(headers, body)] = receiver.requests
    assert verify(secret, headers[SIGNATURE_HEADER], body)
    assert not verify("another secret", headers[SIGNATURE_HEADER], body)
    batch = json.loads(body)
    [event] = batch["events"]  # the 転入 is not granted
    assert event["name"] == "juki.moved_within"
    assert set(event["payload"]) <= set(WATER["juki.moved_within"])
    assert event["payload"]["town"] == "新町"
    assert "family_name" not in event["payload"] and "birth_date" not in event["payload"]
    assert batch["next_cursor"] == event["id"]
    assert _system(tenant.code).webhook_cursor == event["id"]
    [audit] = _audits(tenant.code)
    assert audit.action == "export" and audit.actor == "external:水道料金システム"
    assert audit.detail == {"system": "水道料金システム", "events": [event["id"]], "outcome": "ok"}
    # Caught up: nothing more is pushed.
    assert push_once().batches == 0 and len(receiver.requests) == 1


def test_events_before_registration_are_not_pushed(tenant: Tenant, receiver: Receiver) -> None:
    _tenkyo(tenant.code, given="先")
    _register(tenant.code, receiver.url)
    _tenkyo(tenant.code, given="後", town="後町")
    push_once()
    [batch] = receiver.batches()
    assert [e["payload"]["town"] for e in batch["events"]] == ["後町"]


def test_a_failed_push_is_retried_after_backoff_and_nothing_is_skipped(
    tenant: Tenant, receiver: Receiver
) -> None:
    _register(tenant.code, receiver.url)
    registered_at = _system(tenant.code).webhook_cursor
    _tenkyo(tenant.code)
    receiver.status = 500
    first = push_once()
    assert (first.batches, first.failed) == (0, 1)
    system = _system(tenant.code)
    assert system.webhook_cursor == registered_at < _last_event(tenant.code)
    assert system.webhook_attempts == 1 and system.webhook_error == "HTTP 500"
    assert system.webhook_next_at is not None
    # Before the backoff has passed, nothing is tried again.
    assert push_once().failed == 0 and len(receiver.requests) == 1
    _tenkyo(tenant.code, given="次郎", town="後町")
    receiver.status = 204
    later = push_once(now=timezone.now() + dt.timedelta(minutes=5))
    assert later.batches == 1 and later.events == 2
    # The failed batch is sent again (at least once), in event order, with the newer event.
    assert [e["payload"]["town"] for e in receiver.batches()[-1]["events"]] == ["新町", "後町"]
    assert receiver.batches()[0]["events"][0]["id"] == receiver.batches()[-1]["events"][0]["id"]
    assert [a.detail["outcome"] for a in _audits(tenant.code)] == ["HTTP 500", "ok"]
    assert _system(tenant.code).webhook_attempts == 0


def _last_event(code: str) -> int:
    from kyodo.linkage.models import OutboxEvent

    with tenant_scope(code):
        return OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_push_that_keeps_failing_is_suspended_until_resumed(
    tenant: Tenant, receiver: Receiver
) -> None:
    _register(tenant.code, receiver.url)
    _tenkyo(tenant.code)
    receiver.status = 503
    now = timezone.now()
    for attempt in range(MAX_ATTEMPTS):
        push_once(now=now + dt.timedelta(hours=attempt))
    system = _system(tenant.code)
    assert system.webhook_suspended and system.webhook_error == "HTTP 503"
    assert len(receiver.requests) == MAX_ATTEMPTS
    push_once(now=now + dt.timedelta(days=1))
    assert len(receiver.requests) == MAX_ATTEMPTS  # suspended: no more attempts
    out = io.StringIO()
    call_command("linkage", "external", "list", "--tenant", tenant.code, stdout=out)
    [listed] = json.loads(out.getvalue())
    assert listed["webhook_suspended"] and listed["webhook_error"] == "HTTP 503"
    receiver.status = 200
    call_command(
        "linkage", "external", "resume", "--tenant", tenant.code, "--name", system.name,
        stdout=io.StringIO(),
    )  # fmt: skip
    assert push_once().events == 1
    assert not _system(tenant.code).webhook_suspended


def test_a_redirect_is_a_failure_not_followed(tenant: Tenant, receiver: Receiver) -> None:
    _register(tenant.code, receiver.url)
    _tenkyo(tenant.code)
    receiver.status = 302
    receiver.redirect_to = receiver.url + "/elsewhere"
    assert push_once().failed == 1
    assert len(receiver.requests) == 1  # the Location was not followed
    assert _system(tenant.code).webhook_error == "HTTP 302"


def test_an_unreachable_receiver_is_recorded(tenant: Tenant, receiver: Receiver) -> None:
    url = receiver.url
    receiver.server.shutdown()
    receiver.server.server_close()
    _register(tenant.code, url)
    _tenkyo(tenant.code)
    assert push_once().failed == 1
    assert "Connection refused" in _system(tenant.code).webhook_error
    assert _audits(tenant.code)[0].detail["outcome"].startswith("URLError")


def test_each_municipality_pushes_only_its_own_events(
    make_tenant: Callable[..., Tenant], receiver: Receiver, db: None
) -> None:
    a, b = make_tenant(name="甲市"), make_tenant(name="乙市")
    _register(a.code, receiver.url)
    _tenkyo(b.code, town="乙町")
    assert push_once().batches == 0 and receiver.requests == []
    _tenkyo(a.code, town="甲町")
    push_once()
    assert [e["payload"]["town"] for b_ in receiver.batches() for e in b_["events"]] == ["甲町"]


def test_a_deactivated_system_gets_no_push(tenant: Tenant, receiver: Receiver) -> None:
    _register(tenant.code, receiver.url)
    call_command(
        "linkage", "external", "deactivate", "--tenant", tenant.code,
        "--name", "水道料金システム", stdout=io.StringIO(),
    )  # fmt: skip
    _tenkyo(tenant.code)
    assert push_once().batches == 0 and receiver.requests == []


def test_webhook_urls_must_be_https_outside_this_machine(tenant: Tenant) -> None:
    with tenant_scope(tenant.code):
        for url, reason in [
            ("http://water.example.jp/hook", "https"),
            ("ftp://127.0.0.1/x", "URL"),
            ("https:///nohost", "URL"),
        ]:
            with pytest.raises(ValidationFailed, match=reason) as caught:
                external_register(name="x", grants=WATER, webhook_url=url)
            assert caught.value.field == "webhook_url"
        assert not ExternalSystem.objects.exists()
        ok = external_register(name="x", grants=WATER, webhook_url="https://water.example.jp/h")
        assert ok.system.webhook_url == "https://water.example.jp/h"
        assert ok.webhook_secret not in ok.system.webhook_secret  # stored encrypted


def test_verify_rejects_tampering_and_stale_signatures() -> None:
    body = b'{"events": []}'
    now = int(time.time())
    header = sign("s3cret", body, timestamp=now)
    assert verify("s3cret", header, body)
    assert not verify("s3cret", header, body + b" ")
    assert not verify("s3cret", header.replace("v1=", "v1=0"), body)
    assert not verify("s3cret", sign("s3cret", body, timestamp=now - 3600), body)
    assert not verify("s3cret", "garbage", body)


def test_the_cli_registers_a_system_and_shows_the_token_once(
    tenant: Tenant, receiver: Receiver, tmp_path
) -> None:
    grants = tmp_path / "grants.json"
    grants.write_text(json.dumps(WATER), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "linkage", "external", "register", "--tenant", tenant.code, "--name", "水道",
        "--grants", f"@{grants}", "--webhook", receiver.url, stdout=out,
    )  # fmt: skip
    shown = json.loads(out.getvalue())
    assert shown["token"].startswith(tenant.code + ".") and shown["webhook_secret"]
    assert shown["grants"] == {k: sorted(v) for k, v in WATER.items()}
    listed = io.StringIO()
    call_command("linkage", "external", "list", "--tenant", tenant.code, stdout=listed)
    assert shown["token"] not in listed.getvalue()
    assert shown["webhook_secret"] not in listed.getvalue()
    _tenkyo(tenant.code)
    push_once()
    [(headers, body)] = receiver.requests
    assert verify(shown["webhook_secret"], headers[SIGNATURE_HEADER], body)


def test_the_cli_reports_bad_grants_with_file_and_line(tenant: Tenant, tmp_path) -> None:
    from django.core.management import CommandError

    bad = tmp_path / "grants.json"
    bad.write_text('{\n  "juki.moved_within": ["town",]\n}', encoding="utf-8")
    with pytest.raises((CommandError, SystemExit, ValidationFailed)) as caught:
        call_command(
            "linkage", "external", "register", "--tenant", tenant.code, "--name", "水道",
            "--grants", f"@{bad}", stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert str(bad) in str(caught.value) and "line 2" in str(caught.value)
