"""The events the 国保 unit publishes on the linkage hub (データ連携基盤).

Declared here from KokuhoConfig.ready(), collected by the hub's catalogue; other units
subscribe to them by name, never import this unit.

- kokuho.enrolled: a 資格 became active (the clerk confirmed a pending 取得, or entered one).
- kokuho.withdrawn: an active 資格 ended (転出・死亡, a 喪失 the clerk entered, 75歳到達).
- kokuho.assessed: a 世帯's 国保税 for a 年度 (当初賦課, or 月割 after a 資格 change).
  A pending 取得 that is cancelled was never enrolled, so it is not withdrawn either.
"""

from __future__ import annotations

from kyodo.linkage.catalogue import declare
from kyodo.linkage.outbox import publish
from kyodo.units.kokuho.models import Shikaku

PUBLISHER = "kokuho"
ENROLLED = "kokuho.enrolled"
WITHDRAWN = "kokuho.withdrawn"
ASSESSED = "kokuho.assessed"

EVENTS = {
    ENROLLED: (
        "国保資格の取得（資格あり）: a 資格 became active",
        {
            "atena_no": "宛名番号",
            "household_no": "世帯番号",
            "acquired_on": "資格取得日",
            "acquire_reason": "取得事由",
        },
    ),
    WITHDRAWN: (
        "国保資格の喪失: an active 資格 ended",
        {
            "atena_no": "宛名番号",
            "household_no": "世帯番号",
            "lost_on": "資格喪失日",
            "lose_reason": "喪失事由",
        },
    ),
    ASSESSED: (
        "国保税の賦課（当初賦課・月割の更正）: the 調定 of each 期",
        {
            "atena_no": "宛名番号（納税義務者＝世帯主）",
            "household_no": "世帯番号",
            "fiscal_year": "年度",
            "notice_no": "通知書番号（国保税では世帯番号：一世帯一通）",
            "revision": "賦課の履歴番号",
            "total": "年税額",
            "installments": "期別（期、納期限、金額）",
        },
    ),
}


def declare_events() -> None:
    for name, (description, items) in EVENTS.items():
        declare(name, publisher=PUBLISHER, items=items, description=description)


def publish_enrolled(row: Shikaku) -> None:
    """In the transaction that made ``row`` active."""
    publish(
        ENROLLED,
        atena_no=row.atena_no,
        payload={
            "atena_no": row.atena_no,
            "household_no": row.household_no,
            "acquired_on": row.acquired_on.isoformat(),
            "acquire_reason": str(row.acquire_reason),
        },
    )


def publish_withdrawn(row: Shikaku) -> None:
    """In the transaction that ended ``row`` (it was active)."""
    assert row.lost_on is not None  # an ended row has its 資格喪失日
    publish(
        WITHDRAWN,
        atena_no=row.atena_no,
        payload={
            "atena_no": row.atena_no,
            "household_no": row.household_no,
            "lost_on": row.lost_on.isoformat(),
            "lose_reason": str(row.lose_reason),
        },
    )
