"""個人住民税 (individual inhabitant tax): a pure calculator over the year's law data.

:func:`calculate` takes the JSON input described in :mod:`.household` and returns the 市町村民税
and 道府県民税 (所得割 and 均等割), the 森林環境税, the total, the 非課税 decision, the figures
used (and which of them are unconfirmed) and every step. The figures come from
``kyodo/rules/data/juminzei/<fiscal year>.json`` (ADR 0011); ``kyodo calc juminzei --json FILE``
is the command line.
"""

from kyodo.rules.juminzei.calculate import REQUIRED_FIGURES, TOPIC, calculate, calculate_household
from kyodo.rules.juminzei.household import Household, parse

__all__ = ["REQUIRED_FIGURES", "TOPIC", "Household", "calculate", "calculate_household", "parse"]
