"""住民票コード: 11 digits (10 random digits + 1 検査数字), allocated by the national network.

In production the codes come from J-LIS: the CS holds a pool that J-LIS generated centrally
(so codes never collide nationwide), and the system assigns one at random from it
(住民基本台帳法施行規則 第1条; 住民記録システム標準仕様書 v1.0 §4.3.1; standards.md §2.2). This
module is the seam: ``JuminhyoCodeSource`` is the adapter interface, ``get_source()`` returns
the one named by ``settings.KYODO_JUMINHYO_CODE_SOURCE`` (a dotted path), and
``LocalJuminhyoCodeSource`` is the default stand-in for demos and tests.

**The stand-in's check digit is PROVISIONAL and unconfirmed.** The real formula is fixed by
平成14年総務省告示第436号, which nobody on the project has read (standards.md §2.2, §7 item 2).
We use a modulus-11 rule shaped like the 宛名番号 one (weights 2–7 from the rightmost digit,
check digit 11 − r, 0 when r ≤ 1) only so that demo codes have 11 digits. Its codes are not real
住民票コード and must never be sent anywhere; and, as standards.md §2.2 says, this module does
**not** validate real codes (``is_well_formed`` checks the shape only).

What the stand-in guarantees: 11 ASCII digits, and no repeat within one instance and
municipality (the 10 digits are a keyed permutation of a per-municipality counter). Uniqueness
across processes and restarts is not its job: the database's unique constraint on the code
decides, and the caller allocates again on a clash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from functools import lru_cache
from typing import Final, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from kyodo.platform.tenancy.codes import validate_lg_code

CODE_LENGTH: Final = 11
CHECK_DIGIT_CONFIRMED: Final = False  # 平成14年総務省告示第436号 not read: see the module docstring
DEFAULT_SOURCE: Final = "kyodo.atena.juminhyo_code.LocalJuminhyoCodeSource"

_HALF: Final = 10**5  # the 10 random digits are two 5-digit halves of a Feistel network
_SPACE: Final = _HALF * _HALF
_ROUNDS: Final = 8


@runtime_checkable
class JuminhyoCodeSource(Protocol):
    """Where new 住民票コード come from (J-LIS via the CS in production)."""

    @property
    def name(self) -> str:
        """A short name for logs and the audit trail, e.g. "local stand-in"."""
        ...

    def allocate(self, tenant_code: str) -> str:
        """A new, unused 住民票コード for the municipality (11 ASCII digits)."""
        ...


def provisional_check_digit(ten_digits: str) -> int:
    """PROVISIONAL (unconfirmed) check digit of the stand-in; not the 告示第436号 formula."""
    if len(ten_digits) != CODE_LENGTH - 1 or not ten_digits.isascii() or not ten_digits.isdigit():
        raise ValueError("expected exactly ten ASCII digits")
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(ten_digits)))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_well_formed(code: str) -> bool:
    """11 ASCII digits. The check digit of a real code is deliberately not verified."""
    return isinstance(code, str) and len(code) == CODE_LENGTH and code.isascii() and code.isdigit()


class LocalJuminhyoCodeSource:
    """Demo/test stand-in: deterministic per (seed, municipality), no repeats per instance.

    The n-th code of a municipality is ``permute(n)`` — a keyed 8-round Feistel permutation of
    [0, 10^10), so the digits look random and never repeat — followed by the provisional check
    digit. With an explicit ``seed`` the sequence is reproducible (tests, demo data); without
    one, a random seed is drawn, so a restarted process does not replay codes it handed out
    before (collisions across processes remain possible and are caught by the database).
    """

    name = "local stand-in (not J-LIS; provisional check digit)"

    def __init__(self, seed: str | None = None) -> None:
        self._seed = (seed if seed is not None else secrets.token_hex(16)).encode("utf-8")
        self._next: dict[str, int] = {}
        self._lock = threading.Lock()

    def allocate(self, tenant_code: str) -> str:
        validate_lg_code(tenant_code, field="tenant_code")
        with self._lock:
            index = self._next.get(tenant_code, 0)
            if index >= _SPACE:
                raise RuntimeError(f"no 住民票コード left for {tenant_code} in this stand-in")
            self._next[tenant_code] = index + 1
        ten = f"{self._permute(tenant_code, index):010d}"
        return ten + str(provisional_check_digit(ten))

    def _permute(self, tenant_code: str, value: int) -> int:
        key = hmac.new(self._seed, tenant_code.encode("ascii"), hashlib.sha256).digest()
        left, right = divmod(value, _HALF)
        for round_no in range(_ROUNDS):
            digest = hmac.new(key, f"{round_no}:{right}".encode("ascii"), hashlib.sha256).digest()
            left, right = right, (left + int.from_bytes(digest[:8], "big")) % _HALF
        return left * _HALF + right


@lru_cache(maxsize=8)
def _source_for(path: str) -> JuminhyoCodeSource:
    try:
        target = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"settings.KYODO_JUMINHYO_CODE_SOURCE = {path!r} cannot be imported: {exc}"
        ) from exc
    source = target() if isinstance(target, type) else target
    if not isinstance(source, JuminhyoCodeSource):
        raise ImproperlyConfigured(
            f"settings.KYODO_JUMINHYO_CODE_SOURCE = {path!r} is not a JuminhyoCodeSource "
            "(it needs a 'name' and an 'allocate(tenant_code) -> str' method)"
        )
    return source


def get_source() -> JuminhyoCodeSource:
    """The configured source: ``settings.KYODO_JUMINHYO_CODE_SOURCE`` or the local stand-in.

    The setting names a class (instantiated without arguments) or an instance. One source is
    kept per dotted path for the life of the process, so the stand-in's no-repeat guarantee
    holds across calls.
    """
    path = getattr(settings, "KYODO_JUMINHYO_CODE_SOURCE", None) or DEFAULT_SOURCE
    if not isinstance(path, str):
        raise ImproperlyConfigured("settings.KYODO_JUMINHYO_CODE_SOURCE must be a dotted path")
    return _source_for(path)
