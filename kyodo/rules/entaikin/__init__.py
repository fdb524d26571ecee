"""延滞金 (late-payment interest on local taxes): a pure calculator over calendar-year law data.

:func:`calculate` takes the JSON input described in :mod:`.claim` (one 期別's 本税, its 納期限 and
its payments) and returns the 延滞金, the spans it was computed over (days, base, rate, amount),
the figures used and every step. The rates come from ``kyodo/rules/data/entaikin/<calendar
year>.json`` (ADR 0011); ``kyodo calc entaikin --json FILE`` is the command line.
"""

from kyodo.rules.entaikin.calculate import REQUIRED_FIGURES, TOPIC, calculate, calculate_claim
from kyodo.rules.entaikin.claim import Claim, Payment, parse

__all__ = ["REQUIRED_FIGURES", "TOPIC", "Claim", "Payment", "calculate", "calculate_claim", "parse"]
