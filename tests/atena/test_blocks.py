"""抑止 and 支援措置 (standards.md §1.12): the rules in ``kyodo.atena.blocks``, then the same rules
as a clerk meets them through the API (detail, search, certificates) with the audit they leave.

DENIED audit entries wait in the tenant scope like every other entry and are appended when the
scope closes, so the tests read the trail after the scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import timezone

from kyodo.atena.blocks import (
    ALERT_ENDED,
    ALERT_ENDING,
    BLOCKED,
    EXTENSION_TOO_EARLY,
    Blocked,
    block_extend,
    block_lift,
    block_lift_temporarily,
    block_set,
    blocks_in_force,
    check,
    one_year_end,
)
from kyodo.atena.models import Block, BlockKind, BlockLevel, BlockOperation
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Account, AuditRecord, Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope
from kyodo.units.juki.models import CertificateIssue
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.inputs import MemberInput
from kyodo.units.juki.services.tenyu import TenyuRequest, tenyu

pytestmark = pytest.mark.django_db

ATENA_NO = 900017
CLERK = Actor(username="clerk-blocks")
HAKKO, IDOU, SHOKAI = BlockOperation.HAKKO, BlockOperation.IDOU, BlockOperation.SHOKAI
ALL_OPERATIONS = [SHOKAI, IDOU, HAKKO]


def blocked_message(kind: str, operation: str) -> str:
    labels = {SHOKAI: "照会", IDOU: "異動", HAKKO: "証明書の発行"}
    return BLOCKED.format(kind=BlockKind(kind).label, operation=labels[operation])


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


@pytest.fixture
def scope(tenant: Tenant) -> Iterator[Tenant]:
    with tenant_scope(tenant.code, actor=CLERK):
        yield tenant


def shien(start: dt.date, operations: list[str] | None = None, **kwargs: object) -> Block:
    return block_set(
        atena_no=ATENA_NO,
        kind=BlockKind.SHIEN,
        operations=operations or ALL_OPERATIONS,
        level=BlockLevel.ERROR,
        start=start,
        by="shien-officer",
        **kwargs,  # type: ignore[arg-type]
    )


def denied(tenant: Tenant) -> list[AuditRecord]:
    with tenant_scope(tenant.code):
        return list(AuditRecord.objects.filter(chain=tenant.code, action="denied").order_by("seq"))


# -- setting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2020, 4, 1), dt.date(2021, 3, 31)),  # the standard's own example
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # no 29 February next year
        (dt.date(2023, 3, 1), dt.date(2024, 2, 29)),  # a leap day is the last day
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_shien_end_is_one_year_from_the_start_less_a_day(
    scope: Tenant, start: dt.date, end: dt.date
) -> None:
    assert one_year_end(start) == end
    block = shien(start)
    block.refresh_from_db()
    assert (block.start_date, block.end_date) == (start, end)


def test_an_explicit_end_date_is_kept(scope: Tenant) -> None:
    block = shien(dt.date(2026, 4, 1), end=dt.date(2026, 9, 30))
    assert block.end_date == dt.date(2026, 9, 30)
    with pytest.raises(ValidationFailed, match="終了日が開始日より前です"):
        shien(dt.date(2026, 4, 1), end=dt.date(2026, 3, 31))


@pytest.mark.parametrize("kind", [BlockKind.SHIEN, BlockKind.KARI_SHIEN])
def test_shien_is_always_error_level(scope: Tenant, kind: str) -> None:
    block = block_set(
        atena_no=ATENA_NO,
        kind=kind,
        operations=[HAKKO],
        level=BlockLevel.ALERT,
        start=dt.date(2026, 1, 1),
        by="clerk",
    )
    block.refresh_from_db()
    assert block.level == BlockLevel.ERROR
    with pytest.raises(Blocked):
        check(ATENA_NO, HAKKO, may_see_protected=False)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "dv"}, "kind"),
        ({"operations": []}, "operations"),
        ({"operations": ["shokai", "delete"]}, "operations"),
        ({"level": "warn"}, "level"),
    ],
)
def test_set_validates_its_input(scope: Tenant, overrides: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {
        "atena_no": ATENA_NO,
        "kind": BlockKind.GENERAL,
        "operations": [HAKKO],
        "level": BlockLevel.ERROR,
        "start": dt.date(2026, 1, 1),
        "by": "clerk",
    }
    fields.update(overrides)
    with pytest.raises(ValidationFailed) as caught:
        block_set(**fields)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert not Block.objects.exists()


def test_a_block_applies_only_from_its_start_and_only_to_its_operations(scope: Tenant) -> None:
    today = timezone.localdate()
    shien(today + dt.timedelta(days=1), operations=[HAKKO])
    assert check(ATENA_NO, HAKKO, may_see_protected=False).alerts == []
    with pytest.raises(Blocked):
        check(ATENA_NO, HAKKO, may_see_protected=False, on=today + dt.timedelta(days=1))
    assert (
        check(ATENA_NO, IDOU, may_see_protected=False, on=today + dt.timedelta(days=1)).alerts == []
    )
    assert (
        check(ATENA_NO + 1, HAKKO, may_see_protected=False, on=today + dt.timedelta(days=1)).alerts
        == []
    )


def test_several_blocks_on_one_person(scope: Tenant) -> None:
    start = timezone.localdate() - dt.timedelta(days=10)
    shien(start, operations=[HAKKO])
    block_set(
        atena_no=ATENA_NO,
        kind=BlockKind.GENERAL,
        operations=[IDOU, HAKKO],
        level=BlockLevel.ALERT,
        start=start,
        reason="異動審査中",
        by="clerk",
    )
    assert len(blocks_in_force(ATENA_NO)) == 2
    # 異動: only the alert-level block applies.
    assert check(ATENA_NO, IDOU, may_see_protected=False).alerts == [
        blocked_message(BlockKind.GENERAL, IDOU)
    ]
    # 発行: the 支援措置 stops it whatever the other block says.
    with pytest.raises(Blocked, match="支援措置が設定されているため、証明書の発行できません"):
        check(ATENA_NO, HAKKO, may_see_protected=False)
    # With the 支援措置 role both show as alerts.
    assert sorted(check(ATENA_NO, HAKKO, may_see_protected=True).alerts) == sorted(
        [blocked_message(BlockKind.SHIEN, HAKKO), blocked_message(BlockKind.GENERAL, HAKKO)]
    )


# -- lifting -------------------------------------------------------------------------------------


def test_a_block_past_its_end_date_still_stops(scope: Tenant) -> None:
    block = shien(dt.date(2024, 4, 1), operations=[HAKKO])
    assert block.end_date == dt.date(2025, 3, 31) < timezone.localdate()
    assert blocks_in_force(ATENA_NO) == [block]
    with pytest.raises(Blocked):
        check(ATENA_NO, HAKKO, may_see_protected=False)
    general = block_set(
        atena_no=ATENA_NO + 1,
        kind=BlockKind.GENERAL,
        operations=[IDOU],
        level=BlockLevel.ERROR,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 6, 30),
        by="clerk",
    )
    assert blocks_in_force(ATENA_NO + 1) == [general]
    with pytest.raises(Blocked):
        check(ATENA_NO + 1, IDOU, may_see_protected=False)


def test_an_explicit_lift_ends_the_block(tenant: Tenant) -> None:
    with tenant_scope(tenant.code, actor=CLERK):
        block = shien(dt.date(2026, 4, 1), operations=[HAKKO])
        block_lift(block, on=timezone.localdate(), by="kacho")
        block.refresh_from_db()
        assert block.ended_on == timezone.localdate()
        assert blocks_in_force(ATENA_NO) == []
        assert check(ATENA_NO, HAKKO, may_see_protected=False).alerts == []
    with tenant_scope(tenant.code):
        lift = AuditRecord.objects.filter(chain=tenant.code, detail__op="lift").get()
        assert (lift.action, lift.object_id, lift.detail["by"]) == (
            "change",
            str(ATENA_NO),
            "kacho",
        )


def test_a_temporary_lift_expires_by_itself(scope: Tenant) -> None:
    block = shien(dt.date(2026, 4, 1), operations=[HAKKO])
    before = timezone.now()
    block_lift_temporarily(block, minutes=30, by="kacho")
    block.refresh_from_db()
    assert before + dt.timedelta(minutes=30) <= block.lifted_until
    assert block.lifted_by == "kacho"
    assert block.ended_on is None  # not a real lift
    assert check(ATENA_NO, HAKKO, may_see_protected=False).alerts == []
    # Time passes: the lift has run out and the block stops the operation again, by itself.
    Block.objects.filter(pk=block.pk).update(lifted_until=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(Blocked):
        check(ATENA_NO, HAKKO, may_see_protected=False)


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_a_temporary_lift_has_bounds(scope: Tenant, minutes: int) -> None:
    block = shien(dt.date(2026, 4, 1), operations=[HAKKO])
    with pytest.raises(ValidationFailed, match="一時解除は1分〜24時間です"):
        block_lift_temporarily(block, minutes=minutes, by="kacho")
    with pytest.raises(Blocked):
        check(ATENA_NO, HAKKO, may_see_protected=False)


# -- extension and the alerts around the end date --------------------------------------------------


def test_extension_opens_one_month_before_the_end(scope: Tenant) -> None:
    block = shien(dt.date(2025, 4, 1))  # ends 2026-03-31
    with pytest.raises(ValidationFailed) as caught:
        block_extend(block, today=dt.date(2026, 2, 27))
    assert caught.value.reason == EXTENSION_TOO_EARLY.format(start=dt.date(2026, 2, 28))
    assert "2026-02-28" in caught.value.reason
    block.refresh_from_db()
    assert block.end_date == dt.date(2026, 3, 31)
    block_extend(block, today=dt.date(2026, 2, 28))
    block.refresh_from_db()
    assert block.end_date == dt.date(2027, 3, 31)  # one year from the day after the old end


def test_extension_after_the_end_still_counts_from_the_old_end(scope: Tenant) -> None:
    block = shien(dt.date(2024, 3, 1))  # ends 2025-02-28
    block_extend(block, today=dt.date(2025, 5, 10))
    assert block.end_date == dt.date(2026, 2, 28)
    block_extend(block, today=dt.date(2026, 2, 1))
    assert block.end_date == dt.date(2027, 2, 28)


def test_only_a_shien_with_an_end_date_can_be_extended(scope: Tenant) -> None:
    general = block_set(
        atena_no=ATENA_NO,
        kind=BlockKind.GENERAL,
        operations=[HAKKO],
        level=BlockLevel.ERROR,
        start=dt.date(2025, 4, 1),
        end=dt.date(2026, 3, 31),
        by="clerk",
    )
    with pytest.raises(ValidationFailed, match="延長できるのは"):
        block_extend(general, today=dt.date(2026, 3, 15))


def test_viewing_alerts_from_a_month_before_the_end_and_after_it(scope: Tenant) -> None:
    end = dt.date(2027, 3, 31)
    block = shien(dt.date(2026, 4, 1), operations=[HAKKO])  # 照会 itself is allowed here

    def alerts(on: dt.date) -> list[str]:
        return check(ATENA_NO, SHOKAI, may_see_protected=False, on=on).alerts

    ending = "支援措置の終了日（2027-03-31）が近づいています。延長の要否を確認してください。"
    ended = "支援措置の終了日（2027-03-31）を過ぎていますが延長されていません。"
    assert ALERT_ENDING.format(end=end) == ending
    assert ALERT_ENDED.format(end=end) == ended
    assert alerts(dt.date(2027, 2, 27)) == []
    assert alerts(dt.date(2027, 2, 28)) == [ending]
    assert alerts(end) == [ending]
    assert alerts(dt.date(2027, 4, 1)) == [ended]
    assert alerts(dt.date(2028, 1, 1)) == [ended]
    # Other operations carry no end-date alert.
    assert check(ATENA_NO, IDOU, may_see_protected=False, on=end).alerts == []
    # Extended: no alert until a month before the new end.
    block_extend(block, today=dt.date(2027, 3, 10))
    assert alerts(dt.date(2027, 4, 1)) == []
    # Lifted: no alert at all.
    block_lift(block, on=dt.date(2027, 4, 1), by="kacho")
    assert alerts(dt.date(2028, 3, 15)) == []


# -- levels, roles, and the DENIED audit -----------------------------------------------------------


def test_alert_level_general_block_warns_and_lets_through(scope: Tenant) -> None:
    block_set(
        atena_no=ATENA_NO,
        kind=BlockKind.GENERAL,
        operations=[IDOU],
        level=BlockLevel.ALERT,
        start=dt.date(2026, 1, 1),
        by="clerk",
    )
    result = check(ATENA_NO, IDOU, may_see_protected=False)
    assert result.alerts == [
        "この方の記録には抑止が設定されているため、異動できません。担当課に確認してください。"
    ]


def test_error_level_general_block_stops_and_is_audited_as_denied(tenant: Tenant) -> None:
    with tenant_scope(tenant.code, actor=CLERK):
        block = block_set(
            atena_no=ATENA_NO,
            kind=BlockKind.GENERAL,
            operations=[IDOU],
            level=BlockLevel.ERROR,
            start=dt.date(2026, 1, 1),
            by="clerk",
        )
        with pytest.raises(Blocked) as caught:
            check(ATENA_NO, IDOU, may_see_protected=False)
        assert caught.value.reason == blocked_message(BlockKind.GENERAL, IDOU)
        assert caught.value.field == "atena_no"
        # A general block is not a 支援措置: the 支援措置 role does not get past it.
        with pytest.raises(Blocked):
            check(ATENA_NO, IDOU, may_see_protected=True)
    records = denied(tenant)
    assert len(records) == 2
    for record in records:
        assert record.object_type == "atena.person"
        assert record.object_id == str(ATENA_NO)
        assert record.actor == CLERK.username
        assert record.detail == {"operation": "idou", "block": block.pk, "kind": "general"}


def test_shien_staff_get_through_with_an_alert(tenant: Tenant) -> None:
    with tenant_scope(tenant.code, actor=CLERK):
        shien(dt.date(2026, 4, 1), operations=[SHOKAI, HAKKO])
        for operation in (SHOKAI, HAKKO):
            assert check(ATENA_NO, operation, may_see_protected=True).alerts == [
                blocked_message(BlockKind.SHIEN, operation)
            ]
    assert denied(tenant) == []


# -- through HTTP --------------------------------------------------------------------------------

CLERK_ROLES = ("atena.view", "juki.manage")
SHIEN_ROLES = ("atena.view", "juki.manage", "shien.view")


def move_in(members: list[tuple[str, str, str, str]]) -> list[int]:
    outcome = tenyu(
        TenyuRequest(
            moved_on=dt.date(2025, 4, 1),
            notified_on=dt.date(2025, 4, 1),
            address=Address(town="本町", banchi="2番地"),
            previous_address="東京都",
            members=[
                MemberInput(
                    family_name=family,
                    given_name=given,
                    family_kana=kana,
                    given_kana="ハナコ",
                    birth_date=dt.date(1980 + i, 4, 1),
                    sex=2,
                    relationship=relationship,
                )
                for i, (family, given, kana, relationship) in enumerate(members)
            ],
        )
    )
    return [r.atena_no for r in outcome.records]


class Residents:
    def __init__(self, tenant: Tenant) -> None:
        with tenant_scope(tenant.code, actor=CLERK):
            (self.protected,) = move_in([("守田", "花子", "モリタ", "世帯主")])
            self.head, self.member = move_in(
                [("大野", "花子", "オオノ", "世帯主"), ("大野", "葉子", "オオノ", "子")]
            )
            (self.free,) = move_in([("自由", "花子", "ジユウ", "世帯主")])
            for atena_no in (self.protected, self.member):
                block_set(
                    atena_no=atena_no,
                    kind=BlockKind.SHIEN,
                    operations=[SHOKAI, HAKKO],
                    level=BlockLevel.ERROR,
                    start=dt.date(2026, 4, 1),
                    by="shien-officer",
                )


@pytest.fixture
def residents(tenant: Tenant) -> Residents:
    return Residents(tenant)


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def issue(client: Client, atena_no: int, **extra: object) -> object:
    payload = {"atena_no": atena_no, "kind": "juminhyo", "requester": "本人", "purpose": "試験"}
    payload.update(extra)
    return client.post("/api/v1/certificates", payload, content_type="application/json")


def test_protected_detail_is_refused_to_a_clerk_and_shown_to_shien_staff(
    tenant: Tenant, residents: Residents, make_account: Callable[..., Account]
) -> None:
    clerk = client_for(make_account(tenant, roles=CLERK_ROLES))
    shien_staff = client_for(make_account(tenant, roles=SHIEN_ROLES))
    refused = clerk.get(f"/api/v1/persons/{residents.protected}")
    assert refused.status_code == 403
    assert refused.json()["error"] == blocked_message(BlockKind.SHIEN, SHOKAI)
    assert "守田" not in refused.content.decode()
    assert clerk.get(f"/api/v1/persons/{residents.free}").json()["alerts"] == []
    shown = shien_staff.get(f"/api/v1/persons/{residents.protected}")
    assert shown.status_code == 200
    body = shown.json()
    assert body["family_name"] == "守田"
    assert body["alerts"] == [blocked_message(BlockKind.SHIEN, SHOKAI)]


def test_search_results_show_who_is_blocked(
    tenant: Tenant, residents: Residents, make_account: Callable[..., Account]
) -> None:
    clerk = client_for(make_account(tenant, roles=CLERK_ROLES))
    for query, atena_no, blocked in (
        ("モリタ", residents.protected, True),
        ("ジユウ", residents.free, False),
    ):
        response = clerk.get("/api/v1/persons", {"q": query})
        assert response.status_code == 200
        hits = {r["atena_no"]: r["blocked"] for r in response.json()["results"]}
        assert hits == {atena_no: blocked}
    hits = {
        r["atena_no"]: r["blocked"]
        for r in clerk.get("/api/v1/persons", {"q": "オオノ"}).json()["results"]
    }
    assert hits == {residents.head: False, residents.member: True}


def test_certificates_for_a_protected_person_or_household_are_refused_and_audited(
    tenant: Tenant, residents: Residents, make_account: Callable[..., Account]
) -> None:
    account = make_account(tenant, roles=CLERK_ROLES)
    clerk = client_for(account)
    refusals = [
        (clerk.get(f"/api/v1/persons/{residents.protected}"), residents.protected, "shokai"),
        (issue(clerk, residents.protected), residents.protected, "hakko"),
        # The head carries no block, but the household copy would print the protected member.
        (issue(clerk, residents.head, household=True), residents.member, "hakko"),
        (issue(clerk, residents.member), residents.member, "hakko"),
    ]
    for response, _, operation in refusals:
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"] == blocked_message(BlockKind.SHIEN, operation)
    # The head alone is not protected.
    alone = issue(clerk, residents.head)
    assert alone.status_code == 200
    assert alone["Content-Type"] == "application/pdf"
    with tenant_scope(tenant.code):
        issued = list(CertificateIssue.objects.values_list("atena_nos", flat=True))
        assert issued == [[residents.head]]
    records = denied(tenant)
    assert [(r.object_id, r.detail["operation"]) for r in records] == [
        (str(atena_no), operation) for _, atena_no, operation in refusals
    ]
    assert {(r.actor, r.actor_id) for r in records} == {(account.username, account.pk)}


def test_shien_staff_may_issue_with_alerts(
    tenant: Tenant, residents: Residents, make_account: Callable[..., Account]
) -> None:
    staff = client_for(make_account(tenant, roles=SHIEN_ROLES))
    response = issue(staff, residents.head, household=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    with tenant_scope(tenant.code):
        (issued,) = CertificateIssue.objects.all()
        assert issued.issue_no == response["X-Kyodo-Issue-No"]
        assert sorted(issued.atena_nos) == sorted([residents.head, residents.member])
    assert denied(tenant) == []


def test_a_refused_certificate_on_the_command_line_is_still_audited(
    residents: Residents, tenant: Tenant, tmp_path
) -> None:
    from django.core.management import CommandError, call_command

    out = tmp_path / "refused.pdf"
    with pytest.raises(CommandError, match="支援措置"):
        call_command(
            "juki",
            "certificate",
            "--tenant",
            tenant.code,
            "--atena-no",
            str(residents.protected),
            "--kind",
            "juminhyo",
            "--out",
            str(out),
        )
    assert not out.exists()
    refusals = denied(tenant)
    assert [(r.object_id, r.actor, r.detail["operation"]) for r in refusals] == [
        (str(residents.protected), "cli", HAKKO)
    ]
    with tenant_scope(tenant.code):
        assert not CertificateIssue.objects.exists()


def test_protection_is_managed_through_the_api_by_shien_staff_only(
    residents: Residents, tenant: Tenant, make_account: Callable[..., Account]
) -> None:
    officer = client_for(make_account(tenant, roles=("atena.view", "shien.manage")))
    clerk = client_for(make_account(tenant, roles=("atena.view", "juki.manage")))
    url = f"/api/v1/protection/persons/{residents.free}/blocks"
    body = {"kind": "shien", "operations": ["shokai", "hakko"], "start": "2026-04-01"}
    assert clerk.post(url, body, content_type="application/json").status_code == 403
    created = officer.post(url, body, content_type="application/json")
    assert created.status_code == 201
    block = created.json()
    assert (block["level"], block["end_date"]) == ("error", "2027-03-31")
    assert [b["id"] for b in officer.get(url).json()] == [block["id"]]
    # Now the clerk cannot read the person; a lift dated tomorrow waits for its day.
    assert clerk.get(f"/api/v1/persons/{residents.free}").status_code == 403
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    lifted = officer.post(
        f"/api/v1/protection/blocks/{block['id']}/lift",
        {"on": tomorrow},
        content_type="application/json",
    )
    assert lifted.status_code == 200 and lifted.json()["ended_on"] == tomorrow
    assert clerk.get(f"/api/v1/persons/{residents.free}").status_code == 403
    # A temporary lift lets the clerk through at once.
    temporary = officer.post(
        f"/api/v1/protection/blocks/{block['id']}/lift-temporarily",
        {"minutes": 10},
        content_type="application/json",
    )
    assert temporary.status_code == 200
    assert clerk.get(f"/api/v1/persons/{residents.free}").status_code == 200
    bad = officer.post(url, {**body, "operations": ["print"]}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "operations"


def test_a_protected_member_is_withheld_on_the_households_page(
    residents: Residents, tenant: Tenant, make_account: Callable[..., Account]
) -> None:
    clerk = client_for(make_account(tenant, roles=("juki.view",)))
    page = clerk.get(f"/juki/persons/{residents.head}/").content.decode()
    assert "大野　花子" in page
    assert "葉子" not in page and "表示できない世帯員がいます" in page
    officer = client_for(make_account(tenant, roles=("juki.view", "shien.view")))
    assert "大野　葉子" in officer.get(f"/juki/persons/{residents.head}/").content.decode()


def test_changes_and_command_line_reads_pass_the_blocks_too(
    residents: Residents, tenant: Tenant, make_account: Callable[..., Account]
) -> None:
    from django.core.management import CommandError, call_command

    with tenant_scope(tenant.code, actor=CLERK):
        block_set(
            atena_no=residents.free,
            kind=BlockKind.GENERAL,
            operations=[IDOU],
            level=BlockLevel.ERROR,
            start=dt.date(2026, 4, 1),
            by="manager",
        )
    clerk = client_for(make_account(tenant, roles=("atena.view", "juki.manage")))
    death = clerk.post(
        f"/api/v1/idou/persons/{residents.free}/death",
        {"died_on": "2026-05-01"},
        content_type="application/json",
    )
    assert death.status_code == 403 and "異動できません" in death.json()["error"]
    with pytest.raises(CommandError, match="支援措置"):
        call_command(
            "juki",
            "show",
            "--tenant",
            tenant.code,
            "--atena-no",
            str(residents.protected),
            "--json",
        )
    with pytest.raises(CommandError, match="抑止"):
        call_command(
            "juki",
            "death",
            "--tenant",
            tenant.code,
            "--atena-no",
            str(residents.free),
            "--died-on",
            "2026-05-01",
        )
