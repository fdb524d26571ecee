"""調定 from the hub: the tax units' batches announce assessments, the dispatcher delivers them,
and collection records one 調定 per 期別 — a later revision as a 更正, a redelivery as nothing.

End to end: each tax unit's own batch runs (as in its tests), ``dispatch_once`` delivers, and
the person's balance (名寄せ) shows what the notice says they owe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from kyodo.linkage.catalogue import Event
from kyodo.linkage.dispatch import dispatch_once
from kyodo.linkage.models import OutboxEvent
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.shuno.handlers import on_assessed
from kyodo.units.shuno.models import Chotei, ChoteiEvent, ChoteiKosei
from kyodo.units.shuno.selectors import balance
from tests.juki.helpers import member, move_in
from tests.shuno.ledger_helpers import clerk, person

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def _chotei(**filters: object) -> dict[int, tuple[int, dt.date]]:
    """期別 → (調定額 now, 納期限)."""
    rows = Chotei.objects.filter(**filters).order_by("kibetsu")
    return {c.kibetsu: (c.amount + sum(k.delta for k in c.kosei.all()), c.due_date) for c in rows}


def _owed(atena_no: int) -> dict[str, int]:
    result = balance(atena_no=atena_no, purpose="test")
    return {t["tax_kind"]: t["chotei"] for t in result["taxes"]}


# --- 個人住民税 ------------------------------------------------------------------------------


def test_juminzei_only_futsu_installments_become_chotei(tenant: Tenant, tmp_path: Path) -> None:
    """給与特別徴収 (地方税法 第321条の5) and 年金特別徴収 (第321条の7の2) are paid in by the
    employer or the pension insurer: only the 普通徴収 期別 (第320条) are the person's 調定."""
    from kyodo.units.zei_kojin.models import Kazei
    from kyodo.units.zei_kojin.shiryo import import_file
    from kyodo.units.zei_kojin.toshokazei import toshokazei
    from tests.zei_kojin.test_toshokazei import LIVED_HERE, TARO, _files

    with tenant_scope(tenant.code):
        move_in([member("山田", "太郎", birth=dt.date(1980, 4, 1), my_number=TARO)],
                moved_on=LIVED_HERE)  # fmt: skip
        move_in([member("佐藤", "ウメ", "サトウ", "ウメ", birth=dt.date(1959, 6, 1), sex=2)],
                moved_on=LIVED_HERE)  # fmt: skip
        move_in([member("鈴木", "次郎", "スズキ", "ジロウ", birth=dt.date(1990, 1, 20))],
                moved_on=LIVED_HERE)  # fmt: skip
        kyuyo, nenkin = _files(tmp_path)
        import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR)
        import_file(nenkin, kind="nenkin", fiscal_year=YEAR)
        toshokazei(YEAR)
        kazei = {r.atena_no: r for r in Kazei.objects.all()}
    dispatch_once()
    with tenant_scope(tenant.code):
        by_person = {n: _chotei(atena_no=n, tax_kind="juminzei_futsu") for n in kazei}
        for atena_no, row in kazei.items():
            futsu = {
                i["number"]: (i["amount"], dt.date.fromisoformat(i["due"]))
                for i in row.installments
                if i["kind"] == "futsu"
            }
            assert by_person[atena_no] == futsu, row.choshu
        jiro = next(r for r in kazei.values() if r.choshu["futsu"] == r.total)
        # 次郎 (普通徴収 only): four 期 summing to his tax; his balance shows it.
        assert len(by_person[jiro.atena_no]) == 4
        assert _owed(jiro.atena_no) == {"juminzei_futsu": jiro.total}
        # 太郎 (給与特別徴収 only): no 調定 at all, and the event is recorded as handled.
        taro = next(r for r in kazei.values() if r.choshu["kyuyo_tokucho"] == r.total)
        assert by_person[taro.atena_no] == {}
        assert ChoteiEvent.objects.get(notice_no=taro.atena_no).outcome == "none"
        # ウメ (年金特別徴収の初年度): the two 普通徴収 期 (June, August) only.
        ume = next(r for r in kazei.values() if r.choshu["nenkin_tokucho"])
        assert sorted(by_person[ume.atena_no]) == [1, 2]
        ume_futsu = sum(i["amount"] for i in ume.installments if i["kind"] == "futsu")
        assert 0 < ume_futsu < ume.total
        assert _owed(ume.atena_no) == {"juminzei_futsu": ume_futsu}
    # Delivering everything again changes nothing.
    with tenant_scope(tenant.code):
        before = Chotei.objects.count(), ChoteiKosei.objects.count()
        for e in OutboxEvent.objects.filter(name="zei_kojin.assessed"):
            on_assessed(Event(e.pk, e.name, tenant.code, e.atena_no, e.payload))
        assert (Chotei.objects.count(), ChoteiKosei.objects.count()) == before


# --- 国保税 ----------------------------------------------------------------------------------


def test_kokuho_assessment_and_its_monthly_reassessment_become_chotei_and_kosei(
    tenant: Tenant,
) -> None:
    """当初賦課 → 8 調定; the spouse's 喪失 on 15 October re-assesses the 世帯 by month (月割,
    地方税法 第703条の4 and the 条例) → revision 2 → a 更正 of each 期別 by its difference."""
    from kyodo.units.kokuho.fuka import toshofuka
    from kyodo.units.kokuho.models import Fuka
    from kyodo.units.kokuho.services import shikaku_lose
    from tests.kokuho.test_fuka import _household

    household_no, head, spouse = _household(tenant.code)
    with tenant_scope(tenant.code):
        [first] = toshofuka(YEAR)
    dispatch_once()
    with tenant_scope(tenant.code):
        expected = {
            i["number"]: (i["amount"], dt.date.fromisoformat(i["due"])) for i in first.installments
        }
        assert _chotei(tax_kind="kokuho", notice_no=household_no) == expected
        assert {c.atena_no for c in Chotei.objects.filter(tax_kind="kokuho")} == {head}
        assert _owed(head) == {"kokuho": first.total}
        shikaku_lose(atena_no=spouse, on=dt.date(2026, 10, 15), reason="shaho_kanyu")
        second = Fuka.objects.get(household_no=household_no, revision=2)
        assert second.total < first.total
    dispatch_once()
    with tenant_scope(tenant.code):
        # Still 8 調定 (no duplicate), each now at revision 2's amount, by a 更正 of the delta.
        assert Chotei.objects.filter(tax_kind="kokuho").count() == 8
        now = _chotei(tax_kind="kokuho", notice_no=household_no)
        assert {k: a for k, (a, _) in now.items()} == {
            i["number"]: i["amount"] for i in second.installments
        }
        deltas = {k.chotei.kibetsu: k.delta for k in ChoteiKosei.objects.select_related("chotei")}
        assert deltas == {
            i["number"]: i["amount"] - expected[i["number"]][0]
            for i in second.installments
            if i["amount"] != expected[i["number"]][0]
        }
        assert _owed(head) == {"kokuho": second.total}
        assert [e.outcome for e in ChoteiEvent.objects.order_by("revision")] == [
            "created",
            "kosei",
        ]


# --- the handler's rules, event by event -----------------------------------------------------


def _event(code: str, event_id: int, atena_no: int, revision: int, *amounts: int) -> Event:
    dues = ["2026-06-30", "2026-08-31", "2026-11-02", "2027-02-01"]
    return Event(
        event_id,
        "zei_kotei.assessed",
        code,
        atena_no,
        {
            "atena_no": atena_no,
            "fiscal_year": YEAR,
            "notice_no": 777,
            "revision": revision,
            "total": sum(amounts),
            "installments": [
                {"number": n, "due": due, "amount": a, "kind": "futsu"}
                for n, (due, a) in enumerate(zip(dues, amounts, strict=False), start=1)
            ],
        },
    )


def test_revisions_become_kosei_and_late_or_repeated_events_change_nothing(
    tenant: Tenant,
) -> None:
    with clerk(tenant):
        a = person()
        on_assessed(_event(tenant.code, 10**9 + 1, a, 1, 10_000, 9_000))
        assert _chotei(notice_no=777) == {
            1: (10_000, dt.date(2026, 6, 30)),
            2: (9_000, dt.date(2026, 8, 31)),
        }
        # Revision 3 arrives: 第1期 down, 第2期 gone (→ 0), 第3期 new.
        on_assessed(_event(tenant.code, 10**9 + 3, a, 3, 8_000, 0, 5_000))
        assert {k: v[0] for k, v in _chotei(notice_no=777).items()} == {1: 8_000, 2: 0, 3: 5_000}
        # The same event again, and the older revision 2 arriving late: nothing changes.
        kosei = ChoteiKosei.objects.count()
        on_assessed(_event(tenant.code, 10**9 + 3, a, 3, 8_000, 0, 5_000))
        on_assessed(_event(tenant.code, 10**9 + 2, a, 2, 1, 1))
        assert ChoteiKosei.objects.count() == kosei == 2
        assert Chotei.objects.filter(notice_no=777).count() == 3
        assert [e.outcome for e in ChoteiEvent.objects.order_by("event_id")] == [
            "created",
            "stale",
            "kosei",
        ]
        assert _owed(a) == {"kotei": 13_000}
