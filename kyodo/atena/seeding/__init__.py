"""Deterministic synthetic residents (架空の住民・世帯) for ``kyodo seed``; no Django."""
