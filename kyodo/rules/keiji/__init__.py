"""軽自動車税 種別割 (light vehicle tax): a pure calculator over the fiscal year's law data.

:func:`calculate` takes the JSON input described in :mod:`.vehicle` (one vehicle owned on the
賦課期日, 4月1日) and returns the annual tax, which rate applied (``new``, ``old`` or ``heavy``),
the グリーン化特例 where it applies, the figures used and every step. The figures come from
``kyodo/rules/data/keiji/<fiscal year>.json`` (ADR 0011); ``kyodo calc keiji --json FILE`` is the
command line.
"""

from kyodo.rules.keiji.calculate import REQUIRED_FIGURES, TOPIC, calculate, calculate_vehicle
from kyodo.rules.keiji.vehicle import CLASSES, Month, Vehicle

__all__ = [
    "CLASSES",
    "REQUIRED_FIGURES",
    "TOPIC",
    "Month",
    "Vehicle",
    "calculate",
    "calculate_vehicle",
]
