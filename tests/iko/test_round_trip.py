"""Export → import into a fresh municipality → export again gives the same files (issue 6:
lossless round trip), with names carrying IVS and characters outside the BMP."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kyodo.atena.models import Person
from kyodo.atena.selectors import person_by_my_number
from kyodo.iko.export import export_tenant
from kyodo.iko.load import import_tenant
from kyodo.platform.crypto import decrypt
from kyodo.platform.models import AuditRecord
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from kyodo.units.juki.models import JuminRecord
from kyodo.units.shuno.models import Chotei
from kyodo.units.zei_kojin.models import Kazei
from tests.conftest import new_tenant_code
from tests.iko.builders import IVS_KATSURAGI, KICHI, Resident, build
from tests.juki.helpers import my_number


def _fresh() -> str:
    return tenant_create(code=new_tenant_code(), name="試験市", population=1000).code


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "export.json"}


def test_export_import_export_gives_the_same_files(committed_db: None, tmp_path: Path) -> None:
    source = _fresh()
    build(source)
    first = tmp_path / "first"
    manifest = export_tenant(source, first)
    counts = {f["file"]: f["rows"] for f in manifest["files"]}
    # Every unit is there, not only the registry.
    for file in ("03_atena_kojin.csv", "12_juki_jumin_rireki.csv", "kokuho_shikaku.csv",
                 "kokuho_shotoku.csv", "zei_kojin_kazei.csv", "shuno_chotei.csv",
                 "00_jorei_parameter.csv", "90_renkei_event.csv"):  # fmt: skip
        assert counts[file] > 0, file
    text = (first / "03_atena_kojin.csv").read_text(encoding="utf-8")
    assert IVS_KATSURAGI in text and KICHI in text
    assert my_number("12345678900") in text  # 個人番号 travels in clear (the new system encrypts)
    info = json.loads((first / "export.json").read_text(encoding="utf-8"))
    assert info["tenant"]["code"] == source

    target = _fresh()
    result = import_tenant(target, first)
    assert result.loaded and result.problems.count == 0, result.problems.shown
    second = tmp_path / "second"
    export_tenant(target, second)
    assert _files(first) == _files(second)

    with tenant_scope(target):
        person = Person.objects.get(family_name=IVS_KATSURAGI)
        # Encrypted again with this system's keys, and found by its blind index.
        assert decrypt(person.my_number) == my_number("12345678900")
        assert person_by_my_number(my_number("12345678900")) == person
        assert JuminRecord.objects.filter(atena_no=person.atena_no).count() >= 1
        assert Kazei.objects.count() == counts["zei_kojin_kazei.csv"]
        assert Chotei.objects.count() == counts["shuno_chotei.csv"]


NAMES = st.sampled_from(
    ["山田", IVS_KATSURAGI, KICHI, "髙橋", "齋藤", "渡邊", "辻\U000e0101", "𩸽野", "佐々木"]
)


@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example builds two towns
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(
        st.builds(
            Resident,
            family=NAMES,
            given=st.sampled_from(["太郎", "花子", "𠀋", "咲\U000e0100"]),
            birth=st.dates(dt.date(1930, 1, 1), dt.date(2024, 12, 31)),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda r: (r.family, r.given, r.birth),  # one person moves in once
    )
)
def test_round_trip_property(committed_db: None, people: list[Resident]) -> None:
    source = _fresh()
    build(source, people)
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "a", Path(folder) / "b"
        export_tenant(source, first)
        target = _fresh()
        assert import_tenant(target, first).loaded
        export_tenant(target, second)
        assert _files(first) == _files(second)


@pytest.mark.parametrize("encoding", ["cp932"])
def test_a_legacy_encoding_reports_what_it_cannot_carry(
    committed_db: None, tmp_path: Path, encoding: str
) -> None:
    source = _fresh()
    build(source)
    manifest = export_tenant(source, tmp_path / "sjis", encoding=encoding)
    lost = {(x["file"], x["character"]) for x in manifest["lossy"]}
    assert ("03_atena_kojin.csv", IVS_KATSURAGI[:2]) in lost  # 葛 + its selector
    assert ("03_atena_kojin.csv", KICHI[0]) in lost
    assert all(x["line"] >= 2 and x["item"] for x in manifest["lossy"])
    text = (tmp_path / "sjis" / "03_atena_kojin.csv").read_bytes().decode("cp932")
    assert "〓田" in text and "葛城" in text  # replaced; 葛 itself is in the legacy set


def test_the_cli_exports_with_the_audit_trail_and_records_the_export(
    committed_db: None, tmp_path: Path
) -> None:
    source = _fresh()
    build(source)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export", "--tenant", source, "--out", str(tmp_path / "x"), "--with-audit",
        stdout=out, stderr=err,
    )  # fmt: skip
    summary = json.loads(out.getvalue())
    assert summary["files"] >= 40 and summary["rows"] > 0 and summary["lossy"] == 0
    assert "出力 03_atena_kojin.csv: 3 件" in err.getvalue()  # progress, file by file
    info = json.loads((tmp_path / "x" / "export.json").read_text(encoding="utf-8"))
    audit = (tmp_path / "x" / "99_kansa_kiroku.csv").read_text(encoding="utf-8").splitlines()
    assert (
        audit[0].startswith("連番,日時,操作者,操作")
        and len(audit) - 1 == info["audit_trail"]["rows"] > 0
    )
    with tenant_scope(source):
        exported = AuditRecord.objects.filter(action="export", object_type="iko.export")
        assert exported.count() == 1  # a mass read of personal data is on the trail too
    # The archive is not a layout: an import takes the folder as it is and leaves it aside.
    assert import_tenant(_fresh(), tmp_path / "x").loaded
    with pytest.raises(CommandError, match="空ではありません"):
        call_command("export", "--tenant", source, "--out", str(tmp_path / "x"))
