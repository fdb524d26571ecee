"""The counter in a real browser: Playwright drives Debian's chromium against a real server
process (``kyodo runserver``) on the test database. Search → move-in → person → certificate.

Keyboard first: the search field is reached with "/", the move-in form with Alt+N, the
certificate page with Alt+C, as a clerk would.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.browser.conftest import ARGS, CHROMIUM, Server, log_in


def test_search_move_in_and_issue_a_certificate(
    start_server: Callable[..., Server], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    server = start_server(("atena.view", "juki.change", "juki.issue"))
    base = server.base
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, server)
        assert server.tenant_name in page.text_content("header")

        # Search by keyboard: nobody yet.
        page.goto(base + "/juki/")
        page.locator("h1").click()  # leave the autofocused field, then come back with "/"
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "id_q"
        page.keyboard.type("やまだ")
        page.keyboard.press("Enter")
        page.wait_for_selector("#results")
        assert "該当する住民はいません" in page.text_content("#results")

        # The move-in form, reached with Alt+N; a first attempt with a wrong date is refused
        # with a Japanese message, and nothing is written.
        page.keyboard.press("Alt+n")
        page.keyboard.press("Enter")
        page.wait_for_selector("#move-in-form")
        page.fill("#id_moved_on", "R8.4.1")
        page.fill("#id_notified_on", "2026-04-03")
        page.fill("#id_town", "本町")
        page.fill("#id_banchi", "2-3-4")
        page.fill("#id_katagaki", "ハイツ本町101")
        page.fill("#id_previous_address", "東京都千代田区霞が関二丁目1番2号")
        for i, (family, given, fk, gk, birth, sex, rel) in enumerate(
            [
                ("山田", "太郎", "ヤマダ", "タロウ", "S55.4.1", "M", "世帯主"),
                ("山田", "花子", "やまだ", "はなこ", "1982-06-15", "F", "妻"),
            ]
        ):
            page.fill(f"#id_m-{i}-family_name", family)
            page.fill(f"#id_m-{i}-given_name", given)
            page.fill(f"#id_m-{i}-family_kana", fk)
            page.fill(f"#id_m-{i}-given_kana", gk)
            page.fill(f"#id_m-{i}-birth_date", birth)
            page.select_option(f"#id_m-{i}-sex", sex)
            page.fill(f"#id_m-{i}-relationship", rel)
        page.fill("#id_m-1-birth_date", "2030-01-01")
        page.click("#move-in-submit")
        page.wait_for_selector("#move-in-form")
        assert "生年月日" in page.text_content("#member-1") and "より前" in page.text_content(
            "#member-1"
        )
        page.fill("#id_m-1-birth_date", "1982-06-15")
        page.click("#move-in-submit")
        page.wait_for_selector("#record")
        assert "転入を記録しました" in page.text_content("main")
        assert "山田　太郎" in page.text_content("h1")
        assert page.locator("#members tbody tr").count() == 2
        assert "昭和55年4月1日" in page.text_content("#record")

        # Found by a fuzzy search now (small/large kana and 長音 ignored).
        page.goto(base + "/juki/?q=" + "ﾔﾏﾀﾞ ﾊﾅｺ")
        assert "山田　花子" in page.text_content("#results")
        page.go_back()

        # History tab shows the 転入.
        page.goto(page.url.split("?")[0] + "?tab=history")
        assert "国内転入" in page.text_content("#history")

        # Certificate: Alt+C from the person page; preview, then issue and read the PDF.
        page.goto(page.url.split("?")[0])
        page.keyboard.press("Alt+c")
        page.keyboard.press("Enter")
        page.wait_for_selector("#certificate-form")
        page.check("input[name=with_items][value=zokugara]")
        page.fill("#id_purpose", "年金手続")
        page.click("#preview-button")
        page.wait_for_selector("#preview")
        preview = page.text_content("#preview")
        assert "続柄" in preview and "住民票コード" not in preview and "山田　花子" in preview
        captured: dict[str, object] = {}

        def capture(route) -> None:  # the PDF as the server sent it (the viewer replaces it)
            fetched = route.fetch()
            captured["type"] = fetched.headers.get("content-type")
            captured["issue_no"] = fetched.headers.get("x-kyodo-issue-no")
            captured["body"] = fetched.body()
            route.fulfill(response=fetched)

        page.route("**/certificate/", capture)
        page.click("#issue-button")
        page.wait_for_timeout(500)
        for _ in range(50):
            if "body" in captured:
                break
            page.wait_for_timeout(100)
        assert captured["type"] == "application/pdf"
        pdf = tmp_path / "issued.pdf"
        pdf.write_bytes(captured["body"])  # type: ignore[arg-type]
        browser.close()
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "住民票の写し" in text and "山田" in text and "太郎" in text and "花子" in text
    assert "続柄" in text and "世帯主" in text and "妻" in text
    assert "住民票コード" not in text and "個人番号" not in text and "本籍" not in text
    assert "相違ないことを証明する" in text
    assert str(captured["issue_no"]) in text
