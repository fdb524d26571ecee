"""Kyodo's own figures for Prometheus, read when /metrics is scraped (issue 7 §4):

- ``kyodo_outbox_pending`` and ``kyodo_outbox_oldest_pending_seconds`` per municipality (hub
  lag), ``kyodo_outbox_dead`` (dead letters);
- ``kyodo_batch_done`` / ``kyodo_batch_total`` of unfinished 当初課税 runs;
- ``kyodo_backup_last_success_timestamp_seconds`` and ``kyodo_backup_age_seconds``;
- ``kyodo_db_connections`` by state (what this deployment holds of PostgreSQL's connections).

Request latency per view and errors come from django-prometheus' middleware.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope


class KyodoCollector(Collector):
    def describe(self) -> list[GaugeMetricFamily]:
        # Without it, registering would call collect() — querying the database at start-up.
        return []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from _outbox_and_batches()
        yield from _backups()
        yield from _connections()


def _outbox_and_batches() -> Iterator[GaugeMetricFamily]:
    from kyodo.linkage.models import Delivery, Status
    from kyodo.units.zei_kojin.models import KazeiRun

    pending = GaugeMetricFamily("kyodo_outbox_pending", "Hub deliveries waiting", labels=["tenant"])
    oldest = GaugeMetricFamily(
        "kyodo_outbox_oldest_pending_seconds",
        "Age of the oldest waiting delivery",
        labels=["tenant"],
    )
    dead = GaugeMetricFamily("kyodo_outbox_dead", "Dead-letter deliveries", labels=["tenant"])
    done = GaugeMetricFamily(
        "kyodo_batch_done", "Taxpayers assessed by an unfinished batch", labels=["tenant", "batch"]
    )
    total = GaugeMetricFamily(
        "kyodo_batch_total", "Taxpayers an unfinished batch will assess", labels=["tenant", "batch"]
    )
    now = timezone.now()
    for code in Tenant.objects.values_list("code", flat=True).order_by("code"):
        with tenant_scope(code, purpose="監視（/metrics）"):
            figures = Delivery.objects.aggregate(
                pending=Count("id", filter=Q(status=Status.PENDING)),
                dead=Count("id", filter=Q(status=Status.DEAD)),
                since=Min("event__created_at", filter=Q(status=Status.PENDING)),
            )
            runs = list(
                KazeiRun.objects.filter(finished_at__isnull=True).values_list(
                    "fiscal_year", "done", "total"
                )
            )
        pending.add_metric([code], figures["pending"])
        dead.add_metric([code], figures["dead"])
        age = (now - figures["since"]).total_seconds() if figures["since"] else 0.0
        oldest.add_metric([code], age)
        for year, d, t in runs:
            done.add_metric([code, f"zei_kojin.toshokazei.{year}"], d)
            total.add_metric([code, f"zei_kojin.toshokazei.{year}"], t)
    yield from (pending, oldest, dead, done, total)


def _backups() -> Iterator[GaugeMetricFamily]:
    from kyodo.ops.backup.catalogue import generations

    last = GaugeMetricFamily(
        "kyodo_backup_last_success_timestamp_seconds", "When the newest whole backup was taken"
    )
    age = GaugeMetricFamily("kyodo_backup_age_seconds", "Age of the newest whole backup")
    try:
        found = generations()
    except Exception:  # an unreadable backup folder is itself what the alert is for
        found = []
    if found:
        taken = found[-1].taken_at
        last.add_metric([], taken.timestamp())
        age.add_metric([], (timezone.now() - taken).total_seconds())
    yield from (last, age)


def _connections() -> Iterator[GaugeMetricFamily]:
    gauge = GaugeMetricFamily(
        "kyodo_db_connections", "PostgreSQL connections to this database", labels=["state"]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() GROUP BY 1"
            )
            for state, count in cursor.fetchall():
                gauge.add_metric([state], count)
    yield gauge
