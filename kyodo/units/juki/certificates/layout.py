"""From a Certificate to page plans: which rows of which person go on which page.

Pure and font-free: heights are fixed per row kind, and text that is too wide is shrunk at
drawing time. A person's item rows never split across pages; only history lines continue on
the next page. 世帯連記式 holds at most 4 persons per page, 個人票 exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kyodo.rules.wareki import to_wareki

from . import wording as w
from .model import Certificate, CertificateKind, Layout, PersonEntry

PERSONS_PER_PAGE = {Layout.SETAI_RENKI: 4, Layout.KOJIN: 1}
SCALE = {Layout.SETAI_RENKI: 1.0, Layout.KOJIN: 1.25}

ROW_HEIGHT = 22.0
NAME_ROW_HEIGHT = 28.0
HISTORY_HEAD = 12.0
HISTORY_LINE = 11.0
PERSON_GAP = 6.0


@dataclass(frozen=True, slots=True)
class Cell:
    label: str
    value: str
    weight: float
    kana: str = ""  # reading printed small beside the label
    big: bool = False  # name-sized value


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    height: float


@dataclass(frozen=True, slots=True)
class PersonPart:
    """What one page shows of one person: item rows and/or a run of history lines."""

    rows: tuple[Row, ...]
    history_title: str = ""
    history: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PagePlan:
    parts: tuple[PersonPart, ...]


def _row(height: float, *cells: Cell | None) -> Row | None:
    present = tuple(c for c in cells if c is not None)
    return Row(present, height) if present else None


def to_seireki(day: date) -> str:
    """西暦 as printed for foreign residents (生年月日, 在留期間の満了の日): "1990年4月1日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def _wareki(day: date | None) -> str:
    return to_wareki(day) if day is not None else ""


def household_rows(cert: Certificate) -> tuple[Row, ...]:
    scale = SCALE[cert.layout]
    rows = [Row((Cell(w.ADDRESS, cert.address, 1.0),), ROW_HEIGHT * scale)]
    if cert.options.setainushi_zokugara:
        rows.append(
            Row((Cell(w.SETAINUSHI, cert.setainushi, 1.0, big=True),), NAME_ROW_HEIGHT * scale)
        )
    return tuple(rows)


def person_rows(cert: Certificate, person: PersonEntry) -> tuple[Row, ...]:
    """The item rows of one person: only what is always printed plus what was requested."""
    opt = cert.options
    scale = SCALE[cert.layout]
    row_h, name_h = ROW_HEIGHT * scale, NAME_ROW_HEIGHT * scale
    foreign = person.foreign
    birth = to_seireki(person.birth_date) if foreign else to_wareki(person.birth_date)
    japanese = foreign is None
    rows = [
        _row(
            name_h,
            Cell(w.NAME, person.name, 0.36, kana=person.name_kana, big=True),
            Cell(w.KYUUJI, person.kyuuji, 0.22, kana=person.kyuuji_kana, big=True)
            if person.kyuuji
            else None,
            Cell(w.BIRTH_DATE, birth, 0.20),
            Cell(w.SEX, person.sex, 0.08),
            Cell(w.ZOKUGARA, person.zokugara, 0.14) if opt.setainushi_zokugara else None,
        )
    ]
    if foreign is not None:
        expires = foreign.period_expires_on
        rows += [
            _row(
                row_h,
                Cell(w.ALPHABET_NAME, foreign.alphabet_name, 0.6)
                if foreign.alphabet_name != person.name
                else None,
                Cell(w.TSUSHO, foreign.tsusho, 0.4, kana=foreign.tsusho_kana)
                if foreign.tsusho
                else None,
            ),
            _row(
                row_h,
                Cell(w.KOKUSEKI, foreign.nationality, 0.17) if opt.kokuseki else None,
                Cell(w.ZAIRYU_KUBUN, foreign.category, 0.20) if opt.zairyu_kubun else None,
                *(
                    (
                        Cell(w.ZAIRYU_SHIKAKU, foreign.residence_status, 0.22),
                        Cell(w.ZAIRYU_KIKAN, foreign.period_of_stay, 0.09),
                        Cell(w.ZAIRYU_MANRYO, to_seireki(expires) if expires else "", 0.15),
                    )
                    if opt.zairyu_shikaku
                    else ()
                ),
                Cell(w.ZAIRYU_CARD, foreign.card_number, 0.17) if opt.zairyu_card else None,
            ),
        ]
    rows += [
        _row(
            row_h,
            Cell(w.BECAME_RESIDENT, to_wareki(person.became_resident_on), 1.0),
            Cell(w.ADDRESS_FIXED, to_wareki(person.address_fixed_on), 1.0),
            Cell(w.NOTIFIED, _wareki(person.notified_on), 1.0),
        ),
        _row(
            row_h,
            Cell(w.PREVIOUS_ADDRESS, person.previous_address, 1.0),
            Cell(w.PRIOR_ADDRESS, person.prior_address, 1.0) if person.prior_address else None,
        ),
    ]
    if cert.kind is CertificateKind.JOSHO:
        rows.append(
            _row(
                row_h,
                Cell(w.REMOVAL_REASON, person.removal_reason, 0.18),
                Cell(w.REMOVED_ON, _wareki(person.removed_on), 0.22),
                Cell(w.MOVED_OUT_TO, person.moved_out_to, 0.60) if person.moved_out_to else None,
            )
        )
    if cert.kind is CertificateKind.TENSHUTSU:
        rows.append(
            _row(
                row_h,
                Cell(w.MOVE_OUT_ON, _wareki(person.move_out_on), 0.25),
                Cell(w.MOVED_OUT_TO, person.moved_out_to, 0.75),
            )
        )
    honseki = opt.honseki and japanese
    rows.append(
        _row(
            row_h,
            Cell(w.HONSEKI, person.honseki, 0.40) if honseki else None,
            Cell(w.HITTOSHA, person.hittosha, 0.18) if honseki else None,
            Cell(w.JUMINHYO_CODE, person.juminhyo_code, 0.20) if opt.juminhyo_code else None,
            Cell(w.KOJIN_BANGO, person.kojin_bango, 0.22) if opt.kojin_bango else None,
        )
    )
    return tuple(r for r in rows if r is not None)


def history_lines(person: PersonEntry) -> tuple[str, ...]:
    return tuple(f"{to_wareki(day)}　{text}" for day, text in person.history)


def plan_pages(cert: Certificate, body_height: float) -> list[PagePlan]:
    """Greedy pagination into bodies of ``body_height`` points."""
    per_page = PERSONS_PER_PAGE[cert.layout]
    scale = SCALE[cert.layout]
    gap, head, line = PERSON_GAP * scale, HISTORY_HEAD * scale, HISTORY_LINE * scale
    pages: list[PagePlan] = []
    parts: list[PersonPart] = []
    used = 0.0

    def new_page() -> None:
        nonlocal parts, used
        pages.append(PagePlan(tuple(parts)))
        parts, used = [], 0.0

    for person in cert.persons:
        rows = person_rows(cert, person)
        lines = history_lines(person) if cert.options.history else ()
        need = sum(r.height for r in rows) + (head + line if lines else 0.0)
        if parts and (len(parts) >= per_page or used + gap + need > body_height):
            new_page()
        used += (gap if parts else 0.0) + sum(r.height for r in rows)
        title = w.HISTORY
        while True:
            fits = max(1, int((body_height - used - head) // line)) if lines else 0
            taken, lines = lines[:fits], lines[fits:]
            parts.append(PersonPart(rows, title if taken else "", taken))
            used += (head + line * len(taken)) if taken else 0.0
            if not lines:
                break
            new_page()
            rows, title = (), w.HISTORY_CONTINUED.format(name=person.name)
    if parts:
        new_page()
    return pages
