"""``kyodo juki …``: the command-line contract of the resident registry.

Most cases run the command in this process and transaction (``call_command``); the last ones run
the real console script against committed data, for the exit code, stdout and stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyodo.atena.models import Person
from kyodo.atena.numbering import is_valid
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from kyodo.units.juki.models import JuminRecord
from kyodo.units.juki.services.shussei_shibou import HEAD_DIED
from tests.conftest import new_tenant_code
from tests.juki.helpers import BASE, PREVIOUS, bad_my_number, counts, day, member_data, move_in_data

KYODO = Path(sys.executable).with_name("kyodo")


def call(*args: str) -> Any:
    out = StringIO()
    call_command("juki", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        call(*args)
    return str(failure.value)


def written(code: str) -> dict[str, int]:
    with tenant_scope(code):
        return counts()


def family_file(tmp_path: Path, *members: dict[str, Any], name: str = "family.json") -> Path:
    members = members or (
        member_data(),
        member_data(
            given_name="花子",
            given_kana="ハナコ",
            sex="F",
            relationship="妻",
            birth_date="1982-07-07",
        ),
    )
    path = tmp_path / name
    path.write_text(json.dumps(move_in_data(*members), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def code(db: None, make_tenant: Callable[..., Tenant]) -> str:
    return make_tenant().code


def test_move_in_prints_the_numbers(code: str, tmp_path: Path) -> None:
    printed = call("move-in", "--tenant", code, "--json", str(family_file(tmp_path)))
    assert set(printed) == {"household_no", "members"}
    assert all(set(m) == {"atena_no", "juminhyo_code"} for m in printed["members"])
    assert is_valid(printed["household_no"]) and len(printed["members"]) == 2
    with tenant_scope(code):
        for entry in printed["members"]:
            assert is_valid(entry["atena_no"]) and len(entry["juminhyo_code"]) == 11
            record = JuminRecord.objects.get(atena_no=entry["atena_no"])
            assert (record.household_no, record.juminhyo_code, record.previous_address) == (
                printed["household_no"],
                entry["juminhyo_code"],
                PREVIOUS,
            )
            assert record.idou.processed_by == "cli"
        assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"relationship": "孫"}, "members[1].relationship", "「子の子」"),
        ({"my_number": bad_my_number("12345678901")}, "members[1].my_number", "検査用数字"),
        ({"family_kana": "山田"}, "members[1].family_kana", "カタカナで入力してください"),
        ({"birth_date": "1982/07/07"}, "members[1].birth_date", "日付は YYYY-MM-DD です"),
        ({"relationship": "世帯主"}, "members[].relationship", "世帯主は1人でなければ"),
    ],
)
def test_a_bad_member_names_file_and_field_and_writes_nothing(
    code: str, tmp_path: Path, change: dict[str, str], field: str, reason: str
) -> None:
    path = family_file(tmp_path, member_data(), member_data(given_name="花子", **change))
    before = written(code)
    message = fails("move-in", "--tenant", code, "--json", str(path))
    assert message.startswith(f"{path}, field '{field}': ")
    assert reason in message
    assert written(code) == before


def test_move_in_file_errors(code: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"moved_on": "2026-04-01",\n  "members": [,]}', encoding="utf-8")
    before = written(code)
    assert fails("move-in", "--tenant", code, "--json", str(broken)).startswith(
        f"{broken}, line 2: JSONとして読めません"
    )
    missing = tmp_path / "missing.json"
    assert fails("move-in", "--tenant", code, "--json", str(missing)) == (
        f"{missing}: ファイルがありません"
    )
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({**move_in_data(), "members": []}), encoding="utf-8")
    assert fails("move-in", "--tenant", code, "--json", str(empty)) == (
        f"{empty}, field 'members': 1件以上の配列が必要です"
    )
    other = new_tenant_code()
    assert "登録されていません" in fails(
        "move-in", "--tenant", other, "--json", str(family_file(tmp_path))
    )
    assert written(code) == before


def test_show_move_out_and_death(code: str, tmp_path: Path) -> None:
    printed = call("move-in", "--tenant", code, "--json", str(family_file(tmp_path)))
    head, wife = (m["atena_no"] for m in printed["members"])
    shown = call(
        "show", "--tenant", code, "--atena-no", str(wife), "--as-of", "2026-04-01", "--json"
    )
    assert (shown["atena_no"], shown["rireki_no"], shown["status"]) == (wife, 1, "jumin")
    assert shown["idou"] == {
        "kind": "tenyu",
        "group": "kisai",
        "date": "2026-04-01",
        "notified_on": "2026-04-01",
    }
    assert (shown["household_no"], shown["relationship"], shown["given_name"]) == (
        printed["household_no"],
        "妻",
        "花子",
    )
    assert shown["address"] == {
        "postal_code": "939-0000",
        "town": "本町",
        "banchi": "1-2-3",
        "katagaki": "",
    }
    assert "my_number" not in shown
    assert (
        fails("show", "--tenant", code, "--atena-no", str(wife), "--as-of", "2026-03-31", "--json")
        == f"field 'atena_no': 宛名番号 {wife} は 2026-03-31 時点で住民票に記載されていません"
    )
    assert "宛名番号は数字です" in fails("show", "--tenant", code, "--atena-no", "12a", "--json")
    assert "--as-of: 日付は YYYY-MM-DD です" in fails(
        "show", "--tenant", code, "--atena-no", str(wife), "--as-of", "2026-02-30"
    )

    out = call(
        "move-out",
        "--tenant",
        code,
        "--atena-no",
        str(wife),
        "--moved-on",
        day(40).isoformat(),
        "--notified-on",
        day(35).isoformat(),
        "--to",
        "大阪府",
    )
    assert out["status"] == "tenshutsu_yotei"
    confirmed = call(
        "move-out-confirm",
        "--tenant",
        code,
        "--atena-no",
        str(wife),
        "--moved-in-on",
        day(38).isoformat(),
    )
    assert (confirmed["status"], confirmed["shojo_date"]) == ("tenshutsu", day(38).isoformat())
    removed = call("show", "--tenant", code, "--atena-no", str(wife), "--json")
    assert (removed["status"], removed["shojo_date"]) == ("tenshutsu", day(38).isoformat())
    assert "転出予定がありません" in fails(
        "move-out-confirm",
        "--tenant",
        code,
        "--atena-no",
        str(wife),
        "--moved-in-on",
        day(38).isoformat(),
    )

    before = written(code)
    assert "死亡日が未来" in fails(
        "death", "--tenant", code, "--atena-no", str(head), "--died-on", "2999-01-01"
    )
    assert written(code) == before
    died = call(
        "death", "--tenant", code, "--atena-no", str(head), "--died-on", day(60).isoformat()
    )
    assert (died["status"], died["notices"]) == ("shibou", [])
    assert call("show", "--tenant", code, "--atena-no", str(head), "--json")["shojo_date"] == (
        day(60).isoformat()
    )
    assert "現在の住民ではありません" in fails(
        "death", "--tenant", code, "--atena-no", str(head), "--died-on", day(61).isoformat()
    )


def test_the_death_of_a_head_prints_the_notice(code: str, tmp_path: Path) -> None:
    printed = call("move-in", "--tenant", code, "--json", str(family_file(tmp_path)))
    head = printed["members"][0]["atena_no"]
    died = call("death", "--tenant", code, "--atena-no", str(head), "--died-on", day(9).isoformat())
    assert died["notices"] == [HEAD_DIED]


# --- the real console script ------------------------------------------------------------------


def kyodo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KYODO), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def test_move_in_and_show_on_the_command_line(committed_db: None, tmp_path: Path) -> None:
    tenant = tenant_create(code=new_tenant_code(), name="試験町", population=10)
    bad = family_file(
        tmp_path, member_data(my_number=bad_my_number("12345678901")), name="bad.json"
    )
    result = kyodo("juki", "move-in", "--tenant", tenant.code, "--json", str(bad))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"CommandError: {bad}, field 'members[0].my_number': ")
    assert "12345678901" not in result.stderr  # a 個人番号 is never echoed
    assert written(tenant.code) == {"records": 0, "idou": 0, "persons": 0, "households": 0}

    result = kyodo("juki", "move-in", "--tenant", tenant.code, "--json", str(family_file(tmp_path)))
    assert (result.returncode, result.stderr) == (0, "")
    printed = json.loads(result.stdout)
    assert set(printed) == {"household_no", "members"} and len(printed["members"]) == 2
    assert written(tenant.code) == {"records": 2, "idou": 1, "persons": 2, "households": 1}
    atena_no = printed["members"][0]["atena_no"]
    shown = call(
        "show",
        "--tenant",
        tenant.code,
        "--atena-no",
        str(atena_no),
        "--as-of",
        BASE.isoformat(),
        "--json",
    )
    assert (shown["juminhyo_code"], shown["status"]) == (
        printed["members"][0]["juminhyo_code"],
        "jumin",
    )
