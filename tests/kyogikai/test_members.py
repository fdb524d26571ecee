"""Members joining later (後乗り) through the standard layouts, and leaving: export, purge and
the check that nothing of them remains (issue 8). Committed data: the purge runs on the
schema owner's own connection, as in production."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from kyodo.atena.models import Person
from kyodo.iko.export import export_tenant
from kyodo.kyogikai import members
from kyodo.kyogikai.models import Member
from kyodo.kyogikai.purge import check
from kyodo.ops.backup import roles
from kyodo.ops.backup.take import take
from kyodo.platform.accounts.services import account_create
from kyodo.platform.models import Account, AuditRecord, Consortium, Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from tests.conftest import new_tenant_code
from tests.iko.builders import build

pytestmark = pytest.mark.skipif(
    not os.environ.get("KYODO_BACKUP_DATABASE_URL"), reason="needs the backup role"
)


def _consortium() -> Consortium:
    slug = f"toyama-{new_tenant_code()}"
    return Consortium.objects.create(slug=slug, name="富山県情報システム共同利用推進協議会")


def _source_folder(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """The newcomer's data as its previous system would hand it over (standard layouts)."""
    old = tenant_create(code=new_tenant_code(), name="旧システム町", population=3)
    build(old.code)
    folder = tmp_path / "from-old-system"
    manifest = export_tenant(old.code, folder)
    return folder, {f["file"]: f["rows"] for f in manifest["files"]}


def _rows_anywhere(code: str) -> int:
    """Rows of ``code`` in every table with a tenant column, read past row-level security."""
    with psycopg.connect(roles.reader()) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name = 'tenant_id'"
        ).fetchall()
        total = 0
        for (table,) in tables:
            total += conn.execute(
                f'SELECT count(*) FROM "{table}" WHERE tenant_id = %s',
                [code],
            ).fetchone()[0]
        total += conn.execute(
            "SELECT count(*) FROM platform_tenant WHERE code = %s", [code]
        ).fetchone()[0]
        total += conn.execute(
            "SELECT count(*) FROM platform_auditrecord WHERE chain = %s", [code]
        ).fetchone()[0]
    return total


def test_a_member_joins_later_and_leaves_without_a_trace(
    committed_db: None, tmp_path: Path
) -> None:
    consortium = _consortium()
    folder, handed_over = _source_folder(tmp_path)
    bystander = tenant_create(code=new_tenant_code(), name="隣町", population=2)
    build(bystander.code)
    with tenant_scope(bystander.code):
        bystander_people = Person.objects.count()

    code = new_tenant_code()
    member = members.join(
        consortium=consortium,
        code=code,
        name="後乗り町",
        population=26_000,
        joined_on=dt.date(2026, 10, 1),
        units=members.parse_units("juki,zei_kojin:2027,kokuho:2026-2030", default_start=2026),
        current_cost=250_000_000,
        folder=folder,
    )
    assert Tenant.objects.get(code=code).consortium == consortium
    assert {(u.unit, u.start_fy, u.end_fy) for u in member.units.all()} == {
        ("juki", 2026, None),
        ("zei_kojin", 2027, None),
        ("kokuho", 2026, 2030),
    }
    with tenant_scope(code):
        assert Person.objects.count() == 3  # the newcomer's residents, loaded
    clerk = account_create(
        username=f"clerk-{code}",
        password="correct-horse-battery-staple",
        tenant=Tenant.objects.get(code=code),
        roles=("juki.change",),
        check_password_strength=False,
    )

    logged_in = Client()
    logged_in.force_login(clerk)
    backups = tmp_path / "backups"
    backups.mkdir()
    with override_settings(KYODO_BACKUP_DIR=backups):
        take(to=backups, tenant=code)  # the member's own backup: goes with it
        whole = take(to=backups)  # the deployment's: holds it until the retention ends
        report = members.leave(member, export_to=tmp_path / "leaving", left_on=dt.date(2027, 3, 31))

    assert report.clean, list(report.lines())
    assert report.rows == {} and report.files == []
    assert [b["name"] for b in report.backups_held] == [whole.path.name]
    assert _rows_anywhere(code) == 0
    assert not Account.objects.filter(pk=clerk.pk).exists()
    assert member.purge_report["sessions_ended"] == 1  # the clerk was logged out
    assert logged_in.get("/").status_code == 302  # back to the login page
    assert not Tenant.objects.filter(code=code).exists()
    # The agreement's record stays, with the dates and the proof.
    member.refresh_from_db()
    assert member.left_on == dt.date(2027, 3, 31) and member.purged_at is not None
    assert member.purge_report["clean"] is True
    assert member.purge_report["deleted"]["atena_person"] == 3
    # Everything left with it: the export holds what was handed over (and its audit trail).
    exported = json.loads((tmp_path / "leaving" / "manifest.json").read_text(encoding="utf-8"))
    rows = {f["file"]: f["rows"] for f in exported["files"]}
    for file, n in handed_over.items():
        if file != "99_kansa_kiroku.csv" and n:
            assert rows[file] >= n, file
    info = json.loads((tmp_path / "leaving" / "export.json").read_text(encoding="utf-8"))
    assert info["audit_trail"]["rows"] > 0  # its audit trail, archived with it
    assert (tmp_path / "leaving" / "99_kansa_kiroku.csv").stat().st_size > 0
    # The neighbour is untouched, and the leave is on the platform's trail.
    with tenant_scope(bystander.code):
        assert Person.objects.count() == bystander_people
    leave = AuditRecord.objects.filter(
        chain="-", object_type="kyogikai.member", object_id=code
    ).values_list("detail", flat=True)
    assert [d["op"] for d in leave] == ["units", "join", "leave"]


def test_a_refused_newcomer_leaves_no_trace(committed_db: None, tmp_path: Path) -> None:
    consortium = _consortium()
    folder, _ = _source_folder(tmp_path)
    person_file = folder / "03_atena_kojin.csv"
    lines = person_file.read_text(encoding="utf-8").splitlines(keepends=True)
    person_file.write_text(lines[0] + lines[1].replace(",", ",X", 1), encoding="utf-8")
    code = new_tenant_code()
    with pytest.raises(members.ImportRefused) as refused:
        members.join(
            consortium=consortium,
            code=code,
            name="不備町",
            population=10,
            joined_on=dt.date(2026, 10, 1),
            units=[members.UnitTerm("juki", 2026)],
            folder=folder,
        )
    assert refused.value.result.problems.count > 0
    assert "03_atena_kojin.csv" in str(refused.value.result.problems.shown[0])
    assert not Tenant.objects.filter(code=code).exists()
    assert not Member.objects.filter(tenant_code=code).exists()


def test_the_purge_check_finds_what_remains(committed_db: None, tmp_path: Path) -> None:
    """A check that cannot fail proves nothing: before a purge it finds the rows, and a
    whole backup kept past its retention is reported."""
    code = tenant_create(code=new_tenant_code(), name="残存市", population=3).code
    build(code)
    backups = tmp_path / "backups"
    backups.mkdir()
    now = dt.datetime.now(dt.UTC)
    with override_settings(KYODO_BACKUP_DIR=backups):
        recent = take(to=backups, now=now - dt.timedelta(days=1))
        old = backups / "20260101T000000Z-all"
        old.mkdir()
        manifest = dict(recent.manifest, taken_at="2026-01-01T00:00:00+00:00")
        (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        own = take(to=backups, tenant=code)
        report = check(code, left_at=now)
    assert not report.clean
    assert report.rows["atena_person"] == 3
    assert report.rows["platform_tenant"] == 1
    assert report.files == [str(own.path)]
    assert report.backups_overdue == [old.name]
    assert [b["name"] for b in report.backups_held] == [recent.path.name]
    text = "\n".join(report.lines())
    assert "atena_person に 3 行が残っています" in text
    assert "保存期間を過ぎても残っています" in text
    assert "消去が完了していません" in text


def test_leave_and_purge_check_from_the_command_line(committed_db: None, tmp_path: Path) -> None:
    consortium = _consortium()
    code = new_tenant_code()
    call_command(
        "kyogikai", "member", "join", "--consortium", consortium.slug, "--code", code,
        "--name", "舟橋村", "--population", "3000", "--joined-on", "2026-04-01",
        "--units", "juki,kokuho",
    )  # fmt: skip
    build(code)
    backups = tmp_path / "backups"
    backups.mkdir()
    with override_settings(KYODO_BACKUP_DIR=backups):
        call_command(
            "kyogikai", "member", "leave", "--code", code, "--export-to",
            str(tmp_path / "out"), "--left-on", "2027-03-31",
        )  # fmt: skip
        call_command("kyogikai", "member", "purge-check", "--code", code)
    assert (tmp_path / "out" / "manifest.json").is_file()
    assert _rows_anywhere(code) == 0
