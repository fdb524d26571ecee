"""Monitoring (issue 7 §4): /metrics for Prometheus, JSON logs, and ``kyodo doctor``."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from django.utils.timezone import now

from kyodo.linkage.models import Delivery, OutboxEvent, Status
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope
from tests.juki.helpers import member, move_in

KYODO = str(Path(sys.executable).with_name("kyodo"))


def _a_backup(folder: Path) -> None:
    backup = folder / "20261207T023000Z-all"
    backup.mkdir(parents=True)
    (backup / "manifest.json").write_text(
        json.dumps({"format": "kyodo-backup/1", "kind": "full", "tenant": None,
                    "taken_at": "2026-12-07T02:30:00+00:00", "files": {}}),
        encoding="utf-8",
    )  # fmt: skip


def test_metrics_show_latency_per_view_hub_lag_and_backup_age(
    tenant: Tenant, settings, tmp_path: Path
) -> None:
    settings.KYODO_BACKUP_DIR = tmp_path
    _a_backup(tmp_path)
    with tenant_scope(tenant.code):
        event = OutboxEvent.objects.create(name="juki.corrected", atena_no=1, payload={})
        Delivery.objects.create(event=event, subscriber="kokuho", atena_no=1, next_attempt_at=now())
        Delivery.objects.create(
            event=event, subscriber="shuno", atena_no=1, status=Status.DEAD, next_attempt_at=now()
        )
    client = Client()
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert (
        'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="healthz"}'
        in body
    )
    assert f'kyodo_outbox_pending{{tenant="{tenant.code}"}} 1.0' in body
    assert f'kyodo_outbox_dead{{tenant="{tenant.code}"}} 1.0' in body
    taken = dt.datetime(2026, 12, 7, 2, 30, tzinfo=dt.UTC).timestamp()
    assert f"kyodo_backup_last_success_timestamp_seconds {taken:.8g}" in body
    assert "kyodo_backup_age_seconds" in body and "kyodo_db_connections{" in body


def test_metrics_are_only_for_the_monitoring_host_or_its_token(db: None, settings) -> None:
    settings.KYODO_METRICS_TOKEN = "s3cret-token"
    outsider = Client(REMOTE_ADDR="203.0.113.9")
    assert outsider.get("/metrics").status_code == 403
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    allowed = outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert allowed.status_code == 200 and b"kyodo_outbox_pending" in allowed.content


def test_logs_are_one_json_object_per_line() -> None:
    handler = logging.getLogger().handlers[0]
    record = logging.LogRecord(
        "kyodo.test", logging.WARNING, __file__, 1, "配信が遅れています", None, None
    )
    record.tenant = "162116"
    line = json.loads(handler.format(record))
    assert line["level"] == "WARNING" and line["logger"] == "kyodo.test"
    assert line["message"] == "配信が遅れています" and line["tenant"] == "162116" and line["time"]


def test_doctor_reads_each_municipality_and_says_what_is_wrong_in_plain_words(
    tenant: Tenant, settings, tmp_path: Path
) -> None:
    settings.KYODO_BACKUP_DIR = tmp_path / "none-yet"
    with tenant_scope(tenant.code):
        move_in([member("診断", "太郎", "シンダン", "タロウ")])
        event = OutboxEvent.objects.create(name="juki.corrected", atena_no=1, payload={})
        Delivery.objects.create(
            event=event, subscriber="shuno", atena_no=1, status=Status.DEAD, next_attempt_at=now()
        )
    out = io.StringIO()
    call_command("doctor", stdout=out)
    text = out.getvalue()
    assert f"[正常] {tenant.name}（{tenant.code}）: 宛名 1 人" in text
    assert f"[注意] {tenant.name}（{tenant.code}）: 配信不能の連携が 1 件あります" in text
    assert "[注意] 全体のバックアップがまだありません" in text
    assert "[正常] スキーマは最新です" in text


def test_doctor_with_the_database_down_exits_1_and_says_so() -> None:
    env = {**os.environ, "DATABASE_URL": "postgres://nobody:x@127.0.0.1:9/none"}
    done = subprocess.run(
        [KYODO, "doctor"], env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 1
    assert "[異常] データベースに接続できません" in done.stdout
