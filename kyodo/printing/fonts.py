"""IPAmj明朝 for every printed document (certificates, forms, notices), with 異体字 (IVS)
drawn right on a plain reportlab canvas.

reportlab draws a base kanji + variation selector as the default glyph followed by a tofu box
(stack-notes §4). Its platypus ``Paragraph(shaping=1)`` path draws the right glyph, but it is
about 6× slower and puts a Private Use code point in the PDF text layer, so copying or
extracting "葛󠄂城" yields "\\ue000城" (and reportlab's ToUnicode map also garbles characters
beyond the BMP, such as 𠮷 U+20BB7).

This module does the minimum instead:

* only a string that contains an ideographic variation selector (U+E0100–U+E01EF) is shaped,
  with HarfBuzz (uharfbuzz), which resolves the font's format-14 cmap;
* each variant glyph gets a synthetic code point in Supplementary Private Use Area-A
  (U+F0000…), registered with the font face, so the ordinary ``canvas.drawString`` path embeds
  and draws it;
* the font's ToUnicode maps are rewritten so that a synthetic code point extracts as the
  original base + selector sequence, and characters beyond the BMP extract as themselves.

A selector the font has no glyph for falls back to the base character's default glyph (the
selector itself is dropped, never drawn as tofu).
"""

from __future__ import annotations

import threading
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

IPAMJ_PATH = Path("/usr/share/fonts/truetype/ipamj/ipamjm.ttf")
IPAMJ_DEBIAN_PACKAGE = "fonts-ipamj-mincho"
FONT_MISSING = (
    "IPAmj明朝 font file not found at {path}: install the Debian package "
    "{package} (apt-get install --no-install-recommends {package})."
)

IVS_FIRST, IVS_LAST = 0xE0100, 0xE01EF
_SYNTHETIC_FIRST = 0xF0000  # Supplementary Private Use Area-A: never in registry text
_SYNTHETIC_LAST = 0xFFFFD


class FontNotInstalledError(RuntimeError):
    """The certificate font is not installed on this host."""


def has_ivs(text: str) -> bool:
    return any(IVS_FIRST <= ord(ch) <= IVS_LAST for ch in text)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


class MjFont(TTFont):  # type: ignore[misc]  # reportlab ships no type hints
    """A TTFont that can draw IVS sequences and writes a correct ToUnicode map."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, str(path))
        self._path = path
        self._hb_font: Any = None
        self._lock = threading.Lock()
        self._synthetic_of_glyph: dict[int, int] = {}  # glyph id → synthetic code point
        self._actual_text: dict[int, str] = {}  # synthetic code point → source text
        self._next_synthetic = _SYNTHETIC_FIRST
        self._keep_tables()

    def _keep_tables(self) -> None:
        """Copy each font table out of the file once per process, not once per subset.

        reportlab's subsetting slices the whole table out of the font file for every 256-glyph
        subset of every PDF; IPAmj's glyf table is about 45 MB, so a certificate with a few
        subsets spent most of its time copying it (measured by bench/juki_api.py).
        """
        tables: dict[str, bytes] = {}
        read = self.face.get_table

        def get_table(tag: str) -> bytes:
            if tag not in tables:
                tables[tag] = read(tag)
            return tables[tag]

        self.face.get_table = get_table

    # -- shaping ------------------------------------------------------------------------------
    def prepare(self, text: str) -> str:
        """The string to hand to ``canvas.drawString``: unchanged unless it holds an IVS."""
        if not has_ivs(text):
            return text
        return self._shape(text)

    def _shape(self, text: str) -> str:
        with self._lock:
            if self._hb_font is None:
                blob = uharfbuzz.Blob.from_file_path(str(self._path))
                self._hb_font = uharfbuzz.Font(uharfbuzz.Face(blob))
            buf = uharfbuzz.Buffer()
            buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_GRAPHEMES
            buf.flags = uharfbuzz.BufferFlags.REMOVE_DEFAULT_IGNORABLES
            buf.add_str(text)
            buf.guess_segment_properties()
            uharfbuzz.shape(self._hb_font, buf, {"kern": False, "liga": False})
            glyphs: dict[int, list[tuple[int, int]]] = {}
            for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
                glyphs.setdefault(info.cluster, []).append((info.codepoint, pos.x_advance))
            starts = [*sorted(glyphs), len(text)]
            out: list[str] = []
            nominal = self.face.charToGlyph
            for start, end in pairwise(starts):
                source = text[start:end]
                plain = source.translate(_STRIP_IVS)
                cluster = glyphs[start]
                if len(cluster) != 1 or plain == source:
                    out.append(plain)  # nothing to substitute (or not a simple CJK cluster)
                    continue
                glyph, advance = cluster[0]
                if len(plain) == 1 and nominal.get(ord(plain)) == glyph:
                    out.append(plain)  # the font lacks this sequence: default glyph, no tofu
                else:
                    out.append(chr(self._synthetic(glyph, source, advance)))
            return "".join(out)

    def _synthetic(self, glyph: int, source: str, advance: int) -> int:
        """The code point standing for variant ``glyph``; it extracts as ``source``."""
        code = self._synthetic_of_glyph.get(glyph)
        if code is None:
            code = self._next_synthetic
            face = self.face
            while code in face.charToGlyph:
                code += 1
            if code > _SYNTHETIC_LAST:
                raise RuntimeError("out of synthetic code points for variant glyphs")
            self._next_synthetic = code + 1
            face.charToGlyph[code] = glyph
            face.glyphToChar.setdefault(glyph, []).append(code)
            face.charWidths[code] = advance * 1000 / face.unitsPerEm
            self._synthetic_of_glyph[glyph] = code
            self._actual_text[code] = source
        return code

    # -- PDF objects --------------------------------------------------------------------------
    def addObjects(self, doc: Any) -> None:  # noqa: N802  (reportlab's method name)
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        face = self.face
        for n, subset in enumerate(subsets):
            base_font = (b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX))).decode(
                "pdfdoc"
            )
            # Replace reportlab's map (BMP-only, private-use codes extract as themselves). If
            # its naming ever changes the lookup misses and its own map stays; the tests catch it.
            stream = doc.idToObject.get("toUnicodeCMap:" + base_font)
            if stream is not None:
                stream.content = self._to_unicode_cmap(base_font, subset)

    def _to_unicode_cmap(self, font_name: str, subset: list[int]) -> str:
        pairs = [
            f"<{i:02X}> <{_utf16_hex(self._actual_text.get(code) or chr(code))}>"
            for i, code in enumerate(subset)
        ]
        return "\n".join(
            [
                "/CIDInit /ProcSet findresource begin",
                "12 dict begin",
                "begincmap",
                f"/CIDSystemInfo << /Registry ({font_name}) /Ordering ({font_name}) "
                "/Supplement 0 >> def",
                f"/CMapName /{font_name} def",
                "/CMapType 2 def",
                "1 begincodespacerange",
                f"<00> <{len(subset) - 1:02X}>",
                "endcodespacerange",
                *_bfchar_blocks(pairs),
                "endcmap",
                "CMapName currentdict /CMap defineresource pop",
                "end",
                "end",
            ]
        )


_STRIP_IVS = {cp: None for cp in range(IVS_FIRST, IVS_LAST + 1)}


def _bfchar_blocks(pairs: list[str]) -> list[str]:
    """bfchar sections of at most 100 entries, as the CMap format asks."""
    lines: list[str] = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return lines


_load_lock = threading.Lock()


@cache
def _load(path: Path) -> MjFont:
    if not path.is_file():
        raise FontNotInstalledError(FONT_MISSING.format(path=path, package=IPAMJ_DEBIAN_PACKAGE))
    font = MjFont(f"KyodoMincho-{abs(hash(str(path))):x}", path)
    pdfmetrics.registerFont(font)
    return font


def mincho(path: Path = IPAMJ_PATH) -> MjFont:
    """The registered IPAmj明朝 font (loaded once per process, about 0.2 s)."""
    with _load_lock:
        return _load(path)
