"""Field-level encryption at rest, and blind indexes for exact-match search.

個人番号 (and later other secrets) are stored encrypted with Fernet (AES-128-CBC + HMAC-SHA256,
from the ``cryptography`` package), so a database dump, a backup or a replica alone does not
reveal them.

Keys (read from settings on every call, never at import time):

- ``settings.KYODO_FIELD_KEYS``: a non-empty list of Fernet keys. The **first** key encrypts;
  **every** key decrypts (``MultiFernet``). To rotate: put a new key first, keep the old ones,
  re-encrypt stored values with ``rotate``, then drop the old keys.
- ``settings.KYODO_INDEX_KEY``: the secret of the blind indexes, deliberately separate from the
  encryption keys so that rotating those never changes an index (nothing needs re-indexing).
  Losing it makes the stored indexes useless (search fails closed; re-index from the decrypted
  values with a new key). Back it up with the database, like the field keys.

A blind index of a low-entropy value (a 12-digit 個人番号 has about 10^11 possibilities) is only as
safe as ``KYODO_INDEX_KEY``: whoever has both the key and the indexes can enumerate the values.
Keep it out of the database and out of logs, like the field keys.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

INDEX_KEY_MIN_LENGTH = 32  # bytes of KYODO_INDEX_KEY (the kept secrets are 86 characters)
_INDEX_DERIVATION_LABEL = b"kyodo.platform.crypto.blind_index.v1\x00"


class DecryptionFailed(Exception):
    """A stored value could not be decrypted with any configured key.

    The message never contains the token or a key.
    """


def generate_key() -> str:
    """A fresh Fernet key (32 random bytes, url-safe base64), for KYODO_FIELD_KEYS."""
    return Fernet.generate_key().decode("ascii")


def _field_keys() -> tuple[str, ...]:
    keys: object = getattr(settings, "KYODO_FIELD_KEYS", None)
    if keys is None:
        raise ImproperlyConfigured(
            "settings.KYODO_FIELD_KEYS is not set: field encryption needs a list of Fernet keys "
            "(the first encrypts, all decrypt); generate one with "
            "kyodo.platform.crypto.generate_key()"
        )
    if isinstance(keys, str | bytes) or not isinstance(keys, list | tuple) or not keys:
        raise ImproperlyConfigured(
            "settings.KYODO_FIELD_KEYS must be a non-empty list of Fernet keys "
            "(the first encrypts, all decrypt)"
        )
    normalized: list[str] = []
    for position, key in enumerate(keys):
        text = key.decode("ascii", errors="replace") if isinstance(key, bytes) else key
        if not isinstance(text, str):
            raise ImproperlyConfigured(
                f"settings.KYODO_FIELD_KEYS[{position}] must be a string (a Fernet key)"
            )
        normalized.append(text.strip())
    return tuple(normalized)


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    fernets: list[Fernet] = []
    for position, key in enumerate(keys):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            # ``from None``: the underlying error may quote key material.
            raise ImproperlyConfigured(
                f"settings.KYODO_FIELD_KEYS[{position}] is not a Fernet key (32 url-safe "
                "base64-encoded bytes); generate one with kyodo.platform.crypto.generate_key()"
            ) from None
    return MultiFernet(fernets)


def _fernet() -> MultiFernet:
    return _multi_fernet(_field_keys())


def encrypt(text: str) -> str:
    """Encrypt ``text`` with the first key of KYODO_FIELD_KEYS; returns an ASCII token.

    Encryption is randomised: the same text gives a different token each time, so tokens cannot
    be compared; use ``blind_index`` for exact-match search.
    """
    if not isinstance(text, str):
        raise TypeError(f"encrypt() takes str, not {type(text).__name__}")
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a token made by ``encrypt`` with any key of KYODO_FIELD_KEYS."""
    if not isinstance(token, str):
        raise TypeError(f"decrypt() takes str, not {type(token).__name__}")
    fernet = _fernet()
    try:
        return fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionFailed(
            "the value could not be decrypted with any key in settings.KYODO_FIELD_KEYS "
            "(a key was removed or replaced, or the stored value is corrupted)"
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt a token under the current first key (for key rotation jobs)."""
    if not isinstance(token, str):
        raise TypeError(f"rotate() takes str, not {type(token).__name__}")
    fernet = _fernet()
    try:
        return fernet.rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise DecryptionFailed(
            "the value could not be decrypted with any key in settings.KYODO_FIELD_KEYS, "
            "so it cannot be rotated"
        ) from None


def _index_key() -> bytes:
    key: object = getattr(settings, "KYODO_INDEX_KEY", None)
    if key is None or key in ("", b""):
        raise ImproperlyConfigured(
            "settings.KYODO_INDEX_KEY is not set: blind indexes need a secret of their own, "
            "separate from KYODO_FIELD_KEYS so that rotating those never changes an index"
        )
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes):
        raise ImproperlyConfigured("settings.KYODO_INDEX_KEY must be a string")
    if len(key) < INDEX_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"settings.KYODO_INDEX_KEY is too short: at least {INDEX_KEY_MIN_LENGTH} bytes"
        )
    return key


def blind_index(text: str, *, purpose: str) -> str:
    """A deterministic keyed digest of ``text`` for exact-match search without decrypting.

    HMAC-SHA256 of the UTF-8 text, under a key derived from KYODO_INDEX_KEY and ``purpose``
    (HMAC-SHA256 of the purpose under KYODO_INDEX_KEY), so the same value indexed for two
    purposes (two columns) gives unrelated digests. Returns 64 lowercase hex characters.

    The text is digested byte for byte: canonicalise it first (e.g. ``validate_my_number``),
    identically when storing and when searching. ``purpose`` names the column, e.g.
    ``"atena.resident.my_number"``; changing it changes every index of that column.
    """
    if not isinstance(text, str):
        raise TypeError(f"blind_index() takes str, not {type(text).__name__}")
    if not purpose or not purpose.isascii() or not purpose.isprintable():
        raise ValueError("purpose must be a non-empty printable ASCII name, e.g. 'app.model.field'")
    derived = hmac.new(
        _index_key(), _INDEX_DERIVATION_LABEL + purpose.encode("ascii"), hashlib.sha256
    ).digest()
    return hmac.new(derived, text.encode("utf-8"), hashlib.sha256).hexdigest()
