"""The input of a 国民健康保険税 calculation, checked: the municipality's rates and one household.

Input (JSON)::

    {"fiscal_year": 2026,
     "rates": {"medical": {"income_rate": 0.075, "per_capita": 27100, "per_household": 24100,
                           "cap": 670000},
               "support": {…}, "care": {…},
               "child": {…, "adult_per_capita": 100}},
     "household": {"head_is_member": true,
                   "head": {"age": 70, "income": 0, …},          (only when head_is_member is false)
                   "members": [{"age": 50, "income": 1202000, "salary_income": null,
                                "pension_income": null, "preschool": false}, …],
                   "former_members": [{"age": 76, "income": 0, …}]},
     "local_exemption": {"per_capita_max_age": 18}}

* **Ages** are on 1 April of the fiscal year (賦課期日), counted by birthdays. Every age rule then
  holds for the whole year: 未就学児 (under 6), the 子ども分 均等割 reduction (under 18: the first
  31 March after turning 18 is not yet past) and 介護分 (40 to 64 on 1 April). Reaching 40 or 65
  during the year (介護分 from or until that month) is the monthly pro-rating of the 国保 unit,
  not computed here; the result lists such members under ``assumptions``. The pension rules look
  at 31 December of the income year; the 1 April age is used for them too (see :mod:`.hantei`).
* ``income`` is the person's 総所得金額等 (所得, after 給与所得控除 and 公的年金等控除, before any
  所得控除); ``salary_income`` and ``pension_income`` are 収入 (null or left out: none). They are
  needed for the 給与所得者等 count and the 15万円 pension deduction of the 軽減 judgment.
* ``rates`` carries the municipality's ordinance choices (tenant parameters). A component left
  out is not levied. ``per_household`` (平等割) null or left out is 0 (2方式); ``cap`` null or
  left out is the statutory 課税限度額, and a cap may not exceed it. ``child.adult_per_capita``
  is the 18歳以上被保険者均等割額 that recovers the cost of the under-18 reduction (default 0).
* ``household.head`` is the 世帯主 who is not a member (擬制世帯主): the 納税義務者, whose
  income and 給与所得者等 status count for the 軽減 judgment, but who is not assessed.
  ``head.former_member: true`` says the head is a 特定同一世帯所属者 (moved from 国保 to 後期高齢者
  医療 and still in the household), which also counts them as a member for the judgment.
* ``household.former_members`` are the other 特定同一世帯所属者: counted for the judgment only.
* ``members[].preschool`` (未就学児) may be left out; when given it must agree with the age.
* ``members[].kaigo`` (optional): whether the member is a 介護納付金課税被保険者 (40 to 64) in
  the period assessed — the 国保 unit's 月割 gives it month by month, so reaching 40 or 65 during
  the year counts from (or until the month before) the month reached. Left out: by the 1 April
  age, and the result notes a birthday in the year under ``assumptions``.
* ``declared: false`` on anyone in the judgment: their income was not declared (未申告), so the
  household gets no 法定軽減.
* ``local_exemption.per_capita_max_age``: a municipal 減免 (地方税法 第717条, by 条例) of the whole
  被保険者均等割 of members of that age or under, e.g. 基山町 (18 and under).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from kyodo.rules import lawdata
from kyodo.rules.inputs import Checker, join
from kyodo.rules.juminzei.household import nendo
from kyodo.rules.kokuho.figures import COMPONENT_NAMES, COMPONENTS, TOPIC, components_of, load

__all__ = ["ComponentRates", "Household", "Person", "parse"]

MAX_AGE = 150
RATE_KEYS = ("income_rate", "per_capita")
RATE_OPTIONAL = ("per_household", "cap")
PERSON_KEYS = ("age", "income")
PERSON_OPTIONAL = ("salary_income", "pension_income", "declared")

T = TypeVar("T")


@dataclass(frozen=True)
class ComponentRates:
    income_rate: Decimal  # 所得割 rate
    per_capita: int  # 被保険者均等割額
    per_household: int  # 世帯別平等割額 (0: none)
    cap: int | None  # the municipality's 課税限度額; None: the statutory one
    adult_per_capita: int = 0  # 18歳以上被保険者均等割額 (子ども分 only)


@dataclass(frozen=True)
class Person:
    """A member, the 擬制世帯主 or a 特定同一世帯所属者."""

    path: str  # where it came from in the input, e.g. "household.members[1]"
    age: int  # on 1 April of the fiscal year
    income: int  # 総所得金額等
    salary_income: int  # 給与収入 (0: none)
    pension_income: int  # 公的年金等の収入 (0: none)
    declared: bool = True
    preschool: bool = False  # 未就学児 (members only)
    kaigo: bool | None = None  # 介護納付金課税被保険者 this month (月割); None: by the 1 April age

    @property
    def name(self) -> str:
        """The path without ``household.``, for step ids: ``members[1]``."""
        return self.path.removeprefix("household.")


@dataclass(frozen=True)
class Household:
    fiscal_year: int
    rates: Mapping[str, ComponentRates]
    members: tuple[Person, ...]
    head: Person | None  # the 擬制世帯主; None when the head is a member
    head_former_member: bool
    former_members: tuple[Person, ...]
    per_capita_max_age: int | None  # 条例減免 of 均等割 up to this age

    @property
    def judged(self) -> tuple[Person, ...]:
        """Everyone whose income counts for the 軽減 judgment: the head, the members and the
        特定同一世帯所属者."""
        head = (self.head,) if self.head else ()
        return (*head, *self.members, *self.former_members)

    @property
    def judged_count(self) -> int:
        """被保険者等の数: members and 特定同一世帯所属者 (a head who is one included)."""
        return len(self.members) + len(self.former_members) + int(self.head_former_member)


def _get(
    mapping: Mapping[str, Any], key: str, path: str, getter: Callable[[Any, str], T], default: T
) -> T:
    return getter(mapping[key], join(path, key)) if key in mapping else default


def _nullable_yen(check: Checker) -> Callable[[Any, str], int]:
    def getter(value: Any, path: str) -> int:
        return 0 if value is None else check.yen(value, path)

    return getter


def _component(
    check: Checker, raw: object, path: str, component: str, law: lawdata.LawData | None
) -> ComponentRates:
    optional = (*RATE_OPTIONAL, "adult_per_capita") if component == "child" else RATE_OPTIONAL
    r = check.obj(raw, path, required=RATE_KEYS, optional=optional)
    # null is "not set", as when the key is left out: the statutory cap applies.
    cap = _get(r, "cap", path, lambda v, at: None if v is None else check.yen(v, at), None)
    if cap is not None and law is not None and f"gendogaku.{component}" in law.figures:
        statutory = law.figure(f"gendogaku.{component}").value
        if cap > statutory:
            check.fail(
                join(path, "cap"),
                f"法定の課税限度額 {statutory:,}円を超えています（値: {cap:,}）: 条例で定める"
                "限度額は政令の額を超えることができません",
            )
    return ComponentRates(
        income_rate=_get(r, "income_rate", path, check.rate, Decimal(0)),
        per_capita=_get(r, "per_capita", path, check.yen, 0),
        per_household=_get(r, "per_household", path, _nullable_yen(check), 0),
        cap=cap,
        adult_per_capita=_get(r, "adult_per_capita", path, check.yen, 0),
    )


def _rates(
    check: Checker, raw: object, law: lawdata.LawData | None, year: int
) -> dict[str, ComponentRates]:
    path = "rates"
    r = check.obj(raw, path, required=(), optional=COMPONENTS)
    if isinstance(raw, dict) and not any(c in r for c in COMPONENTS):
        check.fail(path, f"課税する区分を1つ以上指定してください（{', '.join(COMPONENTS)}）")
    available = components_of(law) if law is not None else COMPONENTS
    rates = {}
    for component in COMPONENTS:
        if component not in r:
            continue
        at = join(path, component)
        if component not in available:
            names = "、".join(f"{COMPONENT_NAMES[c]}（{c}）" for c in available)
            check.fail(
                at,
                f"{nendo(year)}には{COMPONENT_NAMES[component]}はありません"
                f"（この年度の区分: {names}）",
            )
            continue
        rates[component] = _component(check, r[component], at, component, law)
    return rates


def _age(check: Checker, value: object, path: str) -> int:
    return check.integer(value, path, minimum=0, maximum=MAX_AGE, what="年齢（整数）")


def _person(
    check: Checker,
    raw: object,
    path: str,
    *,
    member: bool = False,
    head: bool = False,
    law: lawdata.LawData | None = None,
) -> tuple[Person, bool]:
    """(the person, whether a head is a 特定同一世帯所属者)."""
    optional: tuple[str, ...] = PERSON_OPTIONAL
    if member:
        optional = (*optional, "preschool", "kaigo")
    if head:
        optional = (*optional, "former_member")
    p = check.obj(raw, path, required=PERSON_KEYS, optional=optional)
    before = len(check.problems)
    age = _get(p, "age", path, lambda v, at: _age(check, v, at), 0)
    age_ok = "age" in p and len(check.problems) == before
    preschool = False
    if member and law is not None:
        # 未就学児 follows from the age on 1 April; a flag that disagrees is a mistake in one of
        # the two, and either way the 均等割 would silently be wrong.
        below = law.figure("mishugakuji.age_below").value
        preschool = age < below
        given = _get(p, "preschool", path, check.boolean, None)
        if age_ok and isinstance(p.get("preschool"), bool) and given != preschool:
            check.fail(
                join(path, "preschool"),
                f"年齢 {age}歳（4月1日現在）と一致しません: 未就学児は4月1日に{below}歳未満の"
                f"被保険者です（{below}歳未満なら true、{below}歳以上なら false）",
            )
    person = Person(
        path=path,
        age=age,
        income=_get(p, "income", path, check.yen, 0),
        salary_income=_get(p, "salary_income", path, _nullable_yen(check), 0),
        pension_income=_get(p, "pension_income", path, _nullable_yen(check), 0),
        declared=_get(p, "declared", path, check.boolean, True),
        preschool=preschool,
        kaigo=_get(p, "kaigo", path, check.boolean, None) if member else None,
    )
    return person, _get(p, "former_member", path, check.boolean, False)


def _people(
    check: Checker, raw: object, path: str, *, member: bool, law: lawdata.LawData | None
) -> tuple[Person, ...]:
    return tuple(
        _person(check, item, join(path, i), member=member, law=law)[0]
        for i, item in enumerate(check.array(raw, path))
    )


def _household(
    check: Checker, raw: object, law: lawdata.LawData | None
) -> tuple[tuple[Person, ...], Person | None, bool, tuple[Person, ...]]:
    path = "household"
    h = check.obj(
        raw, path, required=("head_is_member", "members"), optional=("head", "former_members")
    )
    head_is_member = _get(h, "head_is_member", path, check.boolean, True)
    members: tuple[Person, ...] = ()
    if "members" in h:
        members = _people(check, h["members"], join(path, "members"), member=True, law=law)
        if isinstance(h["members"], list) and not h["members"]:
            check.fail(
                join(path, "members"),
                "被保険者が1人以上必要です（被保険者のいない世帯に国民健康保険税は課されません）",
            )
    head, head_former = None, False
    if "head_is_member" in h and isinstance(h["head_is_member"], bool):
        at = join(path, "head")
        if head_is_member and h.get("head") is not None:
            check.fail(
                at,
                "世帯主が被保険者のとき（head_is_member: true）は指定しません: "
                "世帯主は members の1人です",
            )
        elif not head_is_member:
            if h.get("head") is None:
                check.fail(
                    at,
                    "世帯主が被保険者でないとき（head_is_member: false）は必須です: "
                    "擬制世帯主の所得も軽減判定に含まれます",
                )
            else:
                head, head_former = _person(check, h["head"], at, head=True)
    former: tuple[Person, ...] = ()
    if h.get("former_members") is not None:
        former = _people(
            check, h["former_members"], join(path, "former_members"), member=False, law=law
        )
    return members, head, head_former, former


def _fiscal_year(check: Checker, value: object, path: str) -> int:
    year = check.integer(value, path, minimum=1, what="年度（西暦の整数）")
    known = lawdata.available_years(TOPIC)
    if year and year not in known:
        years = "、".join(nendo(y) for y in known) or "なし"
        check.fail(
            path,
            f"{nendo(year)}の国民健康保険税の法令データがありません（利用できる年度: {years}）",
        )
        return 0
    return year


def _local_exemption(check: Checker, raw: object) -> int | None:
    path = "local_exemption"
    e = check.obj(raw, path, required=("per_capita_max_age",))
    return _get(e, "per_capita_max_age", path, lambda v, at: _age(check, v, at), None)


def parse(data: object, *, check: Checker | None = None) -> Household:
    """Check the whole input and build the household; raises
    :class:`~kyodo.rules.inputs.InputError` listing every problem at once."""
    check = check or Checker()
    root: Mapping[str, Any] = check.obj(
        data,
        "",
        required=("fiscal_year", "rates", "household"),
        optional=("local_exemption",),
    )
    year = _get(root, "fiscal_year", "", lambda v, p: _fiscal_year(check, v, p), 0)
    # The year's figures check the rest (the components that exist, the statutory caps, the
    # 未就学児 age); a broken data file is our defect and is raised as such (LawDataError).
    law = load(year) if year else None
    rates = _get(root, "rates", "", lambda v, p: _rates(check, v, law, year), {})
    members, head, head_former, former = _get(
        root, "household", "", lambda v, p: _household(check, v, law), ((), None, False, ())
    )
    max_age = None
    if root.get("local_exemption") is not None:
        max_age = _local_exemption(check, root["local_exemption"])
    check.raise_if_any()
    return Household(
        fiscal_year=year,
        rates=rates,
        members=members,
        head=head,
        head_former_member=head_former,
        former_members=former,
        per_capita_max_age=max_age,
    )
