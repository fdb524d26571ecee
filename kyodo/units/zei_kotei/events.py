"""The event 固定資産税 publishes on the hub: an assessment, for collection (収納) to set up its
調定 per installment, and for anyone else the catalogue lets subscribe."""

from __future__ import annotations

from typing import Any

from kyodo.linkage.catalogue import declare
from kyodo.linkage.outbox import publish_many
from kyodo.units.zei_kotei.models import Kazei

PUBLISHER = "zei_kotei"
ASSESSED = "zei_kotei.assessed"
ITEMS = {
    "atena_no": "宛名番号（納税義務者、共有のときは代表者）",
    "owners": "納税義務者（共有者全員の宛名番号、連帯納税義務）",
    "fiscal_year": "年度",
    "notice_no": "通知書番号",
    "revision": "課税の履歴番号（当初課税は1）",
    "tax": "固定資産税額",
    "city_planning_tax": "都市計画税額",
    "total": "年税額（固定資産税と都市計画税の合計）",
    "installments": "期別（期、納期限、金額）",
}


def declare_events() -> None:
    declare(
        ASSESSED,
        publisher=PUBLISHER,
        items=ITEMS,
        description="固定資産税・都市計画税の課税（当初課税・更正）：調定の元になる期別の税額",
    )


def payload(row: Kazei) -> dict[str, Any]:
    return {
        "atena_no": row.atena_no,
        "owners": [o["atena_no"] for o in row.owners],
        "fiscal_year": row.fiscal_year,
        "notice_no": row.notice_no,
        "revision": row.revision,
        "tax": row.tax,
        "city_planning_tax": row.city_planning_tax,
        "total": row.total,
        "installments": row.installments,
    }


def publish_assessed(rows: list[Kazei]) -> None:
    """In the transaction that stored ``rows``."""
    publish_many(ASSESSED, [(row.atena_no, payload(row)) for row in rows])
