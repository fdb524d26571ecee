"""ダウンリカバリ (down recovery): a small SQLite copy of what issuing 住民票の写し needs, and a
counter that issues them from it with the main site down (issue 7 §3, ADR 0017)."""
