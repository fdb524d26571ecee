"""Building a 収滞納 ledger for the tests: persons, 調定, slips' barcodes and payment files.

Dates are fixed in FY2026 and in the past, so services that refuse future dates accept them.
Persons are 住登外 宛名 (``jutogai_register``): the ledger needs only their 宛名番号.
"""

from __future__ import annotations

import datetime as dt
import itertools

from kyodo.atena.services import JutogaiInput, jutogai_register
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope
from kyodo.units.shuno import konbini_file
from kyodo.units.shuno.barcode import build
from kyodo.units.shuno.freefield import NoticeRef, encode
from kyodo.units.shuno.models import Chotei
from kyodo.units.shuno.services.chotei import ChoteiRequest, KibetsuInput, chotei_create

COMPANY = "912345"
FY = 2026
_births = itertools.count()
_notices = itertools.count(1000)
_receipts = itertools.count(1)


def clerk(tenant: Tenant):
    return tenant_scope(tenant.code, actor=Actor(username="clerk"))


def person(name: str = "太郎") -> int:
    """A new 宛名 (住登外) in the current scope; its 宛名番号."""
    n = next(_births)
    return jutogai_register(
        JutogaiInput(
            family_name="収納",
            given_name=f"{name}{n}",
            family_kana="シュウノウ",
            given_kana="タロウ",
            birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=n),
            sex=1,
            address="東京都千代田区霞が関1-1",
        )
    ).atena_no


def assess(
    atena_no: int,
    *amounts_and_dues: tuple[int, dt.date],
    tax_kind: str = "juminzei_futsu",
    notice_no: int | None = None,
    assessed_on: dt.date = dt.date(2026, 6, 1),
) -> list[Chotei]:
    """調定 of one notice with installments (amount, 納期限), numbered 1, 2, …"""
    return chotei_create(
        ChoteiRequest(
            tax_kind=tax_kind,
            fiscal_year=FY,
            notice_no=notice_no if notice_no is not None else next(_notices),
            atena_no=atena_no,
            assessed_on=assessed_on,
            installments=tuple(
                KibetsuInput(kibetsu=i, amount=amount, due_date=due)
                for i, (amount, due) in enumerate(amounts_and_dues, start=1)
            ),
        ),
        source="test",
    )


def slip(chotei: Chotei, *, tenant_code: str, amount: int | None = None) -> str:
    """The 44 barcode digits of the 納付書 of one installment."""
    free = encode(
        NoticeRef(
            tenant_code=tenant_code,
            tax_kind=chotei.tax_kind,
            fiscal_year=chotei.fiscal_year,
            notice_no=chotei.notice_no,
            kibetsu=chotei.kibetsu,
        )
    )
    return build(
        company_code=COMPANY,
        free=free,
        reissue=0,
        due_date=chotei.due_date,
        stamp=0,
        amount=chotei.amount if amount is None else amount,
    )


def paid(
    data: str, on: dt.date, *, amount: int | None = None, receipt: int | None = None
) -> konbini_file.Payment:
    """One store payment of a slip (the barcode's amount unless ``amount`` says otherwise)."""
    from kyodo.units.shuno.barcode import parse

    return konbini_file.Payment(
        receipt_no=str(receipt if receipt is not None else next(_receipts)),
        paid_on=on,
        data=data,
        amount=parse(data).amount if amount is None else amount,
    )


def result_file(
    payments: list[konbini_file.Payment],
    *,
    report: str = "sokuho",
    created_on: dt.date = dt.date(2026, 8, 10),
) -> bytes:
    if report == "kakuho":
        payments = [
            konbini_file.Payment(**{**vars(p), "transfer_on": p.paid_on + dt.timedelta(days=7)})
            for p in payments
        ]
    return konbini_file.render(
        report=report, company_code=COMPANY, created_on=created_on, payments=payments
    )
