"""個人住民税 (individual inhabitant tax): 課税資料, 当初課税, 徴収 (issue 5)."""
