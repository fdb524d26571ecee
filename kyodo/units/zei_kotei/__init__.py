"""固定資産税・都市計画税 (fixed asset tax): 課税台帳 of land and houses, 当初課税, 納税通知書
(issue 5)."""
