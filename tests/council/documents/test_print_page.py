"""The print page: the whole decision and list, no inline script or style (CSP), QR code, print CSS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, render_template

from council.documents import vietnamese
from council.documents.model import example_document
from council.documents.qr import qr_png, qr_svg

STATIC = Path(__file__).resolve().parents[3] / "council" / "static"


@pytest.fixture
def page(app: Flask) -> str:
    doc = example_document(20)
    with app.test_request_context():
        return render_template("decisions/print.html", doc=doc, qr_svg=qr_svg(doc.verify_url), vn=vietnamese)


def test_the_page_prints_the_decision_and_every_row(page: str) -> None:
    for expected in (
        "Số: 12/QĐ-MTTQ-BTT",
        "Hà Nội, ngày 05 tháng 3 năm 2025",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "<strong>Điều 1.</strong>",
        "TM. BAN THƯỜNG TRỰC",
        "I. GIẢI A",
        "III. GIẢI C",
        "95,0",
        "9F3A-1C0B-E4D2",
        "/static/print.css",
    ):
        assert expected in page
    assert len(re.findall(r'<td class="stt">\d+</td>', page)) == 20
    assert "<thead>" in page  # repeated on every printed page


def test_no_inline_script_or_style(page: str) -> None:
    assert "<script" not in page
    assert "<style" not in page
    assert not re.search(r"\sstyle=", page)
    assert re.search(r"<svg[^>]*class=\"qr\"", page)


def test_print_css_sets_a4_and_the_margins() -> None:
    css = (STATIC / "print.css").read_text(encoding="utf-8")
    assert "size: A4" in css
    assert "margin: 20mm 15mm 20mm 30mm" in css
    assert "table-header-group" in css


def test_qr_png_is_a_png() -> None:
    assert qr_png("https://council.example.vn/verify/x").startswith(b"\x89PNG\r\n\x1a\n")
