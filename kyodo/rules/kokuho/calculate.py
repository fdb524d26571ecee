"""国民健康保険税: the whole calculation for one household, per rules.md §2.

1. the 法定軽減 judgment for the household (:mod:`.hantei`);
2. each member's 所得割 算定基礎: 総所得金額等 − 基礎控除 (旧ただし書き所得), at least 0;
3. each component in turn (:mod:`.kazei`): 所得割, 均等割 and 平等割 with their reductions, the
   課税限度額, and the 100-yen truncation of the component;
4. the total: the sum of the components. The 納税義務者 is the 世帯主, a 擬制世帯主 included.

Not covered (rules.md §2.3): the monthly pro-rating of members who join, leave or reach 40 or 65
during the year (the 国保 unit's 賦課); 資産割; the 特定世帯 / 特定継続世帯 平等割 reductions; the
非自発的失業者 rule (給与所得 × 30%); the 産前産後 exemption; 保険料 (料) ordinances, whose rounding
differs.
"""

from __future__ import annotations

from typing import Any

from kyodo.rules import lawdata
from kyodo.rules.kokuho.figures import COMPONENTS, load
from kyodo.rules.kokuho.hantei import judge
from kyodo.rules.kokuho.household import Household, parse
from kyodo.rules.kokuho.kazei import compute_component
from kyodo.rules.kokuho.nenkin import NenkinShotoku
from kyodo.rules.steps import Trail, yen

__all__ = ["calculate", "calculate_household"]


def _bases(trail: Trail, hh: Household) -> dict[str, int]:
    """所得割の算定基礎 of each member, by input path."""
    bases = {}
    for m in hh.members:
        band = trail.reader.band("kiso_kojo", m.income)
        kojo = int(band.number("amount"))
        bases[m.path] = trail.add(
            f"所得割の算定基礎（{m.name}）",
            f"shotokuwari_kiso.{m.name}",
            max(0, m.income - kojo),
            f"総所得金額等 {yen(m.income)} − 基礎控除 {yen(kojo)}（kiso_kojo、0未満は0）",
            [band],
        )
    return bases


def calculate_household(hh: Household) -> dict[str, Any]:
    law = load(hh.fiscal_year)
    trail = Trail(lawdata.Reader(law))
    nenkin = NenkinShotoku(hh.fiscal_year)
    assumptions: list[str] = []

    keigen = judge(trail, hh, nenkin, assumptions)
    bases = _bases(trail, hh)
    components = {
        c: compute_component(trail, hh, c, bases=bases, keigen=keigen, assumptions=assumptions)
        for c in COMPONENTS
    }
    total = trail.add(
        "国民健康保険税（年税額）",
        "total",
        sum(c.amount for c in components.values()),
        " + ".join(f"{c} {yen(result.amount)}" for c, result in components.items()),
    )
    r = trail.reader
    return {
        "fiscal_year": hh.fiscal_year,
        "components": {c: result.amount for c, result in components.items()},
        "reduction": keigen.label,
        "total": total,
        "breakdown": {c: result.as_json() for c, result in components.items()},
        "unconfirmed": [*r.unconfirmed(), *nenkin.unconfirmed()],
        "assumptions": assumptions,
        "law": {
            "data": law.path.relative_to(lawdata.DATA_DIR.parents[2]).as_posix(),
            "title": law.title,
            "figures_used": [*r.used, *nenkin.used()],
        },
        "steps": trail.as_json(),
    }


def calculate(data: object) -> dict[str, Any]:
    """Check ``data`` (the parsed JSON input) and compute. Raises
    :class:`~kyodo.rules.inputs.InputError` for bad input."""
    return calculate_household(parse(data))
