"""Running text on a reportlab canvas: lines broken by width (Japanese needs no word breaks)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

__all__ = ["draw_wrapped"]


def draw_wrapped(  # noqa: PLR0917  (a paragraph's whole placement)
    c: Canvas,
    font_name: str,
    text: str,
    left: float,
    y: float,
    width: float,
    size: float = 8.5,
    leading: float = 4.5 * mm,
) -> float:
    """Draw ``text`` (already prepared for the font) in lines no wider than ``width``, from
    ``y`` downwards; return the next line's y."""
    c.setFont(font_name, size)
    line = ""
    for char in text:
        if c.stringWidth(line + char, font_name, size) > width:
            c.drawString(left, y, line)
            y -= leading
            line = ""
        line += char
    if line:
        c.drawString(left, y, line)
    return y - leading
