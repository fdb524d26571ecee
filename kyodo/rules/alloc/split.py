"""The arithmetic of an allocation, exact until the final rounding to the yen.

1. The recurring total is split by the formula's keys: 均等割 (the same for every member),
   人口割 (by population) and 業務数割 (by the weighted number of units a member runs).
2. Each one-off cost is split by its own key (or charged to one member).
3. The minimum saving: no member pays more than ``current_cost × (1 − min_saving)``. What a
   member would pay above that cap is shifted to the members below their caps, in proportion
   to what they already pay; a member pushed over its own cap by that is capped in turn
   (repeated until nobody is), so the guarantee holds for everyone or the input is refused.
4. Rounding: every share is floored to the yen and the yen left over go one each to the
   largest fractions, ties to the lower member code — deterministic, and never above a cap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from kyodo.rules.alloc.request import Member, OneOff, Request
from kyodo.rules.inputs import InputError, Problem

__all__ = ["Split", "split"]


@dataclass
class Split:
    """Per member code: the exact parts, the cap, the final share in yen."""

    parts: dict[str, dict[str, Fraction]] = field(default_factory=dict)
    caps: dict[str, int] = field(default_factory=dict)
    capped: set[str] = field(default_factory=set)
    exact: dict[str, Fraction] = field(default_factory=dict)
    shares: dict[str, int] = field(default_factory=dict)
    rounded_up: set[str] = field(default_factory=set)


def _refuse(path: str, reason: str) -> InputError:
    return InputError([Problem(path, reason)])


def _by_key(req: Request, key: str, path: str) -> Callable[[Member], Fraction]:
    """The member's fraction of a cost split by ``key`` (the fractions add up to 1)."""
    members = req.members
    if key == "equal":
        return lambda _m: Fraction(1, len(members))
    if key == "population":
        people = sum(m.population for m in members)
        if people == 0:
            raise _refuse(path, "人口割で按分しますが、メンバーの人口の合計が0です")
        return lambda m: Fraction(m.population, people)
    if key == "units":
        weight = sum((req.weight(m) for m in members), Fraction(0))
        if weight == 0:
            raise _refuse(
                path, "業務数割で按分しますが、どのメンバーにも（重みのある）業務がありません"
            )
        return lambda m: req.weight(m) / weight
    if key == "current_cost":
        cost = sum(m.current_cost or 0 for m in members)
        if cost == 0:
            raise _refuse(path, "現行経費割で按分しますが、現行経費の合計が0です")
        return lambda m: Fraction(m.current_cost or 0, cost)
    raise ValueError(key)


def _recurring(req: Request, s: Split) -> None:
    keys = (
        ("equal", req.equal_ratio, "equal_ratio"),
        ("population", req.population_ratio, "population_ratio"),
        ("units", req.units_ratio, "units_ratio"),
    )
    for m in req.members:
        s.parts[m.code] = {}
    for key, ratio, path in keys:
        if ratio == 0:
            continue
        fraction = _by_key(req, key, path)
        for m in req.members:
            s.parts[m.code][key] = req.total * ratio * fraction(m)


def _one_offs(req: Request, s: Split) -> None:
    for n, cost in enumerate(req.one_off):
        for m in req.members:
            s.parts[m.code][f"one_off.{n}"] = _one_off_part(req, cost, m)


def _one_off_part(req: Request, cost: OneOff, m: Member) -> Fraction:
    if cost.key == "member":
        return Fraction(cost.amount if m.code == cost.member else 0)
    if cost.key == "weights":  # members not listed weigh 0
        return cost.amount * cost.weights.get(m.code, Fraction(0)) / sum(cost.weights.values())
    return cost.amount * _by_key(req, cost.key, f"{cost.path}.key")(m)


def _guarded(req: Request, part: str) -> bool:
    return not part.startswith("one_off.") or req.guarantee_covers_one_off


def _guarantee(req: Request, s: Split) -> None:
    """Cap every member at its guaranteed fee; shift the excess in proportion (step 3)."""
    guarded = {
        code: sum((v for k, v in parts.items() if _guarded(req, k)), Fraction(0))
        for code, parts in s.parts.items()
    }
    if req.min_saving is None:
        s.exact = {code: sum(parts.values(), Fraction(0)) for code, parts in s.parts.items()}
        return
    for m in req.members:
        s.caps[m.code] = math.floor((m.current_cost or 0) * (1 - req.min_saving))
    pool = sum(guarded.values(), Fraction(0))
    room = sum(s.caps.values())
    if room < pool:
        short = math.ceil(pool - room)
        raise _refuse(
            "min_saving",
            f"最低削減率 {float(req.min_saving):.0%} はどのように按分しても保障できません: "
            f"全メンバーの負担上限（現行経費×(1−削減率)）の合計 {room:,}円 が按分する額 "
            f"{math.ceil(pool):,}円 に {short:,}円 足りません",
        )
    while True:
        free = [c for c in guarded if c not in s.capped]
        left = pool - sum(s.caps[c] for c in s.capped)
        base = sum((guarded[c] for c in free), Fraction(0))
        if base == 0:
            # Nobody left pays anything to scale: spread what is left equally over them.
            scaled = {c: left / len(free) for c in free} if free else {}
        else:
            scaled = {c: guarded[c] * left / base for c in free}
        over = {c for c in free if scaled[c] > s.caps[c]}
        if not over:
            break
        s.capped |= over
    for code, parts in s.parts.items():
        final = s.caps[code] if code in s.capped else scaled[code]
        parts["guarantee"] = final - guarded[code]
        s.exact[code] = sum(parts.values(), Fraction(0))


def _round(req: Request, s: Split) -> None:
    """Floor to the yen; hand the yen left over to the largest fractions (step 4)."""
    total = req.total + sum(c.amount for c in req.one_off)
    s.shares = {code: math.floor(v) for code, v in s.exact.items()}
    left = total - sum(s.shares.values())
    order = sorted(s.exact, key=lambda c: (-(s.exact[c] - s.shares[c]), c))

    def may_take(code: str) -> bool:
        return code not in s.caps or s.shares[code] + 1 <= s.caps[code] + _uncovered(req, s, code)

    for code in order:
        if left <= 0:
            break
        if may_take(code):
            s.shares[code] += 1
            s.rounded_up.add(code)
            left -= 1
    for code in sorted(s.exact):  # a second yen for one member (only with caps everywhere)
        while left > 0 and may_take(code):
            s.shares[code] += 1
            left -= 1
    if left:
        raise _refuse("min_saving", "端数の1円を負担できるメンバーがありません（保障の上限どおり）")


def _uncovered(req: Request, s: Split, code: str) -> int:
    """One-off parts outside the guarantee: a capped member may still round up by these."""
    return math.ceil(
        sum((v for k, v in s.parts[code].items() if not _guarded(req, k)), Fraction(0))
    )


def split(req: Request) -> Split:
    s = Split()
    _recurring(req, s)
    _one_offs(req, s)
    _guarantee(req, s)
    _round(req, s)
    return s
