"""軽自動車税 種別割 law data, one file per fiscal year.

``2026.json`` is 令和8年度 (賦課期日 4月1日).
"""
