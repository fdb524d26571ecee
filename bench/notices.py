"""Benchmark: 個人住民税の通知書 as print-ready PDF (issue 5: notices ≥ 100 pages/s).

Renders N one-page notices (default 3,000) with the production renderer
(``kyodo.units.zei_kojin.notices.render``: IPAmj明朝, names with 異体字, 12 installment rows),
in files of 1,000 as the bulk printer writes them. The same-run baseline is reportlab writing
the same number of pages with the same font and the same amount of text in one plain
``drawString`` per line (no layout, no table, no IVS shaping): the floor of the PDF library on
this machine, so the ratio shows what our layout costs.

Pure (no database): ``.venv/bin/python bench/notices.py`` or ``bench/run.sh notices``.
Environment: KYODO_BENCH_NOTICES (default 3,000).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from kyodo.printing.fonts import mincho
from kyodo.units.zei_kojin.notices import Notice, render

N = int(os.environ.get("KYODO_BENCH_NOTICES", "3000"))
PER_FILE = 1000
FAMILY = ["山田", "佐藤", "鈴木", "葛\U000e0100城", "髙橋", "渡邉", "齋藤", "𠮷田"]
GIVEN = ["太郎", "花子", "一郎", "ウメ", "次郎", "美咲"]


def notices(n: int) -> list[Notice]:
    rng = random.Random(1)
    out = []
    for i in range(n):
        total = rng.randrange(5_000, 400_000, 100)
        months = tuple(
            (f"{m}月分", f"納期限 令和{8 if m >= 6 else 9}年{m % 12 + 1}月10日", total // 12)
            for m in (6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5)
        )
        out.append(
            Notice(
                kind="tokucho",
                notice_no=f"2026{i:012d}",
                fiscal_year=2026,
                municipality="射水市",
                prefecture="富山県",
                postal_code=f"939-{rng.randrange(10000):04d}",
                address=f"富山県射水市本町{rng.randrange(1, 9)}-{rng.randrange(1, 30)}",
                name=f"{rng.choice(FAMILY)}　{rng.choice(GIVEN)}",
                atena_no=100000 + i,
                so_shotoku=3_560_000,
                kojo=1_590_000,
                kazei_hyojun=1_970_000,
                city_shotokuwari=113_700,
                city_kintouwari=3_000,
                pref_shotokuwari=75_800,
                pref_kintouwari=1_000,
                forest_env_tax=1_000,
                total=total,
                installments=months,
                issued_on=dt.date(2026, 5, 15),
                payer_name="1001",
            )
        )
    return out


def baseline(items: list[Notice]) -> int:
    font = mincho()
    size = 0
    for start in range(0, len(items), PER_FILE):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
        for n in items[start : start + PER_FILE]:
            canvas.setFont(font.fontName, 10)
            lines = [n.address, n.name, n.notice_no] + [
                f"{a} {b} {c:,}" for a, b, c in n.installments
            ]
            lines += [
                f"{k} {v:,}" for k, v in (("所得割", n.city_shotokuwari), ("合計", n.total))
            ] * 5
            for row, line in enumerate(lines):
                canvas.drawString(50, 800 - 20 * row, line)
            canvas.showPage()
        canvas.save()
        size += len(buffer.getvalue())
    return size


def production(items: list[Notice]) -> int:
    return sum(len(render(items[s : s + PER_FILE])) for s in range(0, len(items), PER_FILE))


def main() -> None:
    items = notices(N)
    mincho()  # load the font once, as a long-running batch does
    production(items[:50])
    t0 = time.perf_counter()
    base_bytes = baseline(items)
    t1 = time.perf_counter()
    prod_bytes = production(items)
    t2 = time.perf_counter()
    base_rate, prod_rate = N / (t1 - t0), N / (t2 - t1)
    kib = prod_bytes / N / 1024
    print(
        f"notices: {N:,} pages in {t2 - t1:.2f} s = {prod_rate:,.0f} pages/s ({kib:.1f} KiB/page)"
    )
    kib = base_bytes / N / 1024
    print(
        f"baseline (plain drawString): {t1 - t0:.2f} s = {base_rate:,.0f} pages/s ({kib:.1f} KiB)"
    )
    verdict = "met" if prod_rate >= 100 else "NOT met"
    print(f"ratio production/baseline: {(t2 - t1) / (t1 - t0):.2f}x; ≥ 100 pages/s: {verdict}")


if __name__ == "__main__":
    main()
