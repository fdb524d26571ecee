"""The down-recovery file: one SQLite database, readable without Kyodo's servers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

FORMAT = "kyodo-dr/1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS person (
    atena_no INTEGER PRIMARY KEY,
    household_no INTEGER NOT NULL,
    kana TEXT NOT NULL,          -- 氏名の振り仮名, for the search
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    address TEXT NOT NULL,       -- 住所 (方書 included), without the municipality
    setainushi TEXT NOT NULL,
    sort_key TEXT NOT NULL,      -- order within the household (続柄, birth)
    blocked INTEGER NOT NULL,    -- 支援措置・抑止 in force: not issued here
    entry TEXT NOT NULL          -- the certificate entry (JSON)
);
CREATE INDEX IF NOT EXISTS person_household ON person (household_no);
CREATE INDEX IF NOT EXISTS person_kana ON person (kana);
CREATE TABLE IF NOT EXISTS issue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_no TEXT NOT NULL UNIQUE,
    issued_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    atena_nos TEXT NOT NULL,     -- JSON list
    options TEXT NOT NULL,       -- JSON list
    requester TEXT NOT NULL,
    purpose TEXT NOT NULL,
    clerk TEXT NOT NULL,
    data_as_of TEXT NOT NULL,
    merged_at TEXT              -- when it was written into the main audit trail
);
"""


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    if not create and not path.is_file():
        raise FileNotFoundError(f"ダウンリカバリ用ファイルがありません: {path}")
    # Explicit BEGIN … COMMIT; one request at a time (wsgiref), maybe not on the opening thread.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(SCHEMA)
    return conn


def meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())
