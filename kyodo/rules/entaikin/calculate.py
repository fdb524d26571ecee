"""延滞金: day by day from the day after the 納期限 to the day the 本税 is paid.

Each day takes the rate of its own calendar year (the files ``entaikin/<year>.json``) and of its
place: up to the day one month after the 納期限 passes (:mod:`.kikan`) the lower rate, after it
the higher one (:mod:`.wariai`). Each day's base is the 本税 still unpaid on it — a payment lowers
the base from the day after it — truncated to 1,000 yen, and nothing when under 2,000 yen.
Consecutive days with the same base and rate form a span, computed as
``base × rate × days ÷ 365`` (365 also in leap years) and truncated to the yen; the sum is
truncated to 100 yen, and under 1,000 yen nothing is charged (地方税法 第20条の4の2).

The non-rate figures (rounding, the 365-day year, the one-month period) are read from the file of
the year in which the calculation ends.

Not covered: 延滞金 reduced or exempted by 条例 or for 徴収猶予・換価の猶予 (地方税法 第15条の9
and the like), the special periods of 法人住民税 (修正申告 and 更正), and 還付加算金.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kyodo.rules import lawdata
from kyodo.rules.entaikin.claim import Claim, parse
from kyodo.rules.entaikin.kikan import ONE_DAY, first_period_end
from kyodo.rules.entaikin.wariai import FIGURES as RATE_FIGURES
from kyodo.rules.entaikin.wariai import Wariai, wariai
from kyodo.rules.inputs import InputError, Problem, join
from kyodo.rules.steps import Trail, percent, yen
from kyodo.rules.yen import floor_to, floor_yen

__all__ = ["REQUIRED_FIGURES", "TOPIC", "calculate", "calculate_claim"]

TOPIC = "entaikin"

REQUIRED_FIGURES = (
    *RATE_FIGURES,
    "kikan.first",
    "nissu",
    "rounding.base",
    "rounding.base_minimum",
    "rounding.amount",
    "rounding.amount_minimum",
    "rounding.segment",
)

KIND_NAMES = {"first": "納期限の翌日から1月を経過する日まで", "later": "1月を経過した日以後"}


@dataclass
class Span:
    """Consecutive days with the same base and rate."""

    start: datetime.date
    end: datetime.date
    unpaid: int  # 本税 unpaid on these days, before truncation
    base: int
    kind: str  # "first" or "later"
    rate: Decimal
    years: list[int] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class End:
    """Where the calculation stops, and the input field that said so."""

    date: datetime.date
    path: str
    unpaid: int
    excess: int  # paid beyond the 本税


def _end(claim: Claim) -> End:
    remaining = claim.tax
    for payment in claim.payments:
        remaining -= payment.amount
        if remaining <= 0:
            return End(payment.date, join(payment.path, "date"), 0, claim.paid - claim.tax)
    assert claim.as_of is not None  # parse() requires it while the tax is unpaid
    return End(claim.as_of, "as_of", remaining, 0)


def _laws(start: datetime.date, end: End) -> dict[int, lawdata.LawData]:
    available = lawdata.available_years(TOPIC)
    missing = [y for y in range(start.year, end.date.year + 1) if y not in available]
    if missing:
        listed = "、".join(str(y) for y in available) or "なし"
        years = "、".join(str(y) for y in missing)
        before = available and missing[0] < available[0]
        raise InputError(
            [
                Problem(
                    "due_date" if before else end.path,
                    f"{years}年の延滞金の割合（法令データ）がありません（利用できる年: {listed}）",
                )
            ]
        )
    laws = {}
    for year in range(start.year, end.date.year + 1):
        law = lawdata.load(TOPIC, year)
        law.require(REQUIRED_FIGURES)
        laws[year] = law
    return laws


def _unpaid_on(claim: Claim, day: datetime.date) -> int:
    """本税 unpaid on ``day``: payments count from the day after their date."""
    return max(0, claim.tax - sum(p.amount for p in claim.payments if p.date < day))


def _spans(
    trail: Trail,
    claim: Claim,
    end: End,
    rates: dict[int, Wariai],
    first_end: datetime.date,
) -> list[Span]:
    r = trail.reader
    unit, minimum = r.yen("rounding.base"), r.yen("rounding.base_minimum")
    spans: list[Span] = []
    day = claim.due_date + ONE_DAY
    while day <= end.date:
        unpaid = _unpaid_on(claim, day)
        base = 0 if unpaid < minimum else floor_to(unpaid, unit)
        kind = "first" if day <= first_end else "later"
        rate = rates[day.year].first if kind == "first" else rates[day.year].later
        last = spans[-1] if spans else None
        if last and (last.base, last.kind, last.rate) == (base, kind, rate):
            last.end = day
            if day.year not in last.years:
                last.years.append(day.year)
        else:
            spans.append(Span(day, day, unpaid, base, kind, rate, [day.year]))
        day += ONE_DAY
    return spans


def _doubt(readers: dict[int, lawdata.Reader], years: Sequence[int], ids: Sequence[str]) -> str:
    doubtful = [f"{y}:{i}" for y in years for i in ids if readers[y].is_unconfirmed(i)]
    return f"（未確認の数値: {', '.join(doubtful)}）" if doubtful else ""


def _span_step(
    trail: Trail, readers: dict[int, lawdata.Reader], rates: dict[int, Wariai], span: Span, i: int
) -> int:
    r = trail.reader
    days_per_year = int(r.table("nissu")["days_per_year"])
    mode = r.text("rounding.segment")
    if mode != "floor_yen":
        raise lawdata.LawDataError(
            r.law.path, "figures.rounding.segment.value", f"未知の端数処理です（{mode!r}）"
        )
    exact = Decimal(span.base) * span.rate * span.days / days_per_year
    if span.base == 0:
        why = (
            f"未納の本税 {yen(span.unpaid)}円 が {yen(r.yen('rounding.base_minimum'))}円未満"
            "のため延滞金を計算しない"
        )
    else:
        why = (
            f"未納の本税 {yen(span.unpaid)}円 の{yen(r.yen('rounding.base'))}円未満切捨て "
            f"{yen(span.base)}円"
        )
    rate_basis = " / ".join(
        rates[y].basis_first if span.kind == "first" else rates[y].basis_later for y in span.years
    )
    formula = (
        f"{why} × {percent(span.rate)} × {span.days}日 ÷ {days_per_year}日 = "
        f"{exact.quantize(Decimal('0.001'))} → 1円未満切捨て（rounding.segment）"
        if span.base
        else why
    )
    basis = f"{formula}。{KIND_NAMES[span.kind]}。{rate_basis}" + _doubt(
        readers, span.years, RATE_FIGURES
    )
    return trail.add(
        f"延滞金 {span.start.isoformat()}〜{span.end.isoformat()}（{span.days}日）",
        f"segments[{i}]",
        floor_yen(exact),
        basis,
        ["nissu", "rounding.segment", "rounding.base", "rounding.base_minimum"],
    )


def _result(
    claim: Claim,
    *,
    amount: int,
    spans: list[Span],
    amounts: list[int],
    end: End | None,
    trail: Trail | None,
    readers: dict[int, lawdata.Reader],
) -> dict[str, Any]:
    root = lawdata.DATA_DIR.parents[2]
    return {
        "entaikin": amount,
        "segments": [
            {
                "from": s.start.isoformat(),
                "to": s.end.isoformat(),
                "days": s.days,
                "unpaid": s.unpaid,
                "base": s.base,
                "rate": float(s.rate),
                "rate_kind": s.kind,
                "years": s.years,
                "amount": a,
            }
            for s, a in zip(spans, amounts, strict=True)
        ],
        "days": sum(s.days for s in spans),
        "end_date": end.date.isoformat() if end else claim.due_date.isoformat(),
        "unpaid": end.unpaid if end else max(0, claim.tax - claim.paid),
        "unconfirmed": [f"{y}:{i}" for y, r in readers.items() for i in r.unconfirmed()],
        "law": {
            "data": [r.law.path.relative_to(root).as_posix() for r in readers.values()],
            "figures_used": {str(y): r.used for y, r in readers.items()},
        },
        "steps": trail.as_json() if trail else [],
    }


def calculate_claim(claim: Claim) -> dict[str, Any]:
    start = claim.due_date + ONE_DAY
    end = _end(claim) if claim.tax else None
    if end is None or end.date < start:
        # Paid by the 納期限 (or nothing to pay): no day of delay, no figure needed.
        return _result(claim, amount=0, spans=[], amounts=[], end=None, trail=None, readers={})

    laws = _laws(start, end)
    readers = {year: lawdata.Reader(law) for year, law in laws.items()}
    trail = Trail(readers[end.date.year])
    r = trail.reader
    months = int(r.table("kikan.first")["months"])
    first_end = first_period_end(claim.due_date, months)
    rates = {year: wariai(reader, year) for year, reader in readers.items()}
    spans = _spans(trail, claim, end, rates, first_end)

    amounts = [_span_step(trail, readers, rates, span, i) for i, span in enumerate(spans)]
    total = trail.add(
        "延滞金（端数処理前）",
        "entaikin.before_rounding",
        sum(amounts),
        " + ".join(yen(a) for a in amounts) + f"（{start.isoformat()}〜{end.date.isoformat()}、"
        f"{months}月を経過する日は {first_end.isoformat()}）",
    )
    unit, minimum = r.yen("rounding.amount"), r.yen("rounding.amount_minimum")
    rounded = trail.add(
        "延滞金（100円未満切捨て）",
        "entaikin.rounded",
        floor_to(total, unit),
        f"{yen(total)} の{yen(unit)}円未満切捨て（rounding.amount）",
        ["rounding.amount"],
    )
    amount = rounded if rounded >= minimum else 0
    trail.add(
        "延滞金",
        "entaikin",
        amount,
        f"{yen(rounded)} ≥ {yen(minimum)}"
        if amount
        else f"{yen(rounded)} < {yen(minimum)}: 全額切捨て（rounding.amount_minimum）",
        ["rounding.amount_minimum"],
    )
    if end.excess:
        trail.add(
            "本税を超える納付額（計算に使わない）",
            "excess_payment",
            end.excess,
            "納付は本税に先に充てる。超える分は延滞金等に充てる額で、延滞金の計算の基礎ではない",
        )
    return _result(
        claim, amount=amount, spans=spans, amounts=amounts, end=end, trail=trail, readers=readers
    )


def calculate(data: object) -> dict[str, Any]:
    """Check ``data`` (the parsed JSON input) and compute. Raises
    :class:`~kyodo.rules.inputs.InputError` for bad input."""
    return calculate_claim(parse(data))
