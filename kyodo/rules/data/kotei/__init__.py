"""固定資産税・都市計画税 law data, one file per fiscal year (``2026.json`` = 令和8年度)."""
