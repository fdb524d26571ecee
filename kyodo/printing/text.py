"""Running text on a reportlab canvas: lines broken by width (Japanese needs no word breaks)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

__all__ = ["Pen", "draw_wrapped"]


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


class Pen:
    """Text on a canvas in one font (an ``MjFont``: its name and ``prepare`` for IVS)."""

    def __init__(self, c: Canvas, font: object, *, right_margin: float) -> None:
        self.c = c
        self.name = font.fontName  # type: ignore[attr-defined]
        self.prepare = font.prepare  # type: ignore[attr-defined]
        self.right_margin = right_margin  # where running text stops, from the page's right

    def text(self, x: float, y: float, value: str, size: float = 10) -> None:
        self.c.setFont(self.name, size)
        self.c.drawString(x, y, self.prepare(value))

    def right(self, x: float, y: float, value: str, size: float = 10) -> None:
        self.c.setFont(self.name, size)
        self.c.drawRightString(x, y, self.prepare(value))

    def centre(self, x: float, y: float, value: str, size: float = 10) -> None:
        self.c.setFont(self.name, size)
        self.c.drawCentredString(x, y, self.prepare(value))

    def fit(self, x: float, y: float, value: str, width: float, size: float = 8) -> None:
        """``value`` shrunk (down to 5 pt) to fit ``width``."""
        prepared = self.prepare(value)
        while size > 5 and self.c.stringWidth(prepared, self.name, size) > width:
            size -= 0.5
        self.c.setFont(self.name, size)
        self.c.drawString(x, y, prepared)

    def wrapped(self, value: str, left: float, y: float, size: float = 8.5) -> float:
        """Running text from ``left`` to the right margin; returns the next line's y."""
        width = self.c._pagesize[0] - self.right_margin - left
        return draw_wrapped(self.c, self.name, self.prepare(value), left, y, width, size)
