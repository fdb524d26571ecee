"""Printing shared by every unit: fonts that draw 異体字 (IVS) right. Pure (no Django)."""
