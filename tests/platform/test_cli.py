"""Every ``kyodo`` command with good and bad input.

The contract: bad input exits non-zero with a message naming the option or field and the
reason, and writes nothing. Most cases run the command in this process and transaction
(``call_command`` raises ``CommandError``); at least one case per command runs the real console
script in a subprocess against committed data, to check the exit code and stderr for real.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from kyodo.atena.models import Household, NumberSequence, Person
from kyodo.platform.models import Account, AuditChainHead, AuditRecord, Consortium, Tenant
from kyodo.platform.models.audit import PLATFORM_CHAIN
from kyodo.platform.tenancy.codes import PREFECTURES, check_digit
from kyodo.platform.tenancy.context import no_tenant_scope, tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from tests.conftest import new_tenant_code

KYODO = Path(sys.executable).with_name("kyodo")
STRONG_PASSWORD = "kuroneko-yamato-2718"


def kyodo(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real console script, with this process's environment plus ``env``."""
    return subprocess.run(
        [str(KYODO), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def call(*args: str) -> str:
    """Run a command in this process and transaction; return what it printed."""
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fails(*args: str) -> str:
    """Run a command that must fail; return its error message."""
    with pytest.raises(CommandError) as failure:
        call(*args)
    return str(failure.value)


def written() -> dict[str, int]:
    """Row counts of everything a platform command could write. Outside any scope, row-level
    security shows the platform chain's records and head only."""
    with no_tenant_scope():
        return {
            "tenants": Tenant.objects.count(),
            "consortia": Consortium.objects.count(),
            "accounts": Account.objects.count(),
            "chain heads": AuditChainHead.objects.count(),
            "platform records": AuditRecord.objects.count(),
        }


def tenant_written(code: str) -> dict[str, int]:
    """Row counts inside one municipality (its audit chain and its residents)."""
    with tenant_scope(code):
        return {
            "records": AuditRecord.objects.filter(chain=code).count(),
            "heads": AuditChainHead.objects.filter(chain=code).count(),
            "persons": Person.objects.count(),
            "households": Household.objects.count(),
            "sequences": NumberSequence.objects.count(),
        }


def wrong_check_digit(code: str) -> str:
    return code[:5] + str((int(code[5]) + 1) % 10)


# --- kyodo tenant create | list ---------------------------------------------------------------


@pytest.mark.django_db
def test_tenant_create_registers_and_lists_the_municipality() -> None:
    code = new_tenant_code()
    prefecture = PREFECTURES[code[:2]]
    before = written()
    printed = call("tenant", "create", "--code", code, "--name", " 試験市 ", "--population", "4321")
    assert printed == f"created {code} {prefecture}試験市\n"

    tenant = Tenant.objects.get(code=code)
    assert (tenant.name, tenant.prefecture, tenant.population, tenant.consortium) == (
        "試験市", prefecture, 4321, None
    )  # fmt: skip
    after = written()
    assert after == {**before, "tenants": before["tenants"] + 1,
                     "platform records": before["platform records"] + 1}  # fmt: skip
    with no_tenant_scope():
        [created] = AuditRecord.objects.filter(chain=PLATFORM_CHAIN, object_id=code)
    assert (created.action, created.object_type, created.detail) == (
        "manage", "tenant", {"op": "create", "name": "試験市", "population": 4321}
    )  # fmt: skip
    assert tenant_written(code)["records"] == 0
    with tenant_scope(code):
        head = AuditChainHead.objects.get()
        assert (head.chain, head.tenant_id, head.last_seq, head.last_hash) == (code, code, 0, "")

    listed = json.loads(call("tenant", "list", "--json"))
    assert isinstance(listed, list)
    assert [t["code"] for t in listed] == sorted(t["code"] for t in listed)
    assert [t for t in listed if t["code"] == code] == [
        {"code": code, "name": "試験市", "prefecture": prefecture, "population": 4321,
         "consortium": None}
    ]  # fmt: skip
    lines = call("tenant", "list").splitlines()
    assert f"{code}\t{prefecture}\t試験市\t4321" in lines


@pytest.mark.django_db
def test_tenant_create_with_a_new_consortium() -> None:
    code, slug = new_tenant_code(), f"c-{uuid.uuid4().hex[:12]}"
    call("tenant", "create", "--code", code, "--name", "舟橋村", "--population", "0",
         "--consortium", slug, "--consortium-name", "試験協議会")  # fmt: skip
    consortium = Consortium.objects.get(slug=slug)
    assert consortium.name == "試験協議会"
    assert Tenant.objects.get(code=code).consortium == consortium
    [listed] = [t for t in json.loads(call("tenant", "list", "--json")) if t["code"] == code]
    assert (listed["population"], listed["consortium"]) == (0, slug)


def _bad_tenant_inputs() -> list[tuple[str, list[str], str]]:
    """(case, arguments after ``--code CODE``, the expected message)."""
    where = "kyodo tenant create, field"
    return [
        ("non-digit population", ["--name", "試験市", "--population", "12a"],
         "--population, field 'population': 人口は0以上の整数です (got '12a')"),
        ("negative population", ["--name", "試験市", "--population", "-5"],
         "--population, field 'population': 人口は0以上の整数です (got '-5')"),
        ("full-width population", ["--name", "試験市", "--population", "１００"],
         "--population, field 'population': 人口は0以上の整数です (got '１００')"),
        ("empty name", ["--name", "", "--population", "10"],
         f"{where} 'name': 団体名は1〜50文字です"),
        ("blank name", ["--name", "\u3000 ", "--population", "10"],
         f"{where} 'name': 団体名は1〜50文字です"),
        ("long name", ["--name", "長" * 51, "--population", "10"],
         f"{where} 'name': 団体名は1〜50文字です"),
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [pytest.param(a, e, id=case) for case, a, e in _bad_tenant_inputs()],
)
def test_tenant_create_rejects_bad_input(args: list[str], expected: str) -> None:
    code = new_tenant_code()
    before = written()
    assert fails("tenant", "create", "--code", code, *args) == expected
    assert written() == before
    assert not Tenant.objects.filter(code=code).exists()


@pytest.mark.django_db
def test_tenant_create_rejects_bad_codes(make_tenant: Callable) -> None:
    existing = make_tenant()
    fresh = new_tenant_code()
    body = f"48{fresh[2:5]}"
    cases = {
        wrong_check_digit(fresh): f"検査数字が違います: {fresh[:5]} の検査数字は {fresh[5]} "
        f"です (got {wrong_check_digit(fresh)[5]})",
        body + str(check_digit(body)): "都道府県コード 48 は存在しません (01〜47)",
        "001236": "都道府県コード 00 は存在しません (01〜47)",
        "16211": "全国地方公共団体コードは6桁の数字です (got '16211')",
        "16211x": "全国地方公共団体コードは6桁の数字です (got '16211x')",
        "１６２１１６": "全国地方公共団体コードは6桁の数字です (got '１６２１１６')",
        existing.code: f"団体コード {existing.code} は既に登録されています",
    }
    before = written()
    for code, reason in cases.items():
        message = fails("tenant", "create", "--code", code, "--name", "試験市", "--population", "1")
        assert message == f"kyodo tenant create, field 'code': {reason}", code
    assert written() == before
    assert Tenant.objects.get(code=existing.code).name == "試験市"


@pytest.mark.django_db
def test_tenant_command_usage_errors() -> None:
    assert "the following arguments are required: --population" in fails(
        "tenant", "create", "--code", new_tenant_code(), "--name", "試験市"
    )
    assert "invalid choice: 'delete'" in fails("tenant", "delete")


@pytest.mark.django_db
def test_a_failed_tenant_create_does_not_create_its_consortium() -> None:
    slug = f"c-{uuid.uuid4().hex[:12]}"
    before = written()
    message = fails("tenant", "create", "--code", new_tenant_code(), "--name", "試験市",
                    "--population", "many", "--consortium", slug)  # fmt: skip
    assert "field 'population'" in message
    assert written() == before


@pytest.mark.django_db
def test_tenant_create_rejects_a_population_beyond_the_column() -> None:
    before = written()
    message = fails("tenant", "create", "--code", new_tenant_code(), "--name", "試験市",
                    "--population", "3000000000")  # fmt: skip
    assert "field 'population'" in message
    assert written() == before


def test_tenant_create_and_list_on_the_command_line(committed_db: None) -> None:
    code = new_tenant_code()
    prefecture = PREFECTURES[code[:2]]
    created = kyodo("tenant", "create", "--code", code, "--name", "試験町", "--population", "77")
    assert (created.returncode, created.stdout, created.stderr) == (
        0, f"created {code} {prefecture}試験町\n", ""
    )  # fmt: skip

    listed = kyodo("tenant", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    tenants = json.loads(listed.stdout)
    assert [t for t in tenants if t["code"] == code] == [
        {"code": code, "name": "試験町", "prefecture": prefecture, "population": 77,
         "consortium": None}
    ]  # fmt: skip


def test_tenant_create_with_bad_input_on_the_command_line(committed_db: None) -> None:
    code = wrong_check_digit(new_tenant_code())
    result = kyodo("tenant", "create", "--code", code, "--name", "試験町", "--population", "77")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"CommandError: kyodo tenant create, field 'code': 検査数字が違います: {code[:5]} の"
        f"検査数字は {check_digit(code[:5])} です (got {code[5]})\n"
    )
    assert not Tenant.objects.filter(code=code).exists()
    with no_tenant_scope():
        assert not AuditRecord.objects.filter(object_id=code).exists()


# --- kyodo audit export: bad input ------------------------------------------------------------


@pytest.mark.django_db
def test_audit_export_rejects_an_unknown_tenant_and_writes_no_file(tmp_path: Path) -> None:
    code = new_tenant_code()
    out = tmp_path / "audit.csv"
    before = written()
    message = fails("audit", "export", "--tenant", code, "--since", "2024-04-01", "--out", str(out))
    assert message == f"--tenant, field 'tenant': 団体 {code} は登録されていません"
    assert list(tmp_path.iterdir()) == []
    assert written() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "since",
    [
        "2024-13-01",
        "2024/04/01",
        "2024-02-30",
        "yesterday",
        "",
        "20240401",  # accepted by date.fromisoformat, but not the documented form
        "2024-W14-1",
    ],
)
def test_audit_export_rejects_a_malformed_date(
    make_tenant: Callable, tmp_path: Path, since: str
) -> None:
    tenant = make_tenant()
    out = tmp_path / "audit.csv"
    before = (written(), tenant_written(tenant.code))
    message = fails("audit", "export", "--tenant", tenant.code, "--since", since,
                    "--out", str(out))  # fmt: skip
    assert message == f"--since, field 'since': 日付は YYYY-MM-DD です (got {since!r})"
    assert list(tmp_path.iterdir()) == []
    assert (written(), tenant_written(tenant.code)) == before


@pytest.mark.django_db
def test_audit_export_to_a_directory_fails_cleanly(make_tenant: Callable, tmp_path: Path) -> None:
    tenant = make_tenant()
    target = tmp_path / "exports"
    target.mkdir()
    before = tenant_written(tenant.code)
    message = fails("audit", "export", "--tenant", tenant.code, "--since", "2024-04-01",
                    "--out", str(target))  # fmt: skip
    assert "--out" in message
    assert list(tmp_path.iterdir()) == [target]
    assert tenant_written(tenant.code) == before


@pytest.mark.django_db
def test_audit_command_usage_errors() -> None:
    assert "the following arguments are required: --since" in fails(
        "audit", "export", "--tenant", new_tenant_code()
    )
    assert "invalid choice: 'purge'" in fails("audit", "purge")


def test_audit_export_of_an_unknown_tenant_on_the_command_line(
    committed_db: None, tmp_path: Path
) -> None:
    code = new_tenant_code()
    out = tmp_path / "audit.csv"
    result = kyodo("audit", "export", "--tenant", code, "--since", "2024-04-01", "--out", str(out))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"CommandError: --tenant, field 'tenant': 団体 {code} は登録されていません\n"
    )
    assert list(tmp_path.iterdir()) == []


# --- kyodo seed -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_creates_the_residents_and_records_it(make_tenant: Callable) -> None:
    tenant = make_tenant()
    printed = call("seed", "--tenant", tenant.code, "--residents", "7", "--seed", "3",
                   "--as-of", "2024-04-01")  # fmt: skip
    match = re.fullmatch(
        rf"seeded 7 residents in (\d+) households for {tenant.code} in \d+\.\d s\n", printed
    )
    assert match, printed
    households = int(match[1])
    assert 1 <= households <= 7
    counts = tenant_written(tenant.code)
    assert (counts["persons"], counts["households"]) == (7, households)
    with tenant_scope(tenant.code):
        [change] = AuditRecord.objects.filter(chain=tenant.code)
        assert set(Person.objects.values_list("tenant_id", flat=True)) == {tenant.code}
    assert (change.action, change.object_type, change.object_id, change.purpose) == (
        "change", "juki.seed", tenant.code, "synthetic data"
    )  # fmt: skip
    assert change.detail == {"households": households, "residents": 7, "seed": 3}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--residents", "abc", "--residents: 1以上の整数を指定してください (got 'abc')"),
        ("--residents", "0", "--residents: 1以上の整数を指定してください (got '0')"),
        ("--residents", "-3", "--residents: 1以上の整数を指定してください (got '-3')"),
        ("--residents", "５", "--residents: 1以上の整数を指定してください (got '５')"),
        ("--residents", "5000001", "field 'residents': 住民数は1〜5,000,000です"),
        ("--seed", "x1", "--seed: 整数を指定してください (got 'x1')"),
        ("--as-of", "2024-02-30", "--as-of: 日付は YYYY-MM-DD です"),
        ("--as-of", "2024/04/01", "--as-of: 日付は YYYY-MM-DD です"),
    ],
)
def test_seed_rejects_bad_input(
    make_tenant: Callable, option: str, value: str, expected: str
) -> None:
    tenant = make_tenant()
    args = {"--residents": "5", "--seed": "1", "--as-of": "2024-04-01", option: value}
    before = (written(), tenant_written(tenant.code))
    assert fails("seed", "--tenant", tenant.code, *[x for kv in args.items() for x in kv]) == (
        expected
    )
    assert (written(), tenant_written(tenant.code)) == before


@pytest.mark.django_db
def test_seed_rejects_an_unknown_tenant() -> None:
    code = new_tenant_code()
    before = written()
    assert fails("seed", "--tenant", code, "--residents", "5") == (
        f"field 'tenant': 団体 {code} は登録されていません"
    )
    assert written() == before
    assert "the following arguments are required: --residents" in fails("seed", "--tenant", code)


def test_seed_with_a_bad_date_on_the_command_line(committed_db: None) -> None:
    tenant = tenant_create(code=new_tenant_code(), name="試験村", population=5)
    before = tenant_written(tenant.code)
    result = kyodo("seed", "--tenant", tenant.code, "--residents", "5", "--as-of", "2024-02-30")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "CommandError: --as-of: 日付は YYYY-MM-DD です\n"
    assert tenant_written(tenant.code) == before == {
        "records": 0, "heads": 1, "persons": 0, "households": 0, "sequences": 0
    }  # fmt: skip


# --- kyodo account create ---------------------------------------------------------------------


def _username() -> str:
    return f"clerk-{uuid.uuid4().hex[:10]}"


@pytest.mark.django_db
def test_account_create_for_staff(make_tenant: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = make_tenant()
    username = _username()
    monkeypatch.setenv("KYODO_NEW_PASSWORD", STRONG_PASSWORD)
    printed = call("account", "create", "--username", username, "--tenant", tenant.code,
                   "--roles", "juki.issue, atena.view", "--display-name", "窓口 花子")  # fmt: skip
    assert printed == f"created account {username}\n"
    account = Account.objects.get(username=username)
    assert (account.tenant_id, account.is_operator, account.display_name) == (
        tenant.code, False, "窓口 花子"
    )  # fmt: skip
    assert sorted(g.name for g in account.groups.all()) == ["atena.view", "juki.issue"]
    assert account.check_password(STRONG_PASSWORD)
    assert account.has_perm("platform.juki_issue")
    assert not account.has_perm("platform.juki_change")
    with tenant_scope(tenant.code):
        [created] = AuditRecord.objects.filter(chain=tenant.code)
    assert (created.action, created.object_type, created.object_id, created.detail) == (
        "manage", "account", username,
        {"op": "create", "roles": ["atena.view", "juki.issue"], "operator": False},
    )  # fmt: skip


@pytest.mark.django_db
def test_account_create_for_an_operator(monkeypatch: pytest.MonkeyPatch) -> None:
    username = f"op-{uuid.uuid4().hex[:10]}"
    consortium = Consortium.objects.create(slug=f"c-{uuid.uuid4().hex[:12]}", name="試験協議会")
    monkeypatch.setenv("OTHER_PASSWORD_VAR", STRONG_PASSWORD)
    call("account", "create", "--username", username, "--operator", "--consortium",
         consortium.slug, "--password-env", "OTHER_PASSWORD_VAR")  # fmt: skip
    account = Account.objects.get(username=username)
    assert (account.tenant_id, account.is_operator, account.consortium) == (None, True, consortium)
    assert account.check_password(STRONG_PASSWORD)
    with no_tenant_scope():
        [created] = AuditRecord.objects.filter(chain=PLATFORM_CHAIN, object_id=username)
    assert created.detail == {"op": "create", "roles": [], "operator": True}


@pytest.mark.django_db
def test_account_create_rejects_bad_input(
    make_tenant: Callable, make_account: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = make_tenant()
    taken = make_account(tenant).username
    unknown = new_tenant_code()
    monkeypatch.setenv("KYODO_NEW_PASSWORD", STRONG_PASSWORD)
    user = _username()
    staff = ("account", "create", "--username", user, "--tenant", tenant.code)
    no_fit = "field 'tenant': 職員は1団体に所属し、協議会運用者はどの団体にも所属しません"
    cases: list[tuple[tuple[str, ...], str, str | None]] = [
        (("account", "create", "--username", user, "--tenant", unknown),
         f"--tenant, field 'tenant': 団体 {unknown} は登録されていません", None),
        ((*staff, "--roles", "juki.view,nosuch.view"),
         "field 'roles': ロール nosuch.view はありません (例: juki.change)", None),
        ((*staff, "--roles", "juki"),
         "field 'roles': ロール juki はありません (例: juki.change)", None),
        (("account", "create", "--username", user), no_fit, None),
        ((*staff, "--operator"), no_fit, None),
        (("account", "create", "--username", user, "--operator", "--roles", "juki.view"),
         "field 'roles': 協議会運用者には業務ロールを付与できません", None),
        (("account", "create", "--username", user, "--operator", "--consortium", "nope-x"),
         "--consortium, field 'consortium': 協議会 nope-x はありません", None),
        (("account", "create", "--username", taken, "--tenant", tenant.code),
         f"field 'username': ユーザーID {taken!r} は使えません (空または重複)", None),
        (staff, "field 'password': このパスワードは短すぎます。最低 12 文字以上必要です。",
         "short-pw"),
        (staff, "field 'password': このパスワードは数字しか使われていません。",
         "123456789012345"),
        (staff, "field 'password': このパスワードは一般的すぎます。", "password1234"),
        (staff, "field 'password': このパスワードは ユーザー名 と似すぎています。", f"{user}!"),
    ]  # fmt: skip
    before = (written(), tenant_written(tenant.code))
    for args, expected, password in cases:
        monkeypatch.setenv("KYODO_NEW_PASSWORD", password or STRONG_PASSWORD)
        assert fails(*args) == expected, args
    assert (written(), tenant_written(tenant.code)) == before
    assert not Account.objects.filter(username=user).exists()
    assert Group.objects.filter(name="nosuch.view").count() == 0


def test_account_create_on_the_command_line(committed_db: None) -> None:
    tenant = tenant_create(code=new_tenant_code(), name="試験市", population=5)
    username = _username()
    args = ("account", "create", "--username", username, "--tenant", tenant.code)

    weak = kyodo(*args, KYODO_NEW_PASSWORD="short")
    assert (weak.returncode, weak.stdout) == (1, "")
    assert weak.stderr == (
        "CommandError: field 'password': このパスワードは短すぎます。最低 12 文字以上必要です。\n"
    )
    assert not Account.objects.filter(username=username).exists()
    assert tenant_written(tenant.code)["records"] == 0

    good = kyodo(*args, "--roles", "atena.view", KYODO_NEW_PASSWORD=STRONG_PASSWORD)
    assert (good.returncode, good.stdout, good.stderr) == (
        0, f"created account {username}\n", ""
    )  # fmt: skip
    account = Account.objects.get(username=username)
    assert account.tenant_id == tenant.code
    # The subprocess hashed with the configured hasher (this process uses a fast one).
    assert PBKDF2PasswordHasher().verify(STRONG_PASSWORD, account.password)
    assert [g.name for g in account.groups.all()] == ["atena.view"]
    with tenant_scope(tenant.code):
        assert list(AuditRecord.objects.values_list("seq", "action", "object_id")) == [
            (1, "manage", username)
        ]
