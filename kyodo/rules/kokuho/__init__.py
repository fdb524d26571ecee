"""国民健康保険税 (National Health Insurance tax): a pure calculator over the year's law data.

:func:`calculate` takes the JSON input described in :mod:`.household` (the municipality's rates
and one household) and returns each component (医療分, 後期高齢者支援金等分, 介護納付金分,
子ども・子育て支援納付金分), the 法定軽減 applied (7割・5割・2割), the total, the figures used (and
which of them are unconfirmed) and every step. The figures come from
``kyodo/rules/data/kokuho/<fiscal year>.json`` (ADR 0011); ``kyodo calc kokuho --json FILE`` is
the command line.
"""

from kyodo.rules.kokuho.calculate import calculate, calculate_household
from kyodo.rules.kokuho.figures import (
    COMPONENT_FIGURES,
    COMPONENTS,
    REQUIRED_FIGURES,
    TOPIC,
    figures_of,
)
from kyodo.rules.kokuho.household import Household, parse

__all__ = [
    "COMPONENTS",
    "COMPONENT_FIGURES",
    "REQUIRED_FIGURES",
    "TOPIC",
    "Household",
    "calculate",
    "calculate_household",
    "figures_of",
    "parse",
]
