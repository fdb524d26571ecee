"""``kyodo dr serve``: the down-recovery counter as a small read-only web page (standard
library WSGI, no Django database): search, a household, issue a 住民票の写し as PDF. Every
page says how fresh its data is. Keyboard first: the search box has focus, Enter submits."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from kyodo.ops.dr.counter import Counter, DrError

Start = Callable[[str, list[tuple[str, str]]], Any]
STYLE = """
body{font-family:"Noto Sans JP",sans-serif;margin:0;color:#1a1a1c;line-height:1.7}
header{background:#0031d8;color:#fff;padding:12px 24px}
.fresh{background:#fff4e5;border-left:6px solid #c16800;padding:12px 24px;font-weight:bold}
main{padding:16px 24px;max-width:960px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:6px 8px}
input[type=text]{font-size:1rem;padding:6px 8px;border:1px solid #767676;border-radius:6px}
button{font-size:1rem;padding:8px 20px;background:#0031d8;color:#fff;border:0;border-radius:8px}
:focus-visible{outline:3px solid #ffd43d;outline-offset:2px}
.error{color:#ec0000;font-weight:bold}
"""


def application(counter: Counter, clerk: str) -> Callable[[dict[str, Any], Start], Iterable[bytes]]:
    def app(environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        try:
            if path == "/" and environ["REQUEST_METHOD"] == "GET":
                return _page(start, counter, _search(counter, query.get("q", "")))
            if path.startswith("/person/"):
                return _page(start, counter, _household(counter, int(path.rsplit("/", 1)[1])))
            if path == "/issue" and environ["REQUEST_METHOD"] == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                form = parse_qs(environ["wsgi.input"].read(size).decode("utf-8"))
                field = {k: v[0] for k, v in form.items()}
                issued = counter.issue(
                    int(field["atena_no"]),
                    requester=field.get("requester", ""),
                    purpose=field.get("purpose", ""),
                    clerk=clerk,
                    household=field.get("household") == "1",
                    with_items=form.get("with", []),
                )
                disposition = f'inline; filename="{issued.issue_no}.pdf"'
                start(
                    "200 OK",
                    [("Content-Type", "application/pdf"), ("Content-Disposition", disposition)],
                )
                return [issued.pdf]
        except DrError as exc:
            return _page(
                start,
                counter,
                f'<p class="error" role="alert">{html.escape(str(exc))}</p>',
                "400 Bad Request",
            )
        except (KeyError, ValueError):
            return _page(
                start,
                counter,
                '<p class="error" role="alert">入力が正しくありません</p>',
                "400 Bad Request",
            )
        return _page(start, counter, "<p>ページがありません</p>", "404 Not Found")

    return app


BAD = "400 Bad Request"


def _error(text: str) -> str:
    return f'<p class="error" role="alert">{html.escape(text)}</p>'


def _page(start: Start, counter: Counter, body: str, status: str = "200 OK") -> list[bytes]:
    start(status, [("Content-Type", "text/html; charset=utf-8")])
    text = (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>ダウンリカバリ窓口 — {html.escape(counter.municipality)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<header>{html.escape(counter.municipality)} ダウンリカバリ窓口（住民票の写し）</header>"
        f'<p class="fresh" role="status">{html.escape(counter.freshness())}。'
        "これより後の異動は反映されていません。</p>"
        f'<main><form action="/" method="get"><label>宛名番号または氏名のカナ '
        '<input type="text" name="q" autofocus accesskey="s"></label> <button>検索</button></form>'
        f"{body}</main></body></html>"
    )
    return [text.encode("utf-8")]


def _search(counter: Counter, q: str) -> str:
    if not q:
        return ""
    rows = counter.search(q)
    if not rows:
        return f"<p>「{html.escape(q)}」に当たる住民はいません</p>"
    lines = "".join(
        f'<tr><td><a href="/person/{r["atena_no"]}">{r["atena_no"]}</a></td>'
        f"<td>{html.escape(r['name'])}</td><td>{html.escape(r['kana'])}</td>"
        f"<td>{r['birth_date']}</td><td>{html.escape(r['address'])}</td></tr>"
        for r in rows
    )
    return ("<table><caption>検索結果</caption><tr><th>宛名番号</th><th>氏名</th><th>カナ</th>"
            f"<th>生年月日</th><th>住所</th></tr>{lines}</table>")  # fmt: skip


def _household(counter: Counter, atena_no: int) -> str:
    members = counter.household(atena_no)
    lines = "".join(
        f"<tr><td>{m['atena_no']}</td><td>{html.escape(m['name'])}</td><td>{m['birth_date']}</td>"
        f"<td>{'支援措置等（発行不可）' if m['blocked'] else ''}</td></tr>"
        for m in members
    )
    return (
        f"<h1>世帯（{html.escape(members[0]['address'])}）</h1><table><tr><th>宛名番号</th>"
        f"<th>氏名</th><th>生年月日</th><th></th></tr>{lines}</table>"
        '<form action="/issue" method="post"><h2>住民票の写しを発行</h2>'
        f'<input type="hidden" name="atena_no" value="{atena_no}">'
        '<p><label><input type="checkbox" name="household" value="1"> 世帯全員</label> '
        '<label><input type="checkbox" name="with" value="zokugara"> 世帯主・続柄</label> '
        '<label><input type="checkbox" name="with" value="honseki"> 本籍・筆頭者</label></p>'
        '<p><label>請求者 <input type="text" name="requester" required></label> '
        '<label>使用目的 <input type="text" name="purpose" required></label></p>'
        "<button>発行する</button></form>"
    )
