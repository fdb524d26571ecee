"""Reading back the PDFs the tests render, with poppler's pdftotext."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def pdftotext(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    """The text of a PDF (or of one page), laid out as pdftotext -layout does."""
    path = tmp_path / "read-back.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", "-layout", *pages, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """pdftotext -layout pads with spaces (and certificates print full-width ones): drop all
    whitespace before comparing."""
    return re.sub(r"\s+", "", text)
