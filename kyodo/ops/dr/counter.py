"""The down-recovery counter: search and issue 住民票の写し from the file alone — no Kyodo
server, no PostgreSQL. Every issue is numbered and recorded in the file (merged into the audit
trail when the main site is back: ``kyodo dr merge``), and every certificate and screen says
how fresh its data is."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyodo.ops.dr import entries, schema
from kyodo.units.juki.certificates import Certificate, CertificateKind, Layout, Options, render_pdf

ITEMS = {"zokugara": "setainushi_zokugara", "honseki": "honseki"}
BLOCKED = (
    "宛名番号 {atena_no} は支援措置・抑止の対象です：ダウンリカバリでは発行できません"
    "（本番システムの復旧後に、確認のうえ発行してください）"
)
NOT_FOUND = "宛名番号 {atena_no} の住民票はこのファイルにありません（現に住民である人だけです）"
REQUIRED = "請求者と使用目的は必須です"
UNKNOWN_ITEM = "任意項目 {item} はダウンリカバリでは選べません（zokugara, honseki）"


JST = dt.timezone(dt.timedelta(hours=9))


class DrError(Exception):
    """A refusal, in words for the clerk."""


@dataclass(frozen=True)
class Issued:
    issue_no: str
    pdf: bytes
    atena_nos: list[int]


def _katakana(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace(" ", "").replace("　", "")
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


class Counter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = schema.connect(path)
        self.conn.row_factory = sqlite3.Row
        self.meta = schema.meta(self.conn)
        if self.meta.get("format") != schema.FORMAT:
            raise DrError(f"{path} はダウンリカバリ用ファイルではありません")

    @property
    def data_as_of(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.meta["data_as_of"])

    def freshness(self) -> str:
        """'…時点のデータ' in Japan time, printed on every certificate and screen."""
        jst = self.data_as_of.astimezone(JST)
        return (
            f"ダウンリカバリ：{jst.year}年{jst.month}月{jst.day}日 "
            f"{jst.hour:02d}時{jst.minute:02d}分 時点のデータ"
        )

    @property
    def municipality(self) -> str:
        return f"{self.meta['prefecture']}{self.meta['tenant_name']}"

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        text = text.strip()
        if text.isdigit():
            rows = self.conn.execute("SELECT * FROM person WHERE atena_no = ?", [int(text)])
        else:
            rows = self.conn.execute(
                "SELECT * FROM person WHERE kana LIKE ? ORDER BY kana, birth_date LIMIT ?",
                [_katakana(text) + "%", limit],
            )
        return [dict(r) for r in rows]

    def household(self, atena_no: int) -> list[dict[str, Any]]:
        person = self.conn.execute(
            "SELECT household_no FROM person WHERE atena_no = ?", [atena_no]
        ).fetchone()
        if person is None:
            raise DrError(NOT_FOUND.format(atena_no=atena_no))
        rows = self.conn.execute(
            "SELECT * FROM person WHERE household_no = ? ORDER BY sort_key", [person[0]]
        )
        return [dict(r) for r in rows]

    def issue(
        self,
        atena_no: int,
        *,
        requester: str,
        purpose: str,
        clerk: str,
        household: bool = False,
        with_items: list[str] | None = None,
        today: dt.date | None = None,
    ) -> Issued:
        if not requester.strip() or not purpose.strip():
            raise DrError(REQUIRED)
        items = with_items or []
        for item in items:
            if item not in ITEMS:
                raise DrError(UNKNOWN_ITEM.format(item=item))
        members = self.household(atena_no)
        printed = members if household else [m for m in members if m["atena_no"] == atena_no]
        for member in printed:
            if member["blocked"]:
                raise DrError(BLOCKED.format(atena_no=member["atena_no"]))
        today = today or dt.datetime.now(JST).date()
        now = dt.datetime.now(dt.UTC)
        self.conn.execute("BEGIN IMMEDIATE")  # the number and its record, together
        try:
            count = self.conn.execute(
                "SELECT count(*) FROM issue WHERE issue_no LIKE ?", [f"DR{today.year}-%"]
            ).fetchone()[0]
            issue_no = f"DR{today.year}-{count + 1:05d}"
            head = printed[0]
            certificate = Certificate(
                kind=CertificateKind.JUMINHYO,
                layout=Layout.SETAI_RENKI if household else Layout.KOJIN,
                options=Options(**{ITEMS[i]: True for i in items}),
                municipality=self.municipality,
                mayor=self.meta["mayor"],
                address=f"{self.municipality}{head['address']}",
                setainushi=head["setainushi"],
                persons=[entries.from_json(m["entry"]) for m in printed],
                issue_no=issue_no,
                issued_on=today,
                remark=self.freshness(),
            )
            pdf = render_pdf([certificate])
            self.conn.execute(
                "INSERT INTO issue (issue_no, issued_at, kind, atena_nos, options, requester,"
                " purpose, clerk, data_as_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [issue_no, now.isoformat(), "juminhyo",
                 json.dumps([m["atena_no"] for m in printed]), json.dumps(sorted(items)),
                 requester, purpose, clerk, self.meta["data_as_of"]],
            )  # fmt: skip
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return Issued(issue_no, pdf, [m["atena_no"] for m in printed])
