"""Data layouts shared by every unit: CSV reading with row-by-row problem reports."""
