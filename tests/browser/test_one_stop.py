"""The one-stop counter (総合窓口) in a real browser, end to end (issue 4 §6):
転入 entry → the PUSH list with reasons → the clerk's answers and ticks → one acceptance that
applies 国保 → one PDF with every ticked application pre-filled.

The hub's dispatcher runs in between, as the worker process would.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.db import connection

from kyodo.atena.models import Person
from kyodo.platform.models import AuditRecord
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.kokuho.models import Shikaku
from tests.browser.conftest import ARGS, CHROMIUM, Server, log_in

ROLES = ("atena.view", "juki.change", "madoguchi.change", "madoguchi.issue", "kokuho.change")
FAMILY = [
    ("山田", "太郎", "ヤマダ", "タロウ", "S56.5.1", "M", "世帯主"),
    ("山田", "花子", "ヤマダ", "ハナコ", "1983-02-10", "F", "妻"),
    ("山田", "一郎", "ヤマダ", "イチロウ", "H22.7.7", "M", "子"),
]


def _in_thread(work: Callable[[], Any]) -> Any:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def _atena_nos(code: str) -> dict[str, int]:
    try:
        with tenant_scope(code):
            return dict(Person.objects.values_list("given_name", "atena_no"))
    finally:
        connection.close()  # the thread's own connection


def test_move_in_push_list_tick_accept_and_print(
    start_server: Callable[..., Server], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    server = start_server(ROLES)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, server)

        # 転入 entry, reached with Alt+N.
        page.keyboard.press("Alt+n")
        page.keyboard.press("Enter")
        page.wait_for_selector("#move-in-form")
        page.fill("#id_moved_on", "R8.11.16")
        page.fill("#id_notified_on", "R8.11.16")
        page.fill("#id_postal_code", "939-0341")
        page.fill("#id_town", "本町")
        page.fill("#id_banchi", "1-2-3")
        page.fill("#id_previous_address", "東京都千代田区霞が関二丁目1番2号")
        for i, (family, given, fk, gk, birth, sex, rel) in enumerate(FAMILY):
            page.fill(f"#id_m-{i}-family_name", family)
            page.fill(f"#id_m-{i}-given_name", given)
            page.fill(f"#id_m-{i}-family_kana", fk)
            page.fill(f"#id_m-{i}-given_kana", gk)
            page.fill(f"#id_m-{i}-birth_date", birth)
            page.select_option(f"#id_m-{i}-sex", sex)
            page.fill(f"#id_m-{i}-relationship", rel)
        page.click("#move-in-submit")

        # Straight on to the PUSH list, every procedure with its reason.
        page.wait_for_selector("#push-list")
        assert "転入を記録しました" in page.text_content("main")
        listed = page.text_content("#push-list")
        assert "国民健康保険 資格取得の届出" in listed and "児童手当" in listed
        assert "世帯員3（子・2010年7月7日生）" in listed  # which member, and why
        assert "国民年金" in listed  # the head and his wife are 20–59, no 厚生年金 yet

        # The worker process delivers the 転入 to 国保: each member now has a pending 取得.
        worker = subprocess.run(
            [str(Path(sys.executable).with_name("kyodo")), "linkage", "dispatch", "--once"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert '"delivered": 0' not in worker.stdout, worker.stdout
        page.reload()
        assert page.text_content("#push-list").count("取得確認待ち") == 3

        # The wife works for a company: employee insurance and pension. Re-judge by keyboard.
        # (Playwright's sync API runs an event loop here: the ORM goes to a plain thread.)
        no = _in_thread(lambda: _atena_nos(server.tenant_code))
        page.focus(f"#ei-{no['花子']}")
        page.keyboard.press("Space")
        page.focus(f"#ep-{no['花子']}")
        page.keyboard.press("Space")
        page.click("#rejudge")
        page.wait_for_selector("#push-list")
        rows = page.locator("#push-list tbody tr")
        keys = [
            rows.nth(i).locator("input[name=p]").get_attribute("value") for i in range(rows.count())
        ]
        assert f"kokuho.enroll:{no['花子']}" not in keys
        assert f"nenkin.kanyu:{no['花子']}" not in keys
        assert f"kokuho.enroll:{no['太郎']}" in keys

        # The clerk unticks the head's 国民年金 (he will come back with his pension book).
        page.uncheck(f"input[name=p][value='nenkin.kanyu:{no['太郎']}']")
        page.click("#accept")
        page.wait_for_selector("#applications-pdf")
        main = page.text_content("main")
        assert "山田　太郎 さんの国保の資格取得を記録しました" in main
        assert "山田　一郎 さんの国保の資格取得を記録しました" in main
        href = page.get_attribute("#applications-pdf", "href")
        pdf = page.request.get(server.base + href)  # type: ignore[operator]
        assert pdf.headers["content-type"] == "application/pdf"
        (tmp_path / "applications.pdf").write_bytes(pdf.body())
        browser.close()

    with tenant_scope(server.tenant_code):
        status = dict(Shikaku.objects.values_list("atena_no", "status"))
        assert status[no["太郎"]] == status[no["一郎"]] == "active"
        assert status[no["花子"]] == "pending"  # not ticked: she has employee insurance
        assert AuditRecord.objects.filter(object_type="madoguchi.applications").count() == 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "applications.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = "".join(text.split())
    assert "国民健康保険資格取得の届出" in flat and "児童手当" in flat
    assert "山田太郎" in flat and "山田一郎" in flat and "ヤマダイチロウ" in flat
    assert "昭和56年5月1日" in flat and "平成22年7月7日" in flat
    assert "939-0341" in flat and "本町1-2-3" in flat
    assert "記録済み" in flat
    assert "国民年金" not in flat  # unticked
    assert "rules.md" not in flat  # our internal notes are not printed for residents
