"""公的年金等に係る雑所得 from the pension 収入, for the 軽減 judgment's 15万円 deduction.

The input gives each person's 総所得金額等 and their pension 収入, but the deduction is capped by
the pension's own 所得, so that 所得 is computed here with the 個人住民税 calculator's own
function and tables (``juminzei/<year>.json``): 国保税 of 令和8年度 and 住民税 of 令和8年度 both
look at 令和7年分 income, so the fiscal years match.
"""

from __future__ import annotations

from decimal import Decimal

from kyodo.rules import lawdata
from kyodo.rules.juminzei.household import Household, LifeInsurance, Municipality, Taxpayer
from kyodo.rules.juminzei.income import compute_income
from kyodo.rules.steps import Trail

__all__ = ["JUMINZEI", "NenkinShotoku"]

JUMINZEI = "juminzei"

# compute_income reads no municipal choice; the calculator's Household still needs one.
_NO_MUNICIPALITY = Municipality(False, 1, Decimal(0), Decimal(0), 0, 0)


class NenkinShotoku:
    """Computes 公的年金等に係る雑所得 and records the 住民税 figures it applied."""

    def __init__(self, fiscal_year: int) -> None:
        self.fiscal_year = fiscal_year
        self._reader: lawdata.Reader | None = None

    @property
    def reader(self) -> lawdata.Reader:
        # Loaded only for households with a pensioner of 65 or over.
        if self._reader is None:
            self._reader = lawdata.reader(JUMINZEI, self.fiscal_year)
        return self._reader

    def _once(self, age: int, pension: int, other: int) -> tuple[int, str]:
        taxpayer = Taxpayer(
            age=age,
            salary_income=0,
            pension_income=pension,
            other_income=other,
            social_insurance=0,
            life_insurance=LifeInsurance(),
        )
        household = Household(self.fiscal_year, _NO_MUNICIPALITY, taxpayer, None, ())
        trail = Trail(self.reader)
        income = compute_income(trail, household)
        basis = next(s.basis for s in trail.steps if s.id == "nenkin_zatsu_shotoku")
        return income.nenkin, basis

    def compute(self, age: int, pension: int, total_income: int) -> tuple[int, str]:
        """(公的年金等に係る雑所得, how it was computed). ``total_income`` is the person's
        総所得金額等: the rest of it (公的年金等以外の合計所得) decides whether the 公的年金等控除
        is cut (above 1,000万円), so a second pass uses it."""
        value, basis = self._once(age, pension, 0)
        other = total_income - value
        if other > 0:
            value, basis = self._once(age, pension, other)
        return value, f"{JUMINZEI}/{self.fiscal_year}.json {basis}"

    def used(self) -> list[str]:
        return [] if self._reader is None else [f"{JUMINZEI}:{k}" for k in self._reader.used]

    def unconfirmed(self) -> list[str]:
        if self._reader is None:
            return []
        return [f"{JUMINZEI}:{k}" for k in self._reader.unconfirmed()]
