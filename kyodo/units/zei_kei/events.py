"""The event 軽自動車税 publishes on the hub: a vehicle's assessment, for collection (収納) to
set up its 調定, and for anyone else the catalogue lets subscribe."""

from __future__ import annotations

from typing import Any

from kyodo.linkage.catalogue import declare
from kyodo.linkage.outbox import publish_many
from kyodo.units.zei_kei.models import Kazei

PUBLISHER = "zei_kei"
ASSESSED = "zei_kei.assessed"
ITEMS = {
    "atena_no": "宛名番号（納税義務者: 4月1日の所有者）",
    "fiscal_year": "年度",
    "notice_no": "通知書番号",
    "hyoshiki_no": "標識番号",
    "revision": "課税の履歴番号（当初課税は1）",
    "rate_kind": "税率の区分（new 新税率・old 旧税率・heavy 重課）",
    "total": "年税額",
    "installments": "期別（期、納期限、金額）",
}


def declare_events() -> None:
    declare(
        ASSESSED,
        publisher=PUBLISHER,
        items=ITEMS,
        description="軽自動車税（種別割）の課税（当初課税・更正）：車両ごとの調定の元になる税額",
    )


def payload(row: Kazei) -> dict[str, Any]:
    return {
        "atena_no": row.atena_no,
        "fiscal_year": row.fiscal_year,
        "notice_no": row.notice_no,
        "hyoshiki_no": row.hyoshiki_no,
        "revision": row.revision,
        "rate_kind": row.rate_kind,
        "total": row.total,
        "installments": row.installments,
    }


def publish_assessed(rows: list[Kazei]) -> None:
    """In the transaction that stored ``rows``."""
    publish_many(ASSESSED, [(row.atena_no, payload(row)) for row in rows])
