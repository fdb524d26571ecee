"""Reading the payment slips back as a scanner would: pdftoppm rasterises, zbarimg decodes.

How zbarimg (zbar-tools 0.23.92, Debian 12) reports a GS1-128 symbol, as measured here:

* ``zbarimg --raw`` prints the data alone, one symbol per line: the 44 digits, with no
  ``]C1`` symbology identifier and no FNC1 character (a leading FNC1 only marks the symbol
  as GS1-128, it carries no data);
* ``zbarimg --xml`` tells the symbologies apart: ``type='CODE-128'`` with
  ``modifiers='GS1'`` when FNC1 is in the first position, and no ``GS1`` modifier for plain
  Code 128. The ``modifiers`` attribute is the only place the FNC1 shows;
* zbar also prints D-Bus noise on stderr ("Connection Error …") in a container; it is ignored.

:func:`raw_digits` still strips a leading ``]C1`` (the AIM identifier of GS1-128), so a
zbar built to emit identifiers gives the same digits; the XML test pins the symbology.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ZBAR_NS = {"z": "http://zbar.sourceforge.net/2008/barcode"}
AIM_GS1_128 = "]C1"


@dataclass(frozen=True)
class Symbol:
    type: str
    modifiers: tuple[str, ...]
    data: str


def rasterise(pdf: Path, dpi: int = 300, gray: bool = False) -> Path:
    """Page 1 of ``pdf`` as a PNG next to it (``pdftoppm -r DPI -png``)."""
    prefix = pdf.with_suffix("")
    command = ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile"]
    if gray:
        command.append("-gray")
    subprocess.run([*command, str(pdf), str(prefix)], check=True)
    return prefix.with_suffix(".png")


def _zbarimg(*args: str) -> str:
    result = subprocess.run(["zbarimg", *args], capture_output=True, text=True, check=False)
    # 0: symbols found; 4: none found (not an error for the caller, who asserts on content).
    assert result.returncode in (0, 4), result.stderr
    return result.stdout


def raw_digits(png: Path) -> list[str]:
    """``zbarimg --raw``: each decoded symbol's data, a ``]C1`` prefix removed if present."""
    lines = _zbarimg("--raw", "-q", str(png)).splitlines()
    return [line.removeprefix(AIM_GS1_128) for line in lines if line]


def symbols(png: Path) -> list[Symbol]:
    """``zbarimg --xml``: every decoded symbol with its type and modifiers."""
    text = _zbarimg("--xml", "-q", str(png))
    if not text.strip():
        return []
    root = ET.fromstring(text)  # noqa: S314  (our own zbarimg run on our own image)
    return [
        Symbol(
            type=s.get("type", ""),
            modifiers=tuple((s.get("modifiers") or "").split()),
            data=(s.findtext("z:data", namespaces=ZBAR_NS) or ""),
        )
        for s in root.iterfind(".//z:symbol", ZBAR_NS)
    ]
