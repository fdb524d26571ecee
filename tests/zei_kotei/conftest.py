"""A municipality with owners of land and houses: residents (one household of two, two
others at another address) and a 住登外 owner registered from a file; the 課税台帳 files of
令和8年度 built around their 宛名番号."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kyodo.atena.models import Person
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.services.common import Address
from kyodo.units.zei_kotei.daicho import import_file, register_jutogai
from tests.juki.helpers import member, move_in, my_number

YEAR = 2026
LIVED_HERE = dt.date(2025, 6, 1)
SHINMACHI = Address(town="新町", banchi="1", postal_code="930-0001")
TOCHI_HEADER = "所在,地番,登記地目,課税地目,地積,住宅戸数,評価額,前年度課税標準額,所有者,所有開始日"
KAOKU_HEADER = "所在,家屋番号,種類,構造,耐火,地上階数,床面積,建築年,評価額,所有者,所有開始日"
SHOYU_HEADER = "区分,所在,地番・家屋番号,所有者,所有開始日"
JUTOGAI_HEADER = "氏,名,氏カナ,名カナ,生年月日,性別,住所"


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


@dataclass
class Town:
    tenant: Tenant
    people: dict[str, int]  # given name → 宛名番号
    tmp_path: Path

    @property
    def code(self) -> str:
        return self.tenant.code

    def __getitem__(self, given: str) -> int:
        return self.people[given]

    def land(self) -> Path:
        """令和8年度の土地: 太郎's 住宅用地 (rules.md §3 V-FA-2), 太郎 and 花子's shared 商業地等,
        ウメ's two small lots (each under the 免税点, together above it), 次郎's one small lot."""
        t, h, u, j = self["太郎"], self["花子"], self["ウメ"], self["次郎"]
        return write(
            self.tmp_path,
            "tochi.csv",
            [
                TOCHI_HEADER,
                f"本町一丁目,100,宅地,住宅用地,200,1,12000000,2000000,{t},2010-04-01",
                f"本町一丁目,102,宅地,商業地等,100,,10000000,6500000,{t}:1/2;{h}:1/2,2018-05-01",
                f"新町,201,宅地,商業地等,50,,300000,210000,{u},2001-01-01",
                f"新町,202,宅地,商業地等,50,,300000,210000,{u},2001-01-01",
                f"新町,300,宅地,商業地等,50,,300000,210000,{j},2015-01-01",
            ],
        )

    def houses(self) -> Path:
        """太郎's new house (V-FA-2: 120 ㎡, 15,000,000, built 2025) and the 住登外 owner's."""
        t, k = self["太郎"], self["一郎"]
        return write(
            self.tmp_path,
            "kaoku.csv",
            [
                KAOKU_HEADER,
                f"本町一丁目100番地,100,居宅,木造,0,2,120,2025,15000000,{t},2025-08-01",
                f"本町二丁目5番地,5,居宅,木造,0,1,90,1990,5000000,{k},2005-03-01",
            ],
        )

    def imported(self) -> None:
        with tenant_scope(self.code):
            assert import_file(self.land(), kind="tochi", fiscal_year=YEAR).imported == 5
            assert import_file(self.houses(), kind="kaoku", fiscal_year=YEAR).imported == 2


def _atena(given: str) -> int:
    return Person.objects.get(given_name=given).atena_no


@pytest.fixture
def town(make_tenant: Callable[..., Tenant], tmp_path: Path) -> Town:
    t = make_tenant()
    jutogai = write(
        tmp_path,
        "jutogai.csv",
        [JUTOGAI_HEADER, "田中,一郎,タナカ,イチロウ,1970-02-03,1,東京都千代田区丸の内1-1"],
    )
    with tenant_scope(t.code):
        move_in(
            moved_on=LIVED_HERE,
            members=[
                member(
                    "山田", "太郎", birth=dt.date(1980, 4, 1), my_number=my_number("11112222333")
                ),
                member(
                    "山田",
                    "花子",
                    "ヤマダ",
                    "ハナコ",
                    birth=dt.date(1983, 2, 10),
                    sex=2,
                    relationship="妻",
                ),
            ],
        )
        move_in(
            [member("佐藤", "ウメ", "サトウ", "ウメ", birth=dt.date(1950, 6, 1), sex=2)],
            moved_on=LIVED_HERE,
            address=SHINMACHI,
        )
        move_in(
            [member("鈴木", "次郎", "スズキ", "ジロウ", birth=dt.date(1990, 1, 20))],
            moved_on=LIVED_HERE,
        )
        move_in(
            [member("高橋", "三郎", "タカハシ", "サブロウ", birth=dt.date(1940, 3, 3))],
            moved_on=LIVED_HERE,
        )
        report = register_jutogai(jutogai)
        assert report.problems == [] and report.imported == 1
        people = {g: _atena(g) for g in ("太郎", "花子", "ウメ", "次郎", "三郎", "一郎")}
    return Town(t, people, tmp_path)
