"""Backups with PostgreSQL's own tools, encrypted with age, in generations; restore and verify
(issue 7). These need committed data: pg_dump reads through a connection of its own."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command

from kyodo.atena.models import Person
from kyodo.ops.backup import roles
from kyodo.ops.backup.catalogue import generations, prune
from kyodo.ops.backup.restore import restore, verify
from kyodo.ops.backup.ship import ship
from kyodo.ops.backup.take import DUMP, take
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from tests.conftest import new_tenant_code
from tests.platform.test_isolation import add_person

pytestmark = pytest.mark.skipif(
    not os.environ.get("KYODO_BACKUP_DATABASE_URL"), reason="needs the backup role"
)
TODAY = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)


def _scratch_database() -> str:
    import secrets

    name = f"kyodo_drill_{secrets.token_hex(4)}"
    with psycopg.connect(roles.owner("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')
    return name


def _drop(name: str) -> None:
    from kyodo.ops.backup.restore import _drop as drop

    drop(roles.owner("postgres"), name)


def _names_in(database: str, tenant: str) -> set[str]:
    with psycopg.connect(roles.reader(database)) as conn:
        rows = conn.execute(
            "SELECT family_name FROM atena_person WHERE tenant_id = %s", [tenant]
        ).fetchall()
    return {r[0] for r in rows}


def test_the_restore_drill_brings_back_the_generation_of_a_week_ago(
    committed_db: None, tmp_path: Path
) -> None:
    """Daily backups for two weeks, pruned to the retention; the one of a week ago is
    restored into an empty database and holds exactly what existed then."""
    tenant = tenant_create(code=new_tenant_code(), name="訓練市", population=10)
    shots = {}
    for days_ago in (9, 8, 7, 6, 1):
        with tenant_scope(tenant.code):
            add_person(family=f"訓練{days_ago}")
        shots[days_ago] = take(to=tmp_path, now=TODAY - dt.timedelta(days=days_ago))
    for days_ago in range(14, 9, -1):  # older generations, copies (pg_dump is not the point)
        older = tmp_path / shots[9].path.name.replace(
            (TODAY - dt.timedelta(days=9)).strftime("%Y%m%d"),
            (TODAY - dt.timedelta(days=days_ago)).strftime("%Y%m%d"),
        )
        manifest = dict(shots[9].manifest)
        manifest["taken_at"] = (TODAY - dt.timedelta(days=days_ago)).isoformat()
        older.mkdir()
        for f in shots[9].path.iterdir():
            (older / f.name).write_bytes(f.read_bytes())
        (older / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert len(generations(tmp_path)) == 10
    removed = prune(tmp_path, daily=3, weekly=2)
    kept = {b.path.name for b in generations(tmp_path)}
    assert shots[7].path.name in kept and len(removed) == 10 - len(kept)

    week_old = shots[7]
    assert not (week_old.path / DUMP).read_bytes().startswith(b"PGDMP")  # encrypted
    assert verify(week_old.path).ok
    database = _scratch_database()
    try:
        restore(week_old.path, database=database)
        assert {f"訓練{d}" for d in (9, 8, 7)} <= _names_in(database, tenant.code)
        assert not {"訓練6", "訓練1"} & _names_in(database, tenant.code)
        with pytest.raises(ValidationFailed, match="空ではありません"):
            restore(week_old.path, database=database)  # only into an empty database
    finally:
        _drop(database)


def test_verify_finds_a_damaged_backup_and_a_failed_backup_leaves_no_generation(
    committed_db: None, tmp_path: Path
) -> None:
    backup = take(to=tmp_path, now=TODAY)
    dump = backup.path / DUMP
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    result = verify(backup.path)
    assert not result.ok and "壊れています" in result.problems[0]
    with pytest.raises(ValidationFailed, match="壊れています"):
        restore(backup.path, database="never_created")

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    with pytest.raises((ValidationFailed, OSError)):
        take(to=blocked, now=TODAY)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_one_municipality_is_backed_up_and_restored_without_touching_the_others(
    committed_db: None, tmp_path: Path
) -> None:
    source = tenant_create(code=new_tenant_code(), name="元市", population=10)
    other = tenant_create(code=new_tenant_code(), name="隣町", population=10)
    with tenant_scope(source.code):
        for n in range(3):
            add_person(family=f"元{n}")
    with tenant_scope(other.code):
        add_person(family="隣")
    backup = take(to=tmp_path, tenant=source.code, now=TODAY)
    assert backup.manifest["kind"] == "tenant"
    assert verify(backup.path).ok

    target = tenant_create(code=new_tenant_code(), name="戻し先市", population=10)
    out = io.StringIO()
    call_command(
        "restore", "--from", str(backup.path), "--tenant", target.code,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert json.loads(out.getvalue())["tenant"] == target.code
    with tenant_scope(target.code):
        assert sorted(Person.objects.values_list("family_name", flat=True)) == ["元0", "元1", "元2"]
    with tenant_scope(other.code):
        assert list(Person.objects.values_list("family_name", flat=True)) == ["隣"]


def test_one_municipality_comes_back_out_of_a_whole_backup_and_the_others_stay_as_they_are(
    committed_db: None, tmp_path: Path
) -> None:
    """The daily whole backup is what exists when one municipality's data is lost: that
    municipality alone is taken out of it (scratch database, migrated, exported in the
    standard layouts) and loaded into it, emptied, while its neighbour keeps what it did
    after the backup."""
    from kyodo.kyogikai.purge import purge

    lost = tenant_create(code=new_tenant_code(), name="失市", population=10)
    other = tenant_create(code=new_tenant_code(), name="隣村", population=10)
    with tenant_scope(lost.code):
        for n in range(2):
            add_person(family=f"失{n}")
    with tenant_scope(other.code):
        add_person(family="隣前")
    whole = take(to=tmp_path, now=TODAY)
    with tenant_scope(other.code):
        add_person(family="隣後")  # after the backup: must survive the restore

    purge(lost.code)  # its data is gone …
    tenant_create(code=lost.code, name="失市", population=10)  # … and it is registered again
    absent = new_tenant_code()
    tenant_create(code=absent, name="後発町", population=10)
    with pytest.raises(ValidationFailed, match="このバックアップ"):
        restore(whole.path, tenant=absent)  # it did not exist when the backup was taken

    out = io.StringIO()
    call_command(
        "restore", "--from", str(whole.path), "--tenant", lost.code,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert json.loads(out.getvalue())["tenant"] == lost.code
    with tenant_scope(lost.code):
        assert sorted(Person.objects.values_list("family_name", flat=True)) == ["失0", "失1"]
    with tenant_scope(other.code):
        assert sorted(Person.objects.values_list("family_name", flat=True)) == ["隣前", "隣後"]
    with pytest.raises(ValidationFailed):
        restore(whole.path, tenant=lost.code)  # only into an empty municipality
    with psycopg.connect(roles.owner("postgres")) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'kyodo_restore_%'"
        ).fetchone()
    assert left == (0,)  # the scratch databases are gone, the failed one's too


def test_a_shipped_copy_is_checked_against_the_manifest(committed_db: None, tmp_path: Path) -> None:
    backup = take(to=tmp_path / "here", now=TODAY)
    copy = ship(backup, str(tmp_path / "there"))
    assert isinstance(copy, Path) and verify(copy).ok
    assert not [p for p in (tmp_path / "there").iterdir() if p.name.startswith(".")]


@pytest.fixture
def full_disk(tmp_path: Path):
    """A 256 KiB file system (tmpfs; needs root, as the CI machine has): writing a backup
    there runs out of space part-way."""
    import subprocess

    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_during_a_backup_is_a_clear_error_and_leaves_nothing(
    committed_db: None, full_disk: Path
) -> None:
    """Fault test (issue 7 §6): the dump does not fit; the error says so, no partial
    generation is left to be mistaken for a backup, and the space is given back."""
    with tenant_scope(tenant_create(code=new_tenant_code(), name="満杯市", population=1).code):
        for n in range(20):
            add_person(family=f"満杯{n}")
    with pytest.raises(ValidationFailed, match=r"空き容量|書けませんでした"):
        take(to=full_disk, now=TODAY)
    assert list(full_disk.iterdir()) == []
    assert generations(full_disk) == []


def test_the_commands_take_list_verify_and_prune(committed_db: None, tmp_path: Path) -> None:
    def run(*args: str) -> dict:
        out = io.StringIO()
        call_command("backup", *args, "--to", str(tmp_path), stdout=out, stderr=io.StringIO())
        return json.loads(out.getvalue())

    taken = run()
    assert Path(taken["backup"]).is_dir() and "db.dump.age" in taken["files"]
    assert [b["path"] for b in run("list")["backups"]] == [taken["backup"]]
    assert run("verify", "--from-latest")["ok"] is True
    assert run("prune")["pruned"] == []
