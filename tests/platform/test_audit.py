"""The audit trail (アクセスログ, issue 2): who, municipality, when, action, object and purpose of
every login, read, change and export, append-only and hash-chained per municipality.

In-transaction tests use ``db``; tampering and the CLI use committed data (``committed_db``), a
fresh municipality each, and the real ``kyodo`` console script in a subprocess.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import ProgrammingError, connection, transaction
from django.test import Client
from django.utils import timezone

from kyodo.atena.models import Household, Person
from kyodo.atena.selectors import PERSON_NOT_FOUND, person_get
from kyodo.atena.services import next_number
from kyodo.platform.audit import record
from kyodo.platform.audit import verify as verify_module
from kyodo.platform.audit import writer as audit_writer
from kyodo.platform.audit.chain import record_hash
from kyodo.platform.audit.verify import verify_chain
from kyodo.platform.errors import NotFound
from kyodo.platform.models import AuditChainHead, AuditRecord, Tenant
from kyodo.platform.models.audit import PLATFORM_CHAIN, AuditAction
from kyodo.platform.tenancy.context import Actor, no_tenant_scope, tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from tests.conftest import PASSWORD, new_tenant_code, owner_connection

KYODO = Path(sys.executable).with_name("kyodo")
JST = dt.timezone(dt.timedelta(hours=9))
EXPORT_HEADER = [
    "seq", "occurred_at", "tenant", "actor", "actor_id", "action", "object_type", "object_id",
    "purpose", "ip", "detail", "prev_hash", "hash",
]  # fmt: skip


def kyodo(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console script, with this process's environment (database, audit key)."""
    return subprocess.run(
        [str(KYODO), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def _call(*args: str) -> tuple[str, str]:
    """A management command in this process (and transaction); its stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def chain_rows(code: str) -> list[AuditRecord]:
    """A chain's records in order, read the way the application can (inside its scope)."""
    if code == PLATFORM_CHAIN:
        with no_tenant_scope():
            return list(AuditRecord.objects.filter(chain=code).order_by("seq"))
    with tenant_scope(code):
        return list(AuditRecord.objects.filter(chain=code).order_by("seq"))


def chain_head(code: str) -> tuple[int, str]:
    with tenant_scope(code):
        head = AuditChainHead.objects.get(chain=code)
        return head.last_seq, head.last_hash


def rehash(row: AuditRecord) -> str:
    return record_hash(
        chain=row.chain, seq=row.seq, occurred_at=row.occurred_at, actor_id=row.actor_id,
        actor=row.actor, action=row.action, object_type=row.object_type,
        object_id=row.object_id, purpose=row.purpose, detail=row.detail, ip=row.ip,
        prev_hash=row.prev_hash,
    )  # fmt: skip


def assert_linked(rows: list[AuditRecord]) -> None:
    """seq 1, 2, 3…; the first links to "", each next to its predecessor; hashes recompute."""
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert [r.prev_hash for r in rows] == ["", *[r.hash for r in rows[:-1]]]
    for row in rows:
        assert len(row.hash) == 64
        assert row.hash == rehash(row)
    assert len({r.hash for r in rows}) == len(rows)


def add_person(family: str = "山田") -> Person:
    household = Household.objects.create(
        household_no=next_number("household"), town="本町", banchi="1-2-3"
    )
    return Person.objects.create(
        atena_no=next_number("person"), household=household, family_name=family,
        given_name="太郎", family_kana="ヤマダ", given_kana="タロウ",
        birth_date=dt.date(1980, 4, 1), sex=1, relationship="世帯主",
    )  # fmt: skip


@contextmanager
def clock_at(monkeypatch: pytest.MonkeyPatch, when: dt.datetime) -> Iterator[None]:
    """Records appended in the block carry ``when`` as their time (the writer's clock only)."""
    with monkeypatch.context() as patch:
        patch.setattr(audit_writer, "timezone", SimpleNamespace(now=lambda: when))
        yield


# --- chains, sequence and links (in the test's transaction) -----------------------------------


@pytest.mark.django_db
def test_records_land_in_their_municipalitys_chain_in_sequence(make_tenant: Callable) -> None:
    a, b = make_tenant(name="甲市"), make_tenant(name="乙町")
    clerk = Actor(account_id=41, username="kou.clerk", ip="192.0.2.10")
    before = timezone.now()
    with tenant_scope(a.code, actor=clerk, purpose="住民票の写しの交付"):
        record(AuditAction.READ, object_type="atena.person", object_id=1001)
        record(AuditAction.CHANGE, object_type="atena.person", object_id=1001, purpose="転居届")
    with tenant_scope(b.code):
        record(AuditAction.ISSUE, object_type="juki.certificate", object_id="c-1")
    with tenant_scope(a.code, actor=clerk):
        record(AuditAction.ISSUE, object_type="juki.certificate", object_id="c-2",
               detail={"copies": 2, "kind": "住民票の写し"})  # fmt: skip
    after = timezone.now()

    rows = chain_rows(a.code)
    assert [(r.action, r.object_type, r.object_id, r.purpose) for r in rows] == [
        ("read", "atena.person", "1001", "住民票の写しの交付"),
        ("change", "atena.person", "1001", "転居届"),
        ("issue", "juki.certificate", "c-2", ""),
    ]
    assert {(r.chain, r.tenant_id, r.actor, r.actor_id, r.ip) for r in rows} == {
        (a.code, a.code, "kou.clerk", 41, "192.0.2.10")
    }
    assert rows[2].detail == {"copies": 2, "kind": "住民票の写し"}
    assert all(before <= r.occurred_at <= after for r in rows)
    assert_linked(rows)
    assert chain_head(a.code) == (3, rows[-1].hash)

    # The other municipality's chain is independent: its own seq 1, its own first link.
    other = chain_rows(b.code)
    assert [(r.seq, r.prev_hash, r.action, r.actor, r.actor_id) for r in other] == [
        (1, "", "issue", "system", None)
    ]
    assert other[0].tenant_id == b.code
    assert_linked(other)
    assert chain_head(b.code) == (1, other[0].hash)

    # Row-level security: from A's scope nothing of B's chain is visible, and vice versa.
    with tenant_scope(a.code):
        assert AuditRecord.objects.filter(chain=b.code).count() == 0
        assert AuditRecord.objects.exclude(tenant_id=a.code).count() == 0
    with tenant_scope(b.code):
        assert AuditRecord.objects.filter(chain=a.code).count() == 0

    # Registering each municipality went to the platform chain, not to the municipality's.
    with no_tenant_scope():
        created = AuditRecord.objects.filter(chain=PLATFORM_CHAIN, object_id__in=[a.code, b.code])
        assert sorted((r.object_id, r.action, r.tenant_id, r.detail["op"]) for r in created) == (
            sorted([(a.code, "manage", None, "create"), (b.code, "manage", None, "create")])
        )
    with tenant_scope(a.code):
        assert verify_chain(a.code).problem is None
        assert verify_chain(a.code).records == 3


@pytest.mark.django_db
def test_a_scopes_records_are_appended_in_two_statements(make_tenant: Callable) -> None:
    """Every request that reads personal data appends: the chain's head is locked, then the
    records and the moved head are written by one statement, not one each."""
    from django.test.utils import CaptureQueriesContext

    tenant = make_tenant()
    with tenant_scope(tenant.code):
        record(AuditAction.READ, object_type="atena.person", object_id=1)  # the head exists
    clerk = Actor(account_id=7, username="clerk")
    with CaptureQueriesContext(connection) as queries, tenant_scope(tenant.code, actor=clerk):
        record(AuditAction.READ, object_type="atena.person", object_id=2)
        record(AuditAction.READ, object_type="atena.person", object_id=3, detail={"a": [1]})
    audit = [q["sql"] for q in queries if "platform_audit" in q["sql"]]
    assert len(audit) == 2 and "FOR UPDATE" in audit[0]
    assert audit[1].startswith("WITH added AS (INSERT INTO platform_auditrecord")
    rows = chain_rows(tenant.code)
    appended = [(r.seq, r.object_id, r.detail) for r in rows[1:]]
    assert appended == [(2, "2", {}), (3, "3", {"a": [1]})]
    assert_linked(rows)
    assert chain_head(tenant.code) == (3, rows[-1].hash)
    assert verify_chain(tenant.code).problem is None


@pytest.mark.django_db
def test_a_record_for_another_chain_is_appended_there_at_once(make_tenant: Callable) -> None:
    a, b = make_tenant(), make_tenant()
    platform_before = len(chain_rows(PLATFORM_CHAIN))
    with tenant_scope(a.code, actor=Actor(account_id=5, username="a.admin")):
        record(AuditAction.MANAGE, object_type="tenant", object_id=b.code, tenant_code=b.code)
        record(AuditAction.MANAGE, object_type="platform", object_id="x", tenant_code=None)
        record(AuditAction.READ, object_type="atena.person", object_id=7)
    assert [(r.seq, r.action, r.object_id, r.actor) for r in chain_rows(b.code)] == [
        (1, "manage", b.code, "a.admin")
    ]
    assert [(r.seq, r.action, r.object_id) for r in chain_rows(a.code)] == [(1, "read", "7")]
    platform = chain_rows(PLATFORM_CHAIN)
    assert len(platform) == platform_before + 1
    assert (platform[-1].object_type, platform[-1].tenant_id, platform[-1].actor) == (
        "platform", None, "a.admin"
    )  # fmt: skip
    assert platform[-1].prev_hash == platform[-2].hash


@pytest.mark.django_db
def test_a_rolled_back_scope_leaves_no_record(make_tenant: Callable) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        record(AuditAction.CHANGE, object_type="atena.person", object_id=1)
    head = chain_head(tenant.code)

    with pytest.raises(RuntimeError, match="取消"), tenant_scope(tenant.code):
        record(AuditAction.CHANGE, object_type="atena.person", object_id=2)
        raise RuntimeError("取消")

    assert [r.object_id for r in chain_rows(tenant.code)] == ["1"]
    assert chain_head(tenant.code) == head
    # The next record continues the chain without a gap.
    with tenant_scope(tenant.code):
        record(AuditAction.CHANGE, object_type="atena.person", object_id=3)
    rows = chain_rows(tenant.code)
    assert [(r.seq, r.object_id) for r in rows] == [(1, "1"), (2, "3")]
    assert_linked(rows)


@pytest.mark.django_db
def test_a_record_with_a_float_in_its_detail_verifies(make_tenant: Callable) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        record(AuditAction.ISSUE, object_type="juki.certificate", detail={"fee": 1e16})
    with tenant_scope(tenant.code):
        assert verify_chain(tenant.code).problem is None


@pytest.mark.django_db
def test_a_rolled_back_nested_scope_leaves_no_record(make_tenant: Callable) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        record(AuditAction.CHANGE, object_type="atena.person", object_id="kept")
        with pytest.raises(RuntimeError), tenant_scope(tenant.code):
            record(AuditAction.CHANGE, object_type="atena.person", object_id="rolled-back")
            raise RuntimeError("取消")
    assert [r.object_id for r in chain_rows(tenant.code)] == ["kept"]


# --- what is recorded: reads and logins -------------------------------------------------------


@pytest.mark.django_db
def test_reading_a_person_writes_a_read_record_with_the_purpose(make_tenant: Callable) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        person = add_person()
    clerk = Actor(account_id=77, username="imizu.clerk", ip="198.51.100.7")
    with tenant_scope(tenant.code, actor=clerk):
        found = person_get(atena_no=person.atena_no, purpose="児童手当の認定審査")
        assert found.pk == person.pk
        with pytest.raises(NotFound, match=PERSON_NOT_FOUND):
            person_get(atena_no=person.atena_no + 1_000_000, purpose="誤入力")
    # One READ record: a person not found is no read of a person's record.
    reads = [r for r in chain_rows(tenant.code) if r.action == AuditAction.READ]
    assert [
        (r.object_type, r.object_id, r.purpose, r.actor, r.actor_id, r.ip, r.tenant_id)
        for r in reads
    ] == [
        ("atena.person", str(person.atena_no), "児童手当の認定審査", "imizu.clerk", 77,
         "198.51.100.7", tenant.code)
    ]  # fmt: skip


@pytest.mark.django_db
def test_reading_a_person_without_a_purpose_records_the_scopes_purpose(
    make_tenant: Callable,
) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        person = add_person()
    with tenant_scope(tenant.code, purpose="児童手当 現況確認（一括）"):
        person_get(atena_no=person.atena_no)
    [read] = [r for r in chain_rows(tenant.code) if r.action == AuditAction.READ]
    assert read.purpose == "児童手当 現況確認（一括）"


@pytest.mark.django_db
def test_login_and_logout_are_recorded(make_tenant: Callable, make_account: Callable) -> None:
    tenant = make_tenant()
    clerk = make_account(tenant, username=f"clerk-{tenant.code}")
    client = Client()
    response = client.post("/login/", {"username": clerk.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post("/logout/")
    assert response.status_code == 302

    rows = chain_rows(tenant.code)
    # account_create's own MANAGE record comes first.
    assert [(r.seq, r.action) for r in rows] == [(1, "manage"), (2, "login"), (3, "logout")]
    for row in rows[1:]:
        assert (row.object_type, row.object_id, row.actor, row.actor_id, row.ip) == (
            "account", clerk.username, clerk.username, clerk.pk, "127.0.0.1"
        )  # fmt: skip
    assert_linked(rows)


@pytest.mark.django_db
def test_a_failed_login_is_recorded(make_tenant: Callable, make_account: Callable) -> None:
    tenant = make_tenant()
    clerk = make_account(tenant, username=f"clerk-{tenant.code}")
    client = Client()
    response = client.post("/login/", {"username": clerk.username, "password": "wrong-password!"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated

    rows = chain_rows(tenant.code)
    assert [r.action for r in rows] == ["manage", "login_failed"]
    failed = rows[-1]
    assert (failed.object_id, failed.actor, failed.actor_id, failed.ip, failed.detail) == (
        clerk.username, clerk.username, clerk.pk, "127.0.0.1", {"reason": "bad password"}
    )  # fmt: skip

    # An unknown user name belongs to no municipality: the platform chain records it.
    name = f"nobody-{tenant.code}"
    client.post("/login/", {"username": name, "password": "whatever-password"})
    unknown = [r for r in chain_rows(PLATFORM_CHAIN) if r.object_id == name]
    assert [(r.action, r.tenant_id, r.actor, r.actor_id, r.detail) for r in unknown] == [
        ("login_failed", None, name, None, {"reason": "unknown user"})
    ]


# --- append-only: the application role may not change or remove records ----------------------


DENIED = "permission denied for table platform_auditrecord"


@pytest.mark.django_db
def test_the_application_role_cannot_update_or_delete_audit_records(
    make_tenant: Callable,
) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        record(AuditAction.READ, object_type="atena.person", object_id=1, purpose="照会")
    original = chain_rows(tenant.code)[0]
    with tenant_scope(tenant.code):
        for sql in (
            "UPDATE platform_auditrecord SET purpose = '改竄' WHERE id = %s",
            "DELETE FROM platform_auditrecord WHERE id = %s",
            "TRUNCATE platform_auditrecord",
        ):
            with (
                pytest.raises(ProgrammingError, match=DENIED),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [original.id] if "%s" in sql else None)
        # The ORM goes through the same grants.
        with pytest.raises(ProgrammingError, match=DENIED), transaction.atomic():
            AuditRecord.objects.filter(pk=original.pk).update(purpose="改竄")
        with pytest.raises(ProgrammingError, match=DENIED), transaction.atomic():
            AuditRecord.objects.filter(pk=original.pk).delete()
    [after] = chain_rows(tenant.code)
    assert (after.id, after.purpose, after.hash) == (original.id, "照会", original.hash)


# --- tamper detection on committed data, with the real CLI ------------------------------------


def _committed_chain(records: int) -> tuple[Tenant, list[AuditRecord]]:
    tenant = tenant_create(code=new_tenant_code(), name="監査試験市", population=100)
    for i in range(1, records + 1):
        with tenant_scope(tenant.code, actor=Actor(account_id=i, username=f"clerk{i}"),
                          purpose=f"目的{i}"):  # fmt: skip
            record(AuditAction.READ, object_type="atena.person", object_id=1000 + i)
    rows = chain_rows(tenant.code)
    assert [r.seq for r in rows] == list(range(1, records + 1))
    return tenant, rows


def test_verify_exits_zero_on_an_intact_database(committed_db: None) -> None:
    tenant, rows = _committed_chain(3)
    result = kyodo("audit", "verify")
    assert result.returncode == 0, result.stderr
    assert f"OK\tchain {tenant.code}\t3 records\n" in result.stdout
    assert "OK\tchain -\t" in result.stdout
    assert "BROKEN" not in result.stdout
    assert result.stderr == ""
    assert chain_head(tenant.code) == (3, rows[-1].hash)


def test_verify_is_not_fooled_by_an_append_while_it_runs(
    committed_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, _rows = _committed_chain(2)

    def append_elsewhere() -> None:  # another worker: its own thread, its own connection
        try:
            with tenant_scope(tenant.code):
                record(AuditAction.READ, object_type="atena.person", object_id=9999)
        finally:
            connection.close()

    real_hash = verify_module.record_hash
    appended: list[bool] = []

    def hash_while_someone_appends(**fields: object) -> str:
        if not appended:
            appended.append(True)
            worker = threading.Thread(target=append_elsewhere)
            worker.start()
            worker.join()
        return real_hash(**fields)  # type: ignore[arg-type]

    monkeypatch.setattr(verify_module, "record_hash", hash_while_someone_appends)
    with tenant_scope(tenant.code):
        result = verify_chain(tenant.code)
    assert appended == [True]
    assert [r.seq for r in chain_rows(tenant.code)] == [1, 2, 3]  # the chain is intact
    assert result.problem is None


TAMPERING = {
    # what the owner does to the chain of 4 records → what verify must name
    "altered": (
        "UPDATE platform_auditrecord SET purpose = '改竄' WHERE chain = %s AND seq = 2",
        "chain {code} record seq=2 id={id2}: content does not match its hash (altered)",
    ),
    "middle removed": (
        "DELETE FROM platform_auditrecord WHERE chain = %s AND seq = 2",
        "chain {code} record seq=3 id={id3}: sequence gap, expected seq=2 (a record was removed)",
    ),
    "newest removed": (
        "DELETE FROM platform_auditrecord WHERE chain = %s AND seq = 4",
        "chain {code}: the head records seq=4 but the last record found is seq=3 "
        "(records at the end were removed or the head was altered)",
    ),
}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_verify_names_the_first_broken_record(committed_db: None, kind: str) -> None:
    tenant, rows = _committed_chain(4)
    code = tenant.code
    sql, expected = TAMPERING[kind]
    problem = expected.format(code=code, id2=rows[1].id, id3=rows[2].id)
    with owner_connection() as owner:
        # The owner is subject to FORCEd row-level security too: select the municipality.
        owner.execute("SELECT set_config('kyodo.tenant', %s, false)", [code])
        owner.execute(
            "CREATE TEMP TABLE saved AS SELECT * FROM platform_auditrecord WHERE chain = %s",
            [code],
        )
        try:
            changed = owner.execute(sql, [code]).rowcount
            assert changed == 1
            result = kyodo("audit", "verify")
            assert result.returncode == 1
            assert f"BROKEN\tchain {code}\t" in result.stdout
            assert result.stderr == f"CommandError: audit chain broken: {problem}\n"
        finally:
            owner.execute("DELETE FROM platform_auditrecord WHERE chain = %s", [code])
            owner.execute("INSERT INTO platform_auditrecord SELECT * FROM saved")
    # Restored exactly: the chain verifies again (later tests run `verify` on the database).
    restored = chain_rows(code)
    assert [(r.id, r.hash, r.purpose) for r in restored] == [
        (r.id, r.hash, r.purpose) for r in rows
    ]
    with tenant_scope(code):
        assert verify_chain(code).problem is None


# --- export -----------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.django_db
def test_export_writes_the_municipalitys_records_since_the_date(
    make_tenant: Callable, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    a, b = make_tenant(), make_tenant()
    moments = [
        dt.datetime(2024, 3, 1, 9, 0, tzinfo=JST),
        dt.datetime(2024, 3, 31, 23, 59, 59, 999999, tzinfo=JST),  # the day before: excluded
        dt.datetime(2024, 4, 1, 0, 0, tzinfo=JST),  # midnight in Japan: included
        dt.datetime(2024, 5, 2, 10, 30, tzinfo=JST),
    ]
    clerk = Actor(account_id=9, username="a.clerk", ip="203.0.113.5")
    for i, when in enumerate(moments, start=1):
        for tenant in (a, b):
            with clock_at(monkeypatch, when), tenant_scope(tenant.code, actor=clerk):
                record(AuditAction.READ, object_type="atena.person", object_id=i,
                       purpose=f"照会{i}", detail={"n": i})  # fmt: skip
    out = tmp_path / "audit.csv"
    stdout, stderr = _call("audit", "export", "--tenant", a.code, "--since", "2024-04-01",
                           "--out", str(out))  # fmt: skip
    assert stdout == ""
    assert stderr == f"wrote 2 records to {out}\n"
    assert not Path(f"{out}.partial").exists()

    rows = chain_rows(a.code)
    table = _read_csv(out)
    assert table[0] == EXPORT_HEADER
    assert table[1:] == [
        [str(r.seq), r.occurred_at.isoformat(), a.code, "a.clerk", "9", "read", "atena.person",
         str(r.object_id), r.purpose, "203.0.113.5", f'{{"n": {r.seq}}}', r.prev_hash, r.hash]
        for r in rows[2:4]
    ]  # fmt: skip
    assert [line[1] for line in table[1:]] == [
        "2024-03-31T15:00:00+00:00",
        "2024-05-02T01:30:00+00:00",
    ]

    # The export itself is recorded, in the municipality's chain, after what it exported.
    assert len(rows) == 5
    export = rows[4]
    assert (export.action, export.object_type, export.object_id, export.purpose) == (
        "export", "audit", a.code, "監査ログ出力"
    )  # fmt: skip
    assert export.detail == {"since": "2024-04-01", "rows": 2}
    assert_linked(rows)
    # The other municipality's chain got no export record.
    assert [r.action for r in chain_rows(b.code)] == ["read"] * 4


@pytest.mark.django_db
def test_export_to_standard_output_and_since_a_later_date(
    make_tenant: Callable, capsys: pytest.CaptureFixture[str]
) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        record(AuditAction.ISSUE, object_type="juki.certificate", object_id="c-1")
    tomorrow = (timezone.now().astimezone(JST) + dt.timedelta(days=1)).date().isoformat()
    capsys.readouterr()
    call_command("audit", "export", "--tenant", tenant.code, "--since", tomorrow)
    printed = capsys.readouterr().out
    assert printed.splitlines() == [",".join(EXPORT_HEADER)]
    export = chain_rows(tenant.code)[-1]
    assert (export.seq, export.action, export.detail) == (
        2, "export", {"since": tomorrow, "rows": 0}
    )  # fmt: skip


@pytest.mark.django_db
def test_a_failed_export_leaves_no_file_and_no_record(
    make_tenant: Callable, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        record(AuditAction.READ, object_type="atena.person", object_id=1)
    out = tmp_path / "audit.csv"

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("kyodo.platform.management.commands.audit.record", broken)
    with pytest.raises(OSError, match="disk full"):
        _call("audit", "export", "--tenant", tenant.code, "--since", "2000-01-01",
              "--out", str(out))  # fmt: skip
    assert sorted(tmp_path.iterdir()) == []
    # A file already there is left as it was.
    out.write_text("earlier export\n", encoding="utf-8")
    with pytest.raises(OSError, match="disk full"):
        _call("audit", "export", "--tenant", tenant.code, "--since", "2000-01-01",
              "--out", str(out))  # fmt: skip
    assert sorted(tmp_path.iterdir()) == [out]
    assert out.read_text(encoding="utf-8") == "earlier export\n"
    assert [r.action for r in chain_rows(tenant.code)] == ["read"]


def test_export_on_the_command_line(committed_db: None, tmp_path: Path) -> None:
    tenant, rows = _committed_chain(3)
    since = (timezone.now().astimezone(JST) - dt.timedelta(days=1)).date().isoformat()
    out = tmp_path / "trail.csv"
    result = kyodo("audit", "export", "--tenant", tenant.code, "--since", since, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote 3 records to {out}\n"
    table = _read_csv(out)
    assert table[0] == EXPORT_HEADER
    assert [(line[0], line[2], line[7], line[8], line[12]) for line in table[1:]] == [
        (str(r.seq), tenant.code, r.object_id, r.purpose, r.hash) for r in rows
    ]
    after = chain_rows(tenant.code)
    assert [(r.seq, r.action, r.detail) for r in after[3:]] == [
        (4, "export", {"since": since, "rows": 3})
    ]
    with tenant_scope(tenant.code):
        assert verify_chain(tenant.code).problem is None
