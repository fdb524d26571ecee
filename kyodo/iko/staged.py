"""The fast path of ``kyodo import``: each file is COPYed as it is into a temporary staging
table of text columns; one SQL pass finds what the database would accept but we must not
(required text left empty, values outside a code table, wrong check digits, items over 1 MiB);
secrets are checked and encrypted in Python; then one ``INSERT … SELECT`` casts every column
into its table, where types, lengths, keys and (immediate) foreign keys check the rest.
PostgreSQL does the work, row by row in C.

When PostgreSQL refuses a file — broken CSV, an undecodable byte, a value that does not cast,
a duplicate key, a dangling reference — the caller runs the row-by-row checker of
:mod:`kyodo.iko.load` on that file instead, which names every bad line. A line here is the
record's number plus one (the header): our files carry no line breaks inside items.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from kyodo.atena.mynumber import is_valid_my_number
from kyodo.iko.registry import Item, Layout
from kyodo.platform.crypto import blind_index, encrypt

PG_ENCODINGS = {"utf-8": "UTF8", "cp932": "SJIS"}
FIELD_BYTES = 1 << 20  # one item may hold at most 1 MiB
SECRET_CHUNK = 20_000
MY_NUMBER = "my_number"  # the kind of secret (a check), not a secret


class Refused(Exception):
    """PostgreSQL refused the file (COPY or the cast): check it row by row instead."""


@dataclass(frozen=True)
class Staging:
    """One file in its staging table: the columns in the file's order."""

    layout: Layout
    table: str
    items: tuple[Item, ...]

    def col(self, item: Item) -> str:
        return f"c{self.items.index(item)}"

    def by_column(self, column: str) -> str:
        return self.col(next(i for i in self.items if i.column == column))


def header(path: Path, encoding: str) -> list[str]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        return next(csv.reader(text), [])


def stage(layout: Layout, items: list[Item], path: Path, encoding: str, n: int) -> Staging:
    """COPY the file into ``iko_<n>``; Refused when PostgreSQL cannot read it."""
    staging = Staging(layout, f"iko_{n}", tuple(items))
    columns = ", ".join(f"c{k} text" for k in range(len(items)))
    copy_columns = ", ".join(f"c{k}" for k in range(len(items)))
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            f"CREATE TEMP TABLE {staging.table} (line bigint GENERATED ALWAYS AS IDENTITY"
            f" (START WITH 2) PRIMARY KEY, {columns}) ON COMMIT DROP"
        )
        try:
            cursor.execute("SAVEPOINT iko_copy")
            sql = (
                f"COPY {staging.table} ({copy_columns}) FROM STDIN"
                f" (FORMAT csv, HEADER true, ENCODING '{PG_ENCODINGS[encoding]}')"
            )
            with path.open("rb") as data, cursor.copy(sql) as copy:
                while block := data.read(1 << 20):
                    copy.write(block)
            cursor.execute("RELEASE SAVEPOINT iko_copy")
        except Exception as exc:  # any refusal: the precise checker explains it
            cursor.execute("ROLLBACK TO SAVEPOINT iko_copy")
            raise Refused(str(exc)) from exc
    return staging


def _checks(s: Staging) -> Iterator[tuple[str, str, str]]:
    """(item name, SQL condition of a bad value, the reason as an SQL expression): what the
    INSERT's casts and constraints cannot see — required text, code tables, check digits,
    items too large (types, lengths of limited text, keys and references the INSERT sees)."""
    for item in s.items:
        c = s.col(item)
        if item.kind == "text" and item.required and not item.blank:
            yield item.name, f"coalesce({c}, '') = ''", "'必須の項目です（空です）'"
        if item.choices is not None:
            codes = _literal("、".join(list(item.choices)[:12]))
            yield (
                item.name,
                f"coalesce({c}, '') <> '' AND {c} <> ALL({_literal_array(list(item.choices))})",
                f"'コード表にない値です: ''' || left({c}, 20) || '''"
                f"（使える値: ' || {codes} || '）'",
            )
        if item.kind in ("text", "json") and item.max_length is None:
            yield (
                item.name,
                f"octet_length({c}) > {FIELD_BYTES}",
                f"'項目が大きすぎます（' || octet_length({c}) || ' バイト、"
                f"上限 {FIELD_BYTES} バイト）'",
            )
        if item.check == "m11w27":
            yield (
                item.name,
                f"CASE WHEN {c} ~ '^[0-9]{{2,19}}$' THEN {_m11w27(c)} ELSE false END",
                f"'検査数字（M11W2–7、末尾の1桁）が合いません: ' || {c}",
            )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _literal_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(_literal(v) for v in values) + "]::text[]"


def _m11w27(c: str) -> str:
    """True when the last digit of ``c`` is not the M11W2–7 check digit of the rest."""
    body = f"left({c}, -1)"
    total = (
        f"(SELECT sum(substr(reverse({body}), i + 1, 1)::int * (2 + mod(i, 6)))"
        f" FROM generate_series(0, char_length({body}) - 1) AS i)"
    )
    digit = f"(CASE WHEN mod({total}, 11) <= 1 THEN 0 ELSE 11 - mod({total}, 11) END)"
    return f"right({c}, 1)::int <> {digit}"


def problems(s: Staging) -> Iterator[tuple[int, str, str]]:
    """The bad values the database would accept, in one pass over the staged file: the rows
    where any check fails, then an "item<TAB>reason" per failed check of such a row."""
    checks = list(_checks(s))
    if not checks:
        return
    any_bad = " OR ".join(f"({condition})" for _n, condition, _r in checks)
    found = ", ".join(
        f"CASE WHEN {condition} THEN {_literal(name)} || chr(9) || {reason} END"
        for name, condition, reason in checks
    )
    sql = (
        "SELECT line, split_part(x, chr(9), 1), split_part(x, chr(9), 2)"
        f" FROM (SELECT line, ARRAY[{found}] AS a FROM {s.table} WHERE {any_bad}) bad,"
        " unnest(a) AS x WHERE x IS NOT NULL ORDER BY 1"
    )
    # A server-side cursor: a badly broken file of a million rows stays out of memory.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(10_000):
            for line, item, reason in batch:
                yield int(line), str(item), str(reason)


def count(s: Staging) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {s.table}")
        return int(cursor.fetchone()[0])


CASTS = {
    "int": "bigint",
    "decimal": "numeric",
    "date": "date",
    "datetime": "timestamptz",
    "bool": "boolean",
    "json": "jsonb",
}


def secrets(s: Staging) -> Iterator[tuple[int, str, str]]:
    """Check each secret (個人番号: its check digit) and stage it encrypted with its blind
    index; yields the problems. The staging table gains the columns ``enc_<c>``/``idx_<c>``."""
    for item in s.items:
        if not item.secret:
            continue
        c = s.col(item)
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            cursor.execute(
                f"ALTER TABLE {s.table} ADD COLUMN enc_{c} text, ADD COLUMN idx_{c} text"
            )
            cursor.execute(f"SELECT min(line), max(line) FROM {s.table}")
            low, high = cursor.fetchone()
            if low is None:
                continue
            cursor.execute(
                f"CREATE TEMP TABLE {s.table}_{c} (line bigint, enc text, idx text) ON COMMIT DROP"
            )
            for start in range(low, high + 1, SECRET_CHUNK):
                cursor.execute(
                    f"SELECT line, {c} FROM {s.table} WHERE line >= %s AND line < %s"
                    f" AND coalesce({c}, '') <> ''",
                    [start, start + SECRET_CHUNK],
                )
                rows = cursor.fetchall()
                with cursor.copy(f"COPY {s.table}_{c} FROM STDIN") as copy:
                    for line, clear in rows:
                        if item.secret == MY_NUMBER and not is_valid_my_number(clear):
                            yield (
                                line,
                                item.name,
                                ("個人番号は半角数字12桁で、検査用数字（12桁目）が合うものです"),
                            )
                            continue
                        copy.write_row(
                            (line, encrypt(clear), blind_index(clear, purpose=item.column))
                        )
            cursor.execute(
                f"UPDATE {s.table} s SET enc_{c} = e.enc, idx_{c} = e.idx"
                f" FROM {s.table}_{c} e WHERE e.line = s.line"
            )


def insert(s: Staging, tenant: str) -> None:
    """Move the staged rows into their table, casting each column; Refused on a bad cast."""
    targets = ["tenant_id"]
    values = ["%s"]
    for item in s.items:
        c = s.col(item)
        targets.append(f'"{item.column}"')
        if item.secret:
            values.append(f"coalesce(enc_{c}, '')")
        elif item.kind == "text":
            values.append(f"coalesce({c}, '')")
        else:
            values.append(f"nullif({c}, '')::{CASTS[item.kind]}")
    for index_column, secret_column in s.layout.index.items():
        secret = next(i for i in s.items if i.column == secret_column)
        targets.append(f'"{index_column}"')
        values.append(f"coalesce(idx_{s.col(secret)}, '')")
    sql = (
        f"INSERT INTO {s.layout.table} ({', '.join(targets)})"
        f" SELECT {', '.join(values)} FROM {s.table} ORDER BY line"
    )
    with connection.cursor() as cursor:
        try:
            cursor.execute("SAVEPOINT iko_insert")
            cursor.execute(sql, [tenant])
            cursor.execute("RELEASE SAVEPOINT iko_insert")
        except Exception as exc:  # the precise checker explains it
            cursor.execute("ROLLBACK TO SAVEPOINT iko_insert")
            raise Refused(str(exc)) from exc
