"""延滞金 law data, one file per CALENDAR year (``2026.json`` = rates for the days of 2026)."""
