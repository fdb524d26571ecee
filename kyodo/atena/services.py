"""Writes to the addressee master."""

from __future__ import annotations

from django.db.models import F

from kyodo.atena.models import NumberSequence
from kyodo.atena.numbering import with_check_digit


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
