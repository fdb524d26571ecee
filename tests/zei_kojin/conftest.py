"""Fixtures shared by this unit's test modules."""

from tests.zei_kojin.test_toshokazei import tenant  # noqa: F401  (a fixture, used by name)
