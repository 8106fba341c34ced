"""The certificates PDF: one A4 landscape page per dossier, in order, text intact and inside the frame."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from pypdf import PdfReader

from council.documents.certificate import render_certificates
from council.documents.model import AwardGroup, AwardRow, DecisionDocument, example_document
from council.documents.vietnamese import format_number

A4_LANDSCAPE = (841.89, 595.28)  # points
FRAME_INSET = 12 * 72 / 25.4  # the inner rectangle of the frame, in points from each edge
LONG_TITLE = (
    "Mô hình “Dân vận khéo” gắn với chuyển đổi số trong giám sát, phản biện xã hội và xây dựng"
    " nông thôn mới nâng cao, đô thị văn minh ở khu dân cư; ứng dụng nền tảng số minh bạch quỹ"
    " “Vì người nghèo”, nâng cao Tính kinh tế của tổ hợp tác và bảo đảm an ninh trật tự ở cơ sở"
    " trên địa bàn thành phố Hà Nội năm 2025"
)


def flat(text: str) -> str:
    """Whitespace collapsed: wrapped lines read back with extra spaces and breaks."""
    return " ".join(text.split())


def rows_of(doc: DecisionDocument) -> list[tuple[AwardGroup, AwardRow]]:
    return [(group, row) for group in doc.award_groups for row in group.rows]


@pytest.fixture(scope="module")
def doc() -> DecisionDocument:
    return example_document(7)


@pytest.fixture(scope="module")
def reader(doc: DecisionDocument) -> PdfReader:
    return PdfReader(io.BytesIO(render_certificates(doc)))


@pytest.fixture(scope="module")
def long_doc() -> DecisionDocument:
    base = example_document(3)
    group = base.award_groups[0]
    row = dataclasses.replace(
        group.rows[0], title=LONG_TITLE, authors=("Nguyễn Thị Ánh", "Lê Văn An", "Bùi Hữu Ơn")
    )
    return dataclasses.replace(
        base, award_groups=(dataclasses.replace(group, rows=(row, *group.rows[1:])), *base.award_groups[1:])
    )


def test_one_page_per_row(doc: DecisionDocument, reader: PdfReader) -> None:
    assert doc.row_count == 7
    assert len(reader.pages) == doc.row_count


def test_pages_are_a4_landscape(reader: PdfReader) -> None:
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height
        assert (width, height) == pytest.approx(A4_LANDSCAPE, abs=0.1)


def test_each_page_certifies_its_row_in_order(doc: DecisionDocument, reader: PdfReader) -> None:
    assert doc.number_symbol == "12/QĐ-MTTQ-BTT"
    for page, (group, row) in zip(reader.pages, rows_of(doc), strict=True):
        text = flat(page.extract_text())
        assert "GIẤY CHỨNG NHẬN" in text
        assert f"“{flat(row.title)}”" in text
        assert "(Theo Quyết định số 12/QĐ-MTTQ-BTT ngày 05 tháng 3 năm 2025 của" in text
        assert f"Tác giả: {', '.join(row.authors)}" in text
        assert f"Đơn vị: {row.unit}" in text
        assert f"Xếp loại: {row.tier or group.tier}" in text
        assert text.index("GIẤY CHỨNG NHẬN") < text.index(flat(row.title))
        # the title is unique to its page: no other row's title is printed here
        others = [r.title for _, r in rows_of(doc) if r is not row]
        assert not any(f"“{flat(title)}”" in text for title in others)


def test_vietnamese_text_is_extracted_intact(doc: DecisionDocument, reader: PdfReader) -> None:
    text = flat(reader.pages[0].extract_text())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ HÀ NỘI",
        "Chứng nhận",
        "Hà Nội, ngày 05 tháng 3 năm 2025",
        "TM. BAN THƯỜNG TRỰC",
        "CHỦ TỊCH",
        "Nguyễn Thị Ánh",
        "Mã xác thực: 9F3A-1C0B-E4D2",
    ):
        assert expected in text
    first = doc.award_groups[0].rows[0]
    assert f"Điểm: {format_number(first.score)}" in text


def test_score_uses_a_decimal_comma() -> None:
    base = example_document(1)
    row = dataclasses.replace(base.award_groups[0].rows[0], score=87.5)
    doc = dataclasses.replace(base, award_groups=(AwardGroup("Giải A", (row,)),))
    text = flat(PdfReader(io.BytesIO(render_certificates(doc))).pages[0].extract_text())
    assert "Điểm: 87,5" in text
    assert "Xếp loại: Giải A" in text


def test_every_font_is_embedded(reader: PdfReader) -> None:
    seen = 0
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font.get("/BaseFont")
            seen += 1
    assert seen


def text_positions(page: Any) -> list[tuple[str, float, float]]:
    """Every text run on ``page`` with its start point in points."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def test_a_300_character_title_wraps_on_one_page_inside_the_frame(long_doc: DecisionDocument) -> None:
    assert len(LONG_TITLE) >= 300
    reader = PdfReader(io.BytesIO(render_certificates(long_doc)))
    assert len(reader.pages) == long_doc.row_count
    first = reader.pages[0]
    text = flat(first.extract_text())
    assert f"“{flat(LONG_TITLE)}”" in text
    assert "Nguyễn Thị Ánh" in text and "Mã xác thực:" in text
    runs = text_positions(first)
    assert len({round(y) for _, _, y in runs}) > 10
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    for run, x, y in runs:
        assert FRAME_INSET < x < width - FRAME_INSET, run
        assert FRAME_INSET < y < height - FRAME_INSET, run
    # the title's lines come above the signature block, which comes last
    title_y = min(y for run, _, y in runs if "Dân vận khéo" in run or "năm 2025”" in run)
    signer_y = next(y for run, _, y in runs if run == "Nguyễn Thị Ánh")
    assert signer_y < title_y


def test_an_absurd_title_is_cut_short_rather_than_overflowing() -> None:
    base = example_document(1)
    row = dataclasses.replace(base.award_groups[0].rows[0], title="Sáng kiến rất dài " * 300)
    doc = dataclasses.replace(base, award_groups=(AwardGroup("Giải A", (row,)),))
    reader = PdfReader(io.BytesIO(render_certificates(doc)))
    assert len(reader.pages) == 1
    text = flat(reader.pages[0].extract_text())
    assert "…”" in text
    assert "Nguyễn Thị Ánh" in text


def test_a_decision_without_rows_has_no_certificate() -> None:
    doc = dataclasses.replace(example_document(1), award_groups=())
    with pytest.raises(ValueError, match="no dossier"):
        render_certificates(doc)
