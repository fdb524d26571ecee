"""総合窓口: the ticked procedures as one PDF of pre-filled applications (申請書・届書).

Pure (no Django, no database): the web layer gathers the household from the registry and the
ticked PUSH suggestions, this module lays them out. One page per procedure, listing every
member it was ticked for, pre-filled with what the registry already knows — address, 世帯主,
names with their 振り仮名, birth dates, 続柄 — and the reason Kyodo suggested it, so the
resident only signs and adds what only they know. Information items (``kind ==
"information"``, e.g. 印鑑登録) print as a notice page (ご案内) instead of a form.

Names are drawn with IPAmj明朝 through :mod:`kyodo.printing.fonts`, so 異体字 (IVS) print as
registered and extract as the same code points.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kyodo.printing.fonts import MjFont, mincho
from kyodo.rules.wareki import to_wareki

MARGIN = 18 * mm
ROW = 9 * mm


@dataclass(frozen=True)
class Applicant:
    """A member the procedure is for, as the registry has them."""

    name: str
    kana: str
    birth_date: dt.date
    sex: str  # 男 / 女
    relationship: str  # 続柄


@dataclass(frozen=True)
class HouseholdSheet:
    """What every page of the set shares."""

    municipality: str  # e.g. 富山県射水市
    household_no: int
    head_name: str
    postal_code: str
    address: str
    event: str  # 転入 …
    event_date: dt.date
    prepared_on: dt.date


@dataclass(frozen=True)
class Application:
    procedure: str  # catalogue id, e.g. kokuho.enroll
    title: str
    kind: str  # procedure | information
    applicants: Sequence[Applicant]  # empty for a household-level procedure
    reasons: Sequence[str]
    note: str = ""  # e.g. "国保の資格取得を確認済み"


def render_applications(household: HouseholdSheet, applications: Sequence[Application]) -> bytes:
    """The whole set as one PDF, in the order given."""
    if not applications:
        raise ValueError("no application to print")
    font = mincho()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"申請書一式 世帯番号{household.household_no}")
    for number, application in enumerate(applications, start=1):
        _Page(canvas, font, household).draw(application, number, len(applications))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Page:
    def __init__(self, canvas: Canvas, font: MjFont, household: HouseholdSheet) -> None:
        self.c, self.font, self.h = canvas, font, household
        self.width, self.height = A4

    def text(self, x: float, y: float, text: str, size: float = 10.5) -> None:
        self.c.setFont(self.font.fontName, size)
        self.c.drawString(x, y, self.font.prepare(text))

    def wrapped(self, x: float, y: float, text: str, width: float, size: float = 9.5) -> float:
        """Draw ``text`` wrapped to ``width``; returns the y below it."""
        line = ""
        for char in text:
            if self.font.stringWidth(self.font.prepare(line + char), size) > width:
                self.text(x, y, line, size)
                y -= size * 1.5
                line = ""
            line += char
        if line:
            self.text(x, y, line, size)
            y -= size * 1.5
        return y

    def draw(self, app: Application, number: int, total: int) -> None:
        h, left, right = self.h, MARGIN, self.width - MARGIN
        y = self.height - MARGIN
        self.text(left, y, f"{h.municipality}長　様", 11)
        self.text(right - 60 * mm, y, f"届出日　{to_wareki(h.prepared_on)}", 10)
        y -= 14 * mm
        title = app.title if app.kind == "procedure" else f"【ご案内】{app.title}"
        self.text(left, y, title, 17)
        y -= 10 * mm
        self.text(
            left, y, f"異動：{h.event}（{to_wareki(h.event_date)}）　世帯番号 {h.household_no}", 10
        )
        y -= 6 * mm
        rows = [
            ("住所", f"〒{h.postal_code}　{h.address}" if h.postal_code else h.address),
            ("世帯主", h.head_name),
        ]
        y = self.table(y, rows, label_width=28 * mm)
        if app.applicants:
            y -= 6 * mm
            self.text(left, y, "対象となる方", 11)
            y -= 3 * mm
            y = self.applicant_table(y, app.applicants)
        y -= 8 * mm
        self.text(left, y, "この手続きをご案内する理由", 11)
        y -= 6 * mm
        for reason in app.reasons:
            y = self.wrapped(left + 3 * mm, y, f"・{reason}", right - left - 6 * mm)
        if app.note:
            y -= 2 * mm
            y = self.wrapped(left + 3 * mm, y, f"※{app.note}", right - left - 6 * mm)
        if app.kind == "procedure":
            y -= 10 * mm
            self.text(left, y, "届出人　氏名（署名）", 10.5)
            self.c.line(left + 40 * mm, y - 1.5 * mm, right, y - 1.5 * mm)
            y -= 10 * mm
            self.text(left, y, "電話番号", 10.5)
            self.c.line(left + 40 * mm, y - 1.5 * mm, right, y - 1.5 * mm)
        self.text(left, MARGIN - 6 * mm, f"{number} / {total}　{app.procedure}", 8)
        self.text(right - 55 * mm, MARGIN - 6 * mm, "共同 Kyodo 総合窓口", 8)

    def table(self, y: float, rows: Sequence[tuple[str, str]], *, label_width: float) -> float:
        left, right = MARGIN, self.width - MARGIN
        for label, value in rows:
            self.c.rect(left, y - ROW, right - left, ROW)
            self.c.line(left + label_width, y, left + label_width, y - ROW)
            self.text(left + 2 * mm, y - ROW + 3 * mm, label)
            self.text(left + label_width + 2 * mm, y - ROW + 3 * mm, value)
            y -= ROW
        return y

    def applicant_table(self, y: float, applicants: Sequence[Applicant]) -> float:
        left, right = MARGIN, self.width - MARGIN
        columns = [
            ("氏名", 48 * mm),
            ("フリガナ", 44 * mm),
            ("生年月日", 40 * mm),
            ("性別", 12 * mm),
        ]
        columns.append(("続柄", right - left - sum(w for _label, w in columns)))
        x = left
        for label, width in columns:
            self.c.rect(x, y - ROW, width, ROW)
            self.text(x + 2 * mm, y - ROW + 3 * mm, label, 9)
            x += width
        y -= ROW
        for person in applicants:
            values = [
                person.name,
                person.kana,
                to_wareki(person.birth_date),
                person.sex,
                person.relationship,
            ]
            x = left
            for (_label, width), value in zip(columns, values, strict=True):
                self.c.rect(x, y - ROW, width, ROW)
                self.text(x + 2 * mm, y - ROW + 3 * mm, value, 9.5)
                x += width
            y -= ROW
        return y
