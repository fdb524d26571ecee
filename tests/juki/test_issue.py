"""Issuing certificates end to end: registry records in, a PDF out, an issue record and an audit.

What a certificate must look like comes from standards.md §1.11 (Certificates):

- the 住民記録システム標準仕様書 (第1.0版 §5.1, transcribed at
  https://github.com/AkihiraYOSHIMOTO/jyuki-stnd/blob/master/doc/j1000.txt): the optional items
  世帯主・続柄, 本籍・筆頭者, 住民票コード and 個人番号 are omitted unless specifically requested,
  every certificate carries a 認証文 and a 発行番号, and on multi-page output the 認証文 is
  printed only on the last page; 除票 and current persons are never mixed;
- what citizens see after migration, as the municipal pages listed there describe it
  (https://www.town.kurate.lg.jp/koseki/systemhyoujunnka-juuminnhyou.html ,
  https://www.town.ichikawamisato.yamanashi.jp/40administration/09choumin/2025-1225-1623-4.html ,
  https://www.city.ishioka.lg.jp/kurashi_tetsuzuki/tetsuduki_shomei/page011703.html ): the
  世帯連記式 holds up to 4 persons per sheet (5 or more need several sheets), the 個人票 one
  person, the 除票 is issued only as 個人票, and 記載事項証明書 exists in both layouts.

The PDFs are read back through poppler's ``pdftotext`` (page by page with ``-f N -l N``), the
way a reader of the paper would see them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kyodo.atena.mynumber import check_digit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope
from kyodo.printing.fonts import IPAMJ_DEBIAN_PACKAGE, IPAMJ_PATH
from kyodo.rules.wareki import to_wareki
from kyodo.units.juki.certificates import CertificateKind
from kyodo.units.juki.certificates import wording as w
from kyodo.units.juki.issue import (
    NO_MOVE_OUT,
    NOT_CURRENT,
    NOT_REMOVED,
    REQUESTER_REQUIRED,
    UNKNOWN_LAYOUT,
    IssueOutcome,
    IssueRequest,
    issue_certificate,
    issue_certificates,
)
from kyodo.units.juki.models import CertificateIssue, JuminRecord
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.inputs import MemberInput
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.juki.services.tenshutsu import tenshutsu_kakutei, tenshutsu_yotei
from kyodo.units.juki.services.tenyu import TenyuRequest, tenyu
from tests.pdf import pdftotext, squash

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
    pytest.mark.skipif(not IPAMJ_PATH.is_file(), reason=f"needs {IPAMJ_DEBIAN_PACKAGE}"),
]

CLERK = Actor(username="clerk-issue")
MAYOR = "試験市長　山田　一郎"
HONSEKI = "石川県金沢市広坂一丁目1番1号"
HITTOSHA = "金沢　源蔵"
MOVED_IN = dt.date(2024, 4, 1)
# Names and addresses use no character of the optional labels and values (世帯主, 続柄 values
# 妻 子 母, 本籍, 筆頭者 …), so "absent" really means "not printed".
HOUSEHOLD = (
    ("射水", "健一", "イミズ", "ケンイチ", dt.date(1970, 5, 1), 1, "世帯主"),
    ("射水", "真弓", "イミズ", "マユミ", dt.date(1972, 8, 3), 2, "妻"),
    ("射水", "拓海", "イミズ", "タクミ", dt.date(2001, 1, 9), 1, "子"),
    ("射水", "美咲", "イミズ", "ミサキ", dt.date(2004, 6, 30), 2, "子"),
    ("射水", "トメ", "イミズ", "トメ", dt.date(1945, 2, 14), 2, "母"),
)
ZOKUGARA_VALUES = ("妻", "子", "母")
OPTIONAL_LABELS = ("世帯主", "続柄", "本籍", "筆頭者", "住民票コード", "個人番号")


def my_number(i: int) -> str:
    body = f"{31415926500 + i:011d}"
    return body + str(check_digit(body))


@dataclass
class Family:
    tenant: Tenant
    atena_nos: list[int]
    juminhyo_codes: list[str]
    my_numbers: list[str]

    @property
    def head(self) -> int:
        return self.atena_nos[0]


def move_in(members: tuple[tuple, ...], *, number_offset: int = 0) -> list[JuminRecord]:
    outcome = tenyu(
        TenyuRequest(
            moved_on=MOVED_IN,
            notified_on=MOVED_IN,
            address=Address(town="本町", banchi="1番地"),
            previous_address="東京都千代田区霞が関2丁目1番2号",
            members=[
                MemberInput(
                    family_name=family,
                    given_name=given,
                    family_kana=fkana,
                    given_kana=gkana,
                    birth_date=birth,
                    sex=sex,
                    relationship=zokugara,
                    my_number=my_number(number_offset + i),
                    honseki=HONSEKI,
                    hittousha=HITTOSHA,
                )
                for i, (family, given, fkana, gkana, birth, sex, zokugara) in enumerate(members)
            ],
        )
    )
    return outcome.records


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    tenant = make_tenant(name="試験市")
    Tenant.objects.filter(code=tenant.code).update(mayor=MAYOR)
    tenant.refresh_from_db()
    return tenant


@pytest.fixture
def scope(tenant: Tenant) -> Iterator[Tenant]:
    with tenant_scope(tenant.code, actor=CLERK):
        yield tenant


@pytest.fixture
def family(scope: Tenant) -> Family:
    records = move_in(HOUSEHOLD)
    return Family(
        tenant=scope,
        atena_nos=[r.atena_no for r in records],
        juminhyo_codes=[r.juminhyo_code for r in records],
        my_numbers=[my_number(i) for i in range(len(records))],
    )


def request(atena_no: int, kind: str = "juminhyo", **kwargs: object) -> IssueRequest:
    fields: dict[str, object] = {"requester": "本人", "purpose": "勤務先提出"}
    fields.update(kwargs)
    return IssueRequest(atena_no=atena_no, kind=kind, **fields)  # type: ignore[arg-type]


def pdf_page_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]


def pages_text(outcome: IssueOutcome, tmp_path: Path) -> list[str]:
    count = pdf_page_count(outcome.pdf, tmp_path)
    assert count == outcome.pages
    return [squash(pdftotext(outcome.pdf, tmp_path, n)) for n in range(1, count + 1)]


NAMES = [f"{f}{g}" for f, g, *_ in HOUSEHOLD]


def optional_values(family: Family) -> list[str]:
    return [
        *ZOKUGARA_VALUES,
        HONSEKI,
        squash(HITTOSHA),
        *family.juminhyo_codes,
        *family.my_numbers,
    ]


# -- 住民票の写し, 世帯連記式 ----------------------------------------------------------------------


def test_household_of_five_takes_two_sheets_with_nothing_optional(
    family: Family, tmp_path: Path
) -> None:
    outcome = issue_certificate(request(family.head, household=True))
    assert outcome.pages == 2
    pages = pages_text(outcome, tmp_path)
    # 4 persons on the first sheet, the fifth on the second, in household order.
    every = NAMES
    assert [n for n in every if n in pages[0]] == every[:4]
    assert [n for n in every if n in pages[1]] == every[4:]
    text = "".join(pages)
    assert "住民票の写し" in text
    for label in OPTIONAL_LABELS:
        assert label not in text, label
    for value in optional_values(family):
        assert value not in text, value


@pytest.mark.parametrize(
    ("item", "labels"),
    [
        ("zokugara", ("世帯主", "続柄")),
        ("honseki", ("本籍", "筆頭者")),
        ("juminhyo_code", ("住民票コード",)),
        ("kojin_bango", ("個人番号",)),
    ],
)
def test_each_requested_item_adds_exactly_its_labels_and_values(
    family: Family, tmp_path: Path, item: str, labels: tuple[str, ...]
) -> None:
    outcome = issue_certificate(request(family.head, household=True, with_items=[item]))
    text = "".join(pages_text(outcome, tmp_path))
    values = {
        # 性別 then 続柄 in the name row; the 世帯主 row under the 住所.
        "zokugara": [f"{'男女'[m[5] - 1]}{m[6]}" for m in HOUSEHOLD] + ["世帯主射水健一"],
        "honseki": [HONSEKI, squash(HITTOSHA)],
        "juminhyo_code": family.juminhyo_codes,
        "kojin_bango": family.my_numbers,
    }
    for expected in (*labels, *values[item]):
        assert expected in text, expected
    for label in set(OPTIONAL_LABELS) - set(labels):
        assert label not in text, label
    for other, shown in values.items():
        if other != item:
            for value in shown:
                assert value not in text, value


def test_my_number_is_printed_only_on_request_and_then_audited_as_a_reveal(
    tenant: Tenant, tmp_path: Path
) -> None:
    with tenant_scope(tenant.code, actor=CLERK):
        records = move_in(HOUSEHOLD[:2], number_offset=40)
        head = records[0].atena_no
        plain = issue_certificate(request(head, household=True))
        shown = issue_certificate(
            request(head, household=True, with_items=["kojin_bango"], purpose="年金手続")
        )
    numbers = [my_number(40), my_number(41)]
    plain_text = squash(pdftotext(plain.pdf, tmp_path))
    shown_text = squash(pdftotext(shown.pdf, tmp_path))
    assert not any(n in plain_text for n in numbers)
    assert all(n in shown_text for n in numbers)
    with tenant_scope(tenant.code):
        reveals = AuditRecord.objects.filter(chain=tenant.code, action="reveal")
        assert sorted(int(r.object_id) for r in reveals) == sorted(r.atena_no for r in records)
        assert {r.purpose for r in reveals} == {"年金手続"}
        assert {r.actor for r in reveals} == {CLERK.username}
        issue = AuditRecord.objects.get(chain=tenant.code, action="issue", object_id=shown.issue_no)
        assert issue.detail["kojin_bango"] is True
        plain_issue = AuditRecord.objects.get(
            chain=tenant.code, action="issue", object_id=plain.issue_no
        )
        assert plain_issue.detail["kojin_bango"] is False


def test_an_unknown_optional_item_is_refused(family: Family) -> None:
    with pytest.raises(ValidationFailed, match="任意項目 shimei はありません") as caught:
        issue_certificate(request(family.head, with_items=["honseki", "shimei"]))
    assert caught.value.field == "with"
    assert not CertificateIssue.objects.exists()


def test_an_unknown_layout_or_kind_is_a_validation_error(family: Family) -> None:
    with pytest.raises(ValidationFailed) as caught:
        issue_certificate(request(family.head, layout="a3"))
    assert caught.value.field == "layout"
    assert caught.value.reason == UNKNOWN_LAYOUT
    with pytest.raises(ValidationFailed, match="種別は"):
        issue_certificate(request(family.head, kind="koseki"))


# -- 個人票 and 記載事項証明書 -------------------------------------------------------------------


def test_kojin_layout_puts_one_person_on_each_sheet(family: Family, tmp_path: Path) -> None:
    single = issue_certificate(request(family.atena_nos[1]))
    assert single.pages == 1
    page = pages_text(single, tmp_path)[0]
    assert "射水真弓" in page
    assert not any(n in page for n in NAMES if n != "射水真弓")
    whole = issue_certificate(request(family.head, household=True, layout="kojin"))
    assert whole.pages == 5
    for name, text in zip(NAMES, pages_text(whole, tmp_path), strict=True):
        assert [n for n in NAMES if n in text] == [name]
        assert f"{w.ISSUE_NO}{whole.issue_no}" in text


def test_kisaijiko_certificate(family: Family, tmp_path: Path) -> None:
    outcome = issue_certificate(request(family.atena_nos[2], kind="kisaijiko"))
    text = pages_text(outcome, tmp_path)[-1]
    assert w.TITLES[CertificateKind.KISAIJIKO] in text
    assert squash(w.CERTIFICATION_KISAIJIKO) in text
    assert squash(w.CERTIFICATION_JUMINHYO) not in text
    assert "射水拓海" in text
    issue = CertificateIssue.objects.get(issue_no=outcome.issue_no)
    assert issue.kind == "kisaijiko"


# -- 除票の写し and 転出証明書 -------------------------------------------------------------------


def test_josho_of_a_deceased_person_is_a_kojin_sheet_with_reason_and_date(
    family: Family, tmp_path: Path
) -> None:
    grandmother = family.atena_nos[4]
    died_on = dt.date(2026, 10, 3)
    shibou(atena_no=grandmother, died_on=died_on, notified_on=died_on)
    outcome = issue_certificate(
        request(grandmother, kind="josho", household=True, layout="setai_renki")
    )
    assert outcome.pages == 1  # 個人票 only, whatever was asked
    text = pages_text(outcome, tmp_path)[0]
    assert "住民票の除票の写し" in text
    assert "射水トメ" in text
    assert not any(n in text for n in NAMES if n != "射水トメ")
    # pdftotext gives a row's labels, then its values.
    assert f"{w.REMOVAL_REASON}{w.REMOVED_ON}死亡{to_wareki(died_on)}" in text
    assert squash(w.CERTIFICATION_JOSHO) in text
    # 届出日 stays that of the move-in; the death is shown as 消除.
    assert f"{w.NOTIFIED}{to_wareki(MOVED_IN)}{to_wareki(MOVED_IN)}{to_wareki(MOVED_IN)}" in text
    assert text.count(to_wareki(died_on)) == 1
    # A 除票 person has no 住民票の写し, and a current resident no 除票の写し.
    with pytest.raises(ValidationFailed, match=NOT_CURRENT.format(atena_no=grandmother)):
        issue_certificate(request(grandmother))
    with pytest.raises(ValidationFailed, match=NOT_REMOVED.format(atena_no=family.head)):
        issue_certificate(request(family.head, kind="josho"))


def test_josho_after_a_move_out_prints_the_destination(scope: Tenant, tmp_path: Path) -> None:
    (record,) = move_in((("高岡", "一", "タカオカ", "ハジメ", dt.date(1990, 3, 3), 1, "世帯主"),))
    today = timezone.localdate()
    tenshutsu_yotei(
        atena_nos=[record.atena_no],
        moved_on=today - dt.timedelta(days=20),
        notified_on=today - dt.timedelta(days=10),
        destination="大阪府大阪市北区中之島1丁目3番20号",
    )
    moved_in_on = today - dt.timedelta(days=21)
    tenshutsu_kakutei(atena_no=record.atena_no, moved_in_on=moved_in_on)
    outcome = issue_certificate(request(record.atena_no, kind="josho"))
    text = pages_text(outcome, tmp_path)[0]
    # Removed as of the earlier of the planned date and the move-in (standards.md §1.10).
    assert (
        f"{w.REMOVAL_REASON}{w.REMOVED_ON}{w.MOVED_OUT_TO}"
        f"国内転出{to_wareki(moved_in_on)}大阪府大阪市北区中之島1丁目3番20号"
    ) in text
    with pytest.raises(ValidationFailed, match=NOT_CURRENT.format(atena_no=record.atena_no)):
        issue_certificate(request(record.atena_no, kind="juminhyo"))


def test_tenshutsu_certificate_after_a_move_out_notification(scope: Tenant, tmp_path: Path) -> None:
    (record,) = move_in((("氷見", "一", "ヒミ", "ハジメ", dt.date(1985, 7, 7), 1, "世帯主"),))
    with pytest.raises(ValidationFailed, match=NO_MOVE_OUT.format(atena_no=record.atena_no)):
        issue_certificate(request(record.atena_no, kind="tenshutsu"))
    today = timezone.localdate()
    planned = today + dt.timedelta(days=7)
    tenshutsu_yotei(
        atena_nos=[record.atena_no],
        moved_on=planned,
        notified_on=today,
        destination="北海道札幌市中央区北1条西2丁目",
    )
    outcome = issue_certificate(request(record.atena_no, kind="tenshutsu"))
    text = pages_text(outcome, tmp_path)[0]
    assert "転出証明書" in text
    assert (
        f"{w.MOVE_OUT_ON}{w.MOVED_OUT_TO}{to_wareki(planned)}北海道札幌市中央区北1条西2丁目"
    ) in text
    assert squash(w.CERTIFICATION_TENSHUTSU) in text
    # Still a resident until the move is confirmed: the 住民票の写し is issued, without the
    # pending move-out items.
    copy = squash(pdftotext(issue_certificate(request(record.atena_no)).pdf, tmp_path))
    assert "北海道札幌市" not in copy
    assert w.MOVE_OUT_ON not in copy
    # 届出日 is that of the move-in which fixed the address, not the 転出届's (today's date
    # is printed once: as the issue date).
    moved_in = to_wareki(MOVED_IN)
    assert f"{w.ADDRESS_FIXED}{w.NOTIFIED}{moved_in}{moved_in}{moved_in}" in copy
    assert copy.count(to_wareki(today)) == 1


def test_tenshutsu_certificate_for_a_household_lists_those_who_filed(
    scope: Tenant, tmp_path: Path
) -> None:
    records = move_in(HOUSEHOLD[:3], number_offset=60)
    today = timezone.localdate()
    tenshutsu_yotei(
        atena_nos=[r.atena_no for r in records],
        moved_on=today - dt.timedelta(days=3),
        notified_on=today - dt.timedelta(days=5),
        destination="福井県福井市大手3丁目10番1号",
    )
    outcome = issue_certificate(request(records[0].atena_no, kind="tenshutsu", household=True))
    text = "".join(pages_text(outcome, tmp_path))
    for name in ("射水健一", "射水真弓", "射水拓海"):
        assert name in text
    assert CertificateIssue.objects.get(issue_no=outcome.issue_no).atena_nos == [
        r.atena_no for r in records
    ]
    # Still the same persons once each move is confirmed (a 異動 of its own per person).
    for r in records:
        tenshutsu_kakutei(atena_no=r.atena_no, moved_in_on=today - dt.timedelta(days=2))
    again = issue_certificate(request(records[1].atena_no, kind="tenshutsu", household=True))
    assert CertificateIssue.objects.get(issue_no=again.issue_no).atena_nos == [
        r.atena_no for r in records
    ]


# -- every page, the last page -------------------------------------------------------------------


def test_issue_number_increments_and_is_on_every_page(family: Family, tmp_path: Path) -> None:
    first = issue_certificate(request(family.head, household=True))
    second = issue_certificate(request(family.head, household=True))
    year, number = first.issue_no.split("-")
    assert year == str(timezone.localdate().year)
    assert second.issue_no == f"{year}-{int(number) + 1:06d}"
    for outcome in (first, second):
        for text in pages_text(outcome, tmp_path):
            assert f"{w.ISSUE_NO}{outcome.issue_no}" in text


def test_certification_date_municipality_and_mayor_only_on_the_last_page(
    family: Family, tmp_path: Path
) -> None:
    outcome = issue_certificate(request(family.head, household=True))
    first, last = pages_text(outcome, tmp_path)
    municipality = f"{family.tenant.prefecture}{family.tenant.name}"
    issued = to_wareki(timezone.localdate())
    assert issued.startswith("令和")
    assert squash(w.CERTIFICATION_JUMINHYO) in last
    assert squash(w.CERTIFICATION_JUMINHYO) not in first
    assert issued in last
    assert issued not in first
    assert squash(MAYOR) in last
    assert "試験市長" not in first
    # The 住所 (which starts with the municipality) is on every sheet; the municipality line
    # of the 認証文 only on the last.
    assert first.count(municipality) == 1
    assert last.count(municipality) == 2
    assert "1/2" in first and "2/2" in last


# -- the issue record and the audit --------------------------------------------------------------


def test_issue_is_recorded_with_requester_and_purpose(tenant: Tenant) -> None:
    with tenant_scope(tenant.code, actor=CLERK):
        records = move_in(HOUSEHOLD[:2], number_offset=80)
        outcome = issue_certificate(
            request(
                records[0].atena_no,
                household=True,
                with_items=["zokugara"],
                requester="代理人　富山　花",
                purpose="相続手続",
            )
        )
    with tenant_scope(tenant.code):
        issue = CertificateIssue.objects.get(issue_no=outcome.issue_no)
        assert issue.kind == "juminhyo"
        assert issue.atena_nos == [r.atena_no for r in records]
        assert issue.options == ["zokugara"]
        assert (issue.requester, issue.purpose) == ("代理人　富山　花", "相続手続")
        assert issue.issued_by == CLERK.username
        assert issue.pages == outcome.pages == 1
        audit = AuditRecord.objects.get(
            chain=tenant.code, action="issue", object_id=outcome.issue_no
        )
        assert audit.object_type == "juki.certificate"
        assert audit.actor == CLERK.username
        assert audit.purpose == "相続手続"
        assert audit.detail["requester"] == "代理人　富山　花"
        assert audit.detail["atena_nos"] == [r.atena_no for r in records]
        assert audit.detail["with"] == ["zokugara"]


@pytest.mark.parametrize(("requester", "purpose"), [("", "勤務先提出"), ("本人", "  ")])
def test_requester_and_purpose_are_required(family: Family, requester: str, purpose: str) -> None:
    with pytest.raises(ValidationFailed, match=REQUESTER_REQUIRED):
        issue_certificate(request(family.head, requester=requester, purpose=purpose))
    assert not CertificateIssue.objects.exists()


# -- the CLI -------------------------------------------------------------------------------------


def test_cli_writes_a_pdf_with_exactly_the_chosen_items(
    tenant: Tenant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with tenant_scope(tenant.code, actor=CLERK):
        records = move_in(HOUSEHOLD[:3], number_offset=100)
    out = tmp_path / "juminhyo.pdf"
    call_command(
        "juki",
        "certificate",
        "--tenant",
        tenant.code,
        "--atena-no",
        str(records[0].atena_no),
        "--kind",
        "juminhyo",
        "--household",
        "--with",
        "honseki,zokugara",
        "--out",
        str(out),
    )
    assert '"pages": 1' in capsys.readouterr().out
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert not out.with_name(out.name + ".partial").exists()
    text = squash(pdftotext(pdf, tmp_path))
    for shown in ("世帯主", "続柄", "本籍", "筆頭者", HONSEKI, squash(HITTOSHA), "女妻"):
        assert shown in text, shown
    for hidden in ("住民票コード", "個人番号", *(r.juminhyo_code for r in records)):
        assert hidden not in text, hidden
    assert not any(my_number(100 + i) in text for i in range(3))
    with tenant_scope(tenant.code):
        issue = CertificateIssue.objects.get()
        assert issue.options == ["honseki", "zokugara"]
        assert issue.issued_by == "cli"


def test_cli_refuses_an_unknown_item(tenant: Tenant, tmp_path: Path) -> None:
    with tenant_scope(tenant.code, actor=CLERK):
        (record,) = move_in(HOUSEHOLD[:1], number_offset=120)
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="任意項目 honsekii はありません"):
        call_command(
            "juki",
            "certificate",
            "--tenant",
            tenant.code,
            "--atena-no",
            str(record.atena_no),
            "--kind",
            "juminhyo",
            "--with",
            "honsekii",
            "--out",
            str(out),
        )
    assert not out.exists()


def test_no_tenshutsu_certificate_for_a_move_abroad(scope: Tenant) -> None:
    """A move abroad is filed with no other 市町村, so there is no 転出証明書 to present (住基法
    第24条); the 除票の写し is what is issued."""
    (record,) = move_in((("海外", "渡", "カイガイ", "ワタル", dt.date(1990, 1, 1), 1, "世帯主"),))
    today = timezone.localdate()
    tenshutsu_yotei(
        atena_nos=[record.atena_no],
        moved_on=today,
        notified_on=today,
        destination="アメリカ合衆国",
        abroad=True,
    )
    with pytest.raises(ValidationFailed, match="国外転出のため転出証明書は発行しません"):
        issue_certificate(request(record.atena_no, kind="tenshutsu"))
    assert issue_certificate(request(record.atena_no, kind="josho")).pages == 1


def test_bulk_issue_is_one_pdf_and_all_or_nothing(scope: Tenant, tmp_path: Path) -> None:
    first = move_in((("一番", "一", "イチバン", "ハジメ", dt.date(1970, 1, 1), 1, "世帯主"),))
    second = move_in(
        (("二番", "二", "ニバン", "ツギ", dt.date(1971, 1, 1), 1, "世帯主"),), number_offset=50
    )
    outcome = issue_certificates([request(first[0].atena_no), request(second[0].atena_no)])
    assert outcome.pages == 2 and len(set(outcome.issue_nos)) == 2
    text = pdftotext(outcome.pdf, tmp_path)
    assert "一番" in text and "二番" in text
    assert all(no in text for no in outcome.issue_nos)
    before = CertificateIssue.objects.count()
    with pytest.raises(ValidationFailed) as failure:
        issue_certificates([request(first[0].atena_no), request(second[0].atena_no, kind="josho")])
    assert failure.value.source == "requests[1]"
    assert CertificateIssue.objects.count() == before
