"""Law figures as data: one JSON file per topic and year, each figure with its source and status.

Files live in ``kyodo/rules/data/<topic>/<year>.json`` (``juminzei/2026.json`` is 令和8年度
個人住民税; a calendar-year topic such as 延滞金 uses the calendar year). Adding a year is adding a
file: calculators never test the year, they only read figures (ADR 0011).

A file::

    {"topic": "juminzei",
     "period": {"kind": "fiscal_year", "year": 2026},
     "title": "個人住民税 令和8年度（令和7年分所得）",
     "figures": {
       "kiso_kojo": {"label": "基礎控除（住民税）", "type": "bands",
                     "value": {"bands": [{"min": 0, "max": 24000000, "amount": 430000}, …]},
                     "source": "地方税法 第314条の2第2項; https://…", "status": "confirmed"},
       …}}

Figure types, checked when the file is loaded:

* ``yen``: a whole number of yen, 0 or more;
* ``rate``: a number from 0 to 1 (read as :class:`~decimal.Decimal`, never as float);
* ``years``: an age in whole years;
* ``text``: a short string (e.g. a rounding mode);
* ``table``: an object of named numbers, lists of numbers or nested such objects;
* ``bands``: ``{"bands": [row, …]}``, where each row has an inclusive ``min`` and ``max`` (``null``
  for no upper end) and named numbers. Rows are sorted, start at 0, leave no gap and end open,
  so a look-up always finds exactly one row: "no rule" is an explicit row, never a silent zero.
  A row may carry its own ``status``, ``source`` and ``note`` when only part of a table is in
  doubt.

``status`` is ``confirmed`` (the figure was checked against the cited source) or ``unconfirmed``.
A :class:`Reader` records the figures a calculation actually applied, so its result can list the
unconfirmed ones (:meth:`Reader.unconfirmed`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DATA_DIR",
    "STATUSES",
    "TYPES",
    "Band",
    "Figure",
    "LawData",
    "LawDataError",
    "Reader",
    "UnknownPeriod",
    "available_years",
    "load",
    "load_file",
    "reader",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
STATUSES = ("confirmed", "unconfirmed")
TYPES = ("yen", "rate", "years", "text", "table", "bands")
PERIOD_KINDS = ("fiscal_year", "calendar_year")
_FIGURE_KEYS = {"label", "type", "value", "source", "status", "note", "unit"}
_ROW_META = {"min", "max", "status", "source", "note"}


class LawDataError(Exception):
    """A law data file is missing, malformed or lacks a figure. The message names the file, the
    place inside it and the reason."""

    def __init__(self, path: Path | str, where: str, reason: str) -> None:
        self.path = str(path)
        self.where = where
        self.reason = reason
        place = f", {where}" if where else ""
        super().__init__(f"法令データ {self.path}{place}: {reason}")


class UnknownPeriod(LawDataError):
    """No data file exists for the requested year."""

    def __init__(self, topic: str, year: int, available: list[int]) -> None:
        self.topic = topic
        self.year = year
        self.available = available
        listed = "、".join(str(y) for y in available) or "なし"
        super().__init__(
            DATA_DIR / topic / f"{year}.json",
            "",
            f"{year}年の法令データがありません（{topic} で利用できる年: {listed}）",
        )


@dataclass(frozen=True)
class Band:
    """One row of a ``bands`` figure: amounts for ``min`` ≤ x ≤ ``max`` (``max`` None: no end)."""

    figure_id: str
    min: int
    max: int | None
    values: Mapping[str, Any]
    status: str
    note: str = ""

    @property
    def key(self) -> str:
        """How the row is named in a result, e.g. ``kyuyo_shotoku[1900000-3599999]``."""
        upper = "" if self.max is None else str(self.max)
        return f"{self.figure_id}[{self.min}-{upper}]"

    def number(self, name: str) -> Decimal:
        value = self.values.get(name)
        if not isinstance(value, int | Decimal) or isinstance(value, bool):
            raise KeyError(f"{self.key} has no number {name!r}")
        return Decimal(value)

    def linear(self, x: int) -> Decimal:
        """The row's amount at ``x``: ``fixed`` if the row has one, else
        ``floor(x, step) × rate + add`` (``step`` default 1, ``add`` default 0), exactly.

        This one form covers statutory lookup tables (所得税法 別表第五 floors the salary to a
        multiple of 4,000 yen before its formula) and the 速算表 formulas of other tables."""
        if "fixed" in self.values:
            return self.number("fixed")
        step = int(self.values.get("step", 1))
        base = (x // step) * step
        add = self.number("add") if "add" in self.values else Decimal(0)
        return Decimal(base) * self.number("rate") + add


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    type: str
    value: Any
    source: str
    status: str
    note: str = ""
    bands: tuple[Band, ...] = ()

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


@dataclass(frozen=True)
class LawData:
    """The figures of one topic for one fiscal or calendar year (immutable)."""

    topic: str
    kind: str
    year: int
    title: str
    path: Path
    figures: Mapping[str, Figure]

    def figure(self, figure_id: str) -> Figure:
        try:
            return self.figures[figure_id]
        except KeyError:
            raise LawDataError(
                self.path, f"figures.{figure_id}", "この数値（図表）がありません"
            ) from None

    def require(self, figure_ids: Iterable[str]) -> None:
        """Fail on the first missing figure, so a new year's file that forgets one is refused
        before any calculation runs."""
        for figure_id in figure_ids:
            self.figure(figure_id)


# --- validation ---------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _check_numbers(value: object, path: Path, where: str) -> None:
    """A ``table`` value or a band row value: numbers, lists of numbers, nested objects."""
    if _is_number(value):
        if isinstance(value, Decimal) and not value.is_finite():
            raise LawDataError(path, where, "有限の数値ではありません")
        return
    if isinstance(value, list):
        if not value:
            raise LawDataError(path, where, "空のリストです")
        for index, item in enumerate(value):
            _check_numbers(item, path, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        if not value:
            raise LawDataError(path, where, "空のオブジェクトです")
        for key, item in value.items():
            _check_numbers(item, path, f"{where}.{key}")
        return
    raise LawDataError(
        path, where, f"数値・数値のリスト・オブジェクトのいずれかが必要です（{value!r}）"
    )


def _check_text(value: object, path: Path, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LawDataError(path, where, "空でない文字列が必要です")
    return value


def _check_status(value: object, path: Path, where: str) -> str:
    if value not in STATUSES:
        raise LawDataError(
            path, where, f"status は {' / '.join(STATUSES)} のいずれかです（{value!r}）"
        )
    return str(value)


def _bands(figure_id: str, value: object, status: str, path: Path, where: str) -> tuple[Band, ...]:
    if (
        not isinstance(value, dict)
        or set(value) != {"bands"}
        or not isinstance(value["bands"], list)
    ):
        raise LawDataError(path, where, '{"bands": [...]} の形が必要です')
    rows = value["bands"]
    if not rows:
        raise LawDataError(path, f"{where}.bands", "行がありません")
    bands: list[Band] = []
    expected_min = 0
    for index, row in enumerate(rows):
        at = f"{where}.bands[{index}]"
        if not isinstance(row, dict):
            raise LawDataError(path, at, "オブジェクトが必要です")
        low, high = row.get("min"), row.get("max", "missing")
        if type(low) is not int or low != expected_min:
            raise LawDataError(
                path,
                f"{at}.min",
                f"前の行に続く {expected_min} が必要です（{low!r}）: 隙間や重なりは不可",
            )
        if high is not None and (type(high) is not int or high < low):
            raise LawDataError(path, f"{at}.max", f"min 以上の整数か null が必要です（{high!r}）")
        if high is None and index != len(rows) - 1:
            raise LawDataError(path, f"{at}.max", "null（上限なし）は最後の行だけです")
        payload = {k: v for k, v in row.items() if k not in _ROW_META}
        if not payload:
            raise LawDataError(path, at, "金額・率などの値がありません")
        for key, item in payload.items():
            _check_numbers(item, path, f"{at}.{key}")
        row_status = _check_status(row.get("status", status), path, f"{at}.status")
        if "source" in row:
            _check_text(row["source"], path, f"{at}.source")
        note = _check_text(row["note"], path, f"{at}.note") if "note" in row else ""
        bands.append(Band(figure_id, low, high, MappingProxyType(payload), row_status, note))
        expected_min = high + 1 if high is not None else -1
    if bands[-1].max is not None:
        raise LawDataError(
            path, f"{where}.bands[{len(rows) - 1}].max", "最後の行は null（上限なし）です"
        )
    return tuple(bands)


def _check_value(kind: str, value: object, path: Path, at: str) -> Any:
    """The value of a figure of a scalar or table type, checked (rates become Decimal)."""
    if kind == "yen" and (type(value) is not int or value < 0):
        raise LawDataError(path, at, f"0以上の整数（円）が必要です（{value!r}）")
    if kind == "rate":
        if not _is_number(value) or not 0 <= value <= 1:  # type: ignore[operator]
            raise LawDataError(path, at, f"0以上1以下の数値（率）が必要です（{value!r}）")
        return Decimal(value)  # type: ignore[arg-type]
    if kind == "years" and (type(value) is not int or not 0 <= value <= 150):
        raise LawDataError(path, at, f"年齢（0〜150の整数）が必要です（{value!r}）")
    if kind == "text":
        _check_text(value, path, at)
    if kind == "table":
        if not isinstance(value, dict):
            raise LawDataError(path, at, "オブジェクトが必要です")
        _check_numbers(value, path, at)
    return value


def _figure(figure_id: str, raw: object, path: Path) -> Figure:
    where = f"figures.{figure_id}"
    if not isinstance(raw, dict):
        raise LawDataError(path, where, "オブジェクトが必要です")
    unknown = sorted(set(raw) - _FIGURE_KEYS)
    if unknown:
        raise LawDataError(path, where, f"未知の項目があります: {', '.join(unknown)}")
    for key in ("label", "type", "value", "source", "status"):
        if key not in raw:
            raise LawDataError(path, f"{where}.{key}", "必須の項目がありません")
    label = _check_text(raw["label"], path, f"{where}.label")
    source = _check_text(raw["source"], path, f"{where}.source")
    status = _check_status(raw["status"], path, f"{where}.status")
    note = _check_text(raw["note"], path, f"{where}.note") if "note" in raw else ""
    kind, value, at = raw["type"], raw["value"], f"{where}.value"
    if kind not in TYPES:
        raise LawDataError(
            path, f"{where}.type", f"type は {' / '.join(TYPES)} のいずれかです（{kind!r}）"
        )
    bands: tuple[Band, ...] = ()
    if kind == "bands":
        bands = _bands(figure_id, value, status, path, at)
    else:
        value = _check_value(kind, value, path, at)
    return Figure(figure_id, label, kind, value, source, status, note, bands)


def _reject_float_constants(text: str) -> float:
    raise ValueError(f"数値として使えない値です: {text}")


def load_file(path: Path | str) -> LawData:
    """Read and validate one data file. Raises :class:`LawDataError` naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LawDataError(path, "", "ファイルがありません") from None
    except UnicodeDecodeError:
        raise LawDataError(path, "", "UTF-8 のテキストではありません") from None
    try:
        # Decimal keeps 0.03 exact; NaN and Infinity are not law figures.
        raw = json.loads(text, parse_float=Decimal, parse_constant=_reject_float_constants)
    except (json.JSONDecodeError, ValueError) as error:
        line = getattr(error, "lineno", None)
        where = f"line {line}" if line else ""
        raise LawDataError(path, where, f"JSONとして読めません（{error}）") from None
    if not isinstance(raw, dict):
        raise LawDataError(path, "", "最上位はオブジェクトです")
    unknown = sorted(set(raw) - {"topic", "period", "title", "figures", "note"})
    if unknown:
        raise LawDataError(path, "", f"未知の項目があります: {', '.join(unknown)}")
    topic = _check_text(raw.get("topic"), path, "topic")
    title = _check_text(raw.get("title"), path, "title")
    period = raw.get("period")
    if not isinstance(period, dict) or set(period) != {"kind", "year"}:
        raise LawDataError(path, "period", '{"kind": …, "year": …} が必要です')
    if period["kind"] not in PERIOD_KINDS:
        raise LawDataError(path, "period.kind", f"{' / '.join(PERIOD_KINDS)} のいずれかです")
    year = period["year"]
    if type(year) is not int:
        raise LawDataError(path, "period.year", "整数の年が必要です")
    # The file's place must agree with its content, so a copied file cannot silently serve
    # the wrong year or topic.
    if path.stem != str(year):
        raise LawDataError(
            path, "period.year", f"ファイル名 {path.name} と年 {year} が一致しません"
        )
    if path.parent.name != topic:
        raise LawDataError(
            path, "topic", f"フォルダ {path.parent.name} と topic {topic} が一致しません"
        )
    figures_raw = raw.get("figures")
    if not isinstance(figures_raw, dict) or not figures_raw:
        raise LawDataError(path, "figures", "数値（図表）のオブジェクトが必要です")
    figures = {fid: _figure(fid, value, path) for fid, value in figures_raw.items()}
    return LawData(topic, period["kind"], year, title, path, MappingProxyType(figures))


def available_years(topic: str, *, data_dir: Path | None = None) -> list[int]:
    folder = (data_dir or DATA_DIR) / topic
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.json") if p.stem.isdigit())


@functools.lru_cache(maxsize=64)
def _load_cached(topic: str, year: int, data_dir: Path) -> LawData:
    path = data_dir / topic / f"{year}.json"
    if not path.is_file():
        raise UnknownPeriod(topic, year, available_years(topic, data_dir=data_dir))
    return load_file(path)


def load(topic: str, year: int, *, data_dir: Path | None = None) -> LawData:
    """The data of ``topic`` for ``year`` (cached; the files do not change while running)."""
    return _load_cached(topic, year, data_dir or DATA_DIR)


# --- reading with a record of what was used -----------------------------------------------------


@dataclass
class Reader:
    """Reads figures for one calculation and records which ones it applied.

    A figure counts as *used* when the calculation applies the rule it belongs to for this
    household: a gate that did not open (an income limit nobody reached, an adjustment that did
    not bind) is read with :meth:`peek` and recorded with :meth:`record` only if it mattered.
    For ``bands`` figures the row found is recorded, so a table that is in doubt only in part
    (one row ``unconfirmed``) flags only the households that fall in that row."""

    law: LawData
    _used: dict[str, bool] = field(default_factory=dict)

    def peek(self, figure_id: str) -> Figure:
        return self.law.figure(figure_id)

    def record(self, figure_id: str) -> None:
        figure = self.law.figure(figure_id)
        self._used.setdefault(figure_id, not figure.confirmed)

    def _typed(self, figure_id: str, kind: str) -> Any:
        figure = self.law.figure(figure_id)
        if figure.type != kind:
            raise LawDataError(self.law.path, f"figures.{figure_id}.type", f"{kind} が必要です")
        self.record(figure_id)
        return figure.value

    def yen(self, figure_id: str) -> int:
        return int(self._typed(figure_id, "yen"))

    def rate(self, figure_id: str) -> Decimal:
        return Decimal(self._typed(figure_id, "rate"))

    def years(self, figure_id: str) -> int:
        return int(self._typed(figure_id, "years"))

    def text(self, figure_id: str) -> str:
        return str(self._typed(figure_id, "text"))

    def table(self, figure_id: str) -> Mapping[str, Any]:
        value = self._typed(figure_id, "table")
        return MappingProxyType(value)

    def band(self, figure_id: str, x: int) -> Band:
        figure = self.law.figure(figure_id)
        if figure.type != "bands":
            raise LawDataError(self.law.path, f"figures.{figure_id}.type", "bands が必要です")
        found = next(b for b in figure.bands if x >= b.min and (b.max is None or x <= b.max))
        if figure.confirmed and found.status == "unconfirmed":
            self._used.setdefault(found.key, True)
        self.record(figure_id)
        return found

    def is_unconfirmed(self, figure_id: str) -> bool:
        return not self.law.figure(figure_id).confirmed

    @property
    def used(self) -> list[str]:
        """Figure ids (and unconfirmed row keys) in the order first applied."""
        return list(self._used)

    def unconfirmed(self) -> list[str]:
        return [key for key, doubtful in self._used.items() if doubtful]


def reader(topic: str, year: int, *, data_dir: Path | None = None) -> Reader:
    return Reader(load(topic, year, data_dir=data_dir))
