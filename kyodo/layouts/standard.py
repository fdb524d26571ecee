"""Declarations of the standard data layouts (移行ファイル) a unit's tables are exported to and
imported from (issue 6). The engine is :mod:`kyodo.iko`; a unit only *declares* here.

Every tenant-owned table is a layout file by default: one CSV per table, a header row of item
names (the fields' Japanese names), every column, rows in ``ID`` order. A unit's module
``<app>/standard_layout.py`` may list :class:`Spec` entries to name the file after the
中間標準レイアウト's 移行ファイル, rename items, mark a column that must be converted on the way
(a secret stored encrypted), or leave a table out with the reason (operational state that a
new system rebuilds, credentials that must be issued again).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spec:
    """How one model is exported and imported.

    ``model`` is ``"app_label.ModelName"``. ``file`` is the file name without ``.csv``.
    ``items`` renames columns (field name → item name). ``secret`` lists fields stored
    encrypted that travel in clear in the file (個人番号: the receiving system encrypts them
    with its own keys) with the kind of check their values get. ``check`` maps a field to a
    named check of its values (e.g. ``"juminhyo_code"``). ``index`` maps a blind-index field
    to the secret it indexes: it is not exported and is computed again on import (the index
    key is the receiving system's). ``excluded`` is the reason a table
    is not a layout at all (empty: it is one). ``order`` places the file among the others
    (lower first); files a table refers to always come before it.
    """

    model: str
    file: str = ""
    items: dict[str, str] = field(default_factory=dict)
    secret: dict[str, str] = field(default_factory=dict)
    check: dict[str, str] = field(default_factory=dict)
    index: dict[str, str] = field(default_factory=dict)
    excluded: str = ""
    order: int = 500
