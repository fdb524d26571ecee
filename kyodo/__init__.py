"""Kyodo (共同): a shared-use core-systems cloud for Japanese municipalities."""

__version__ = "0.1.0"
