"""The decision PDF: text, order, fonts, page size, repeated table heading, layout (read back with pypdf)."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from pypdf import PdfReader

from council.documents.model import AwardGroup, AwardRow, DecisionDocument, example_document
from council.documents.pdf import render_pdf, resolve_fonts

A4 = (595.28, 841.89)  # points
TIERS = ("Giải A", "Giải B", "Giải C")


def decision(n: int) -> DecisionDocument:
    """The example decision with ``n`` short, numbered titles spread over three tiers."""
    groups = []
    for k, tier in enumerate(TIERS):
        rows = tuple(
            AwardRow(
                f"Mô hình điểm {i:03d}", ("Nguyễn Thị Ánh", "Lê Văn An"), "Hội Nông dân", "Tính kinh tế", 87.5
            )
            for i in range(n)
            if i * len(TIERS) // n == k
        )
        groups.append(AwardGroup(tier, rows))
    return dataclasses.replace(example_document(n), award_groups=tuple(groups))


def flat(text: str) -> str:
    """Whitespace collapsed: justified lines and wrapped cells read back with extra spaces and breaks."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def small() -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(decision(12))))


@pytest.fixture(scope="module")
def long() -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(decision(120))))


def list_pages(reader: PdfReader) -> list[Any]:
    """The pages of the Danh sách: from the one headed "DANH SÁCH" to the end."""
    texts = [page.extract_text() for page in reader.pages]
    start = next(i for i, text in enumerate(texts) if "DANH SÁCH" in text)
    return reader.pages[start:]


def test_decision_text_is_on_page_1(small: PdfReader) -> None:
    text = flat(small.pages[0].extract_text())
    for expected in (
        "ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ HÀ NỘI",
        "BAN THƯỜNG TRỰC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/QĐ-MTTQ-BTT",
        "Hà Nội, ngày 05 tháng 3 năm 2025",
        "QUYẾT ĐỊNH",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Công nhận 12 sáng kiến",
        "Quyết định này./.",
        "Nơi nhận:",
        "TM. BAN THƯỜNG TRỰC",
        "CHỦ TỊCH",
        "Nguyễn Thị Ánh",
        "Mã xác thực: 9F3A-1C0B-E4D2",
    ):
        assert expected in text


def test_award_list_starts_a_new_page_with_its_reference(small: PdfReader) -> None:
    first = flat(list_pages(small)[0].extract_text())
    assert first.startswith("ỦY BAN MTTQ VIỆT NAM")
    assert "Số:" not in first  # no number and no date on the list's header
    assert "DANH SÁCH" in first
    assert "(Kèm theo Quyết định số 12/QĐ-MTTQ-BTT ngày 05 tháng 3 năm 2025 của Ban Thường trực" in first
    assert "DANH SÁCH" not in flat(small.pages[0].extract_text())


def test_every_dossier_is_listed_once_grouped_by_tier_in_order(long: PdfReader) -> None:
    text = flat(" ".join(page.extract_text() for page in list_pages(long)))
    headings = [text.index(h) for h in ("I. GIẢI A", "II. GIẢI B", "III. GIẢI C")]
    assert headings == sorted(headings)
    positions = []
    for i in range(120):
        title = f"Mô hình điểm {i:03d}"
        assert text.count(title) == 1, title
        positions.append(text.index(title))
        tier = i * 3 // 120
        assert headings[tier] < positions[-1]
        assert tier == 2 or positions[-1] < headings[tier + 1]
    assert positions == sorted(positions)
    assert "Tổng cộng: 120 sáng kiến" in text


def test_vietnamese_text_is_extracted_intact(small: PdfReader) -> None:
    text = flat(" ".join(page.extract_text() for page in small.pages))
    for expected in (
        "Tính kinh tế",
        "Nguyễn Thị Ánh, Lê Văn An",
        "87,5",
        "Hội Nông dân",
        "Đoàn kết sáng tạo",
    ):
        assert expected in text


def test_pages_are_a4_portrait(long: PdfReader) -> None:
    for page in long.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.1)


def test_every_font_is_embedded(long: PdfReader) -> None:
    seen = 0
    for page in long.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font.get("/BaseFont")
            seen += 1
    assert seen


def test_the_font_covers_vietnamese() -> None:
    assert resolve_fonts().name in {
        "Times New Roman",
        "Liberation Serif",
        "DejaVu Serif Condensed",
        "DejaVu Serif",
    }


def test_a_long_list_repeats_its_heading_row_on_every_page(long: PdfReader) -> None:
    pages = list_pages(long)
    assert len(pages) >= 3
    for page in pages:
        text = flat(page.extract_text())
        assert "STT Tên sáng kiến, ý tưởng mới, mô hình Tác giả Đơn vị Lĩnh vực Điểm TB Xếp loại" in text


def test_page_numbers_from_the_second_page_of_each_part(long: PdfReader) -> None:
    pages = list_pages(long)
    assert not flat(pages[0].extract_text()).startswith("1 ")
    for number, page in enumerate(pages[1:], start=2):
        assert flat(page.extract_text()).startswith(f"{number} STT")


def test_header_layout_follows_nd_30(small: PdfReader) -> None:
    """Body top-left, motto top-right; the number and the date share a baseline; the date is italic."""
    found: dict[str, tuple[float, float, str]] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        text = text.strip()
        if text and text not in found:
            found[text] = (
                tm[4] * cm[0] + cm[4],
                tm[5] * cm[3] + cm[5],
                font.get("/BaseFont", "") if font else "",
            )

    small.pages[0].extract_text(visitor_text=visit)
    body = found["BAN THƯỜNG TRỰC"]
    motto = found["Độc lập - Tự do - Hạnh phúc"]
    number = found["Số: 12/QĐ-MTTQ-BTT"]
    place = found["Hà Nội, ngày 05 tháng 3 năm 2025"]
    assert body[0] < motto[0]
    assert number[1] == pytest.approx(place[1], abs=0.5)
    assert "Italic" in place[2] or "Oblique" in place[2]
    assert "Bold" in motto[2]
    signer = found["Nguyễn Thị Ánh"]
    recipients = found["Nơi nhận:"]
    assert signer[0] > recipients[0] + 100  # the signature block sits on the right
