"""PUSH conditions: the declarative condition of a procedure, compiled into a check.

A condition is compiled once per municipality into closures over an evaluation context
(:class:`Context`: the date, the members, the event's subjects, the household flags and the
member under evaluation). A check returns whether it holds and the facts that decided it, in
Japanese, for the suggestion's reason. Errors name the JSON path of the bad condition.

Condition operators (each is an object with exactly one key):

* ``all`` / ``any``: a list of conditions; ``not``: one condition.
* ``age_at_least`` / ``age_below``: ``{"years": N, "rule": "reaches" | "birthday"}``. ``reaches``
  is the statutory "N歳に達した日" = the day before the Nth birthday (年齢計算ニ関スル法律,
  民法143条: 介護保険 65, 国民年金 20・60, 印鑑 15, 選挙 18); ``birthday`` is the birthday itself
  (後期高齢者医療 75, rules.md §7). See :mod:`kyodo.madoguchi.ages`.
* ``age_below_end_of``: a period name (``chugakusei``, ``kokosei_nendai`` …) or
  ``{"param": name}``; true up to and including the first 31 March on or after the day the
  period's age is reached (児童手当法 第3条: 18歳に達する日以後の最初の3月31日).
* ``school_age``: ``true`` for 学齢 (学校教育法 第17条) or a 就学予定者 on or after the 1 October
  学齢簿 base date before entry (施行令 第2条, rules.md §9); ``false`` negates.
* ``member``: a member flag (``employee_insurance`` …); ``nationality``: a list of codes.
* ``household``: a household flag (``single_parent``); ``any_member``: a member condition that
  some subject of the event satisfies (usable in household-scoped procedures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kyodo.madoguchi.ages import (
    birthday,
    first_april_1_after,
    first_march_31_after,
    reaches_age_on,
)
from kyodo.madoguchi.catalogue import Catalogue
from kyodo.madoguchi.members import Member
from kyodo.madoguchi.wording import member_label, ymd
from kyodo.platform.errors import ValidationFailed

__all__ = ["AGE_RULES", "Check", "Compiler", "Context", "Facts"]

AGE_RULES = ("reaches", "birthday")

Facts = tuple[bool, list[str]]


@dataclass(frozen=True)
class Context:
    """What a check sees: one household and event, and the member under evaluation."""

    date: dt.date
    members: Sequence[Member]
    subjects: Sequence[int]
    household: Mapping[str, bool]
    index: int | None = None  # the member under evaluation

    @property
    def member(self) -> Member:
        assert self.index is not None  # guaranteed by the compile-time scope check
        return self.members[self.index]


Check = Callable[[Context], Facts]


class Compiler:
    """Compiles conditions against a catalogue and a municipality's parameters.

    ``source`` names the file (or ``overrides``) in errors.
    """

    def __init__(self, catalogue: Catalogue, params: Mapping[str, Any], source: str) -> None:
        self.cat = catalogue
        self.params = params
        self.source = source

    def bad(self, path: str, reason: str) -> ValidationFailed:
        return ValidationFailed(reason, field=path, source=self.source)

    def compile(self, cond: Any, path: str, scope: str) -> Check:
        if not isinstance(cond, dict) or len(cond) != 1:
            raise self.bad(path, "条件は演算子をひとつだけ持つオブジェクトです")
        ((op, arg),) = cond.items()
        builder: Callable[[Any, str, str], Check] | None = getattr(self, f"op_{op}", None)
        if builder is None:
            known = ", ".join(sorted(n[3:] for n in dir(self) if n.startswith("op_")))
            raise self.bad(path, f"未知の演算子 {op!r} です（使えるもの: {known}）")
        return builder(arg, f"{path}.{op}", scope)

    def _needs_member(self, path: str, scope: str) -> None:
        if scope != "member":
            raise self.bad(path, "世帯単位の条件では世帯員の条件を any_member の中に書きます")

    # -- combinators
    def _list(self, arg: Any, path: str, scope: str) -> list[Check]:
        if not isinstance(arg, list) or not arg:
            raise self.bad(path, "条件のリスト（1つ以上）が必要です")
        return [self.compile(c, f"{path}[{i}]", scope) for i, c in enumerate(arg)]

    def op_all(self, arg: Any, path: str, scope: str) -> Check:
        checks = self._list(arg, path, scope)

        def check(ctx: Context) -> Facts:
            results = [c(ctx) for c in checks]
            if all(ok for ok, _ in results):
                return True, [f for _, facts in results for f in facts]
            return False, [f for ok, facts in results if not ok for f in facts]

        return check

    def op_any(self, arg: Any, path: str, scope: str) -> Check:
        checks = self._list(arg, path, scope)

        def check(ctx: Context) -> Facts:
            results = [c(ctx) for c in checks]
            if any(ok for ok, _ in results):
                return True, [f for ok, facts in results if ok for f in facts]
            return False, [f for _, facts in results for f in facts]

        return check

    def op_not(self, arg: Any, path: str, scope: str) -> Check:
        inner = self.compile(arg, path, scope)

        def check(ctx: Context) -> Facts:
            ok, facts = inner(ctx)
            return not ok, facts

        return check

    # -- ages
    def _age_arg(self, arg: Any, path: str) -> tuple[int, str]:
        if not isinstance(arg, dict) or set(arg) - {"years", "rule"} or "years" not in arg:
            raise self.bad(path, '{"years": N, "rule": "reaches" | "birthday"} の形で書きます')
        years, rule = arg["years"], arg.get("rule", "reaches")
        if not isinstance(years, int) or isinstance(years, bool) or not 0 <= years <= 150:
            raise self.bad(f"{path}.years", f"年齢は0〜150の整数です (got {years!r})")
        if rule not in AGE_RULES:
            raise self.bad(f"{path}.rule", f"rule は reaches か birthday です (got {rule!r})")
        return years, rule

    def op_age_at_least(self, arg: Any, path: str, scope: str) -> Check:
        self._needs_member(path, scope)
        years, rule = self._age_arg(arg, path)

        if rule == "reaches":

            def check(ctx: Context) -> Facts:
                day = reaches_age_on(ctx.member.birth_date, years)
                if ctx.date >= day:
                    return True, [f"{years}歳に到達済み（到達日 {ymd(day)}）"]
                return False, [f"{years}歳に未到達（到達日 {ymd(day)}）"]

            return check

        def check_birthday(ctx: Context) -> Facts:
            day = birthday(ctx.member.birth_date, years)
            if ctx.date >= day:
                return True, [f"{years}歳の誕生日（{ymd(day)}）以後"]
            return False, [f"{years}歳の誕生日（{ymd(day)}）前"]

        return check_birthday

    def op_age_below(self, arg: Any, path: str, scope: str) -> Check:
        inner = self.op_age_at_least(arg, path, scope)

        def check(ctx: Context) -> Facts:
            ok, facts = inner(ctx)
            return not ok, facts

        return check

    def op_age_below_end_of(self, arg: Any, path: str, scope: str) -> Check:
        self._needs_member(path, scope)
        name = arg
        if isinstance(arg, dict):
            if set(arg) != {"param"} or arg["param"] not in self.params:
                known = ", ".join(sorted(self.params))
                raise self.bad(path, f'{{"param": 名前}} の名前は {known} のいずれかです')
            name = self.params[arg["param"]]
        if not isinstance(name, str) or name not in self.cat.periods:
            known = ", ".join(self.cat.periods)
            raise self.bad(path, f"期間 {name!r} は未定義です（{known}）")
        years, label = self.cat.periods[name]["age"], self.cat.periods[name]["label"]

        def check(ctx: Context) -> Facts:
            end = first_march_31_after(reaches_age_on(ctx.member.birth_date, years))
            text = f"{label}（{years}歳到達後最初の3月31日＝{ymd(end)}）"
            if ctx.date <= end:
                return True, [f"{text}まで"]
            return False, [f"{text}を経過"]

        return check

    def op_school_age(self, arg: Any, path: str, scope: str) -> Check:
        self._needs_member(path, scope)
        if not isinstance(arg, bool):
            raise self.bad(path, "school_age は true か false です")

        def check(ctx: Context) -> Facts:
            birth = ctx.member.birth_date
            # 学校教育法 第17条: 満6歳に達した日の翌日以後における最初の学年の初めから
            # 満15歳に達した日の属する学年の終わりまで (学年: 4月1日〜3月31日, 施行規則 第59条).
            start = first_april_1_after(reaches_age_on(birth, 6) + dt.timedelta(days=1))
            end = first_march_31_after(reaches_age_on(birth, 15))
            # 就学予定者: 学齢簿 for next April's entrants is made as of 1 October (施行令 第2条).
            prospective_from = dt.date(start.year - 1, 10, 1)
            if start <= ctx.date <= end:
                ok, fact = True, f"学齢（{ymd(start)}〜{ymd(end)}）"
            elif prospective_from <= ctx.date < start:
                ok, fact = True, f"就学予定者（{ymd(start)}入学、10月1日基準の学齢簿の対象）"
            else:
                ok, fact = False, f"学齢外（学齢は{ymd(start)}〜{ymd(end)}）"
            return ok is arg, [fact]

        return check

    # -- flags
    def op_member(self, arg: Any, path: str, scope: str) -> Check:
        self._needs_member(path, scope)
        if arg not in self.cat.member_flags:
            raise self.bad(
                path, f"世帯員の項目 {arg!r} は未定義です（{', '.join(self.cat.member_flags)}）"
            )
        labels = self.cat.member_flags[arg]

        def check(ctx: Context) -> Facts:
            value = bool(ctx.member.flags.get(arg, False))
            return value, [labels["true" if value else "false"]]

        return check

    def op_nationality(self, arg: Any, path: str, scope: str) -> Check:
        self._needs_member(path, scope)
        codes = [arg] if isinstance(arg, str) else arg
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise self.bad(path, "国籍コード（ISO 3166-1 alpha-2）のリストです")
        wanted = frozenset(codes)

        def check(ctx: Context) -> Facts:
            code = ctx.member.nationality
            text = "日本国籍" if code == "JP" else f"国籍 {code}"
            return code in wanted, [text]

        return check

    def op_household(self, arg: Any, path: str, scope: str) -> Check:
        if arg not in self.cat.household_flags:
            known = ", ".join(self.cat.household_flags)
            raise self.bad(path, f"世帯の項目 {arg!r} は未定義です（{known}）")
        labels = self.cat.household_flags[arg]

        def check(ctx: Context) -> Facts:
            value = bool(ctx.household.get(arg, False))
            return value, [labels["true" if value else "false"]]

        return check

    def op_any_member(self, arg: Any, path: str, scope: str) -> Check:
        inner = self.compile(arg, path, "member")

        def check(ctx: Context) -> Facts:
            found = []
            for i in ctx.subjects:
                ok, facts = inner(Context(ctx.date, ctx.members, ctx.subjects, ctx.household, i))
                if ok:
                    found.append(f"{member_label(i, ctx.members[i])}が{'・'.join(facts)}")
            return (True, found) if found else (False, ["該当する世帯員なし"])

        return check
