"""The law data loader: every shipped file is valid, malformed files are refused with the file,
the place and the reason, and a Reader records the figures applied."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kyodo.rules import lawdata
from kyodo.rules.juminzei import REQUIRED_FIGURES, TOPIC
from kyodo.rules.lawdata import DATA_DIR, LawDataError, UnknownPeriod

SHIPPED = sorted(DATA_DIR.glob("*/*.json"))


def test_there_is_shipped_data() -> None:
    shipped = {p.relative_to(DATA_DIR).as_posix() for p in SHIPPED}
    assert {"juminzei/2025.json", "juminzei/2026.json"} <= shipped


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(DATA_DIR).as_posix())
def test_every_shipped_file_is_valid_and_cites_a_source(path: Path) -> None:
    law = lawdata.load_file(path)
    assert law.topic == path.parent.name
    assert law.year == int(path.stem)
    for figure in law.figures.values():
        # A citation is a law article or a URL, not a placeholder.
        assert "法" in figure.source or "http" in figure.source or "rules.md" in figure.source
        if figure.status == "unconfirmed":
            assert figure.note, f"{figure.id}: say why it is unconfirmed"
        for band in figure.bands:
            if band.status == "unconfirmed" and figure.status == "confirmed":
                assert band.note, f"{band.key}: say why the row is unconfirmed"


@pytest.mark.parametrize("year", lawdata.available_years(TOPIC))
def test_each_juminzei_year_has_exactly_the_figures_the_calculator_reads(year: int) -> None:
    law = lawdata.load(TOPIC, year)
    law.require(REQUIRED_FIGURES)  # raises on a missing one
    assert set(law.figures) == set(REQUIRED_FIGURES), "unused figures are dead data"


def test_an_unknown_year_names_the_file_and_the_years_that_exist() -> None:
    with pytest.raises(UnknownPeriod) as error:
        lawdata.load(TOPIC, 2099)
    message = str(error.value)
    assert "juminzei/2099.json" in message
    assert "2099年の法令データがありません" in message
    assert "2025、2026" in message
    assert error.value.available[:2] == [2025, 2026]


def test_a_missing_figure_is_named() -> None:
    law = lawdata.load(TOPIC, 2026)
    with pytest.raises(LawDataError, match=r"juminzei/2026\.json, figures\.no_such: "):
        law.require(["kiso_kojo", "no_such"])


# --- malformed files --------------------------------------------------------------------------


def figure(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "label": "試験の数値",
        "type": "yen",
        "value": 1000,
        "source": "試験法 第1条",
        "status": "confirmed",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def bands(*rows: dict[str, Any]) -> dict[str, Any]:
    return figure(type="bands", value={"bands": list(rows)})


def write(
    root: Path,
    figures: dict[str, Any],
    *,
    topic: str = "shiken",
    year: int = 2026,
    name: str | None = None,
    kind: str = "fiscal_year",
) -> Path:
    folder = root / topic
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{year}.json")
    document = {
        "topic": topic,
        "period": {"kind": kind, "year": year},
        "title": "試験",
        "figures": figures,
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("figures", "where", "reason"),
    [
        ({"a": figure(source=None)}, "figures.a.source", "必須の項目がありません"),
        ({"a": figure(source=" ")}, "figures.a.source", "空でない文字列"),
        ({"a": figure(status="maybe")}, "figures.a.status", "confirmed / unconfirmed"),
        ({"a": figure(value=-1)}, "figures.a.value", "0以上の整数"),
        ({"a": figure(value=1.5)}, "figures.a.value", "0以上の整数"),
        ({"a": figure(type="rate", value=6)}, "figures.a.value", "0以上1以下"),
        ({"a": figure(type="percent")}, "figures.a.type", "type は"),
        ({"a": figure(extra=1)}, "figures.a", "未知の項目があります: extra"),
        ({"a": figure(type="table", value={"x": "three"})}, "figures.a.value.x", "数値"),
        (
            {"a": bands({"min": 0, "max": 9, "amount": 1}, {"min": 11, "max": None, "amount": 2})},
            "figures.a.value.bands[1].min",
            "隙間や重なりは不可",
        ),
        (
            {"a": bands({"min": 0, "max": 9, "amount": 1}, {"min": 9, "max": None, "amount": 2})},
            "figures.a.value.bands[1].min",
            "隙間や重なりは不可",
        ),
        (
            {"a": bands({"min": 1, "max": None, "amount": 1})},
            "figures.a.value.bands[0].min",
            "0 が必要です",
        ),
        (
            {"a": bands({"min": 0, "max": 9, "amount": 1})},
            "figures.a.value.bands[0].max",
            "最後の行は null",
        ),
        (
            {
                "a": bands(
                    {"min": 0, "max": None, "amount": 1}, {"min": 5, "max": None, "amount": 1}
                )
            },
            "figures.a.value.bands[0].max",
            "最後の行だけ",
        ),
        (
            {"a": bands({"min": 0, "max": None})},
            "figures.a.value.bands[0]",
            "値がありません",
        ),
        (
            {"a": bands({"min": 0, "max": None, "amount": 1, "status": "perhaps"})},
            "figures.a.value.bands[0].status",
            "confirmed / unconfirmed",
        ),
    ],
)
def test_a_malformed_figure_is_refused_with_file_place_and_reason(
    tmp_path: Path, figures: dict[str, Any], where: str, reason: str
) -> None:
    path = write(tmp_path, figures)
    with pytest.raises(LawDataError) as error:
        lawdata.load_file(path)
    assert error.value.path == str(path)
    assert error.value.where == where
    assert reason in error.value.reason
    assert str(path) in str(error.value)


def test_the_file_must_sit_where_its_year_and_topic_say(tmp_path: Path) -> None:
    misplaced = write(tmp_path, {"a": figure()}, year=2026, name="2027.json")
    with pytest.raises(LawDataError, match=r"ファイル名 2027\.json と年 2026 が一致しません"):
        lawdata.load_file(misplaced)
    (tmp_path / "other").mkdir()
    moved = tmp_path / "other" / "2026.json"
    moved.write_text(write(tmp_path, {"a": figure()}).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(LawDataError, match="フォルダ other と topic shiken が一致しません"):
        lawdata.load_file(moved)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"topic": "shiken",', "JSONとして読めません"),
        ("[]", "最上位はオブジェクト"),
        (
            '{"topic": "shiken", "period": {"kind": "fiscal_year", "year": 2026}, "title": "t",'
            ' "figures": {"a": {"label": "l", "type": "rate", "value": NaN, "source": "s",'
            ' "status": "confirmed"}}}',
            "数値として使えない",
        ),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, text: str, reason: str) -> None:
    (tmp_path / "shiken").mkdir()
    path = tmp_path / "shiken" / "2026.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LawDataError, match=reason):
        lawdata.load_file(path)


def test_a_calendar_year_topic_loads_the_same_way(tmp_path: Path) -> None:
    """延滞金 rates are keyed by calendar year (rules.md §10.2): the loader is not 住民税-shaped."""
    write(
        tmp_path,
        {"tokurei_kijun": figure(type="rate", value=0.018, source="租税特別措置法 第94条")},
        topic="entaikin",
        year=2026,
        kind="calendar_year",
    )
    law = lawdata.load("entaikin", 2026, data_dir=tmp_path)
    assert law.kind == "calendar_year"
    assert lawdata.Reader(law).rate("tokurei_kijun") == Decimal("0.018")  # exact, not a float


# --- the Reader -------------------------------------------------------------------------------


def test_the_reader_records_what_was_applied_and_which_of_it_is_unconfirmed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "sure": figure(value=100),
            "doubtful": figure(value=200, status="unconfirmed", note="なぜ"),
            "table": bands(
                {"min": 0, "max": 99, "amount": 0},
                {"min": 100, "max": None, "amount": 5, "status": "unconfirmed", "note": "なぜ"},
            ),
            "never_read": figure(value=1, status="unconfirmed", note="なぜ"),
        },
    )
    reader = lawdata.reader("shiken", 2026, data_dir=tmp_path)
    assert reader.yen("sure") == 100
    assert reader.unconfirmed() == []
    reader.peek("never_read")  # looking is not applying
    assert reader.band("table", 50).number("amount") == 0
    assert reader.unconfirmed() == []  # the confirmed row of the table
    assert reader.band("table", 100).number("amount") == 5
    assert reader.yen("doubtful") == 200
    assert reader.unconfirmed() == ["table[100-]", "doubtful"]
    assert reader.used == ["sure", "table", "table[100-]", "doubtful"]


def test_a_figure_read_as_the_wrong_type_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"a": figure()})
    reader = lawdata.reader("shiken", 2026, data_dir=tmp_path)
    with pytest.raises(LawDataError, match=r"figures\.a\.type: rate が必要です"):
        reader.rate("a")


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        # 所得税法 別表第五 (令和7年分以降): 4,000円未満を切り捨ててから ×80% − 440,000.
        # 見附市の例 (4,370,000 → 3,054,400):
        # https://www.city.mitsuke.niigata.jp/soshiki/5/2908.html
        (4_370_000, Decimal("3054400")),
        (4_368_000, Decimal("3054400")),
        (4_371_999, Decimal("3054400")),
        (4_372_000, Decimal("3057600")),
    ],
)
def test_band_linear_floors_to_the_step_before_the_formula(salary: int, expected: Decimal) -> None:
    band = lawdata.reader(TOPIC, 2026).band("kyuyo_shotoku", salary)
    assert band.linear(salary) == expected
