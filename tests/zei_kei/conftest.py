"""Fixtures shared by this unit's test modules."""

from tests.zei_kei.test_toshokazei import town  # noqa: F401  (a fixture, used by name)
