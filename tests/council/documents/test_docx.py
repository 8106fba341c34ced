"""The decision as .docx: text, Times New Roman 13–14 pt, the list's repeated heading row, sections."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Pt

from council.documents.docx import render_docx
from council.documents.model import example_document

SMALL_PRINT = ("Mã xác thực:", "Tra cứu:")  # the verification lines, 9 pt


@pytest.fixture(scope="module")
def document() -> DocumentObject:
    return Document(io.BytesIO(render_docx(example_document(30))))


def all_text(document: DocumentObject) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_decision_and_list_text(document: DocumentObject) -> None:
    text = all_text(document)
    for expected in (
        "ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ HÀ NỘI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/QĐ-MTTQ-BTT",
        "Hà Nội, ngày 05 tháng 3 năm 2025",
        "QUYẾT ĐỊNH",
        "QUYẾT ĐỊNH:",
        "Nơi nhận:",
        "TM. BAN THƯỜNG TRỰC",
        "Nguyễn Thị Ánh",
        "DANH SÁCH",
        "(Kèm theo Quyết định số 12/QĐ-MTTQ-BTT ngày 05 tháng 3 năm 2025",
        "I. GIẢI A",
        "III. GIẢI C",
        "Mã xác thực: 9F3A-1C0B-E4D2",
    ):
        assert expected in text
    articles = [p.text for p in document.paragraphs if p.text.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert articles[-1].endswith("./.")


def test_only_the_article_number_is_bold(document: DocumentObject) -> None:
    article = next(p for p in document.paragraphs if p.text.startswith("Điều 1."))
    assert (article.runs[0].text, article.runs[0].bold) == ("Điều 1. ", True)
    assert not article.runs[1].bold


def test_body_text_is_times_new_roman_13_to_14_pt(document: DocumentObject) -> None:
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    runs = [r for p in document.paragraphs if p.text and not p.text.startswith(SMALL_PRINT) for r in p.runs]
    assert runs
    for run in runs:
        assert run.font.name == "Times New Roman"
        assert Pt(13) <= run.font.size <= Pt(14), run.text
        assert run.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"


def test_award_table_lists_every_row_with_a_repeated_heading(document: DocumentObject) -> None:
    table = document.tables[-1]
    heading = table.rows[0]
    assert heading._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in heading.cells][:3] == ["STT", "Tên sáng kiến, ý tưởng mới, mô hình", "Tác giả"]
    data = [r for r in table.rows[1:] if r.cells[0].text.isdigit()]
    assert [int(r.cells[0].text) for r in data] == list(range(1, 31))
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in data)
    assert data[0].cells[5].text == "95,0"
    for row in data:
        assert row.cells[0].paragraphs[0].runs[0].font.size == Pt(13)


def test_a4_margins_and_a_new_section_for_the_list(document: DocumentObject) -> None:
    decision, award_list = document.sections
    for section in (decision, award_list):
        sizes = (section.page_width, section.page_height, section.top_margin, section.left_margin)
        assert [s.mm for s in sizes] == pytest.approx([210, 297, 20, 30], abs=0.05)  # stored in twips
        assert section.right_margin.mm == pytest.approx(15, abs=0.05)
        assert section.different_first_page_header_footer
    assert award_list._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert "PAGE" in award_list.header._element.xml
