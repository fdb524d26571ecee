"""The allocation result: each member's share, saving and a plain explanation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from kyodo.rules.alloc.request import KEYS, Member, Request, parse
from kyodo.rules.alloc.split import Split, split

__all__ = ["calculate", "calculate_request"]

ROUNDING = "各団体を1円未満切り捨て、残りの円を端数の大きい順（同じなら団体コード順）に1円ずつ"


def _yen(value: Fraction) -> int:
    """Half up to the yen, for showing a part (the share itself is rounded by split)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _rate(saving: int, cost: int | None) -> float | None:
    if not cost:
        return None
    return float((Decimal(saving) / Decimal(cost)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def _percent(rate: Fraction | float) -> str:
    return f"{float(rate) * 100:.1f}%".replace(".0%", "%")


def _components(req: Request, s: Split, m: Member) -> dict[str, Any]:
    parts = s.parts[m.code]
    shown: dict[str, Any] = {}
    for key in ("equal", "population", "units"):
        if key in parts:
            shown[key] = _yen(parts[key])
    if req.one_off:
        shown["one_off"] = {
            cost.name: _yen(parts[f"one_off.{n}"]) for n, cost in enumerate(req.one_off)
        }
    if "guarantee" in parts:
        shown["guarantee"] = _yen(parts["guarantee"])
    parts_sum = sum(v for k, v in shown.items() if k != "one_off") + sum(
        shown.get("one_off", {}).values()
    )
    shown["rounding"] = s.shares[m.code] - parts_sum
    return shown


def _explain(req: Request, s: Split, m: Member, c: dict[str, Any]) -> str:
    texts = []
    if "equal" in c:
        texts.append(f"均等割 {c['equal']:,}円（{len(req.members)}団体で等分）")
    if "population" in c:
        texts.append(f"人口割 {c['population']:,}円（人口 {m.population:,}人）")
    if "units" in c:
        texts.append(
            f"業務数割 {c['units']:,}円（{len(m.units)}業務、重み {float(req.weight(m)):g}）"
        )
    for cost in req.one_off:
        amount = c["one_off"][cost.name]
        if amount or cost.key != "member":
            how = "全額負担" if cost.key == "member" else f"{KEYS[cost.key]}で按分"
            texts.append(f"一時経費「{cost.name}」{amount:,}円（{how}）")
    text = "、".join(texts)
    guarantee = c.get("guarantee", 0)
    rate = _percent(req.min_saving or 0)
    if m.code in s.capped:
        text += (
            f"。最低削減率 {rate} を保障するため負担上限 {s.caps[m.code]:,}円"
            f"（現行経費 {m.current_cost:,}円 × (1 − {rate})）に抑え、"
            f"超える {-guarantee:,}円 を他のメンバーが負担"
        )
    elif guarantee:
        text += f"。他のメンバーの削減率保障のため {guarantee:,}円 を負担割合に応じて追加負担"
    if not req.guarantee_covers_one_off and req.one_off and m.code in s.capped:
        text += "（一時経費は保障の対象外のため、削減率が保障を下回ることがあります）"
    if c["rounding"]:
        text += f"。端数調整 {c['rounding']:+,}円"
    return text + f"。負担額 {s.shares[m.code]:,}円"


def calculate_request(req: Request) -> dict[str, Any]:
    s = split(req)
    members = []
    for m in req.members:
        share = s.shares[m.code]
        c = _components(req, s, m)
        saving = None if m.current_cost is None else m.current_cost - share
        members.append(
            {
                "code": m.code,
                "name": m.name,
                "population": m.population,
                "current_cost": m.current_cost,
                "share": share,
                "saving": saving,
                "saving_rate": None if saving is None else _rate(saving, m.current_cost),
                "guarantee_applied": m.code in s.capped,
                "components": c,
                "explanation": _explain(req, s, m, c),
            }
        )
    costs = [m.current_cost for m in req.members]
    known = all(cost is not None for cost in costs)
    total = sum(x["share"] for x in members)
    current = sum(cost or 0 for cost in costs) if known else None
    notes = []
    if s.capped:
        names = "、".join(m.name for m in req.members if m.code in s.capped)
        notes.append(
            f"最低削減率 {_percent(req.min_saving or 0)} の保障により {names} の負担を上限に抑え、"
            "超過分を他のメンバーに負担割合に応じて移しました"
        )
    below = [
        x["name"]
        for x in members
        if req.min_saving is not None
        and x["saving_rate"] is not None
        and Fraction(str(x["saving_rate"])) < req.min_saving
    ]
    if below:
        notes.append(
            f"{'、'.join(below)} は保障の対象外の一時経費を加えた結果、削減率が "
            f"{_percent(req.min_saving or 0)} を下回ります"
        )
    return {
        "members": members,
        "totals": {
            "recurring": req.total,
            "one_off": sum(c.amount for c in req.one_off),
            "total": total,
            "current_cost": current,
            "saving": None if current is None else current - total,
            "saving_rate": None if current is None else _rate(current - total, current),
        },
        "formula": {
            "equal_ratio": float(req.equal_ratio),
            "population_ratio": float(req.population_ratio),
            "units_ratio": float(req.units_ratio),
            "min_saving": None if req.min_saving is None else float(req.min_saving),
            "guarantee_covers_one_off": req.guarantee_covers_one_off,
        },
        "rounding": ROUNDING,
        "notes": notes,
    }


def calculate(data: Any) -> dict[str, Any]:
    """``kyodo alloc --json FILE``: the parsed JSON in, the JSON-ready result out."""
    return calculate_request(parse(data))
