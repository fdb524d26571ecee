"""The input of a 個人住民税 calculation, checked: one taxpayer (納税義務者) and their household.

Input (JSON)::

    {"fiscal_year": 2026,
     "municipality": {"designated_city": false, "kyuchi": 1, "city_rate": 0.06,
                      "pref_rate": 0.04, "city_kintouwari": 3000, "pref_kintouwari": 1000},
     "taxpayer": {"age": 45, "salary_income": 5000000, "pension_income": 0, "other_income": 0,
                  "social_insurance": 500000,
                  "life_insurance": {"old_general": 0, "old_pension": 0, "new_general": 0,
                                     "new_pension": 0, "care_medical": 0},
                  "widow": false, "single_parent": false, "disability": null,
                  "working_student": false},
     "spouse": {"age": 40, "income": 0} | null,
     "dependents": [{"age": 17, "income": 0}, …]}

* Ages are on 31 December of the income year (the year before the fiscal year), the date every
  age test of 住民税 uses except 未成年者, which is judged on 1 January (賦課期日): the
  calculator treats "under 18 on 31 December" as "under 18 on 1 January", which differs only for
  someone born on 2 January.
* ``salary_income`` and ``pension_income`` are 収入 (before 給与所得控除 / 公的年金等控除);
  ``other_income`` is 所得 (after expenses), and so is each relative's ``income``: their
  合計所得金額. No income may be negative (losses and 損益通算 are not covered).
* ``municipality`` carries the ordinance choices: 所得割 rates (超過課税 included, as fractions),
  均等割 amounts, the 生活保護 級地 (1, 2 or 3) behind the 均等割 非課税限度額, and whether the
  city is a 指定都市 (which splits 調整控除 4:1 instead of 3:2).
* ``spouse`` is the taxpayer's spouse living in the same household (生計を一にする), or null.
* ``dependents`` are the other relatives living in the same household (生計を一にする親族):
  whether each one is a 扶養親族, a 特定親族 or neither follows from their age and income.

Optional fields, with their defaults:

* ``taxpayer.life_insurance``: all five premiums 0 (支払保険料, per contract kind);
* ``taxpayer.small_business_mutual_aid``: 0 (小規模企業共済等掛金, deducted in full);
* ``taxpayer.widow`` (寡婦), ``taxpayer.single_parent`` (ひとり親), ``taxpayer.working_student``
  (勤労学生): false. ``true`` states that the taxpayer meets the status's conditions other than
  the income limit, which the calculator applies itself;
* ``taxpayer.disability``, ``spouse.disability``, ``dependents[].disability``: null, or
  ``"general"`` (障害者), ``"special"`` (特別障害者) or, for the spouse and dependants only,
  ``"special_cohabiting"`` (同居特別障害者: a 特別障害者 living with the taxpayer);
* ``taxpayer.sex``: null, ``"F"`` or ``"M"``. 調整控除 counts ひとり親 as 5万 for a mother and
  1万 for a father; without it a ひとり親 is taken as a mother and the result says so;
* ``taxpayer.public_assistance``: false. ``true`` when the taxpayer received 生活扶助 on
  1 January (非課税);
* ``dependents[].cohabiting_parent``: false. ``true`` for a lineal ascendant (直系尊属) of the
  taxpayer or spouse who lives with them: at 70 or over they are 同居老親等.
* ``spouse`` and ``dependents`` themselves: null and [].
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from kyodo.rules.inputs import Checker, join
from kyodo.rules.wareki import era_of

__all__ = [
    "DISABILITIES",
    "Household",
    "LifeInsurance",
    "Municipality",
    "Relative",
    "Taxpayer",
    "nendo",
    "parse",
]

DISABILITIES = (None, "general", "special", "special_cohabiting")
TAXPAYER_DISABILITIES = (None, "general", "special")
KYUCHI = (1, 2, 3)
SEXES = (None, "F", "M")
LIFE_INSURANCE_KEYS = ("old_general", "old_pension", "new_general", "new_pension", "care_medical")
MAX_AGE = 150

T = TypeVar("T")


@dataclass(frozen=True)
class Municipality:
    designated_city: bool
    kyuchi: int
    city_rate: Decimal
    pref_rate: Decimal
    city_kintouwari: int
    pref_kintouwari: int


@dataclass(frozen=True)
class LifeInsurance:
    old_general: int = 0
    old_pension: int = 0
    new_general: int = 0
    new_pension: int = 0
    care_medical: int = 0


@dataclass(frozen=True)
class Taxpayer:
    age: int
    salary_income: int
    pension_income: int
    other_income: int
    social_insurance: int
    life_insurance: LifeInsurance
    small_business_mutual_aid: int = 0
    widow: bool = False
    single_parent: bool = False
    disability: str | None = None
    working_student: bool = False
    sex: str | None = None
    public_assistance: bool = False


@dataclass(frozen=True)
class Relative:
    """The spouse or another relative in the same household."""

    path: str  # where it came from in the input, e.g. "dependents[1]", for the trail
    age: int
    income: int  # 合計所得金額
    disability: str | None = None
    cohabiting_parent: bool = False


@dataclass(frozen=True)
class Household:
    fiscal_year: int
    municipality: Municipality
    taxpayer: Taxpayer
    spouse: Relative | None
    dependents: tuple[Relative, ...]


def _get(
    mapping: Mapping[str, Any],
    key: str,
    path: str,
    getter: Callable[[Any, str], T],
    default: T,
) -> T:
    return getter(mapping[key], join(path, key)) if key in mapping else default


def _municipality(check: Checker, raw: object) -> Municipality:
    path = "municipality"
    keys = (
        "designated_city",
        "kyuchi",
        "city_rate",
        "pref_rate",
        "city_kintouwari",
        "pref_kintouwari",
    )
    m = check.obj(raw, path, required=keys)
    # A missing key was reported by obj(); each getter runs only on keys that are there.
    return Municipality(
        designated_city=_get(m, "designated_city", path, check.boolean, False),
        kyuchi=_get(m, "kyuchi", path, lambda v, p: check.choice(v, p, KYUCHI), 1),
        city_rate=_get(m, "city_rate", path, check.rate, Decimal(0)),
        pref_rate=_get(m, "pref_rate", path, check.rate, Decimal(0)),
        city_kintouwari=_get(m, "city_kintouwari", path, check.yen, 0),
        pref_kintouwari=_get(m, "pref_kintouwari", path, check.yen, 0),
    )


def _life_insurance(check: Checker, raw: object, path: str) -> LifeInsurance:
    li = check.obj(raw, path, required=(), optional=LIFE_INSURANCE_KEYS)
    amounts = {k: check.yen(li[k], join(path, k)) for k in LIFE_INSURANCE_KEYS if k in li}
    return LifeInsurance(**amounts)


def _age(check: Checker, value: object, path: str) -> int:
    return check.integer(value, path, minimum=0, maximum=MAX_AGE, what="年齢（整数）")


def _taxpayer(check: Checker, raw: object) -> Taxpayer:
    path = "taxpayer"
    required = ("age", "salary_income", "pension_income", "other_income", "social_insurance")
    optional = (
        "life_insurance",
        "small_business_mutual_aid",
        "widow",
        "single_parent",
        "disability",
        "working_student",
        "sex",
        "public_assistance",
    )
    t = check.obj(raw, path, required=required, optional=optional)

    def flag(key: str) -> bool:
        return _get(t, key, path, check.boolean, False)

    def amount(key: str) -> int:
        return _get(t, key, path, check.yen, 0)

    widow, single_parent = flag("widow"), flag("single_parent")
    sex = _get(t, "sex", path, lambda v, p: check.choice(v, p, SEXES), None)
    if widow and single_parent:
        check.fail(
            join(path, "widow"),
            "寡婦とひとり親は同時に指定できません（ひとり親に該当する人は寡婦控除を受けません）",
        )
    if widow and sex == "M":
        check.fail(join(path, "widow"), '寡婦は女性に限ります（sex が "M" です）')
    life = (
        _life_insurance(check, t["life_insurance"], join(path, "life_insurance"))
        if "life_insurance" in t
        else LifeInsurance()
    )
    return Taxpayer(
        age=_get(t, "age", path, lambda v, p: _age(check, v, p), 0),
        salary_income=amount("salary_income"),
        pension_income=amount("pension_income"),
        other_income=amount("other_income"),
        social_insurance=amount("social_insurance"),
        life_insurance=life,
        small_business_mutual_aid=amount("small_business_mutual_aid"),
        widow=widow,
        single_parent=single_parent,
        disability=_get(
            t, "disability", path, lambda v, p: check.choice(v, p, TAXPAYER_DISABILITIES), None
        ),
        working_student=flag("working_student"),
        sex=sex,
        public_assistance=flag("public_assistance"),
    )


def _relative(check: Checker, raw: object, path: str, *, spouse: bool) -> Relative:
    optional = ("disability",) if spouse else ("disability", "cohabiting_parent")
    r = check.obj(raw, path, required=("age", "income"), optional=optional)
    return Relative(
        path=path,
        age=_get(r, "age", path, lambda v, p: _age(check, v, p), 0),
        income=_get(r, "income", path, check.yen, 0),
        disability=_get(r, "disability", path, lambda v, p: check.choice(v, p, DISABILITIES), None),
        cohabiting_parent=_get(r, "cohabiting_parent", path, check.boolean, False),
    )


def nendo(year: int) -> str:
    """2026 → "令和8年度（2026）"."""
    try:
        era = era_of(datetime.date(year, 4, 1))
    except ValueError:
        return f"{year}年度"
    number = year - era.offset
    return f"{era.name}{'元' if number == 1 else number}年度（{year}）"


def _fiscal_year(check: Checker, value: object, path: str, known: Sequence[int] | None) -> int:
    year = check.integer(value, path, minimum=1, what="年度（西暦の整数）")
    if year and known is not None and year not in known:
        years = "、".join(nendo(y) for y in known) or "なし"
        check.fail(path, f"{nendo(year)}の法令データがありません（利用できる年度: {years}）")
    return year


def parse(
    data: object, *, fiscal_years: Sequence[int] | None = None, check: Checker | None = None
) -> Household:
    """Check the whole input and build the household; raises
    :class:`~kyodo.rules.inputs.InputError` listing every problem. ``fiscal_years``: the years
    that have law data (checked with the rest, so one run reports everything)."""
    check = check or Checker()
    root: Mapping[str, Any] = check.obj(
        data,
        "",
        required=("fiscal_year", "municipality", "taxpayer"),
        optional=("spouse", "dependents"),
    )
    fiscal_year = _get(
        root, "fiscal_year", "", lambda v, p: _fiscal_year(check, v, p, fiscal_years), 0
    )
    municipality = _get(root, "municipality", "", lambda v, p: _municipality(check, v), None)
    taxpayer = _get(root, "taxpayer", "", lambda v, p: _taxpayer(check, v), None)
    spouse = None
    if root.get("spouse") is not None:
        spouse = _relative(check, root["spouse"], "spouse", spouse=True)
    raw_dependents = root.get("dependents")
    dependents = tuple(
        _relative(check, item, join("dependents", i), spouse=False)
        for i, item in enumerate(
            [] if raw_dependents is None else check.array(raw_dependents, "dependents")
        )
    )
    check.raise_if_any()
    assert municipality is not None and taxpayer is not None  # reported above when missing
    return Household(fiscal_year, municipality, taxpayer, spouse, dependents)
