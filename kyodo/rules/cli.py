"""``kyodo calc <calculator> --json FILE``: the pure calculators on the command line.

``kyodo/__main__.py`` hands ``calc`` here before Django is loaded, so a calculation needs no
settings, database or keys. The result is pretty JSON on stdout (exit 0). Bad input prints one
line per problem on stderr — the file, the JSON path of the field and the reason — and exits 2
with nothing on stdout; a broken law data file (a defect of ours, not of the input) exits 1.

A calculator plugs in with one entry in :data:`CALCULATORS`: the dotted path of a function that
takes the parsed JSON and returns a JSON-ready dict, raising
:class:`~kyodo.rules.inputs.InputError` for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from kyodo.rules.inputs import InputError
from kyodo.rules.lawdata import LawDataError

__all__ = ["CALCULATORS", "Calculator", "main"]

EXIT_OK, EXIT_DATA, EXIT_INPUT = 0, 1, 2
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Calculator:
    help: str
    function: str  # "package.module:function"

    def load(self) -> Callable[[Any], dict[str, Any]]:
        module, _, name = self.function.partition(":")
        function: Callable[[Any], dict[str, Any]] = getattr(importlib.import_module(module), name)
        return function


# Later calculators (kokuho, kotei, keiji, entaikin) are one line each.
CALCULATORS: dict[str, Calculator] = {
    "juminzei": Calculator(
        "個人住民税（市町村民税・道府県民税の所得割と均等割、森林環境税）",
        "kyodo.rules.juminzei:calculate",
    ),
    "kokuho": Calculator("国民健康保険税（4区分、法定軽減）", "kyodo.rules.kokuho:calculate"),
    "kotei": Calculator("固定資産税・都市計画税（土地・家屋）", "kyodo.rules.kotei:calculate"),
    "keiji": Calculator("軽自動車税 種別割", "kyodo.rules.keiji:calculate"),
    "entaikin": Calculator("延滞金（地方税）", "kyodo.rules.entaikin:calculate"),
    # Not law, but the same kind of pure calculation: also ``kyodo alloc`` (issue 8).
    "alloc": Calculator(
        "協議会の費用按分（均等割・人口割・業務数割、一時経費、最低削減率）",
        "kyodo.rules.alloc:calculate",
    ),
}


class _BadFile(Exception):
    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json would keep the last of two equal keys without a word; in a tax input that is a
    # silently changed amount.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _BadFile("", f"項目 {key!r} が同じオブジェクトに2回あります")
        seen[key] = value
    return seen


def _no_constants(text: str) -> Any:
    raise _BadFile("", f"{text} は数値として使えません")


def read_json(path: str, stdin: BinaryIO) -> tuple[str, Any]:
    """(the name to report, the parsed JSON) of FILE or ``-`` (stdin)."""
    name = STDIN_NAME if path == "-" else path
    try:
        raw = stdin.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise _BadFile(name, "ファイルがありません") from None
    except IsADirectoryError:
        raise _BadFile(name, "フォルダです（JSONファイルを指定してください）") from None
    except OSError as error:
        raise _BadFile(name, f"読めません（{error.strerror}）") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _BadFile(name, f"UTF-8 のテキストではありません（{error.start}バイト目）") from None
    if not text.strip():
        raise _BadFile(name, "空です（JSONオブジェクトが必要です）")
    try:
        data = json.loads(
            text,
            parse_float=Decimal,  # 0.06 stays exactly 0.06
            parse_constant=_no_constants,
            object_pairs_hook=_no_duplicates,
        )
    except json.JSONDecodeError as error:
        raise _BadFile(
            f"{name}, line {error.lineno}, column {error.colno}",
            f"JSONとして読めません（{error.msg}）",
        ) from None
    except _BadFile as error:
        raise _BadFile(name, error.reason) from None
    return name, data


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="法令データ（kyodo/rules/data）による税額計算。結果と全ての計算過程をJSONで出力する。",
    )
    commands = parser.add_subparsers(dest="calculator", required=True, metavar="CALCULATOR")
    for name, calculator in CALCULATORS.items():
        command = commands.add_parser(name, help=calculator.help, description=calculator.help)
        command.add_argument(
            "--json", required=True, metavar="FILE", help="入力JSONファイル（- なら標準入力）"
        )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "kyodo calc",
    stdin: BinaryIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = _parser(prog).parse_args(list(sys.argv[1:] if argv is None else argv))
    label = f"{prog} {args.calculator}"
    try:
        name, data = read_json(args.json, stdin)
    except _BadFile as error:
        print(f"{label}: 入力ファイルを読めません", file=stderr)
        print(f"  {error.where}: {error.reason}", file=stderr)
        return EXIT_INPUT
    try:
        result = CALCULATORS[args.calculator].load()(data)
    except InputError as error:
        print(f"{label}: 入力が不正です（{len(error.problems)}件）", file=stderr)
        for problem in error.problems:
            field = f", field '{problem.path}'" if problem.path else ""
            print(f"  {name}{field}: {problem.reason}", file=stderr)
        return EXIT_INPUT
    except LawDataError as error:
        print(f"{label}: 法令データの不備です（入力ではなくデータの問題）", file=stderr)
        print(f"  {error}", file=stderr)
        return EXIT_DATA
    stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
