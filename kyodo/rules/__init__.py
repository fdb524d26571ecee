"""Law as effective-dated data plus pure calculators (no Django, no database)."""
