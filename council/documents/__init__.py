"""Printed decisions: the Quyết định công nhận and its Danh sách kèm theo, per Nghị định 30/2020.

A pure rendering layer (no database, no Flask): build a :class:`DecisionDocument` and call

- :func:`render_pdf` (A4, embedded serif font with Vietnamese letters, fpdf2),
- :func:`render_docx` (editable Word file, Times New Roman 13–14 pt, python-docx),
- :func:`render_xlsx` (the award list, openpyxl),
- or render ``templates/decisions/print.html`` with ``doc``, ``qr_svg`` (:func:`qr_svg`) and ``vn``
  (:mod:`council.documents.vietnamese`) for a print page.

Every document carries the snapshot's fingerprint as a short code and a QR code of the
verification URL. Text helpers (dates, decimal comma, name collation) are in
:mod:`council.documents.vietnamese`.
"""

from __future__ import annotations

from council.documents.docx import render_docx
from council.documents.model import AwardGroup, AwardRow, DecisionDocument, by_rank, example_document
from council.documents.pdf import render_pdf
from council.documents.qr import qr_png, qr_svg
from council.documents.xlsx import render_xlsx

__all__ = [
    "AwardGroup",
    "AwardRow",
    "DecisionDocument",
    "by_rank",
    "example_document",
    "qr_png",
    "qr_svg",
    "render_docx",
    "render_pdf",
    "render_xlsx",
]
