"""住民記録 certificates as PDF: a pure renderer (no Django, no database).

The caller decides everything that is printed (persons, optional items) and passes frozen
data; :func:`render_pdf` turns any number of certificates into one PDF.
"""

from kyodo.printing.fonts import FontNotInstalledError, mincho

from .model import (
    Certificate,
    CertificateKind,
    ForeignResident,
    Layout,
    Options,
    PersonEntry,
)
from .render import page_count, render_pdf

__all__ = [
    "Certificate",
    "CertificateKind",
    "FontNotInstalledError",
    "ForeignResident",
    "Layout",
    "Options",
    "PersonEntry",
    "mincho",
    "page_count",
    "render_pdf",
]
