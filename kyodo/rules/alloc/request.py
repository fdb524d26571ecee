"""The allocation input: checked as a whole, every problem reported with its JSON path.

::

    {"total": 1390000000,                       # the recurring fee to split (yen)
     "equal_ratio": 0.3, "population_ratio": 0.7, "units_ratio": 0,   # must add up to 1
     "unit_weights": {"juki": 3, "zei_kojin": 2},   # optional; a unit not listed weighs 1
     "min_saving": 0.3,                         # optional (null: no guarantee)
     "guarantee_covers_one_off": true,          # optional; false: one-offs come on top
     "one_off": [{"name": "違約金", "amount": 20000000, "key": "equal|population|units|
                  current_cost|weights|member", "member": "162116",
                  "weights": {"162116": 120, "162027": 45}}],   # weights: e.g. each
                  # member's own migration estimate (新潟: 最大データ移行費に基づく按分)
     "members": [{"code": "162116", "name": "射水市", "population": 94000,
                  "current_cost": 920000000, "units": ["juki", "zei_kojin"]}]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kyodo.rules.inputs import Checker, join

__all__ = ["KEYS", "Member", "OneOff", "Request", "parse"]

KEYS: dict[str, str] = {
    "equal": "均等割",
    "population": "人口割",
    "units": "業務数割",
    "current_cost": "現行経費割",
    "weights": "指定の割合",
    "member": "特定団体の全額負担",
}
MAX_YEN = 10**13  # 10兆円: far above any consortium's budget; a bigger figure is a typo


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    population: int
    current_cost: int | None
    units: tuple[str, ...]
    path: str


@dataclass(frozen=True)
class OneOff:
    name: str
    amount: int
    key: str
    member: str | None
    path: str
    weights: dict[str, Fraction] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    total: int
    equal_ratio: Fraction
    population_ratio: Fraction
    units_ratio: Fraction
    unit_weights: dict[str, Fraction]
    min_saving: Fraction | None
    guarantee_covers_one_off: bool
    one_off: tuple[OneOff, ...]
    members: tuple[Member, ...]

    def weight(self, member: Member) -> Fraction:
        """The member's 業務数 weight: the sum of its units' weights (1 each unless given)."""
        return sum((self.unit_weights.get(u, Fraction(1)) for u in member.units), Fraction(0))


def _ratio(check: Checker, value: object, path: str) -> Fraction:
    """A ratio from 0 to 1 inclusive (a formula may put everything on one key)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        check.fail(path, "0以上1以下の数値で指定してください（例: 0.3）")
        return Fraction(0)
    number = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    if not 0 <= number <= 1:
        check.fail(path, f"0以上1以下の数値で指定してください（値: {value}）")
        return Fraction(0)
    return number


def _text(check: Checker, value: object, path: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        check.fail(path, f"{what}を文字列で指定してください")
        return ""
    return value.strip()


def _member(check: Checker, raw: object, path: str, *, need_cost: bool) -> Member:
    m = check.obj(
        raw, path, required=("code", "name", "population"), optional=("current_cost", "units")
    )
    code = _text(check, m.get("code"), join(path, "code"), "団体コード")
    cost = m.get("current_cost")
    if cost is None and need_cost:
        check.fail(
            join(path, "current_cost"),
            "最低削減率（min_saving）を保障するには現行経費が必要です",
        )
    units_raw = check.array(m.get("units", []), join(path, "units"))
    units = tuple(
        _text(check, u, join(join(path, "units"), i), "業務コード") for i, u in enumerate(units_raw)
    )
    if len(set(units)) != len(units):
        check.fail(join(path, "units"), "同じ業務が2回あります")
    return Member(
        code=code,
        name=_text(check, m.get("name"), join(path, "name"), "団体名"),
        population=check.integer(
            m.get("population"), join(path, "population"), maximum=50_000_000, what="人口（人）"
        ),
        current_cost=None
        if cost is None
        else check.integer(cost, join(path, "current_cost"), maximum=MAX_YEN, what="整数（円）"),
        units=units,
        path=path,
    )


def _one_off(check: Checker, raw: object, path: str, codes: set[str]) -> OneOff:
    o = check.obj(raw, path, required=("name", "amount", "key"), optional=("member", "weights"))
    key = check.choice(o.get("key"), join(path, "key"), list(KEYS))
    member = o.get("member")
    weights: dict[str, Fraction] = {}
    if key == "weights":
        raw_weights = o.get("weights")
        if not isinstance(raw_weights, dict) or not raw_weights:
            check.fail(
                join(path, "weights"), "団体コードごとの割合をオブジェクトで指定してください"
            )
        else:
            for code, w in raw_weights.items():
                where = join(join(path, "weights"), code)
                if code not in codes:
                    check.fail(where, f"団体コード {code} はメンバーにありません")
                elif isinstance(w, bool) or not isinstance(w, int | Decimal) or w < 0:
                    check.fail(where, "0以上の数値で指定してください")
                else:
                    weights[code] = Fraction(w)
            if weights and not check.problems and sum(weights.values()) == 0:
                check.fail(join(path, "weights"), "割合の合計が0です")
    elif "weights" in o:
        check.fail(join(path, "weights"), 'weights は key が "weights" のときだけ指定します')
    if key == "member":
        if member not in codes:
            check.fail(
                join(path, "member"), f"負担する団体のコードがメンバーにありません（{member!r}）"
            )
    elif member is not None:
        check.fail(join(path, "member"), 'member は key が "member" のときだけ指定します')
    return OneOff(
        name=_text(check, o.get("name"), join(path, "name"), "費目名"),
        amount=check.integer(
            o.get("amount"), join(path, "amount"), maximum=MAX_YEN, what="整数（円）"
        ),
        key=key,
        member=member if key == "member" else None,
        path=path,
        weights=weights,
    )


def parse(data: Any) -> Request:
    check = Checker()
    top = check.obj(
        data,
        "",
        required=("total", "members"),
        optional=(
            "equal_ratio",
            "population_ratio",
            "units_ratio",
            "unit_weights",
            "min_saving",
            "guarantee_covers_one_off",
            "one_off",
        ),
    )
    ratios = {
        name: _ratio(check, top.get(name, 0), name)
        for name in ("equal_ratio", "population_ratio", "units_ratio")
    }
    if not check.problems and sum(ratios.values()) != 1:
        shown = " + ".join(f"{k} {float(v):g}" for k, v in ratios.items())
        check.fail("equal_ratio", f"均等割・人口割・業務数割の比率の合計は1です（{shown}）")
    min_saving = None
    if top.get("min_saving") is not None:
        min_saving = _ratio(check, top["min_saving"], "min_saving")
        if min_saving == 1:
            check.fail("min_saving", "削減率100%は保障できません（1未満で指定してください）")
    weights_raw = top.get("unit_weights", {})
    weights: dict[str, Fraction] = {}
    if not isinstance(weights_raw, dict):
        check.fail("unit_weights", "業務ごとの重みをオブジェクトで指定してください")
    else:
        for unit, w in weights_raw.items():
            path = join("unit_weights", unit)
            if isinstance(w, bool) or not isinstance(w, int | Decimal) or w < 0:
                check.fail(path, "0以上の数値で指定してください")
            else:
                weights[unit] = Fraction(w)
    raw_members = check.array(top.get("members"), "members")
    if isinstance(top.get("members"), list) and not raw_members:
        check.fail("members", "メンバー（団体）が1つもありません")
    members = tuple(
        _member(check, m, join("members", i), need_cost=min_saving is not None)
        for i, m in enumerate(raw_members)
    )
    codes = [m.code for m in members]
    for i, code in enumerate(codes):
        if code and codes.index(code) != i:
            check.fail(join(join("members", i), "code"), f"団体コード {code} が2回あります")
    one_off = tuple(
        _one_off(check, o, join("one_off", i), set(codes))
        for i, o in enumerate(check.array(top.get("one_off", []), "one_off"))
    )
    guarantee_covers = top.get("guarantee_covers_one_off", True)
    check.boolean(guarantee_covers, "guarantee_covers_one_off")
    total = check.integer(top.get("total"), "total", maximum=MAX_YEN, what="整数（円）")
    check.raise_if_any()
    return Request(
        total=total,
        equal_ratio=ratios["equal_ratio"],
        population_ratio=ratios["population_ratio"],
        units_ratio=ratios["units_ratio"],
        unit_weights=weights,
        min_saving=min_saving,
        guarantee_covers_one_off=bool(guarantee_covers),
        one_off=one_off,
        members=members,
    )
