"""国民健康保険税 law data, one file per fiscal year (``2026.json`` = 令和8年度, 令和7年分所得)."""
