"""Field-level encryption (Fernet / MultiFernet) and blind indexes, without the database.

Keys are set per test with pytest-django's ``settings`` fixture, so the tests do not depend on
what settings.py defines.
"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from pytest_django import Settings

from kyodo.platform import crypto
from kyodo.platform.crypto import (
    DecryptionFailed,
    blind_index,
    decrypt,
    encrypt,
    generate_key,
    rotate,
)

OLD_KEY = generate_key()
NEW_KEY = generate_key()
INDEX_KEY = "test-index-key-" + "x" * 40


@pytest.fixture
def keys(settings: Settings) -> Settings:
    settings.KYODO_FIELD_KEYS = [OLD_KEY]
    settings.KYODO_INDEX_KEY = INDEX_KEY
    return settings


@pytest.mark.parametrize(
    "text",
    ["123456789018", "", "山田　太郎", "髙橋 𠮷野家 葛󠄀城市", "line\nbreak", "a" * 10_000],
)
def test_round_trip(keys: Settings, text: str) -> None:
    token = encrypt(text)
    assert token.isascii()
    assert text not in token or text == ""
    assert decrypt(token) == text


def test_encryption_is_randomised(keys: Settings) -> None:
    assert encrypt("123456789018") != encrypt("123456789018")


def test_old_tokens_decrypt_after_a_new_first_key(keys: Settings) -> None:
    old_token = encrypt("個人番号 123456789018")
    keys.KYODO_FIELD_KEYS = [NEW_KEY, OLD_KEY]
    assert decrypt(old_token) == "個人番号 123456789018"
    new_token = encrypt("新しい値")
    assert Fernet(NEW_KEY.encode()).decrypt(new_token.encode()).decode() == "新しい値"
    rotated = rotate(old_token)
    keys.KYODO_FIELD_KEYS = [NEW_KEY]  # the old key retired after re-encryption
    assert decrypt(rotated) == "個人番号 123456789018"
    assert decrypt(new_token) == "新しい値"
    with pytest.raises(DecryptionFailed):
        decrypt(old_token)


def test_a_removed_key_fails_loudly_without_leaking(keys: Settings) -> None:
    token = encrypt("123456789018")
    keys.KYODO_FIELD_KEYS = [NEW_KEY]
    with pytest.raises(DecryptionFailed) as info:
        decrypt(token)
    assert token not in str(info.value)
    assert NEW_KEY not in str(info.value)
    with pytest.raises(DecryptionFailed):
        decrypt("not a token")
    with pytest.raises(DecryptionFailed):
        decrypt("日本語")


def test_blind_index_is_stable_and_separated_by_purpose(keys: Settings) -> None:
    first = blind_index("123456789018", purpose="atena.person.my_number")
    assert first == blind_index("123456789018", purpose="atena.person.my_number")
    assert len(first) == 64
    assert int(first, 16) >= 0
    assert first != blind_index("123456789019", purpose="atena.person.my_number")
    assert first != blind_index("123456789018", purpose="atena.person.juminhyo_code")
    assert "123456789018" not in first


def test_blind_index_does_not_change_when_field_keys_rotate(keys: Settings) -> None:
    before = blind_index("山田太郎", purpose="test")
    keys.KYODO_FIELD_KEYS = [NEW_KEY, OLD_KEY]
    assert blind_index("山田太郎", purpose="test") == before
    keys.KYODO_INDEX_KEY = "another-index-key-" + "y" * 40
    assert blind_index("山田太郎", purpose="test") != before


def test_blind_index_rejects_a_missing_purpose(keys: Settings) -> None:
    for purpose in ("", "個人番号", "a\x00b"):
        with pytest.raises(ValueError, match="purpose"):
            blind_index("x", purpose=purpose)


def test_missing_settings_are_reported(settings: Settings) -> None:
    del settings.KYODO_FIELD_KEYS
    del settings.KYODO_INDEX_KEY
    with pytest.raises(ImproperlyConfigured, match="KYODO_FIELD_KEYS is not set"):
        encrypt("x")
    with pytest.raises(ImproperlyConfigured, match="KYODO_INDEX_KEY is not set"):
        blind_index("x", purpose="test")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "non-empty list"),
        (OLD_KEY, "non-empty list"),
        (["not-a-fernet-key"], r"KYODO_FIELD_KEYS\[0\] is not a Fernet key"),
        ([OLD_KEY, "short"], r"KYODO_FIELD_KEYS\[1\] is not a Fernet key"),
        ([OLD_KEY, 42], r"KYODO_FIELD_KEYS\[1\] must be a string"),
    ],
)
def test_bad_field_keys_are_reported(settings: Settings, value: object, message: str) -> None:
    settings.KYODO_FIELD_KEYS = value
    with pytest.raises(ImproperlyConfigured, match=message) as info:
        encrypt("x")
    assert info.value.__cause__ is None  # the key material is not chained into the traceback


def test_bytes_keys_are_accepted(settings: Settings) -> None:
    settings.KYODO_FIELD_KEYS = [OLD_KEY.encode("ascii")]
    assert decrypt(encrypt("ok")) == "ok"


def test_short_index_key_is_rejected(settings: Settings) -> None:
    settings.KYODO_INDEX_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="too short"):
        blind_index("x", purpose="test")


def test_keys_are_read_lazily(keys: Settings) -> None:
    """Changing the setting takes effect at once (no key cached at import time)."""
    token = encrypt("x")
    keys.KYODO_FIELD_KEYS = [NEW_KEY]
    with pytest.raises(DecryptionFailed):
        decrypt(token)
    keys.KYODO_FIELD_KEYS = [OLD_KEY]
    assert decrypt(token) == "x"
    assert crypto._multi_fernet.cache_info().currsize >= 1
