"""総合窓口 (madoguchi): the one-stop counter's list of procedures a household needs."""
