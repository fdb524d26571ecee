"""総合窓口 PUSH list (issue 4): the procedures a household likely needs after an 異動.

Pure: no Django, no database. The rules are **data** (``procedures.json``): each procedure
names the events it applies to (転入, 出生, 転出, 死亡, 世帯照会), its scope (per member or per
household), a small declarative condition, and its legal basis. A municipality switches
procedures off, replaces them, adds its own, or sets parameters (e.g. ``iryo_kodomo_until``) in
``municipalities.json`` or in the ``overrides`` argument — without code changes::

    {"162116": {"disabled": ["iryo.hitorioya"],
                "params": {"iryo_kodomo_until": "kokosei_nendai"},
                "extra": [{"id": "city.keirou", "name": "敬老祝金", "kind": "information",
                           "scope": "member", "events": ["moved_in"],
                           "condition": {"age_at_least": {"years": 88, "rule": "reaches"}},
                           "basis": "市敬老祝金条例"}]}}

An ``extra`` procedure whose id is already in the catalogue replaces it.

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

The event's subjects: members marked ``subject: true``; if none is marked, the members born on
the event date for ``born``, and every member otherwise (``died`` requires a marked member).
Per-member procedures are evaluated for the subjects only.

Each suggestion's reason names the event, the member (世帯員N = ``members[N-1]``, with 続柄 and
生年月日), the facts that made the condition true, the procedure and its basis.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kyodo.madoguchi.ages import (
    birthday,
    first_april_1_after,
    first_march_31_after,
    reaches_age_on,
)
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.codes import validate_lg_code

__all__ = [
    "Member",
    "Suggestion",
    "load_overrides",
    "parse_request",
    "push_list",
    "read_json",
]

HERE = Path(__file__).resolve().parent
CATALOGUE_FILE = HERE / "procedures.json"
OVERRIDES_FILE = HERE / "municipalities.json"

KINDS = ("procedure", "information")
SCOPES = ("member", "household")
AGE_RULES = ("reaches", "birthday")


@dataclass(frozen=True)
class Member:
    """One 世帯員 as the PUSH rules see them."""

    birth_date: dt.date
    nationality: str = "JP"
    relationship: str = ""
    flags: Mapping[str, bool] = field(default_factory=dict)  # employee_insurance, …
    subject: bool | None = None  # is this member the one the event is about? None: default


@dataclass(frozen=True)
class Suggestion:
    procedure: str  # catalogue id, e.g. "kaigo.enroll"
    member: int | None  # index into members; None for a household-level procedure
    reason: str  # Japanese: event, member, facts, procedure and legal basis
    name: str = ""
    kind: str = "procedure"  # or "information"

    def as_json(self) -> dict[str, Any]:
        return {"procedure": self.procedure, "member": self.member, "reason": self.reason}


# ------------------------------------------------------------------------------------------
# Formatting


def _ymd(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _member_label(index: int, member: Member) -> str:
    parts = [member.relationship] if member.relationship else []
    parts.append(f"{_ymd(member.birth_date)}生")
    return f"世帯員{index + 1}（{'・'.join(parts)}）"


# ------------------------------------------------------------------------------------------
# Conditions: compiled once per municipality into closures over an evaluation context.

Facts = tuple[bool, list[str]]


@dataclass(frozen=True)
class _Ctx:
    date: dt.date
    members: Sequence[Member]
    subjects: Sequence[int]
    household: Mapping[str, bool]
    index: int | None = None  # the member under evaluation

    @property
    def member(self) -> Member:
        assert self.index is not None  # guaranteed by the compile-time scope check
        return self.members[self.index]


Check = Callable[[_Ctx], Facts]


@dataclass(frozen=True)
class _Catalogue:
    events: Mapping[str, str]
    periods: Mapping[str, Mapping[str, Any]]
    params: Mapping[str, Any]
    member_flags: Mapping[str, Mapping[str, str]]
    household_flags: Mapping[str, Mapping[str, str]]
    procedures: Sequence[Mapping[str, Any]]


class _Compiler:
    def __init__(self, catalogue: _Catalogue, params: Mapping[str, Any], source: str) -> None:
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

        def check(ctx: _Ctx) -> Facts:
            results = [c(ctx) for c in checks]
            if all(ok for ok, _ in results):
                return True, [f for _, facts in results for f in facts]
            return False, [f for ok, facts in results if not ok for f in facts]

        return check

    def op_any(self, arg: Any, path: str, scope: str) -> Check:
        checks = self._list(arg, path, scope)

        def check(ctx: _Ctx) -> Facts:
            results = [c(ctx) for c in checks]
            if any(ok for ok, _ in results):
                return True, [f for ok, facts in results if ok for f in facts]
            return False, [f for _, facts in results for f in facts]

        return check

    def op_not(self, arg: Any, path: str, scope: str) -> Check:
        inner = self.compile(arg, path, scope)

        def check(ctx: _Ctx) -> Facts:
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

            def check(ctx: _Ctx) -> Facts:
                day = reaches_age_on(ctx.member.birth_date, years)
                if ctx.date >= day:
                    return True, [f"{years}歳に到達済み（到達日 {_ymd(day)}）"]
                return False, [f"{years}歳に未到達（到達日 {_ymd(day)}）"]

            return check

        def check_birthday(ctx: _Ctx) -> Facts:
            day = birthday(ctx.member.birth_date, years)
            if ctx.date >= day:
                return True, [f"{years}歳の誕生日（{_ymd(day)}）以後"]
            return False, [f"{years}歳の誕生日（{_ymd(day)}）前"]

        return check_birthday

    def op_age_below(self, arg: Any, path: str, scope: str) -> Check:
        inner = self.op_age_at_least(arg, path, scope)

        def check(ctx: _Ctx) -> Facts:
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

        def check(ctx: _Ctx) -> Facts:
            end = first_march_31_after(reaches_age_on(ctx.member.birth_date, years))
            text = f"{label}（{years}歳到達後最初の3月31日＝{_ymd(end)}）"
            if ctx.date <= end:
                return True, [f"{text}まで"]
            return False, [f"{text}を経過"]

        return check

    def op_school_age(self, arg: Any, path: str, scope: str) -> Check:
        self._needs_member(path, scope)
        if not isinstance(arg, bool):
            raise self.bad(path, "school_age は true か false です")

        def check(ctx: _Ctx) -> Facts:
            birth = ctx.member.birth_date
            # 学校教育法 第17条: 満6歳に達した日の翌日以後における最初の学年の初めから
            # 満15歳に達した日の属する学年の終わりまで (学年: 4月1日〜3月31日, 施行規則 第59条).
            start = first_april_1_after(reaches_age_on(birth, 6) + dt.timedelta(days=1))
            end = first_march_31_after(reaches_age_on(birth, 15))
            # 就学予定者: 学齢簿 for next April's entrants is made as of 1 October (施行令 第2条).
            prospective_from = dt.date(start.year - 1, 10, 1)
            if start <= ctx.date <= end:
                ok, fact = True, f"学齢（{_ymd(start)}〜{_ymd(end)}）"
            elif prospective_from <= ctx.date < start:
                ok, fact = True, f"就学予定者（{_ymd(start)}入学、10月1日基準の学齢簿の対象）"
            else:
                ok, fact = False, f"学齢外（学齢は{_ymd(start)}〜{_ymd(end)}）"
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

        def check(ctx: _Ctx) -> Facts:
            value = bool(ctx.member.flags.get(arg, False))
            return value, [labels["true" if value else "false"]]

        return check

    def op_nationality(self, arg: Any, path: str, scope: str) -> Check:
        self._needs_member(path, scope)
        codes = [arg] if isinstance(arg, str) else arg
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise self.bad(path, "国籍コード（ISO 3166-1 alpha-2）のリストです")
        wanted = frozenset(codes)

        def check(ctx: _Ctx) -> Facts:
            code = ctx.member.nationality
            text = "日本国籍" if code == "JP" else f"国籍 {code}"
            return code in wanted, [text]

        return check

    def op_household(self, arg: Any, path: str, scope: str) -> Check:
        if arg not in self.cat.household_flags:
            known = ", ".join(self.cat.household_flags)
            raise self.bad(path, f"世帯の項目 {arg!r} は未定義です（{known}）")
        labels = self.cat.household_flags[arg]

        def check(ctx: _Ctx) -> Facts:
            value = bool(ctx.household.get(arg, False))
            return value, [labels["true" if value else "false"]]

        return check

    def op_any_member(self, arg: Any, path: str, scope: str) -> Check:
        inner = self.compile(arg, path, "member")

        def check(ctx: _Ctx) -> Facts:
            found = []
            for i in ctx.subjects:
                ok, facts = inner(_Ctx(ctx.date, ctx.members, ctx.subjects, ctx.household, i))
                if ok:
                    found.append(f"{_member_label(i, ctx.members[i])}が{'・'.join(facts)}")
            return (True, found) if found else (False, ["該当する世帯員なし"])

        return check


@dataclass(frozen=True)
class _Rule:
    id: str
    name: str
    kind: str
    scope: str
    events: frozenset[str]
    check: Check
    basis: str


# ------------------------------------------------------------------------------------------
# Loading the data


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValidationFailed("ファイルがありません", source=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"JSON として読めません: {exc.msg}", source=str(path), line=exc.lineno
        ) from exc


@functools.lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    data = read_json(CATALOGUE_FILE)
    return _Catalogue(
        events=data["events"],
        periods=data["periods"],
        params=data["params"],
        member_flags=data["member_flags"],
        household_flags=data["household_flags"],
        procedures=tuple(data["procedures"]),
    )


def load_overrides(path: Path | str | None = None) -> dict[str, Any]:
    """Per-municipality overrides keyed by 団体コード (default: ``municipalities.json``)."""
    path = Path(path) if path is not None else OVERRIDES_FILE
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("municipalities", {}), dict):
        raise ValidationFailed('{"municipalities": {団体コード: {...}}} の形です', source=str(path))
    return dict(data.get("municipalities", {}))


def _compile_rule(proc: Any, path: str, compiler: _Compiler, events: Iterable[str]) -> _Rule:
    bad = compiler.bad
    if not isinstance(proc, dict):
        raise bad(path, "手続の定義はオブジェクトです")
    required = ("id", "name", "events", "condition", "basis")
    missing = [k for k in required if k not in proc]
    if missing:
        raise bad(path, f"項目 {', '.join(missing)} がありません")
    unknown = set(proc) - {*required, "kind", "scope", "note"}
    if unknown:
        raise bad(path, f"未知の項目 {', '.join(sorted(unknown))} があります")
    for key in ("id", "name", "basis"):
        if not isinstance(proc[key], str) or not proc[key].strip():
            raise bad(f"{path}.{key}", "空でない文字列です")
    kind, scope = proc.get("kind", "procedure"), proc.get("scope", "member")
    if kind not in KINDS:
        raise bad(f"{path}.kind", f"kind は {' / '.join(KINDS)} です (got {kind!r})")
    if scope not in SCOPES:
        raise bad(f"{path}.scope", f"scope は {' / '.join(SCOPES)} です (got {scope!r})")
    known_events = set(events)
    evs = proc["events"]
    if not isinstance(evs, list) or not evs or not set(evs) <= known_events:
        raise bad(
            f"{path}.events", f"events は {', '.join(known_events)} のリストです (got {evs!r})"
        )
    return _Rule(
        id=proc["id"],
        name=proc["name"],
        kind=kind,
        scope=scope,
        events=frozenset(evs),
        check=compiler.compile(proc["condition"], f"{path}.condition", scope),
        basis=proc["basis"],
    )


def _rules_for(municipality: str, entry: Any, source: str) -> tuple[_Rule, ...]:
    cat = _catalogue()
    entry = {} if entry is None else entry
    base = municipality
    if not isinstance(entry, dict) or set(entry) - {"disabled", "extra", "params", "description"}:
        raise ValidationFailed(
            "disabled / extra / params を持つオブジェクトです", field=base, source=source
        )
    params = dict(cat.params)
    new_params = entry.get("params") or {}
    if not isinstance(new_params, dict):
        raise ValidationFailed("オブジェクトです", field=f"{base}.params", source=source)
    for name, value in new_params.items():
        if name not in params:
            raise ValidationFailed(
                f"未知のパラメータです（{', '.join(params)}）",
                field=f"{base}.params.{name}",
                source=source,
            )
        if params[name] in cat.periods and value not in cat.periods:
            raise ValidationFailed(
                f"期間 {value!r} は未定義です（{', '.join(cat.periods)}）",
                field=f"{base}.params.{name}",
                source=source,
            )
        params[name] = value
    compiler = _Compiler(cat, params, source)
    procs: dict[str, _Rule] = {}
    catalogue_compiler = _Compiler(cat, params, CATALOGUE_FILE.name)
    for i, proc in enumerate(cat.procedures):
        rule = _compile_rule(proc, f"procedures[{i}]", catalogue_compiler, cat.events)
        procs[rule.id] = rule
    disabled = entry.get("disabled") or []
    if not isinstance(disabled, list):
        raise ValidationFailed("手続IDのリストです", field=f"{base}.disabled", source=source)
    for i, proc_id in enumerate(disabled):
        if proc_id not in procs:
            raise ValidationFailed(
                f"手続 {proc_id!r} はカタログにありません",
                field=f"{base}.disabled[{i}]",
                source=source,
            )
    extra = entry.get("extra") or []
    if not isinstance(extra, list):
        raise ValidationFailed("手続定義のリストです", field=f"{base}.extra", source=source)
    for i, proc in enumerate(extra):
        rule = _compile_rule(proc, f"{base}.extra[{i}]", compiler, cat.events)
        procs[rule.id] = rule  # the same id replaces the catalogue's definition
    return tuple(rule for rule in procs.values() if rule.id not in disabled)


@functools.lru_cache(maxsize=256)
def _default_rules(municipality: str) -> tuple[_Rule, ...]:
    return _rules_for(municipality, load_overrides().get(municipality), str(OVERRIDES_FILE))


# ------------------------------------------------------------------------------------------
# The PUSH list


def _subjects(event: str, date: dt.date, members: Sequence[Member]) -> list[int]:
    marked = [i for i, m in enumerate(members) if m.subject]
    if marked:
        return marked
    if event == "born":
        born = [i for i, m in enumerate(members) if m.birth_date == date]
        if not born:
            raise ValidationFailed(
                "出生の届出では出生した世帯員（生年月日＝異動日、または subject: true）が必要です",
                field="members",
            )
        return born
    if event == "died":
        raise ValidationFailed("死亡した世帯員を subject: true で示してください", field="members")
    return list(range(len(members)))


def push_list(
    *,
    event: str,
    date: dt.date,
    members: Sequence[Member],
    single_parent: bool,
    municipality: str,
    overrides: Mapping[str, Any] | None = None,
) -> list[Suggestion]:
    """The PUSH list for one household and event, in catalogue order then member order.

    ``overrides`` maps 団体コード to ``{"disabled", "extra", "params"}``; None reads
    ``municipalities.json``.
    """
    validate_lg_code(municipality, field="municipality")
    cat = _catalogue()
    if event not in cat.events:
        raise ValidationFailed(
            f"異動の種類は {', '.join(cat.events)} のいずれかです (got {event!r})", field="event"
        )
    if not members:
        raise ValidationFailed("世帯員が1人以上必要です", field="members")
    for i, m in enumerate(members):
        if m.birth_date > date:
            raise ValidationFailed(
                f"生年月日 {m.birth_date} が異動日 {date} より後です",
                field=f"members[{i}].birth_date",
            )
    if overrides is None:
        rules = _default_rules(municipality)
    else:
        rules = _rules_for(municipality, overrides.get(municipality), "overrides")
    subjects = _subjects(event, date, members)
    household = {"single_parent": single_parent}
    head = f"【{cat.events[event]}】"
    out: list[Suggestion] = []
    for rule in rules:
        if event not in rule.events:
            continue
        tail = f"：{rule.name}（{rule.basis}）"
        prefix = head + ("【参考】" if rule.kind == "information" else "")
        if rule.scope == "household":
            ok, facts = rule.check(_Ctx(date, members, subjects, household))
            if ok:
                reason = f"{prefix}世帯は{_ymd(date)}時点で{'、'.join(facts)}{tail}"
                out.append(Suggestion(rule.id, None, reason, rule.name, rule.kind))
            continue
        for i in subjects:
            ok, facts = rule.check(_Ctx(date, members, subjects, household, i))
            if ok:
                who = _member_label(i, members[i])
                reason = f"{prefix}{who}は{_ymd(date)}時点で{'、'.join(facts)}{tail}"
                out.append(Suggestion(rule.id, i, reason, rule.name, rule.kind))
    return out


# ------------------------------------------------------------------------------------------
# Parsing a request (the CLI's JSON file)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MEMBER_KEYS = {"birth_date", "nationality", "relationship", "subject"}


def _parse_date(value: Any, path: str, source: str) -> dt.date:
    try:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(
            f"日付は YYYY-MM-DD です (got {value!r})", field=path, source=source
        ) from exc


def _parse_bool(value: Any, path: str, source: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(f"true か false です (got {value!r})", field=path, source=source)
    return value


def _parse_member(
    raw: Any, path: str, date: dt.date, flag_names: frozenset[str], source: str
) -> Member:
    if not isinstance(raw, dict):
        raise ValidationFailed("オブジェクトです", field=path, source=source)
    unknown = sorted(set(raw) - _MEMBER_KEYS - flag_names)
    if unknown:
        known = ", ".join(sorted(_MEMBER_KEYS | flag_names))
        raise ValidationFailed(
            f"未知の項目です（{known}）", field=f"{path}.{unknown[0]}", source=source
        )
    if "birth_date" not in raw:
        raise ValidationFailed("必須の項目がありません", field=f"{path}.birth_date", source=source)
    birth = _parse_date(raw["birth_date"], f"{path}.birth_date", source)
    if birth > date:
        raise ValidationFailed(
            f"生年月日 {birth} が異動日 {date} より後です",
            field=f"{path}.birth_date",
            source=source,
        )
    nationality = raw.get("nationality")
    if not isinstance(nationality, str) or not re.fullmatch(r"[A-Z]{2}", nationality):
        raise ValidationFailed(
            f"国籍は ISO 3166-1 alpha-2 の2文字（例 JP）です (got {nationality!r})",
            field=f"{path}.nationality",
            source=source,
        )
    relationship = raw.get("relationship", "")
    if not isinstance(relationship, str):
        raise ValidationFailed("文字列です", field=f"{path}.relationship", source=source)
    flags = {
        name: _parse_bool(raw[name], f"{path}.{name}", source) for name in flag_names if name in raw
    }
    subject = raw.get("subject")
    if subject is not None:
        subject = _parse_bool(subject, f"{path}.subject", source)
    return Member(birth, nationality, relationship, flags, subject)


def parse_request(data: Any, *, source: str) -> dict[str, Any]:
    """Validate a request object and return keyword arguments for :func:`push_list`.

    Errors name ``source`` and the JSON path (e.g. ``members[1].birth_date``).
    """
    cat = _catalogue()
    if not isinstance(data, dict):
        raise ValidationFailed("JSON オブジェクトが必要です", source=source)
    allowed = {"event", "date", "municipality", "single_parent", "members"}
    for key in ("event", "date", "municipality", "members"):
        if key not in data:
            raise ValidationFailed("必須の項目がありません", field=key, source=source)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationFailed("未知の項目です", field=unknown[0], source=source)
    event = data["event"]
    if event not in cat.events:
        raise ValidationFailed(
            f"異動の種類は {', '.join(cat.events)} のいずれかです (got {event!r})",
            field="event",
            source=source,
        )
    date = _parse_date(data["date"], "date", source)
    municipality = validate_lg_code(data["municipality"], field="municipality", source=source)
    single_parent = _parse_bool(data.get("single_parent", False), "single_parent", source)
    raw_members = data["members"]
    if not isinstance(raw_members, list) or not raw_members:
        raise ValidationFailed("世帯員のリスト（1人以上）です", field="members", source=source)
    flag_names = frozenset(cat.member_flags)
    members = [
        _parse_member(raw, f"members[{i}]", date, flag_names, source)
        for i, raw in enumerate(raw_members)
    ]
    return {
        "event": event,
        "date": date,
        "members": members,
        "single_parent": single_parent,
        "municipality": municipality,
    }
