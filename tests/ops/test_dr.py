"""ダウンリカバリ (issue 7 §3): a small file with what 住民票の写し needs; certificates issued
from it with the main database stopped, saying how fresh they are; refreshes that rewrite
only what changed; issues merged back into the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from kyodo.atena.blocks import block_set
from kyodo.ops.dr.build import build
from kyodo.ops.dr.counter import JST, Counter, DrError
from kyodo.ops.dr.merge import OBJECT_TYPE, merge
from kyodo.ops.dr.web import application
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.tenancy.context import tenant_scope
from tests.juki.helpers import family_of_three, member, move_in
from tests.pdf import pdftotext, squash

KYODO = str(Path(sys.executable).with_name("kyodo"))


def _family(tenant: Tenant) -> tuple[list[int], int]:
    with tenant_scope(tenant.code):
        family = [r.atena_no for r in move_in(family_of_three()).records]
        hidden = move_in([member("秘匿", "花子", "ヒトク", "ハナコ", sex=2)]).records[0].atena_no
        block_set(atena_no=hidden, kind="shien", operations=["shokai", "idou", "hakko"],
                  level="error", start=dt.date(2026, 1, 1), by="test")  # fmt: skip
    return family, hidden


def test_a_certificate_from_the_file_with_the_main_database_stopped(
    tenant: Tenant, tmp_path: Path
) -> None:
    family, hidden = _family(tenant)
    with tenant_scope(tenant.code):
        summary = build(tenant.code, tmp_path / "dr.sqlite")
    assert summary["persons"] == 4 and summary["blocked"] == 1 and not summary["refreshed"]

    # No database at all: DATABASE_URL points at a port nobody listens on.
    env = {**os.environ, "DATABASE_URL": "postgres://nobody:x@127.0.0.1:9/none",
           "DATABASE_OWNER_URL": "postgres://nobody:x@127.0.0.1:9/none"}  # fmt: skip
    cert = tmp_path / "cert.pdf"
    done = subprocess.run(
        [KYODO, "dr", "certificate", "--from", str(tmp_path / "dr.sqlite"),
         "--atena-no", str(family[0]), "--household", "--with", "zokugara",
         "--requester", "本人", "--purpose", "就職のため", "--out", str(cert)],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["issue_no"].startswith("DR") and out["atena_nos"] == family
    text = squash(pdftotext(cert.read_bytes(), tmp_path))
    assert "山田太郎" in text and "山田花子" in text and "山田一郎" in text
    assert "時点のデータ" in text and out["issue_no"] in text and "妻" in text
    assert "秘匿" not in text

    refused = subprocess.run(
        [KYODO, "dr", "certificate", "--from", str(tmp_path / "dr.sqlite"),
         "--atena-no", str(hidden), "--requester", "本人", "--purpose", "就職",
         "--out", str(tmp_path / "no.pdf")],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert refused.returncode != 0 and "支援措置" in refused.stderr
    assert not (tmp_path / "no.pdf").exists()


def test_a_refresh_rewrites_only_what_changed_and_keeps_the_issues(
    tenant: Tenant, tmp_path: Path
) -> None:
    family, _hidden = _family(tenant)
    path = tmp_path / "dr.sqlite"
    with tenant_scope(tenant.code):
        build(tenant.code, path)
    counter = Counter(path)
    first = counter.issue(family[1], requester="本人", purpose="年金", clerk="佐藤")
    with pytest.raises(DrError, match="請求者"):
        counter.issue(family[1], requester="", purpose="年金", clerk="佐藤")
    with tenant_scope(tenant.code):
        newcomer = move_in([member("新井", "次郎", "アライ", "ジロウ")]).records[0].atena_no
        again = build(tenant.code, path)
    assert again["refreshed"] and again["households_rewritten"] == 1
    assert again["persons_written"] == 1 and again["persons"] == 5
    counter = Counter(path)
    assert [r["atena_no"] for r in counter.search("あらい")] == [newcomer]
    assert counter.issue(newcomer, requester="本人", purpose="転職", clerk="佐藤").issue_no != (
        first.issue_no
    )

    merged = merge(path)
    assert merged["merged"] == 2
    assert merge(path)["merged"] == 0  # once only
    with tenant_scope(tenant.code):
        trail = AuditRecord.objects.filter(object_type=OBJECT_TYPE).order_by("seq")
        assert [r.object_id for r in trail] == [
            first.issue_no,
            f"DR{dt.datetime.now(JST).year}-00002",
        ]
        assert trail[0].actor == "dr:佐藤" and trail[0].detail["requester"] == "本人"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_the_laptop_counter_searches_shows_freshness_and_issues(
    tenant: Tenant, tmp_path: Path
) -> None:
    family, hidden = _family(tenant)
    with tenant_scope(tenant.code):
        build(tenant.code, tmp_path / "dr.sqlite")
    counter = Counter(tmp_path / "dr.sqlite")
    server = make_server("127.0.0.1", 0, application(counter, "田中"), handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        page = urllib.request.urlopen(f"{base}/?q={urllib.parse.quote('ヤマダ')}").read().decode()
        assert "時点のデータ" in page and "山田\u3000花子" in page and 'lang="ja"' in page
        household = urllib.request.urlopen(f"{base}/person/{family[0]}").read().decode()
        assert "山田\u3000一郎" in household and "発行する" in household
        form = urllib.parse.urlencode(
            {"atena_no": family[2], "requester": "本人", "purpose": "学校"}
        ).encode()
        pdf = urllib.request.urlopen(f"{base}/issue", data=form).read()
        assert pdf.startswith(b"%PDF") and "山田一郎" in squash(pdftotext(pdf, tmp_path))
        blocked = urllib.parse.urlencode(
            {"atena_no": hidden, "requester": "本人", "purpose": "学校"}
        ).encode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/issue", data=blocked)
        assert refused.value.code == 400 and "支援措置" in refused.value.read().decode()
    finally:
        server.shutdown()
