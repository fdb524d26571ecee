"""固定資産税 and 都市計画税 (fixed asset tax and city planning tax) of land and houses: a pure
calculator over the fiscal year's law data.

:func:`calculate` takes the JSON input described in :mod:`.assets` (one owner's land and houses
in one municipality on 1 January) and returns each parcel's 課税標準額 (住宅用地特例 and
負担調整), each house's 新築住宅 reduction, the 免税点 decision, both taxes, the figures used and
every step. The figures come from ``kyodo/rules/data/kotei/<fiscal year>.json`` (ADR 0011);
``kyodo calc kotei --json FILE`` is the command line.
"""

from kyodo.rules.kotei.assets import Assets, House, Land, parse
from kyodo.rules.kotei.calculate import REQUIRED_FIGURES, TOPIC, calculate, calculate_assets

__all__ = [
    "REQUIRED_FIGURES",
    "TOPIC",
    "Assets",
    "House",
    "Land",
    "calculate",
    "calculate_assets",
    "parse",
]
