"""English is really available: the catalogue is complete, compiled, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from kyodo.platform.accounts.backends import ACCOUNT_LOCKED
from kyodo.web.forms import BAD_CREDENTIALS, TOKEN_INVALID, TOKEN_REQUIRED
from tests.conftest import PASSWORD

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"


def parse_po(path: Path) -> dict[str | tuple[str, int], str]:
    """msgid → msgstr (plural forms keyed as (msgid, n), like gettext's catalogue); header left out.

    Fuzzy entries are reported with the msgstr "" so they count as untranslated.
    """
    catalogue: dict[str | tuple[str, int], str] = {}
    entry: dict[str, str] = {}
    current: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal fuzzy
        msgid = entry.get("msgid")
        if msgid:  # the header has the empty msgid
            if "msgid_plural" in entry:
                for key, value in entry.items():
                    if key.startswith("msgstr["):
                        catalogue[(msgid, int(key[7:-1]))] = "" if fuzzy else value
            else:
                catalogue[msgid] = "" if fuzzy else entry.get("msgstr", "")
        entry.clear()
        fuzzy = False

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            flush()
            current = None
        elif line.startswith("#"):
            fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)
        elif line.startswith('"'):
            assert current is not None, f"continuation line outside an entry: {raw!r}"
            entry[current] += ast.literal_eval(line)
        else:
            keyword, _, text = line.partition(" ")
            current = keyword
            entry[current] = ast.literal_eval(text)
    return catalogue


def english_client() -> Client:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_login_page_is_japanese_by_default() -> None:
    page = Client().get("/login/").content.decode()
    assert 'lang="ja"' in page
    assert "<h1>ログイン</h1>" in page
    assert "ユーザーID" in page and "パスワード" in page and "必須" in page
    assert "Log in" not in page


@pytest.mark.django_db
def test_login_page_is_english_after_switching_language() -> None:
    page = english_client().get("/login/").content.decode()
    assert 'lang="en"' in page
    assert "<h1>Log in</h1>" in page
    assert "User ID" in page and "Password" in page and "Required" in page
    assert "Enter your staff user ID and password." in page
    assert "ログイン" not in page and "ユーザーID" not in page and "必須" not in page


@pytest.mark.django_db
def test_login_errors_are_shown_in_english(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant())
    client = english_client()
    page = client.post("/login/", {"username": clerk.username, "password": "wrong"})
    assert "The user ID or password is incorrect." in page.content.decode()
    assert BAD_CREDENTIALS not in page.content.decode()
    for _ in range(settings.KYODO_LOCKOUT_THRESHOLD):
        client.post("/login/", {"username": clerk.username, "password": "wrong"})
    page = client.post("/login/", {"username": clerk.username, "password": PASSWORD})
    assert "This account is locked." in page.content.decode()
    assert ACCOUNT_LOCKED not in page.content.decode()


def test_every_msgid_has_an_english_msgstr() -> None:
    catalogue = parse_po(PO)
    assert catalogue, "the English catalogue is empty"
    untranslated = [key for key, value in catalogue.items() if not value.strip()]
    assert not untranslated, f"untranslated (or fuzzy) entries in {PO}: {untranslated}"
    # The message constants kept as plain Japanese str are translated where they are shown.
    for constant in (BAD_CREDENTIALS, TOKEN_REQUIRED, TOKEN_INVALID, ACCOUNT_LOCKED):
        assert constant in catalogue


def test_compiled_catalogue_matches_the_po() -> None:
    """The .mo kept in the repository (CI may lack gettext) says exactly what the .po says."""
    # Compared by content, not mtime: a git checkout does not preserve modification times.
    assert MO.exists(), f"{MO} is missing: run django-admin compilemessages"
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    compiled = {key: value for key, value in compiled.items() if key != ""}
    assert compiled == parse_po(PO), f"{MO} is out of date: run django-admin compilemessages"


def test_po_passes_msgfmt_check(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU msgfmt is not installed (gettext); the Python checks above still ran")
    subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(PO)],
        check=True,
        capture_output=True,
    )
    with (tmp_path / "django.mo").open("rb") as fresh, MO.open("rb") as kept:
        fresh_catalogue = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        kept_catalogue = gettext.GNUTranslations(kept)._catalog  # type: ignore[attr-defined]
    assert fresh_catalogue == kept_catalogue
