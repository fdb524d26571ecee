"""``kyodo doctor``: does the system *work* — not just answer? Each check says, in plain
words, what it found and what to do (issue 7 §4). Levels: 正常, 注意 (look at it today),
異常 (something is broken now; the command exits 1)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OK, WARN, FAIL = "正常", "注意", "異常"
BACKUP_MAX_AGE = dt.timedelta(hours=26)  # daily, with slack
OUTBOX_MAX_AGE = dt.timedelta(minutes=15)
DISK_MIN_FREE = 0.10


@dataclass(frozen=True)
class Finding:
    level: str
    check: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"level": self.level, "check": self.check, "message": self.message}


def examine() -> list[Finding]:
    database = list(_database())
    if any(f.level == FAIL for f in database):
        return database  # nothing else can be checked without the database
    return [*database, *_municipalities(), *_backups(), *_disks(), *_fonts()]


def _database() -> Iterator[Finding]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        yield Finding(FAIL, "database", f"データベースに接続できません（{str(exc).strip()[:200]}）")
        return
    yield Finding(OK, "database", f"データベースに接続できます（{connection.vendor}）")
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in unapplied[:3])
        yield Finding(
            FAIL, "migrations", f"未適用のマイグレーションがあります: {names}（kyodo migrate）"
        )
    else:
        yield Finding(OK, "migrations", "スキーマは最新です")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user"
            )
            if cursor.fetchone()[0]:
                yield Finding(
                    FAIL,
                    "isolation",
                    "アプリのロールが行レベルセキュリティを迂回できます（団体間の分離が効きません）",
                )


def _municipalities() -> Iterator[Finding]:
    """A real read path per municipality: the 宛名 search index and the latest 住民票, then
    the hub's backlog. Counts only — no personal data is read, so nothing to audit."""
    from kyodo.atena.models import Person
    from kyodo.linkage.models import Delivery, Status
    from kyodo.platform.models import Tenant
    from kyodo.platform.tenancy.context import tenant_scope
    from kyodo.units.juki.models import JuminRecord

    now = timezone.now()
    for tenant in Tenant.objects.order_by("code"):
        label = f"{tenant.name}（{tenant.code}）"
        try:
            with tenant_scope(tenant.code, purpose="自己診断"):
                persons = Person.objects.count()
                searchable = Person.objects.exclude(search_kana="").count()
                records = JuminRecord.objects.values("atena_no").distinct().count()
                dead = Delivery.objects.filter(status=Status.DEAD).count()
                oldest = (
                    Delivery.objects.filter(status=Status.PENDING)
                    .order_by("id")
                    .values_list("next_attempt_at", flat=True)
                    .first()
                )
        except Exception as exc:
            yield Finding(
                FAIL, f"tenant:{tenant.code}", f"{label}: 読み出しに失敗しました（{exc}）"
            )
            continue
        if persons and searchable < persons:
            yield Finding(
                WARN, f"tenant:{tenant.code}",
                f"{label}: {persons - searchable:,} 人が検索できません（検索キーがありません）",
            )  # fmt: skip
        else:
            yield Finding(
                OK, f"tenant:{tenant.code}",
                f"{label}: 宛名 {persons:,} 人、住民票 {records:,} 人分を読み出せます",
            )  # fmt: skip
        if dead:
            yield Finding(
                WARN, f"outbox:{tenant.code}",
                f"{label}: 配信不能の連携が {dead:,} 件あります（kyodo linkage dead で確認）",
            )  # fmt: skip
        if oldest is not None and now - oldest > OUTBOX_MAX_AGE:
            minutes = int((now - oldest).total_seconds() // 60)
            yield Finding(
                WARN, f"outbox:{tenant.code}",
                f"{label}: 連携が {minutes} 分遅れています（配信プロセスは動いていますか）",
            )  # fmt: skip


def _backups() -> Iterator[Finding]:
    from kyodo.ops.backup.catalogue import generations

    try:
        found = generations()
    except Exception as exc:
        yield Finding(WARN, "backup", f"バックアップの場所を読めません（{exc}）")
        return
    if not found:
        yield Finding(
            WARN, "backup", f"全体のバックアップがまだありません（{settings.KYODO_BACKUP_DIR}）"
        )
        return
    age = timezone.now() - found[-1].taken_at
    hours = age.total_seconds() / 3600
    level = OK if age <= BACKUP_MAX_AGE else WARN
    yield Finding(
        level, "backup", f"最新のバックアップは {hours:.1f} 時間前です（{len(found)} 世代）"
    )


def _disks() -> Iterator[Finding]:
    places = {"データ": Path(settings.VAR_DIR), "バックアップ": Path(settings.KYODO_BACKUP_DIR)}
    for name, path in places.items():
        probe = path if path.exists() else path.parent
        if not probe.exists():
            continue
        usage = shutil.disk_usage(probe)
        free = usage.free / usage.total
        level = OK if free >= DISK_MIN_FREE else WARN
        yield Finding(level, f"disk:{name}", f"{name}の置き場所の空きは {free:.0%} です（{probe}）")


def _fonts() -> Iterator[Finding]:
    from kyodo.printing.fonts import IPAMJ_PATH

    if not IPAMJ_PATH.is_file():
        yield Finding(FAIL, "fonts", f"証明書のフォント（IPAmj明朝）がありません: {IPAMJ_PATH}")
        return
    yield Finding(OK, "fonts", "証明書のフォント（IPAmj明朝）があります")
