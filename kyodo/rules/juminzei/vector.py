"""個人住民税 for many taxpayers at once (当初課税): the same law data and the same yen as
:func:`~kyodo.rules.juminzei.calculate`, on numpy columns.

The per-household calculator takes about 0.2 ms with its trail: a million taxpayers would
take minutes. :func:`calculate_columns` computes every row at once, following
:mod:`.calculate` rule by rule and reading every figure from the same file
(``kyodo/rules/data/juminzei/<year>.json``, checked against the same ``REQUIRED_FIGURES``).

**Exact yen.** Nothing is computed in floating point. A ``rate`` (a Decimal in the data or in
the municipality) becomes a fraction p/q and ``x × rate`` is ``x·p // q`` in int64, which is
what the scalar calculator's Decimal arithmetic gives; each truncation (1円, 1,000円, 100円, and
切上げ where the data says ``ceil``) happens at the same point as there.

**Input.** :class:`Columns`: one row per taxpayer, each field meaning what the same field of the
scalar input means (:mod:`.household`: 収入 for salary and pension, 所得 for the rest and for
the relatives, ages on 31 December). Dependants come as fixed-width 2-D arrays (one slot per
relative, ``dependent_present`` marking the slots used) carrying each relative's age, income,
disability and 同居老親 flag, not as counts by class: whether a relative is 年少, 一般, 特定,
老人 or 同居老親, a 特定親族 or nobody depends on ``fuyo.ages`` and ``fuyo.income_limit``, which
change by year (48万 → 58万 in 令和8年度), so the classification stays here, read from the data.
Disabilities are codes: the index in :data:`~.household.DISABILITIES` (0 none, 1 障害者,
2 特別障害者, 3 同居特別障害者). The municipality and the fiscal year are the same for all rows.

**Output.** :class:`VectorResult`: the amounts, the two 非課税 decisions and the figures a
税額決定通知書 prints (合計所得金額, 所得控除, 課税標準, 調整控除) per row. There is
no trail, no list of figures used or unconfirmed and no assumptions: the batch stores the
amounts with the input they came from, and when a clerk or a notice needs the steps (or the
unconfirmed figures behind one taxpayer's amount) the scalar calculator is run again on that
stored input; it gives the same amounts with every step.

**Rows left to the scalar calculator** (``VectorResult.scalar``; their amounts are 0 here): only
rows whose 合計所得金額 (or 調整控除 base) is so large that ``amount × the common denominator of
the rates`` could overflow int64. With rates of a few decimals (0.06, 0.0615) that is above
10^14 yen and no valid input reaches it (the scalar input refuses amounts over 10^12); a rate
with many decimals lowers the bound. Every other feature of the scalar input is computed here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from kyodo.rules import lawdata
from kyodo.rules.juminzei.calculate import REQUIRED_FIGURES, TOPIC
from kyodo.rules.juminzei.household import DISABILITIES, MAX_AGE, Household, Municipality

__all__ = ["DISABILITY_CODES", "MAX_YEN", "Columns", "VectorResult", "calculate_columns"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

# Disability kinds as codes: their index in the scalar input's list (None → 0).
DISABILITY_CODES: Mapping[str | None, int] = {kind: i for i, kind in enumerate(DISABILITIES)}
_NONE = DISABILITY_CODES[None]
_SPECIAL = (DISABILITY_CODES["special"], DISABILITY_CODES["special_cohabiting"])
_TAXPAYER_MAX_CODE = DISABILITY_CODES["special"]  # 同居特別障害者 is for the spouse and relatives

# The scalar input refuses a yen amount above this (kyodo.rules.inputs.Checker.yen); the same
# bound keeps every product of an amount and a law table's rate far inside int64.
MAX_YEN = 10**12
# Products are kept below 2**62 so that sums of a few of them cannot reach 2**63.
_SAFE = 2**62

_MONEY = (
    "salary_income",
    "pension_income",
    "other_income",
    "social_insurance",
    "small_business_mutual_aid",
    "life_old_general",
    "life_old_pension",
    "life_new_general",
    "life_new_pension",
    "life_care_medical",
    "spouse_income",
    "dependent_income",
)
_AGES = ("age", "spouse_age", "dependent_age")
_FLAGS = (
    "widow",
    "single_parent",
    "working_student",
    "public_assistance",
    "male",
    "spouse_present",
)
_DEPENDENT = (
    "dependent_present",
    "dependent_age",
    "dependent_income",
    "dependent_disability",
    "dependent_cohabiting_parent",
)


@dataclass(frozen=True)
class Columns:
    """Taxpayers as columns: every array has one row per taxpayer (shape ``(n,)``), the
    ``dependent_*`` arrays one slot per relative (shape ``(n, k)``, ``k`` the most relatives of
    any row). Money and ages are integers, flags booleans; values in unused slots (and the
    spouse fields of a row without spouse) are ignored.

    ``life_*`` are the five 支払保険料 of ``taxpayer.life_insurance``; ``male`` is
    ``taxpayer.sex == "M"`` (調整控除 prices ひとり親 by the parent's sex; unknown counts as the
    mother, as in the scalar calculator); ``spouse_present`` is a spouse in the input."""

    age: Ints
    salary_income: Ints
    pension_income: Ints
    other_income: Ints
    social_insurance: Ints
    small_business_mutual_aid: Ints
    life_old_general: Ints
    life_old_pension: Ints
    life_new_general: Ints
    life_new_pension: Ints
    life_care_medical: Ints
    disability: npt.NDArray[np.int8]
    widow: Bools
    single_parent: Bools
    working_student: Bools
    public_assistance: Bools
    male: Bools
    spouse_present: Bools
    spouse_age: Ints
    spouse_income: Ints
    spouse_disability: npt.NDArray[np.int8]
    dependent_present: Bools
    dependent_age: Ints
    dependent_income: Ints
    dependent_disability: npt.NDArray[np.int8]
    dependent_cohabiting_parent: Bools

    def __len__(self) -> int:
        return len(self.age)

    @classmethod
    def zeros(cls, n: int, dependents: int = 0) -> Columns:
        """``n`` rows of zeros and ``False``, to be filled in place."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            shape = (n, dependents) if f.name.startswith("dependent_") else (n,)
            if f.name in _FLAGS or f.name in ("dependent_present", "dependent_cohabiting_parent"):
                values[f.name] = np.zeros(shape, dtype=np.bool_)
            elif f.name.endswith("disability"):
                values[f.name] = np.zeros(shape, dtype=np.int8)
            else:
                values[f.name] = np.zeros(shape, dtype=np.int64)
        return cls(**values)

    @classmethod
    def from_households(cls, households: Sequence[Household]) -> Columns:
        """Columns of checked scalar inputs (:func:`~kyodo.rules.juminzei.parse`); their
        municipality and fiscal year are not part of the columns."""
        k = max((len(h.dependents) for h in households), default=0)
        c = cls.zeros(len(households), k)
        for i, h in enumerate(households):
            t, life = h.taxpayer, h.taxpayer.life_insurance
            c.age[i] = t.age
            c.salary_income[i] = t.salary_income
            c.pension_income[i] = t.pension_income
            c.other_income[i] = t.other_income
            c.social_insurance[i] = t.social_insurance
            c.small_business_mutual_aid[i] = t.small_business_mutual_aid
            c.life_old_general[i] = life.old_general
            c.life_old_pension[i] = life.old_pension
            c.life_new_general[i] = life.new_general
            c.life_new_pension[i] = life.new_pension
            c.life_care_medical[i] = life.care_medical
            c.disability[i] = DISABILITY_CODES[t.disability]
            c.widow[i] = t.widow
            c.single_parent[i] = t.single_parent
            c.working_student[i] = t.working_student
            c.public_assistance[i] = t.public_assistance
            c.male[i] = t.sex == "M"
            if h.spouse is not None:
                c.spouse_present[i] = True
                c.spouse_age[i] = h.spouse.age
                c.spouse_income[i] = h.spouse.income
                c.spouse_disability[i] = DISABILITY_CODES[h.spouse.disability]
            for j, d in enumerate(h.dependents):
                c.dependent_present[i, j] = True
                c.dependent_age[i, j] = d.age
                c.dependent_income[i, j] = d.income
                c.dependent_disability[i, j] = DISABILITY_CODES[d.disability]
                c.dependent_cohabiting_parent[i, j] = d.cohabiting_parent
        return c


@dataclass(frozen=True)
class VectorResult:
    """Per row: the amounts of the scalar result (``city.shotokuwari`` → ``city_shotokuwari``
    …), its ``hikazei`` flags, and the values of its steps ``gokei_shotoku``, ``kojo.gokei``,
    ``kazei_shotoku``, ``city.chosei_kojo`` and ``pref.chosei_kojo``. The scalar calculator
    computes no deduction for a taxpayer exempt from 所得割, and has no such steps: those four
    are 0 here. ``scalar`` marks the rows left to the scalar calculator; everything else of
    theirs is 0 here."""

    city_shotokuwari: Ints
    city_kintouwari: Ints
    pref_shotokuwari: Ints
    pref_kintouwari: Ints
    forest_env_tax: Ints
    total: Ints
    hikazei_kintouwari: Bools
    hikazei_shotokuwari: Bools
    gokei_shotoku: Ints  # 合計所得金額
    shotoku_kojo: Ints  # 所得控除の合計
    kazei_shotoku: Ints  # 課税総所得金額（課税標準）
    nenkin_shotoku: Ints  # 公的年金等に係る雑所得 (年金特別徴収の按分に使う)
    city_chosei_kojo: Ints  # 調整控除（市町村民税）
    pref_chosei_kojo: Ints  # 調整控除（道府県民税）
    scalar: Bools

    def __len__(self) -> int:
        return len(self.total)


# --- input checks -------------------------------------------------------------------------------


def _fail(name: str, bad: Bools, reason: str) -> None:
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise ValueError(f"{name}[{row}]: {reason}")


def _checked(c: Columns) -> Columns:
    """The columns as int64 / int8 / bool arrays of consistent shapes, in the scalar input's
    domain. Bad values raise ValueError naming the column and the first row: like the scalar
    calculator's InputError, they are refused, not passed on."""
    n = len(np.asarray(c.age))
    out: dict[str, Any] = {}
    for f in fields(Columns):
        value = np.asarray(getattr(c, f.name))
        if f.name in _FLAGS or f.name in ("dependent_present", "dependent_cohabiting_parent"):
            if value.dtype != np.bool_:
                raise ValueError(f"{f.name}: 真偽値の配列が必要です（{value.dtype}）")
        elif not np.issubdtype(value.dtype, np.integer):
            raise ValueError(f"{f.name}: 整数の配列が必要です（{value.dtype}）")
        else:
            value = value.astype(np.int8 if f.name.endswith("disability") else np.int64, copy=False)
        out[f.name] = value
    k = out["dependent_present"].shape[1] if out["dependent_present"].ndim == 2 else -1
    for name, value in out.items():
        shape = (n, k) if name in _DEPENDENT else (n,)
        if value.shape != shape:
            raise ValueError(f"{name}: 形が {shape} ではありません（{value.shape}）")
    used = {
        **{name: None for name in out},
        **{name: out["spouse_present"] for name in out if name.startswith("spouse_")},
        **{name: out["dependent_present"] for name in _DEPENDENT},
    }

    def values(name: str) -> npt.NDArray[Any]:
        where = used[name]
        return out[name] if where is None else out[name][where]

    for name in _MONEY:
        v = values(name)
        _fail(name, (v < 0) | (v > MAX_YEN), f"0以上{MAX_YEN}以下の整数（円）が必要です")
    for name in _AGES:
        v = values(name)
        _fail(name, (v < 0) | (v > MAX_AGE), f"0以上{MAX_AGE}以下の年齢が必要です")
    for name, top in (
        ("disability", _TAXPAYER_MAX_CODE),
        ("spouse_disability", len(DISABILITIES) - 1),
        ("dependent_disability", len(DISABILITIES) - 1),
    ):
        v = values(name)
        _fail(name, (v < 0) | (v > top), f"障害者の区分コードは0〜{top}です")
    _fail("widow", out["widow"] & out["single_parent"], "寡婦とひとり親は同時に指定できません")
    _fail("widow", out["widow"] & out["male"], "寡婦は女性に限ります（male が真です）")
    return Columns(**out)


# --- law figures as arrays ----------------------------------------------------------------------


def _whole(value: object, where: str) -> int:
    """A law figure used as whole yen (or a count); a fraction would make the scalar result a
    Decimal that these int64 columns cannot hold, so it is refused rather than rounded."""
    number = Fraction(value)  # type: ignore[arg-type]
    if number.denominator != 1:
        raise ValueError(f"{where}: 整数でない値 {value} はベクトル計算で扱えません")
    return int(number)


def _fraction(value: object, where: str) -> Fraction:
    if isinstance(value, float | bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{where}: 率は Decimal で指定してください（{value!r}）")
    return Fraction(value)


def _row(mins: Ints, x: Ints) -> Ints:
    """The index of the band holding each ``x`` (bands start at 0 and leave no gap)."""
    return np.searchsorted(mins, x, side="right") - 1


def _bands(law: lawdata.LawData, figure_id: str) -> tuple[lawdata.Band, ...]:
    figure = law.figure(figure_id)
    if figure.type != "bands":
        raise lawdata.LawDataError(law.path, f"figures.{figure_id}.type", "bands が必要です")
    return figure.bands


@dataclass(frozen=True)
class _Linear:
    """A ``bands`` figure of formulas (:meth:`lawdata.Band.linear`: ``fixed``, or
    ``floor(x, step) × rate + add``) as integer arrays over one denominator."""

    mins: Ints
    steps: Ints
    rate_num: Ints
    add_num: Ints
    den: int

    @classmethod
    def of(cls, law: lawdata.LawData, figure_id: str) -> _Linear:
        bands = _bands(law, figure_id)
        rows = []
        for b in bands:
            if "fixed" in b.values:
                rows.append((1, Fraction(0), Fraction(b.number("fixed"))))
            else:
                add = b.number("add") if "add" in b.values else Decimal(0)
                rows.append(
                    (int(b.values.get("step", 1)), Fraction(b.number("rate")), Fraction(add))
                )
        den = math.lcm(*(f.denominator for _, rate, add in rows for f in (rate, add)))
        rate_num = [int(rate * den) for _, rate, _ in rows]
        add_num = [int(add * den) for _, _, add in rows]
        if MAX_YEN * max(map(abs, rate_num)) + max(map(abs, add_num)) >= _SAFE:
            raise ValueError(f"{figure_id}: 率の桁が多すぎてベクトル計算で扱えません")
        return cls(
            np.array([b.min for b in bands], dtype=np.int64),
            np.array([s for s, _, _ in rows], dtype=np.int64),
            np.array(rate_num, dtype=np.int64),
            np.array(add_num, dtype=np.int64),
            den,
        )

    def exact(self, x: Ints) -> Ints:
        """The amount at each ``x`` times ``den`` (exact)."""
        i = _row(self.mins, x)
        step = self.steps[i]
        return (x // step) * step * self.rate_num[i] + self.add_num[i]

    def floor(self, x: Ints) -> Ints:
        return self.exact(x) // self.den

    def rounded(self, x: Ints, mode: str) -> Ints:
        """1円未満 rounded as the data says (``ceil`` or else down), like the scalar
        ``ceil_yen if mode == "ceil" else floor_yen``."""
        exact = self.exact(x)
        return -(-exact // self.den) if mode == "ceil" else exact // self.den


@dataclass(frozen=True)
class _Lookup:
    """A ``bands`` figure of named amounts: ``values[row]`` (or ``values[row, column]`` for a
    list such as the spouse tables' ``amounts``)."""

    mins: Ints
    values: Ints

    @classmethod
    def of(cls, law: lawdata.LawData, figure_id: str, name: str) -> _Lookup:
        bands = _bands(law, figure_id)
        table = []
        for b in bands:
            raw = b.values[name]
            where = f"{b.key}.{name}"
            if isinstance(raw, list):
                table.append([_whole(v, where) for v in raw])
            else:
                # The scalar calculator reads these with int(Band.number(...)).
                table.append(int(b.number(name)))
        return cls(np.array([b.min for b in bands], dtype=np.int64), np.array(table, np.int64))

    def __call__(self, x: Ints, column: Ints | None = None) -> Ints:
        i = _row(self.mins, x)
        return self.values[i] if column is None else self.values[i, column]


def _by_code(table: Mapping[str, Any], key: str = "{}") -> Ints:
    """An amount per disability code (0 for none) from a table keyed by kind."""
    return np.array(
        [0 if kind is None else int(table[key.format(kind)]) for kind in DISABILITIES],
        dtype=np.int64,
    )


# --- the calculation, in the order of .calculate ------------------------------------------------


@dataclass(frozen=True)
class _Income:
    gokei: Ints  # 合計所得金額 (= 総所得金額等 here, as in the scalar calculator)
    nenkin: Ints  # 公的年金等に係る雑所得
    spouse_in: Bools  # a 同一生計配偶者 (within haigusha.income_limit)
    dependent_in: Bools  # (n, k): a 扶養親族 (within fuyo.income_limit)


def _chosei_kodomo(r: lawdata.Reader, c: Columns, fuyo: Bools, spouse_in: Bools) -> Ints:
    """所得金額調整控除（子ども・特別障害者等）: .income._chosei_kodomo."""
    rule = r.peek("shotoku_chosei.kodomo").value
    salary = c.salary_income
    special_relative = (fuyo & np.isin(c.dependent_disability, _SPECIAL)) | (
        fuyo & (c.dependent_age < _whole(rule["dependant_age_below"], "dependant_age_below"))
    )
    qualifies = (
        (c.disability == DISABILITY_CODES["special"])
        | (spouse_in & np.isin(c.spouse_disability, _SPECIAL))
        | special_relative.any(axis=1)
    )
    over = _whole(rule["salary_over"], "salary_over")
    cap = _whole(rule["salary_cap"], "salary_cap")
    rate = Fraction(rule["rate"])
    exact = (np.minimum(salary, cap) - over) * (rate.numerator)
    mode = r.text("shotoku_chosei.kodomo_rounding")
    value = -(-exact // rate.denominator) if mode == "ceil" else exact // rate.denominator
    return np.where((salary > over) & qualifies, value, 0)


def _income(r: lawdata.Reader, c: Columns) -> _Income:
    law = r.law
    spouse_in = c.spouse_present & (c.spouse_income <= r.yen("haigusha.income_limit"))
    fuyo = c.dependent_present & (c.dependent_income <= r.yen("fuyo.income_limit"))

    salary = c.salary_income
    kojogo = np.where(salary == 0, 0, np.maximum(0, _Linear.of(law, "kyuyo_shotoku").floor(salary)))
    kodomo = np.where(kojogo != 0, _chosei_kodomo(r, c, fuyo, spouse_in), 0)
    # As in .income: the pension deduction is cut by the *other* income, taken after the first
    # 調整控除 and before the 給与・年金 one.
    other_total = kojogo - kodomo + c.other_income

    pension = c.pension_income
    elderly = c.age >= r.years("nenkin.elderly_age")
    zatsu = np.where(
        elderly,
        _Linear.of(law, "nenkin.zatsu_shotoku.elderly").floor(pension),
        _Linear.of(law, "nenkin.zatsu_shotoku.younger").floor(pension),
    )
    tier = _Lookup.of(law, "nenkin.other_income_adjustment", "add")(other_total)
    nenkin = np.where(pension == 0, 0, np.maximum(0, zatsu + tier))

    rule = r.table("shotoku_chosei.nenkin")
    cap, subtract = _whole(rule["cap_each"], "cap_each"), _whole(rule["subtract"], "subtract")
    kyuyo = kojogo - kodomo
    both = np.maximum(0, np.minimum(kyuyo, cap) + np.minimum(nenkin, cap) - subtract)
    both = np.where((kyuyo == 0) | (nenkin == 0), 0, both)
    return _Income(kyuyo - both + nenkin + c.other_income, nenkin, spouse_in, fuyo)


def _limit(rule: Mapping[str, Any], persons: Ints) -> Ints:
    """.hikazei._limit: per_person × N + base, + dependant_add when N > 1."""
    per_person, base = _whole(rule["per_person"], "per_person"), _whole(rule["base"], "base")
    add = _whole(rule["dependant_add"], "dependant_add")
    return per_person * persons + base + np.where(persons > 1, add, 0)


def _hikazei(
    r: lawdata.Reader, c: Columns, inc: _Income, muni: Municipality
) -> tuple[Bools, Bools, Ints]:
    """(均等割 exempt, 所得割 exempt, 所得割の非課税限度額): .hikazei.judge."""
    persons = 1 + inc.spouse_in + inc.dependent_in.sum(axis=1)
    shoto_limit = _limit(r.table("hikazei.shotokuwari"), persons)
    status = (
        (c.disability != _NONE) | (c.age < r.years("hikazei.minor_age")) | c.widow | c.single_parent
    )
    status_exempt = status & (inc.gokei <= r.yen("hikazei.shogaisha_etc_income_limit"))
    kin_limit = _limit(r.table("hikazei.kintouwari")[str(muni.kyuchi)], persons)
    kintouwari = c.public_assistance | status_exempt | (inc.gokei <= kin_limit)
    shotokuwari = kintouwari | (inc.gokei <= shoto_limit)
    return kintouwari, shotokuwari, shoto_limit


def _life_insurance(r: lawdata.Reader, c: Columns) -> Ints:
    """生命保険料控除: .kojo._life_insurance."""
    old_table = _Linear.of(r.law, "seimei_hoken.old")
    new_table = _Linear.of(r.law, "seimei_hoken.new")
    mode = r.text("seimei_hoken.rounding")
    mixed_cap = r.yen("seimei_hoken.mixed_cap")

    def category(old: Ints | None, new: Ints) -> Ints:
        new_part = new_table.rounded(new, mode)
        if old is None:  # 介護医療 has new contracts only
            return np.where(new == 0, 0, new_part)
        old_only = old_table.rounded(old, mode)
        both = np.maximum(old_only, np.minimum(old_only + new_part, mixed_cap))
        return np.select(
            [(old == 0) & (new == 0), new == 0, old == 0], [0, old_only, new_part], both
        )

    subtotal = (
        category(c.life_old_general, c.life_new_general)
        + category(c.life_old_pension, c.life_new_pension)
        + category(None, c.life_care_medical)
    )
    return np.where(subtotal == 0, 0, np.minimum(subtotal, r.yen("seimei_hoken.total_cap")))


@dataclass(frozen=True)
class _Kojo:
    """所得控除の合計 and the 人的控除額の差 of the persons behind it (.kojo.Persons priced by
    .chosei._sa), computed together because both follow the same classification."""

    total: Ints
    jinteki_sa: Ints


def _spouse(r: lawdata.Reader, c: Columns, inc: _Income) -> tuple[Ints, Ints]:
    """(配偶者控除 or 配偶者特別控除, its 人的控除額の差): .kojo._spouse, .chosei._sa."""
    law = r.law
    column = _Lookup.of(law, "haigusha.taxpayer_column", "column")(inc.gokei)
    elderly = (c.spouse_age >= r.years("haigusha.elderly_age")).astype(np.int64)
    by_kind = r.table("haigusha_kojo")
    kojo = np.array(
        [[_whole(v, "haigusha_kojo") for v in by_kind[k]] for k in ("general", "elderly")]
    )
    sa_by_kind = r.table("chosei_kojo.sa_haigusha")
    sa = np.array(
        [[_whole(v, "sa_haigusha") for v in sa_by_kind[k]] for k in ("general", "elderly")]
    )
    tokubetsu = _Lookup.of(law, "haigusha_tokubetsu_kojo", "amounts")(c.spouse_income, column)
    tokubetsu_sa = _Lookup.of(law, "chosei_kojo.sa_haigusha_tokubetsu", "amounts")(
        c.spouse_income, column
    )
    over = c.spouse_present & ~inc.spouse_in
    kojo_amount = kojo[elderly, column]
    amount = np.where(inc.spouse_in, kojo_amount, np.where(over, tokubetsu, 0))
    # A deduction of 0 (a taxpayer over 1,000万) brings no 差 either.
    difference = np.where(
        inc.spouse_in & (kojo_amount > 0),
        sa[elderly, column],
        np.where(over & (tokubetsu > 0), tokubetsu_sa, 0),
    )
    return amount, difference


def _kojo(r: lawdata.Reader, c: Columns, inc: _Income) -> _Kojo:
    """所得控除 (.kojo.compute_deductions) with the 人的控除額の差 (.chosei._sa)."""
    law = r.law
    gokei = inc.gokei
    sa_table = r.table("chosei_kojo.sa")

    # 障害者控除: the taxpayer, a 同一生計配偶者 and every 扶養親族 (under-16s included).
    shogai, shogai_sa = _by_code(r.table("shogaisha_kojo")), _by_code(sa_table, "shogai_{}")
    spouse_code = np.where(inc.spouse_in, c.spouse_disability, _NONE)
    dependent_code = np.where(inc.dependent_in, c.dependent_disability, _NONE)
    disability = shogai[c.disability] + shogai[spouse_code] + shogai[dependent_code].sum(axis=1)
    disability_sa = (
        shogai_sa[c.disability] + shogai_sa[spouse_code] + shogai_sa[dependent_code].sum(axis=1)
    )

    # 寡婦・ひとり親・勤労学生: the status is input, the income limits are law data.
    within = gokei <= r.yen("kafu_hitorioya.income_limit")
    hitorioya_amount, kafu_amount = r.yen("hitorioya_kojo"), r.yen("kafu_kojo")
    kinro_amount = r.yen("kinro_gakusei_kojo")
    hitorioya = c.single_parent & within
    kafu = ~c.single_parent & c.widow & within
    kinro = c.working_student & (gokei <= r.yen("kinro_gakusei.income_limit"))
    status = hitorioya * hitorioya_amount + kafu * kafu_amount + kinro * kinro_amount
    hitorioya_sa = np.where(
        c.male, int(sa_table["hitorioya_father"]), int(sa_table["hitorioya_mother"])
    )
    status_sa = (
        (hitorioya & (hitorioya_amount > 0)) * hitorioya_sa
        + (kafu & (kafu_amount > 0)) * int(sa_table["kafu"])
        + (kinro & (kinro_amount > 0)) * int(sa_table["kinro_gakusei"])
    )

    spouse, spouse_sa = _spouse(r, c, inc)

    # 扶養控除 by class, and 特定親族特別控除 for a 19–22-year-old above the income limit.
    ages, amounts = r.table("fuyo.ages"), r.table("fuyo_kojo")
    tokutei_ages = r.peek("tokutei_shinzoku.ages").value
    age = c.dependent_age
    kojo_taisho = inc.dependent_in & (age >= ages["kojo_from"])
    tokutei = kojo_taisho & (age >= ages["tokutei_from"]) & (age <= ages["tokutei_to"])
    elderly = kojo_taisho & ~tokutei & (age >= ages["rojin_from"])
    classes = {
        "tokutei": tokutei,
        "dokyo_roshin": elderly & c.dependent_cohabiting_parent,
        "rojin": elderly & ~c.dependent_cohabiting_parent,
        "ippan": kojo_taisho & ~tokutei & ~elderly,
    }
    fuyo = np.zeros(len(gokei), dtype=np.int64)
    fuyo_sa = np.zeros(len(gokei), dtype=np.int64)
    for kind, members in classes.items():
        count = members.sum(axis=1)
        fuyo += count * int(amounts[kind])
        fuyo_sa += count * int(sa_table[f"fuyo_{kind}"])
    shinzoku = (
        c.dependent_present
        & ~inc.dependent_in
        & (age >= tokutei_ages["from"])
        & (age <= tokutei_ages["to"])
    )
    shinzoku_amount = np.where(
        shinzoku,
        _Lookup.of(law, "tokutei_shinzoku_tokubetsu_kojo", "amount")(c.dependent_income),
        0,
    )
    relatives = fuyo + shinzoku_amount.sum(axis=1)
    shinzoku_sa = (shinzoku_amount > 0).sum(axis=1) * r.yen("chosei_kojo.sa_tokutei_shinzoku")

    kiso = _Lookup.of(law, "kiso_kojo", "amount")(gokei)
    total = (
        c.social_insurance
        + c.small_business_mutual_aid
        + _life_insurance(r, c)
        + disability
        + status
        + spouse
        + relatives
        + kiso
    )
    jinteki_sa = (
        int(sa_table["kiso"]) + spouse_sa + fuyo_sa + shinzoku_sa + disability_sa + status_sa
    )
    return _Kojo(total, jinteki_sa)


def calculate_columns(
    columns: Columns, municipality: Municipality, fiscal_year: int
) -> VectorResult:
    """個人住民税 of every row for ``fiscal_year`` in ``municipality`` (the ordinance choices,
    as in the scalar input; rates as Decimal). Raises ValueError for values the scalar input
    would refuse and :class:`~kyodo.rules.lawdata.LawDataError` when the year has no data."""
    c = _checked(columns)
    law = lawdata.load(TOPIC, fiscal_year)
    law.require(REQUIRED_FIGURES)
    r = lawdata.Reader(law)
    muni = municipality

    inc = _income(r, c)
    kin_exempt, shoto_exempt, shoto_limit = _hikazei(r, c, inc, muni)
    kojo = _kojo(r, c, inc)
    gokei = inc.gokei

    before = np.maximum(0, gokei - kojo.total)
    unit = r.yen("rounding.kazei_hyojun")
    taxable = np.where(before > 0, before // unit * unit, 0)

    # 調整控除 (.chosei.compute_chosei).
    limits = r.table("chosei_kojo.limits")
    threshold = _whole(limits["threshold"], "threshold")
    minimum = _whole(limits["minimum_base"], "minimum_base")
    base = np.where(
        taxable <= threshold,
        np.minimum(kojo.jinteki_sa, taxable),
        np.maximum(kojo.jinteki_sa - (taxable - threshold), minimum),
    )
    suffix = "_designated" if muni.designated_city else ""
    chosei_rates = r.table("chosei_kojo.rates")
    with_chosei = gokei <= _whole(limits["income_limit"], "income_limit")

    # 所得割 (.calculate._shotokuwari) over one denominator for the municipality's rates and
    # the cap of 附則第3条の3: min(max(0, taxable × rate − 調整控除), excess × cap rate), then
    # truncated to rounding.zeigaku.
    cap_rule = r.peek("hikazei.shotokuwari_cap").value
    rates = {
        "city": _fraction(muni.city_rate, "municipality.city_rate"),
        "pref": _fraction(muni.pref_rate, "municipality.pref_rate"),
        "city_cap": Fraction(cap_rule[f"city{suffix}"]),
        "pref_cap": Fraction(cap_rule[f"pref{suffix}"]),
        "city_chosei": Fraction(chosei_rates[f"city{suffix}"]),
        "pref_chosei": Fraction(chosei_rates[f"pref{suffix}"]),
    }
    den = math.lcm(*(f.denominator for f in rates.values()))
    scaled = {name: int(f * den) for name, f in rates.items()}
    # Every product below is at most 合計所得金額 (or the 調整控除 base) × the largest of these
    # factors; a row that could pass 2**62 is left to the scalar calculator.
    bound = _SAFE // max(den, *scaled.values())
    scalar = (gokei > bound) | (base > bound)
    excess = gokei - shoto_limit
    zeigaku = r.yen("rounding.zeigaku")
    no_shotokuwari = shoto_exempt | scalar
    shotokuwari, chosei = {}, {}
    for side in ("city", "pref"):
        credit = np.where(with_chosei, base * scaled[f"{side}_chosei"] // den, 0)
        after = np.maximum(0, taxable * scaled[side] - credit * den)
        capped = np.minimum(after, excess * scaled[f"{side}_cap"])
        amount = np.where(capped > 0, capped // (den * zeigaku) * zeigaku, 0)
        shotokuwari[side] = np.where(no_shotokuwari, 0, amount)
        chosei[side] = np.where(no_shotokuwari, 0, credit)

    def kintouwari(amount: int) -> Ints:
        return np.where(kin_exempt | scalar, 0, amount).astype(np.int64)

    city_kin = kintouwari(muni.city_kintouwari)
    pref_kin = kintouwari(muni.pref_kintouwari)
    forest = kintouwari(r.yen("forest_env_tax"))
    return VectorResult(
        city_shotokuwari=shotokuwari["city"],
        city_kintouwari=city_kin,
        pref_shotokuwari=shotokuwari["pref"],
        pref_kintouwari=pref_kin,
        forest_env_tax=forest,
        total=shotokuwari["city"] + city_kin + shotokuwari["pref"] + pref_kin + forest,
        hikazei_kintouwari=kin_exempt & ~scalar,
        hikazei_shotokuwari=shoto_exempt & ~scalar,
        gokei_shotoku=np.where(scalar, 0, gokei),
        shotoku_kojo=np.where(no_shotokuwari, 0, kojo.total),
        kazei_shotoku=np.where(no_shotokuwari, 0, taxable),
        nenkin_shotoku=np.where(scalar, 0, inc.nenkin),
        city_chosei_kojo=chosei["city"],
        pref_chosei_kojo=chosei["pref"],
        scalar=scalar,
    )
