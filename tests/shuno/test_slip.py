"""The コンビニ収納 納付書 PDF, read back the way a payer and a store scanner see it.

pdftotext finds the amount, the due date, the eL番号 and the digits under the bars; pdftoppm
rasterises the page at 300 dpi and zbarimg decodes the GS1-128 symbol (and the eL-QR). See
``tests/shuno/scan.py`` for how zbarimg reports GS1-128. Pure renderer: no database.

Sources: rules.md §10.3 (44-digit layout, AI 91) and §10.5 (eL番号 = 収納機関番号, 納付番号,
確認番号, 納付区分); symbol size from the GS1 Japan 標準料金代理収納ガイドライン as summarised at
https://technoveins.co.jp/t/barcheck/cvsbar.htm ("全長60mm以内（左右の余白（クワイエットゾーン）
を含む）", "クワイエットゾーンは左右各々2.54mm", "高さ10mm以上", module 0.169 mm = 2 dots at
300 dpi, Code 128 start C with FNC1 first).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kyodo.printing.fonts import FontNotInstalledError, mincho
from kyodo.units.shuno.barcode import build, parse
from kyodo.units.shuno.errors import InvalidInput
from kyodo.units.shuno.slip import ElBango, Slip, render
from tests.pdf import pdftotext, squash
from tests.shuno.scan import rasterise, raw_digits, symbols

FIELDS: dict[str, Any] = {
    "company_code": "912345",
    "free": "000012345678",
    "reissue": 0,
    "due_date": dt.date(2026, 12, 25),
    "stamp": 0,
    "amount": 12300,
}
EL = ElBango(
    shuno_kikan_no="01234", nofu_no="1234567890123456", kakunin_no="654321", nofu_kubun="101"
)
# Kyodo does not compose eL-QR payloads (rules.md §10.5: the format is a gap); any payload
# given is drawn as is, so the test uses an obviously made-up one.
QR_PAYLOAD = "TEST-PAYLOAD:0123456789"


def write(tmp_path: Path, slip: Slip, name: str = "slip.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(render(slip))
    return path


def data_of(**change: Any) -> str:
    return build(**{**FIELDS, **change})


# --- what the payer reads -------------------------------------------------------------------


def test_slip_prints_amount_due_date_and_the_digits(tmp_path: Path) -> None:
    data = data_of()
    path = write(tmp_path, Slip(data))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    text = pdftotext(path.read_bytes(), tmp_path)
    flat = squash(text)
    assert "納付書" in flat
    assert "納付金額12,300円" in flat
    assert "納期限令和8年12月25日" in flat
    assert "再発行" not in flat  # an original slip says nothing about reissues
    assert "eL" not in flat  # no eL番号 given, none printed
    # The digits under the bars: two lines, AI in parentheses, fields split by hyphens.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    at = lines.index("(91)912345-000012345678000000000")
    assert lines[at + 1] == f"0-261225-0-012300-{data[-1]}"
    assert (lines[at] + lines[at + 1]).translate(str.maketrans("", "", "()-")) == data


def test_no_due_date_and_a_reissue(tmp_path: Path) -> None:
    path = write(tmp_path, Slip(data_of(due_date=None, reissue=2, amount=300_000)))
    flat = squash(pdftotext(path.read_bytes(), tmp_path))
    assert "納期限指定なし" in flat
    assert "再発行2回目" in flat
    assert "納付金額300,000円" in flat
    assert "2-999999-0-300000-" in flat


def test_el_bango_is_printed_item_by_item(tmp_path: Path) -> None:
    """rules.md §10.5: the eL番号 is ① 収納機関番号 ② 納付番号 ③ 確認番号 ④ 納付区分."""
    path = write(tmp_path, Slip(data_of(), el_bango=EL))
    flat = squash(pdftotext(path.read_bytes(), tmp_path))
    assert "eL番号" in flat
    for expected in (
        "収納機関番号01234",
        "納付番号1234567890123456",
        "確認番号654321",
        "納付区分101",
    ):
        assert expected in flat
    assert "eL-QR" not in flat  # no payload, no QR


def test_no_two_words_overlap(tmp_path: Path) -> None:
    """Every printed word has its own place (pdftotext -bbox word boxes)."""
    path = write(tmp_path, Slip(data_of(reissue=1), el_bango=EL, el_qr=QR_PAYLOAD))
    boxes = _word_boxes(path)
    assert len(boxes) > 15
    for i, (a, word_a) in enumerate(boxes):
        for b, word_b in boxes[i + 1 :]:
            assert not _overlap(a, b), f"{word_a!r} overlaps {word_b!r}"


# --- what the scanner reads -----------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"due_date": None, "reissue": 9, "amount": 0},
        {"free": "9" * 21, "amount": 300_000, "company_code": "500001"},
        {"free": "1", "due_date": dt.date(2099, 12, 31), "amount": 1},
    ],
)
def test_the_barcode_decodes_to_the_data_and_every_field(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    """The issue's check: decode the rendered barcode with zbarimg and check every field."""
    fields = {**FIELDS, **change}
    data = build(**fields)
    png = rasterise(write(tmp_path, Slip(data)), dpi=300)
    decoded = raw_digits(png)
    assert decoded == [data]
    code = parse(decoded[0])
    assert code.company_code == fields["company_code"]
    assert code.free == fields["free"].ljust(21, "0")
    assert code.reissue == fields["reissue"]
    assert code.due_date == fields["due_date"]
    assert code.stamp == 0
    assert code.amount == fields["amount"]


def test_the_symbol_is_gs1_128(tmp_path: Path) -> None:
    """FNC1 first makes zbar report the GS1 modifier (the next test shows it can be absent)."""
    data = data_of()
    png = rasterise(write(tmp_path, Slip(data)), dpi=300)
    [symbol] = symbols(png)
    assert (symbol.type, symbol.modifiers, symbol.data) == ("CODE-128", ("GS1",), data)


def test_zbar_tells_plain_code_128_from_gs1_128(tmp_path: Path) -> None:
    """Control for the test above: the same digits without FNC1 decode with no GS1 modifier."""
    data = data_of()
    path = tmp_path / "plain.pdf"
    canvas = Canvas(str(path))
    Code128(data, barWidth=2 * 72 / 300, barHeight=12 * mm).drawOn(canvas, 30 * mm, 200 * mm)
    canvas.save()
    [symbol] = symbols(rasterise(path, dpi=300))
    assert (symbol.type, symbol.modifiers, symbol.data) == ("CODE-128", (), data)


def test_the_el_qr_decodes_to_its_payload(tmp_path: Path) -> None:
    data = data_of()
    png = rasterise(write(tmp_path, Slip(data, el_bango=EL, el_qr=QR_PAYLOAD)), dpi=300)
    found = {(s.type, s.data) for s in symbols(png)}
    assert found == {("QR-Code", QR_PAYLOAD), ("CODE-128", data)}


def test_symbol_size_follows_the_guideline(tmp_path: Path) -> None:
    """At most 60 mm with 2.54 mm quiet zones each side, at least 10 mm high, 0.169 mm module:
    measured on a 600 dpi raster, not taken from the renderer's constants."""
    dpi = 600
    path = write(tmp_path, Slip(data_of()))
    png = rasterise(path, dpi=dpi, gray=True)
    bars = _bars(png)
    per_mm = dpi / 25.4
    width_mm = (bars["right"] - bars["left"] + 1) / per_mm
    height_mm = (bars["bottom"] - bars["top"] + 1) / per_mm
    # 288 modules (start C, FNC1, 22 digit pairs, check, stop with its 2-module bar) × 0.169.
    assert width_mm == pytest.approx(288 * 25.4 * 2 / 300, abs=0.1)
    assert width_mm + 2 * 2.54 <= 60
    assert height_mm >= 10
    # Quiet zones: nothing dark within 2.54 mm either side, over the bars' height.
    quiet = round(2.54 * per_mm)
    with Image.open(png) as image:
        pixels = image.convert("L").load()
        assert pixels is not None
        for y in range(bars["top"], bars["bottom"] + 1):
            for x in (
                *range(bars["left"] - quiet, bars["left"]),
                *range(bars["right"] + 1, bars["right"] + 1 + quiet),
            ):
                assert pixels[x, y] > 128, f"dark pixel in the quiet zone at {x},{y}"
    # No text inside the symbol with its quiet zones.
    to_pt = 72 / dpi
    symbol = (
        (bars["left"] - quiet) * to_pt,
        bars["top"] * to_pt,
        (bars["right"] + quiet) * to_pt,
        bars["bottom"] * to_pt,
    )
    for box, word in _word_boxes(path):
        assert not _overlap(box, symbol), f"{word!r} is printed over the barcode"


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"data": "123"}, "data", "44桁"),
        ({"data": data_of()[:-1] + "0"}, "data", "チェックデジット"),
        ({"el_qr": QR_PAYLOAD}, "el_qr", "eL番号 (el) も必要"),
        ({"el_qr": "", "el_bango": EL}, "el_qr", "空です"),
        ({"el_qr": "納付", "el_bango": EL}, "el_qr", "半角英数字"),
        ({"el_qr": "A\nB", "el_bango": EL}, "el_qr", "半角英数字"),
        ({"el_qr": "9" * 501, "el_bango": EL}, "el_qr", "500文字まで"),
    ],
)
def test_slip_refuses(kwargs: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        Slip(**{"data": data_of(), **kwargs})
    assert info.value.field == field
    assert reason in info.value.reason


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"shuno_kikan_no": "1234"}, "el.shuno_kikan_no", "5桁"),
        ({"shuno_kikan_no": 1234}, "el.shuno_kikan_no", "数字の文字列"),
        ({"nofu_no": "1" * 15}, "el.nofu_no", "16〜20桁"),
        ({"nofu_no": "1" * 21}, "el.nofu_no", "20桁まで"),
        ({"nofu_no": "1234-5678-9012-3456"}, "el.nofu_no", "半角数字"),
        ({"kakunin_no": "12345"}, "el.kakunin_no", "6桁"),
        ({"nofu_kubun": ""}, "el.nofu_kubun", "空です"),
        ({"nofu_kubun": "1" * 11}, "el.nofu_kubun", "10桁まで"),
    ],
)
def test_el_bango_refuses(change: dict[str, Any], field: str, reason: str) -> None:
    items = {
        "shuno_kikan_no": EL.shuno_kikan_no,
        "nofu_no": EL.nofu_no,
        "kakunin_no": EL.kakunin_no,
        "nofu_kubun": EL.nofu_kubun,
    }
    with pytest.raises(InvalidInput) as info:
        ElBango(**{**items, **change})
    assert info.value.field == field
    assert reason in info.value.reason


def test_twenty_digit_nofu_no_is_accepted() -> None:
    """rules.md §10.4: 16 digits for taxes, up to 20 for some billers."""
    assert ElBango("01234", "1" * 20, "654321", "1").nofu_no == "1" * 20


def test_missing_font_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(FontNotInstalledError, match="fonts-ipamj-mincho"):
        mincho(tmp_path / "no-such-font.ttf")


def test_same_slip_same_bytes() -> None:
    """No creation date or random id in the PDF: a re-run of a batch gives the same files."""
    slip = Slip(data_of(), el_bango=EL, el_qr=QR_PAYLOAD)
    assert render(slip) == render(slip)


# --- helpers --------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x_min, y_min, x_max, y_max (points, y downwards)


def _word_boxes(pdf: Path) -> list[tuple[Box, str]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        ((float(a), float(b), float(c), float(d)), word)
        for a, b, c, d, word in pattern.findall(html)
    ]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


_DARK = bytes(ord("1") if value < 128 else ord("0") for value in range(256))


def _bars(png: Path) -> dict[str, int]:
    """The bounding box (pixels) of the columns holding a dark vertical run taller than any
    glyph on the page (8 mm): those are the bars."""
    with Image.open(png) as image:
        # Transposed, each row of bytes is one column of the page: runs are found with re.
        columns_image = image.convert("L").transpose(Image.Transpose.TRANSPOSE)
        length, count = columns_image.size  # page height, page width
        raw = columns_image.tobytes().translate(_DARK)
    tall = round(8 * count / 210)  # A4 is 210 mm wide
    columns: list[tuple[int, int, int]] = []
    for x in range(count):
        runs = [m.span() for m in re.finditer(rb"1+", raw[x * length : (x + 1) * length])]
        start, end = max(runs, key=lambda r: r[1] - r[0], default=(0, 0))
        if end - start >= tall:
            columns.append((x, start, end - 1))
    assert columns, "no bars found"
    return {
        "left": columns[0][0],
        "right": columns[-1][0],
        "top": min(c[1] for c in columns),
        "bottom": max(c[2] for c in columns),
    }
