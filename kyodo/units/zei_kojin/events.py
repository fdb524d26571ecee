"""The events 個人住民税 publishes on the hub: an assessment, for collection (収納) to set up
its 調定 per installment, and for anyone else the catalogue lets subscribe."""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import JSONObject

from kyodo.linkage.catalogue import declare
from kyodo.linkage.outbox import publish
from kyodo.platform.sqljson import Document
from kyodo.units.zei_kojin.models import Kazei

PUBLISHER = "zei_kojin"
ASSESSED = "zei_kojin.assessed"
ITEMS = {
    "atena_no": "宛名番号（納税義務者）",
    "fiscal_year": "年度",
    "notice_no": "通知書番号（個人住民税では宛名番号：一人一通）",
    "revision": "課税の履歴番号（当初課税は1）",
    "total": "年税額",
    "choshu": "徴収方法別の税額",
    "tokucho_payer_no": "特別徴収義務者番号",
    "installments": "期別（期、納期限、金額、徴収方法）",
    "so_shotoku": "総所得金額等（国保税の所得割・軽減判定に使う）",
    "salary_income": "給与収入",
    "pension_income": "公的年金等の収入",
}


def declare_events() -> None:
    declare(
        ASSESSED,
        publisher=PUBLISHER,
        items=ITEMS,
        description="個人住民税の課税（当初課税・更正）：調定の元になる期別の税額",
    )


def publish_assessed(row: Kazei) -> None:
    """In the transaction that stored ``row``."""
    publish(
        ASSESSED,
        atena_no=row.atena_no,
        payload={
            "atena_no": row.atena_no,
            "fiscal_year": row.fiscal_year,
            "notice_no": row.atena_no,
            "revision": row.revision,
            "total": row.total,
            "choshu": row.choshu,
            "tokucho_payer_no": row.tokucho_payer_no,
            "installments": row.installments,
            "so_shotoku": next(
                (s["value"] for s in row.result.get("steps", []) if s["id"] == "so_shotoku"), 0
            ),
            "salary_income": row.calc_input["taxpayer"]["salary_income"],
            "pension_income": row.calc_input["taxpayer"]["pension_income"],
        },
    )


def assessed_payload() -> JSONObject:
    """The same payload as :func:`publish_assessed`, as SQL over stored assessments (the
    vectorised batch publishes with it; its rows keep 総所得金額等 in ``result.figures``)."""
    return JSONObject(
        atena_no=F("atena_no"),
        fiscal_year=F("fiscal_year"),
        notice_no=F("atena_no"),
        revision=F("revision"),
        total=F("total"),
        choshu=Document("choshu"),
        tokucho_payer_no=F("tokucho_payer_no"),
        installments=Document("installments"),
        so_shotoku=F("result__figures__so_shotoku"),
        salary_income=F("calc_input__taxpayer__salary_income"),
        pension_income=F("calc_input__taxpayer__pension_income"),
    )
