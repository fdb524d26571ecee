"""Benchmark: the linkage hub (issue 4).

Targets: a 異動 with three subscribers commits < 20 ms slower than with none; the dispatcher
delivers ≥ 2,000 events/s. Reported next to baselines measured in the same run: the 異動 with no
subscriber, and a bare UPDATE of the same delivery rows.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from kyodo.linkage import catalogue as hub  # noqa: E402
from kyodo.linkage.dispatch import dispatch_once  # noqa: E402
from kyodo.linkage.models import Delivery, Status  # noqa: E402
from kyodo.linkage.outbox import publish  # noqa: E402
from kyodo.platform.models import Tenant  # noqa: E402
from kyodo.platform.tenancy.codes import check_digit  # noqa: E402
from kyodo.platform.tenancy.context import tenant_scope  # noqa: E402
from kyodo.platform.tenancy.services import tenant_create  # noqa: E402
from kyodo.units.juki.services.common import Address  # noqa: E402
from kyodo.units.juki.services.inputs import MemberInput  # noqa: E402
from kyodo.units.juki.services.tenyu import TenyuRequest, tenyu  # noqa: E402

N = int(os.environ.get("KYODO_BENCH_N", "200"))
EVENTS = int(os.environ.get("KYODO_BENCH_EVENTS", "20000"))
rng = random.Random(4)


def new_tenant() -> str:
    while True:
        body = f"{rng.randrange(1, 48):02d}{rng.randrange(100, 1000):03d}"
        code = body + str(check_digit(body))
        if not Tenant.objects.filter(code=code).exists():
            tenant_create(code=code, name="連携ベンチ", population=1)
            return code


def move_in_once(code: str, i: int) -> float:
    request = TenyuRequest(
        moved_on=dt.date(2026, 4, 1),
        notified_on=dt.date(2026, 4, 1),
        address=Address(town="本町", banchi=str(i)),
        previous_address="東京都",
        members=[
            MemberInput(
                family_name="連携",
                given_name=f"太郎{i}",
                family_kana="レンケイ",
                given_kana="タロウ",
                birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=i % 15000),
                sex=1,
                relationship="世帯主",
            )
        ],
    )
    started = time.perf_counter()
    with tenant_scope(code):
        tenyu(request)
    return (time.perf_counter() - started) * 1000


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> int:
    for event_type in hub.catalogue():  # "no subscriber" means none, the units' own included
        event_type.subscribers.clear()
    code = new_tenant()
    for i in range(20):  # warm-up
        move_in_once(code, 100_000 + i)
    none, three = [], []
    names = ["bench_a", "bench_b", "bench_c"]
    for i in range(N):  # interleaved, so both see the same noise
        none.append(move_in_once(code, i * 2))
        for name in names:
            hub.subscribe("juki.moved_in", subscriber=name, handler=lambda event: None)
        three.append(move_in_once(code, i * 2 + 1))
        for name in names:
            hub.event_type("juki.moved_in").subscribers.pop(name)
    extra = statistics.median(three) - statistics.median(none)
    print(f"move-in, no subscriber: median {statistics.median(none):.1f} ms, p95 {p95(none):.1f}")
    print(f"move-in, 3 subscribers: median {statistics.median(three):.1f} ms, p95 {p95(three):.1f}")
    print(
        f"extra commit time with 3 subscribers: {extra:.2f} ms (target < 20 ms): "
        f"{'MET' if extra < 20 else 'MISSED'}"
    )
    # Dispatcher throughput: EVENTS events to one no-op subscriber.
    dispatch_once()  # deliver what the move-ins left
    # The throughput phase measures the hub with one no-op subscriber only.
    hub.subscribe("juki.moved_in", subscriber="bench_sink", handler=lambda event: None)
    with tenant_scope(code), transaction.atomic():
        for i in range(EVENTS):
            publish("juki.moved_in", atena_no=i, payload={"atena_no": i})
    started = time.perf_counter()
    result = dispatch_once(limit=EVENTS)
    seconds = time.perf_counter() - started
    rate = result.delivered / seconds
    with tenant_scope(code), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "UPDATE linkage_delivery SET status = 'pending' WHERE subscriber = %s", ["bench_sink"]
        )
        cursor.execute(
            "UPDATE linkage_delivery SET status = 'done' WHERE subscriber = %s", ["bench_sink"]
        )
        bare = (time.perf_counter() - started) / 2
        transaction.set_rollback(True)
    with tenant_scope(code):
        done = Delivery.objects.filter(subscriber="bench_sink", status=Status.DONE).count()
    print(
        f"dispatcher: {result.delivered:,} events in {seconds:.2f} s = {rate:,.0f} events/s "
        f"(bare UPDATE of the same rows {bare:.2f} s; ratio {seconds / bare:.1f}x); "
        f"{done:,} marked done"
    )
    sink_errors = [e for e in result.errors if "sink" in e]
    print(
        f"result: {result.delivered} delivered, {result.failed} failed, {result.dead} dead, "
        f"{result.waiting} waiting; sink errors: {sink_errors[:2]}"
    )
    print(f"target >= 2,000 events/s: {'MET' if rate >= 2000 else 'MISSED'}")
    return 0 if extra < 20 and rate >= 2000 and done == EVENTS else 1


if __name__ == "__main__":
    sys.exit(main())
