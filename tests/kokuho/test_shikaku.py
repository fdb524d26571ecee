"""国保資格: pending 取得 from the hub, confirmation, 喪失 on 転出/死亡, the 75歳 batch, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command

from kyodo.linkage.catalogue import Event, event_type
from kyodo.linkage.dispatch import dispatch_once
from kyodo.linkage.models import OutboxEvent
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope
from kyodo.units.juki.services.shokken import torikeshi
from kyodo.units.juki.services.shussei_shibou import shibou, shussei
from kyodo.units.juki.services.tenkyo_setai import setai_bunri
from kyodo.units.juki.services.tenshutsu import tenshutsu_kakutei, tenshutsu_yotei
from kyodo.units.kokuho import handlers
from kyodo.units.kokuho.models import Shikaku, ShikakuStatus
from kyodo.units.kokuho.services import (
    end_at_75,
    setainushi,
    seventy_fifth_birthday,
    shikaku_acquire,
    shikaku_confirm,
    shikaku_lose,
)
from tests.juki.helpers import BASE, day, member, move_in

OLD = dt.date(1950, 1, 1)  # 76 on BASE: under 後期高齢者医療, never 国保


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def clerk(tenant: Tenant):
    return tenant_scope(tenant.code, actor=Actor(username="clerk"))


def household(*extra_members) -> list:
    return [
        member(birth=dt.date(1980, 4, 1)),
        member(
            "山田", "花子", "ヤマダ", "ハナコ", birth=dt.date(1982, 7, 7), sex=2, relationship="妻"
        ),
        member("山田", "一郎", "ヤマダ", "イチロウ", birth=dt.date(2010, 1, 15), relationship="子"),
        *extra_members,
    ]


def rows(atena_no: int) -> list[Shikaku]:
    return list(Shikaku.objects.filter(atena_no=atena_no).order_by("id"))


def as_event(outbox: OutboxEvent, tenant: Tenant) -> Event:
    return Event(
        id=outbox.pk,
        name=outbox.name,
        tenant=tenant.code,
        atena_no=outbox.atena_no,
        payload=outbox.payload,
    )


def moved_in_household(tenant: Tenant, *extra, confirm: bool = True) -> list[int]:
    with clerk(tenant):
        numbers = [r.atena_no for r in move_in(household(*extra)).records]
    dispatch_once()
    if confirm:
        with clerk(tenant):
            for n in numbers[:3]:
                shikaku_confirm(atena_no=n, by="clerk")
    return numbers


# --- 取得 ------------------------------------------------------------------------------------


def test_a_move_in_makes_a_pending_shikaku_for_each_member_under_75(tenant: Tenant) -> None:
    grandpa = member("山田", "権三", "ヤマダ", "ゴンゾウ", birth=OLD, relationship="父")
    numbers = moved_in_household(tenant, grandpa, confirm=False)
    with clerk(tenant):
        for n in numbers[:3]:
            [row] = rows(n)
            assert (row.status, row.acquired_on, row.acquire_reason) == (
                ShikakuStatus.PENDING,
                BASE,  # 法第7条: the day one became a resident (転入日)
                "tennyu",
            )
            assert row.source_event == OutboxEvent.objects.get(name="juki.moved_in", atena_no=n).pk
        assert rows(numbers[3]) == []  # 76: 後期高齢者医療
        # Confirmation: pending → active, audited; a second confirmation is refused.
        row = shikaku_confirm(atena_no=numbers[0], by="clerk")
        assert (row.status, row.confirmed_by) == (ShikakuStatus.ACTIVE, "clerk")
        assert AuditRecord.objects.filter(
            object_type="kokuho.shikaku", object_id=str(numbers[0])
        ).exists()
        with pytest.raises(ValidationFailed, match="確認待ちの国保資格がありません"):
            shikaku_confirm(atena_no=numbers[0], by="clerk")


def test_a_birth_makes_a_pending_shikaku_from_the_birth_date(tenant: Tenant) -> None:
    numbers = moved_in_household(tenant)
    with clerk(tenant):
        head = Shikaku.objects.get(atena_no=numbers[0])
        baby = member("山田", "さくら", "ヤマダ", "サクラ", birth=day(50), sex=2, relationship="子")
        [child] = shussei(household_no=head.household_no, child=baby, notified_on=day(52)).records
    dispatch_once()
    with clerk(tenant):
        [row] = rows(child.atena_no)
        assert (row.status, row.acquired_on, row.acquire_reason, row.household_no) == (
            ShikakuStatus.PENDING,
            day(50),
            "shussei",
            head.household_no,
        )


# --- 喪失 from the hub -------------------------------------------------------------------------


def test_a_confirmed_move_out_ends_the_shikaku_the_day_after_the_shojo_date(
    tenant: Tenant,
) -> None:
    numbers = moved_in_household(tenant)
    with clerk(tenant):
        tenshutsu_yotei(
            atena_nos=numbers, moved_on=day(30), notified_on=day(25), destination="東京都港区1-1"
        )
    dispatch_once()
    with clerk(tenant):  # a 転出届 is a plan: still insured
        assert {r.status for n in numbers for r in rows(n)} == {ShikakuStatus.ACTIVE}
        for n in numbers:
            tenshutsu_kakutei(atena_no=n, moved_in_on=day(31))  # 消除日 = min(30, 31)
    dispatch_once()
    with clerk(tenant):
        for n in numbers:
            [row] = rows(n)
            assert (row.status, row.lost_on, row.lose_reason) == (
                ShikakuStatus.ENDED,
                day(31),  # 法第8条: the day after the 消除日
                "tenshutsu",
            )
            assert row.acquired_on == BASE  # the period is kept, not overwritten


def test_a_death_ends_the_shikaku_the_day_after_and_a_pending_one_is_cancelled(
    tenant: Tenant,
) -> None:
    numbers = moved_in_household(tenant, confirm=False)
    with clerk(tenant):
        shikaku_confirm(atena_no=numbers[2], by="clerk")
        shibou(atena_no=numbers[2], died_on=day(40))
        shibou(atena_no=numbers[1], died_on=day(41))  # still pending
    dispatch_once()
    with clerk(tenant):
        [son] = rows(numbers[2])
        assert (son.status, son.lost_on, son.lose_reason) == (
            ShikakuStatus.ENDED,
            day(41),
            "shibou",
        )
        [wife] = rows(numbers[1])
        assert (wife.status, wife.lost_on, wife.lose_reason) == (
            ShikakuStatus.ENDED,
            day(42),
            "shibou",
        )
        assert rows(numbers[0])[0].status == ShikakuStatus.PENDING


def test_redelivery_of_the_same_event_changes_nothing(tenant: Tenant) -> None:
    numbers = moved_in_household(tenant)
    with clerk(tenant):
        moved_in = as_event(
            OutboxEvent.objects.get(name="juki.moved_in", atena_no=numbers[2]), tenant
        )
        handlers.on_moved_in(moved_in)
        handlers.on_moved_in(moved_in)
        assert [(r.status, r.source_event) for r in rows(numbers[2])] == [
            (ShikakuStatus.ACTIVE, moved_in.id)
        ]
        shibou(atena_no=numbers[2], died_on=day(40))
        died = as_event(OutboxEvent.objects.get(name="juki.died", atena_no=numbers[2]), tenant)
        handlers.on_died(died)
        before = [(r.pk, r.status, r.lost_on, r.lose_reason) for r in rows(numbers[2])]
        handlers.on_died(died)
    dispatch_once()  # the hub's own delivery of the same event, after the direct calls
    with clerk(tenant):
        assert [(r.pk, r.status, r.lost_on, r.lose_reason) for r in rows(numbers[2])] == before
        assert before[0][2] == day(41)
        # The move-in redelivered after the death does not revive the person either.
        handlers.on_moved_in(moved_in)
        assert len(rows(numbers[2])) == 1


# --- 75歳到達 ----------------------------------------------------------------------------------


def test_the_75th_birthday_batch_ends_exactly_those_reaching_75(tenant: Tenant) -> None:
    turning = member(
        "山田", "六郎", "ヤマダ", "ロクロウ", birth=dt.date(1951, 6, 10), relationship="父"
    )
    numbers = moved_in_household(tenant, turning, confirm=False)
    birthday = dt.date(2026, 6, 10)
    with clerk(tenant):
        for n in numbers:
            shikaku_confirm(atena_no=n, by="clerk")
        assert end_at_75(on=birthday - dt.timedelta(days=1)) == []
        assert rows(numbers[3])[0].status == ShikakuStatus.ACTIVE
        [ended] = end_at_75(on=birthday)
        assert (ended.atena_no, ended.status, ended.lost_on, ended.lose_reason) == (
            numbers[3],
            ShikakuStatus.ENDED,
            birthday,  # 後期 starts on the birthday (高確法第52条)
            "koki_75",
        )
        assert end_at_75(on=birthday) == []  # idempotent
        assert end_at_75(on=birthday + dt.timedelta(days=30)) == []
        assert {r.status for n in numbers[:3] for r in rows(n)} == {ShikakuStatus.ACTIVE}
        # No manual 取得 after 75.
        with pytest.raises(ValidationFailed, match="75歳以上"):
            shikaku_acquire(
                atena_no=numbers[3], household_no=ended.household_no, on=day(100), reason="other"
            )


def test_the_75th_birthday_of_someone_born_on_29_february() -> None:
    assert seventy_fifth_birthday(dt.date(1952, 2, 29)) == dt.date(2027, 3, 1)
    assert seventy_fifth_birthday(dt.date(1951, 6, 10)) == dt.date(2026, 6, 10)


# --- manual 取得・喪失, 世帯主 -------------------------------------------------------------------


def test_manual_loss_and_reacquisition_keep_the_history(tenant: Tenant) -> None:
    numbers = moved_in_household(tenant)
    with clerk(tenant):
        household_no = rows(numbers[0])[0].household_no
        assert setainushi(household_no) == {
            "atena_no": numbers[0],
            "gisei": False,
            "insured": sorted(numbers[:3]),
        }
        with pytest.raises(ValidationFailed, match=r"資格取得日.*より前"):
            shikaku_lose(atena_no=numbers[0], on=day(-1), reason="shaho_kanyu")
        lost = shikaku_lose(atena_no=numbers[0], on=day(60), reason="shaho_kanyu")
        assert (lost.status, lost.lost_on, lost.lose_reason) == (
            ShikakuStatus.ENDED,
            day(60),
            "shaho_kanyu",
        )
        # The head left 国保 but stays 世帯主: now an 擬制世帯主.
        assert setainushi(household_no)["gisei"] is True
        with pytest.raises(ValidationFailed, match="現在の国保資格がありません"):
            shikaku_lose(atena_no=numbers[0], on=day(61), reason="shaho_kanyu")
        again = shikaku_acquire(
            atena_no=numbers[0], household_no=household_no, on=day(120), reason="shaho_ridatsu"
        )
        assert (again.status, again.confirmed_by) == (ShikakuStatus.ACTIVE, "clerk")
        with pytest.raises(ValidationFailed, match="既に国保資格があります"):
            shikaku_acquire(
                atena_no=numbers[0], household_no=household_no, on=day(121), reason="other"
            )
        with pytest.raises(ValidationFailed, match="取得事由が不正"):
            shikaku_acquire(
                atena_no=numbers[1], household_no=household_no, on=day(121), reason="nope"
            )
        assert [(r.acquired_on, r.lost_on) for r in rows(numbers[0])] == [
            (BASE, day(60)),
            (day(120), None),
        ]


# --- CLI -------------------------------------------------------------------------------------


def test_the_cli_shows_current_and_past_shikaku_newest_first(tenant: Tenant, capsys) -> None:
    numbers = moved_in_household(tenant)
    with clerk(tenant):
        household_no = rows(numbers[0])[0].household_no
        shikaku_lose(atena_no=numbers[0], on=day(60), reason="shaho_kanyu")
        shikaku_acquire(
            atena_no=numbers[0], household_no=household_no, on=day(120), reason="shaho_ridatsu"
        )
    call_command("kokuho", "show", "--tenant", tenant.code, "--atena-no", str(numbers[0]), "--json")
    current, past = json.loads(capsys.readouterr().out)
    assert current == {
        "id": current["id"],
        "atena_no": numbers[0],
        "household_no": household_no,
        "status": "active",
        "status_label": "資格あり",
        "acquired_on": day(120).isoformat(),
        "acquire_reason": "shaho_ridatsu",
        "acquire_reason_label": "社保離脱",
        "lost_on": None,
        "lose_reason": None,
        "lose_reason_label": None,
        "confirmed_by": "clerk",
        "source_event": None,
    }
    assert (past["status"], past["acquired_on"], past["acquire_reason"]) == (
        "ended",
        BASE.isoformat(),
        "tennyu",
    )
    assert (past["lost_on"], past["lose_reason"]) == (day(60).isoformat(), "shaho_kanyu")
    assert isinstance(past["source_event"], int)

    call_command("kokuho", "end-at-75", "--tenant", tenant.code, "--on", "2026-11-01")
    assert json.loads(capsys.readouterr().out) == {"on": "2026-11-01", "ended": []}


# --- kokuho.* on the hub, juki.corrected / juki.household_changed ---------------------------


def test_a_confirmation_publishes_kokuho_enrolled_with_the_declared_items(tenant: Tenant) -> None:
    numbers = moved_in_household(tenant)
    with clerk(tenant):
        [row] = rows(numbers[0])
        event = OutboxEvent.objects.get(name="kokuho.enrolled", atena_no=numbers[0])
        assert event.payload == {
            "atena_no": numbers[0],
            "household_no": row.household_no,
            "acquired_on": BASE.isoformat(),
            "acquire_reason": "tennyu",
        }
        assert set(event.payload) == set(event_type("kokuho.enrolled").items)
        assert event_type("kokuho.enrolled").publisher == "kokuho"


def test_a_confirmed_move_out_of_an_active_member_publishes_kokuho_withdrawn(
    tenant: Tenant,
) -> None:
    numbers = moved_in_household(tenant)
    with clerk(tenant):
        tenshutsu_yotei(
            atena_nos=numbers[2:],
            moved_on=day(30),
            notified_on=day(25),
            destination="東京都港区1-1",
        )
        tenshutsu_kakutei(atena_no=numbers[2], moved_in_on=day(31))
    dispatch_once()
    with clerk(tenant):
        [row] = rows(numbers[2])
        [event] = OutboxEvent.objects.filter(name="kokuho.withdrawn")
        assert (event.atena_no, event.payload) == (
            numbers[2],
            {
                "atena_no": numbers[2],
                "household_no": row.household_no,
                "lost_on": day(31).isoformat(),
                "lose_reason": "tenshutsu",
            },
        )


def test_a_cancelled_move_in_cancels_the_pending_shikaku_without_withdrawing(
    tenant: Tenant,
) -> None:
    with clerk(tenant):
        outcome = move_in(household())
        numbers = [r.atena_no for r in outcome.records]
    dispatch_once()
    with clerk(tenant):
        assert {r.status for n in numbers for r in rows(n)} == {ShikakuStatus.PENDING}
        torikeshi(idou_id=outcome.idou.pk, reason="誤入力")
    dispatch_once()
    with clerk(tenant):
        for n in numbers:
            [row] = rows(n)
            assert (row.status, row.lost_on, row.lose_reason) == (
                ShikakuStatus.ENDED,
                BASE,
                "other",
            )
        assert not OutboxEvent.objects.filter(name="kokuho.withdrawn").exists()
        # Redelivery of the correction changes nothing.
        corrected = as_event(
            OutboxEvent.objects.get(name="juki.corrected", atena_no=numbers[0]), tenant
        )
        before = [(r.pk, r.status, r.lost_on, r.lose_reason) for r in rows(numbers[0])]
        handlers.on_corrected(corrected)
        assert [(r.pk, r.status, r.lost_on, r.lose_reason) for r in rows(numbers[0])] == before


def test_other_corrections_leave_the_shikaku_alone(tenant: Tenant) -> None:
    numbers = moved_in_household(tenant, confirm=False)
    with clerk(tenant):
        moved_in = OutboxEvent.objects.get(name="juki.moved_in", atena_no=numbers[0])
        event = as_event(moved_in, tenant)
        handlers.on_corrected(
            Event(
                id=event.id + 10_000,
                name="juki.corrected",
                tenant=tenant.code,
                atena_no=numbers[0],
                payload={**moved_in.payload, "status": "jumin"},
            )
        )
        assert rows(numbers[0])[0].status == ShikakuStatus.PENDING


def test_a_household_split_moves_the_open_shikaku_to_the_new_household(tenant: Tenant) -> None:
    numbers = moved_in_household(tenant)
    with clerk(tenant):
        old = rows(numbers[2])[0].household_no
        setai_bunri(household_no=old, leaving={numbers[2]: "世帯主"}, changed_on=day(20))
    dispatch_once()
    with clerk(tenant):
        [row] = rows(numbers[2])
        new = OutboxEvent.objects.get(name="juki.household_changed", atena_no=numbers[2])
        assert row.household_no == new.payload["household_no"] != old
        assert row.status == ShikakuStatus.ACTIVE
        assert rows(numbers[0])[0].household_no == old
        assert AuditRecord.objects.filter(
            object_type="kokuho.shikaku", object_id=str(numbers[2]), detail__act="household"
        ).exists()
