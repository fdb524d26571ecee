"""Writes to the addressee master."""

from __future__ import annotations

from django.db.models import F

from kyodo.atena import juminhyo_code
from kyodo.atena.models import NumberSequence, Person
from kyodo.atena.numbering import with_check_digit
from kyodo.platform.tenancy.context import require_tenant_code


def number_block(name: str, count: int) -> range:
    """Reserve ``count`` consecutive number bodies for the current municipality.

    Returns the bodies; callers append the check digit (``with_check_digit``). The counter row
    is updated in the caller's transaction, so a rolled-back import gives its numbers back.
    """
    if count <= 0:
        return range(0)
    seq, _ = NumberSequence.objects.get_or_create(name=name)
    NumberSequence.objects.filter(pk=seq.pk).update(last_body=F("last_body") + count)
    seq.refresh_from_db(fields=["last_body"])
    return range(seq.last_body - count + 1, seq.last_body + 1)


def next_number(name: str) -> int:
    """One new 宛名番号 or 世帯番号 (body + M11W2–7 check digit)."""
    return with_check_digit(number_block(name, 1)[0])


def new_juminhyo_code() -> str:
    """A 住民票コード from the configured source that no person here holds yet.

    The source guarantees codes are well formed; a stand-in (or a pool shared with data loaded
    from elsewhere) may still hand out one already used, so draw again in that case.
    """
    source, tenant = juminhyo_code.get_source(), require_tenant_code()
    for _attempt in range(20):
        code = source.allocate(tenant)
        if not Person.objects.filter(juminhyo_code=code).exists():
            return code
    raise RuntimeError(f"住民票コードの払出元 {source.name} が使用済みのコードしか返しません")
