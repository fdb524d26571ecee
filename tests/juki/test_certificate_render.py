"""住民記録 certificate PDFs, checked the way a reader sees them: through poppler.

pdftotext shows which items are printed (and that nothing optional leaks in); pdftoppm
rasterises glyphs so the 異体字 (IVS) check compares pixels, as stack-notes §4 did.
Pure renderer: no database, runs with ``-p no:django``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from kyodo.printing.fonts import IPAMJ_DEBIAN_PACKAGE, IPAMJ_PATH
from kyodo.units.juki.certificates import (
    Certificate,
    CertificateKind,
    FontNotInstalledError,
    ForeignResident,
    Layout,
    Options,
    PersonEntry,
    mincho,
    page_count,
    render_pdf,
)
from kyodo.units.juki.certificates import wording as w
from kyodo.units.juki.certificates.model import MOVE_OUT_REQUIRED, REMOVAL_REQUIRED
from kyodo.units.juki.certificates.render import NO_CERTIFICATES
from tests.pdf import pdftotext, squash

pytestmark = [
    pytest.mark.skipif(
        shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext, pdftoppm)"
    ),
    pytest.mark.skipif(not IPAMJ_PATH.is_file(), reason=f"needs {IPAMJ_DEBIAN_PACKAGE}"),
]

KATSURAGI = "葛\U000e0102城"  # IPAmj: mj022335, default 葛 is mj022336
TSUJIMOTO = "辻\U000e0102本"  # IPAmj: mj025760, default 辻 is mj025761
HONSEKI = "石川県金沢市広坂一丁目1番1号"
HITTOSHA = "金沢　一郎"
CODE = "98765432109"
BANGO = "111122223333"
ZOKUGARA = "長男"
SETAINUSHI = "射水　太郎"
HISTORY = ((date(2015, 4, 1), "転入（金沢市から）"), (date(2020, 3, 1), "転居"))
OPTIONAL_VALUES = (HONSEKI, HITTOSHA, CODE, BANGO, ZOKUGARA, "転入（金沢市から）")


def person(name: str = "射水　次郎", **overrides: object) -> PersonEntry:
    fields: dict[str, object] = {
        "name": name,
        "name_kana": "いみず　じろう",
        "birth_date": date(1980, 6, 15),
        "sex": "男",
        "zokugara": ZOKUGARA,
        "became_resident_on": date(2015, 4, 1),
        "address_fixed_on": date(2020, 3, 1),
        "notified_on": date(2020, 3, 5),
        "previous_address": "石川県金沢市広坂二丁目2番2号",
        "honseki": HONSEKI,
        "hittosha": HITTOSHA,
        "juminhyo_code": CODE,
        "kojin_bango": BANGO,
        "history": HISTORY,
    }
    fields.update(overrides)
    return PersonEntry(**fields)  # type: ignore[arg-type]


def certificate(persons: list[PersonEntry] | None = None, **overrides: object) -> Certificate:
    fields: dict[str, object] = {
        "kind": CertificateKind.JUMINHYO,
        "layout": Layout.SETAI_RENKI,
        "municipality": "富山県射水市",
        "mayor": "射水市長　山田　太郎",
        "address": "富山県射水市新開発410番地1　射水ハイツ201号室",
        "setainushi": SETAINUSHI,
        "persons": persons or [person()],
        "issue_no": "R8-004711",
        "issued_on": date(2026, 11, 26),
    }
    fields.update(overrides)
    return Certificate(**fields)  # type: ignore[arg-type]


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    return pdftotext(pdf, tmp_path).count("\f")


# -- which items are printed ---------------------------------------------------------------------


def test_default_options_print_the_always_present_items_and_nothing_optional(
    tmp_path: Path,
) -> None:
    text = squash(pdftotext(render_pdf([certificate()]), tmp_path))
    for always in (
        "住民票の写し",
        "射水次郎",
        "いみずじろう",
        "昭和55年6月15日",
        "男",
        "平成27年4月1日",
        "令和2年3月1日",
        "令和2年3月5日",
        "石川県金沢市広坂二丁目2番2号",
        "富山県射水市新開発410番地1射水ハイツ201号室",
        "R8-004711",
    ):
        assert always in text
    for label in (*w.OPTIONAL_LABELS, "続柄", "世帯主"):
        assert label not in text
    for value in OPTIONAL_VALUES:
        assert value not in text


@pytest.mark.parametrize(
    ("options", "labels", "values"),
    [
        (Options(setainushi_zokugara=True), (w.SETAINUSHI, w.ZOKUGARA), (SETAINUSHI, ZOKUGARA)),
        (Options(honseki=True), (w.HONSEKI, w.HITTOSHA), (HONSEKI, HITTOSHA)),
        (Options(juminhyo_code=True), (w.JUMINHYO_CODE,), (CODE,)),
        (Options(kojin_bango=True), (w.KOJIN_BANGO,), (BANGO,)),
        (
            Options(history=True),
            (w.HISTORY,),
            ("平成27年4月1日転入（金沢市から）", "令和2年3月1日転居"),
        ),
    ],
)
def test_each_requested_option_prints_its_labels_and_values_only(
    tmp_path: Path, options: Options, labels: tuple[str, ...], values: tuple[str, ...]
) -> None:
    text = squash(pdftotext(render_pdf([certificate(options=options)]), tmp_path))
    for expected in (*labels, *values):
        assert squash(expected) in text
    others = {"世帯主", "続柄", "本籍", "筆頭者", "住民票コード", "個人番号", "異動履歴"} - set(
        labels
    )
    for label in others:
        assert label not in text
    assert squash(SETAINUSHI) not in text or options.setainushi_zokugara


def test_foreign_resident_birth_date_is_western_and_its_items_are_optional(
    tmp_path: Path,
) -> None:
    foreign = ForeignResident(
        alphabet_name="SMITH JOHN",
        nationality="アメリカ合衆国",
        category="中長期在留者",
        tsusho="須見須　次郎",
        residence_status="技術・人文知識・国際業務",
        period_of_stay="3年",
        period_expires_on=date(2027, 3, 31),
        card_number="AB12345678CD",
    )
    resident = person("SMITH JOHN", name_kana="", birth_date=date(1990, 4, 1), foreign=foreign)
    text = squash(pdftotext(render_pdf([certificate([resident])]), tmp_path))
    assert "1990年4月1日" in text
    assert "平成2年4月1日" not in text
    assert "須見須次郎" in text
    for hidden in ("国籍", "アメリカ合衆国", "区分", "在留", "AB12345678CD", "2027年3月31日"):
        assert hidden not in text
    everything = Options(
        kokuseki=True, zairyu_kubun=True, zairyu_shikaku=True, zairyu_card=True, honseki=True
    )
    text = squash(pdftotext(render_pdf([certificate([resident], options=everything)]), tmp_path))
    for shown in (
        "国籍・地域",
        "アメリカ合衆国",
        "中長期在留者",
        "技術・人文知識・国際業務",
        "在留期間",
        "3年",
        "2027年3月31日",
        "在留カード等の番号",
        "AB12345678CD",
    ):
        assert shown in text
    assert "本籍" not in text  # foreign residents have no 本籍, even when requested


# -- pagination and the 認証文 -------------------------------------------------------------------


def test_six_persons_take_two_sheets_and_only_the_last_is_certified(tmp_path: Path) -> None:
    persons = [person(f"射水　{n}郎") for n in "一二三四五六"]
    pdf = render_pdf([certificate(persons)])
    assert pdf_pages(pdf, tmp_path) == 2
    first, second = (pdftotext(pdf, tmp_path, page) for page in (1, 2))
    for page_text in (first, second):
        assert "住民票の写し" in squash(page_text)
        assert "R8-004711" in page_text
    assert re.search(r"\b1 / 2\b", first)
    assert re.search(r"\b2 / 2\b", second)
    assert w.CERTIFICATION_JUMINHYO not in squash(first)
    assert "射水市長" not in first
    assert w.CERTIFICATION_JUMINHYO in squash(second)
    assert "射水市長山田太郎" in squash(second)
    assert "令和8年11月26日" in squash(second)
    assert [squash(first).count("射水" + n) for n in "一二三四五六"] == [1, 1, 1, 1, 0, 0]


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (4, 1), (5, 2), (8, 2), (9, 3)])
def test_setai_renki_holds_four_persons_per_sheet(tmp_path: Path, count: int, pages: int) -> None:
    cert = certificate([person() for _ in range(count)])
    assert pdf_pages(render_pdf([cert]), tmp_path) == pages
    assert page_count(cert) == pages


def test_four_persons_with_every_item_still_share_one_sheet(tmp_path: Path) -> None:
    everything = Options(
        setainushi_zokugara=True,
        honseki=True,
        juminhyo_code=True,
        kojin_bango=True,
        kokuseki=True,
        zairyu_kubun=True,
        zairyu_shikaku=True,
        zairyu_card=True,
    )
    japanese = person(kyuuji="金沢", kyuuji_kana="かなざわ", prior_address="富山県射水市本町1番")
    foreign = person(
        "SMITH JOHN",
        foreign=ForeignResident(
            alphabet_name="SMITH JOHN",
            nationality="アメリカ合衆国",
            category="中長期在留者",
            tsusho="須見須　次郎",
            residence_status="技術・人文知識・国際業務",
            period_of_stay="3年",
            period_expires_on=date(2027, 3, 31),
            card_number="AB12345678CD",
        ),
    )
    for members in ([japanese] * 4, [foreign] * 4):
        pdf = render_pdf([certificate(members, options=everything)])
        assert pdf_pages(pdf, tmp_path) == 1


def test_kojin_prints_one_person_per_sheet(tmp_path: Path) -> None:
    persons = [person("射水　一郎"), person("射水　二郎")]
    pdf = render_pdf([certificate(persons, layout=Layout.KOJIN)])
    assert pdf_pages(pdf, tmp_path) == 2
    first, second = (squash(pdftotext(pdf, tmp_path, page)) for page in (1, 2))
    assert "射水一郎" in first and "射水二郎" not in first
    assert "射水二郎" in second and "射水一郎" not in second
    assert "1/2" in first and "2/2" in second
    assert w.CERTIFICATION_JUMINHYO in second and w.CERTIFICATION_JUMINHYO not in first


def test_long_history_continues_on_further_sheets(tmp_path: Path) -> None:
    history = [(date(2000 + i // 12, i % 12 + 1, 1), f"転居その{i}") for i in range(150)]
    cert = certificate(
        [person(history=history)], layout=Layout.KOJIN, options=Options(history=True)
    )
    pdf = render_pdf([cert])
    pages = pdf_pages(pdf, tmp_path)
    assert page_count(cert) == pages
    assert pages > 1
    text = squash(pdftotext(pdf, tmp_path))
    assert all(f"転居その{i}" in text for i in range(150))
    assert "異動履歴（射水　次郎・続き）".replace("　", "") in text
    assert w.CERTIFICATION_JUMINHYO in squash(pdftotext(pdf, tmp_path, pages))
    assert w.CERTIFICATION_JUMINHYO not in squash(pdftotext(pdf, tmp_path, pages - 1))


def test_bulk_issue_paginates_each_certificate_and_shares_the_font(tmp_path: Path) -> None:
    certs = [certificate(issue_no=f"R8-{n:06d}") for n in range(20)]
    pdf = render_pdf(certs)
    assert pdf_pages(pdf, tmp_path) == 20
    text = pdftotext(pdf, tmp_path)
    assert text.count("1 / 1") == 20
    assert squash(text).count(w.CERTIFICATION_JUMINHYO) == 20
    one = render_pdf(certs[:1])
    assert len(pdf) < 5 * len(one)  # the IPAmj subset is embedded once, not 20 times


def test_an_empty_batch_is_refused() -> None:
    with pytest.raises(ValueError, match=NO_CERTIFICATES):
        render_pdf([])


def test_long_values_shrink_to_fit_and_stay_whole(tmp_path: Path) -> None:
    address = "富山県射水市新開発410番地1" + "射水グランドパレス" * 8 + "1201号室"
    text = squash(pdftotext(render_pdf([certificate(address=address)]), tmp_path))
    assert address in text


# -- dates ---------------------------------------------------------------------------------------


def test_japanese_birth_dates_and_issue_date_print_in_wareki(tmp_path: Path) -> None:
    persons = [person(birth_date=date(1989, 1, 7)), person(birth_date=date(2019, 5, 1))]
    text = squash(pdftotext(render_pdf([certificate(persons)]), tmp_path))
    assert "昭和64年1月7日" in text
    assert "令和元年5月1日" in text
    assert "令和8年11月26日" in text
    assert "1989年" not in text


# -- 除票 and 転出証明書 -------------------------------------------------------------------------


def test_josho_prints_removal_items(tmp_path: Path) -> None:
    removed = person(
        removal_reason="転出",
        removed_on=date(2026, 10, 31),
        moved_out_to="東京都新宿区西新宿二丁目8番1号",
    )
    cert = certificate([removed], kind=CertificateKind.JOSHO, layout=Layout.KOJIN)
    text = squash(pdftotext(render_pdf([cert]), tmp_path))
    for expected in (
        "住民票の除票の写し",
        w.REMOVAL_REASON,
        "転出",
        w.REMOVED_ON,
        "令和8年10月31日",
        w.MOVED_OUT_TO,
        "東京都新宿区西新宿二丁目8番1号",
        w.CERTIFICATION_JOSHO,
    ):
        assert expected in text


def test_tenshutsu_prints_destination_and_planned_date(tmp_path: Path) -> None:
    leaving = person(moved_out_to="東京都新宿区西新宿二丁目8番1号", move_out_on=date(2026, 12, 1))
    cert = certificate([leaving], kind=CertificateKind.TENSHUTSU)
    text = squash(pdftotext(render_pdf([cert]), tmp_path))
    for expected in (
        "転出証明書",
        w.MOVE_OUT_ON,
        "令和8年12月1日",
        w.MOVED_OUT_TO,
        "東京都新宿区西新宿二丁目8番1号",
        w.CERTIFICATION_TENSHUTSU,
    ):
        assert expected in text
    assert w.REMOVAL_REASON not in text


def test_kisaijiko_uses_its_own_title_and_certification() -> None:
    assert w.TITLES[CertificateKind.KISAIJIKO] == "住民票記載事項証明書"
    assert w.CERTIFICATION_TEXTS[CertificateKind.KISAIJIKO] == w.CERTIFICATION_KISAIJIKO


@pytest.mark.parametrize(
    ("kind", "message"),
    [(CertificateKind.JOSHO, REMOVAL_REQUIRED), (CertificateKind.TENSHUTSU, MOVE_OUT_REQUIRED)],
)
def test_removal_certificates_need_their_items(kind: CertificateKind, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        certificate(kind=kind)


# -- fonts and 異体字 ----------------------------------------------------------------------------


def rasterise(draw: list[str], tmp_path: Path, size: float = 100.0) -> list[bytes]:
    """Draw each string at ``size`` pt on its own page; return 72-dpi greyscale rows."""
    font = mincho()
    path = tmp_path / "glyphs.pdf"
    canvas = Canvas(str(path), pagesize=(size * 3, size * 1.5))
    for text in draw:
        canvas.setFont(font.fontName, size)
        canvas.drawString(size * 0.25, size * 0.4, font.prepare(text))
        canvas.showPage()
    canvas.save()
    subprocess.run(["pdftoppm", "-r", "72", "-gray", str(path), str(tmp_path / "g")], check=True)
    images = []
    for pgm in sorted(tmp_path.glob("g-*.pgm")):
        data = pgm.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
        assert header is not None
        images.append(data[header.end() : header.end() + int(header[1]) * int(header[2])])
    return images


def differing(a: bytes, b: bytes) -> int:
    return sum(1 for x, y in zip(a, b, strict=True) if abs(x - y) > 64)


@pytest.mark.parametrize("base", ["葛", "辻"])
def test_ivs_draws_the_variant_glyph_without_tofu(tmp_path: Path, base: str) -> None:
    variant, default, unknown_selector = rasterise(
        [base + "\U000e0102", base, base + "\U000e0100"], tmp_path
    )
    assert differing(variant, default) > 300  # the variant is a different glyph
    assert differing(unknown_selector, default) == 0  # unknown sequence: default glyph, no tofu
    width = len(default) // 150
    right_half = [row[150:] for row in (variant[i * width : (i + 1) * width] for i in range(150))]
    assert all(px > 250 for row in right_half for px in row)  # nothing (no tofu) after the glyph


def test_ivs_names_extract_exactly_and_the_font_is_embedded(tmp_path: Path) -> None:
    names = [person(f"{KATSURAGI}　太郎"), person(f"{TSUJIMOTO}　花子"), person("𠮷野　一郎")]
    pdf = render_pdf([certificate(names, setainushi=f"{KATSURAGI}　太郎")])
    text = pdftotext(pdf, tmp_path)
    assert KATSURAGI in text and TSUJIMOTO in text  # base + selector, as the registry holds it
    assert "葛" in text and "辻" in text and "𠮷野" in text
    assert "\ufffd" not in text
    assert not re.search("[\ue000-\uf8ff\U000f0000-\U0010ffff]", text)  # no private-use leaks
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "IPAmjMincho" in fonts.stdout
    assert re.search(r"IPAmjMincho\s+TrueType\s+\S+\s+yes\s+yes\s+yes", fonts.stdout)


def test_every_fixed_text_has_a_glyph_in_ipamj() -> None:
    face = mincho().face
    texts = [v for k, v in vars(w).items() if isinstance(v, str) and not k.startswith("__")]
    texts += [*w.TITLES.values(), "令和平成昭和大正明治元年月日0123456789 /"]
    missing = {ch for text in texts for ch in text if ord(ch) not in face.charToGlyph}
    assert not missing - {"{", "}"}


def test_missing_font_names_the_debian_package(tmp_path: Path) -> None:
    with pytest.raises(FontNotInstalledError, match=IPAMJ_DEBIAN_PACKAGE):
        mincho(tmp_path / "ipamjm.ttf")


# -- speed (printed, not asserted; the benchmark suite owns the targets) -------------------------


def test_timing(capsys: pytest.CaptureFixture[str]) -> None:
    mincho()
    base = certificate([person(f"{s}　太郎") for s in ("射水", KATSURAGI, TSUJIMOTO, "𠮷野")])
    render_pdf([base])
    start = time.perf_counter()
    for _ in range(10):
        render_pdf([base])
    single_ms = (time.perf_counter() - start) * 100
    certs = [replace(base, issue_no=f"R8-{n:06d}") for n in range(200)]
    start = time.perf_counter()
    render_pdf(certs)
    bulk = time.perf_counter() - start
    with capsys.disabled():
        print(
            f"\n[certificates] one: {single_ms:.1f} ms; bulk 200×4 persons: "
            f"{200 / bulk:.0f} pages/s ({bulk:.2f} s)"
        )
