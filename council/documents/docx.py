"""The decision and its award list as an editable Word file (python-docx), Times New Roman 13–14 pt.

The layout mirrors :mod:`council.documents.pdf`: borderless two-column tables for the header and
the closing block, short rules drawn as paragraph borders, the Danh sách in a new section (page
numbering restarts) whose table repeats its heading row (``w:tblHeader``) and never splits a row
(``w:cantSplit``). Page numbers: a PAGE field top centre, none on the first page of each part.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from council.documents.model import LIST_COLUMNS, MOTTO, MOTTO_NATION, DecisionDocument, group_heading
from council.documents.qr import qr_png

__all__ = ["FONT", "render_docx"]

FONT = "Times New Roman"
BODY_SIZE, TABLE_SIZE = 14, 13
MARGINS = {"top_margin": 20, "bottom_margin": 20, "left_margin": 30, "right_margin": 15}  # mm
TEXT_WIDTH = 165.0  # mm
# The tier column is wide enough for a tier such as “Đề nghị khen thưởng cấp trên” without breaking words.
COLUMN_WIDTHS = (11, 40, 29, 26, 19, 14, 26)  # mm
COLUMN_ALIGN = ("C", "L", "L", "L", "L", "R", "C")
ALIGN = {
    "L": WD_ALIGN_PARAGRAPH.LEFT,
    "C": WD_ALIGN_PARAGRAPH.CENTER,
    "R": WD_ALIGN_PARAGRAPH.RIGHT,
    "J": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
# Elements that must follow the ones we add, in the order of the WordprocessingML schema.
AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
AFTER_PGNUMTYPE = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)


def _set_font(run_or_style: object, size: float, *, bold: bool = False, italic: bool = False) -> None:
    """Times New Roman for every script (Word picks rFonts by script), size, bold, italic."""
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name, font.size = FONT, Pt(size)
    if bold:
        font.bold = True
    if italic:
        font.italic = True
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _para(
    container: object,
    text: str = "",
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    align: str = "C",
    indent: float = 0,
    after: float = 0,
) -> Paragraph:
    """A paragraph with one run, aligned, with a first-line indent (mm) and space after (pt)."""
    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(after), 1.15
    if indent:
        fmt.first_line_indent = Mm(indent)
    if text:
        _set_font(paragraph.add_run(text), size, bold=bold, italic=italic)
    return paragraph


def _rule(container: object, *, width: float, column: float) -> None:
    """A centred solid rule ``width`` mm long in a column ``column`` mm wide (a bottom border)."""
    paragraph = _para(container, size=4)
    side = max((column - width) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *AFTER_PBDR)
    _set_font(paragraph.add_run(), 4)


def _borderless(table: Table) -> None:
    """No borders on a layout table."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *AFTER_TBLBORDERS)


def _layout_table(document: object, widths: tuple[float, float]) -> tuple[_Cell, _Cell]:
    """A borderless two-column table; its two cells, emptied of their default paragraph."""
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borderless(table)
    cells = table.rows[0].cells
    for cell, width in zip(cells, widths, strict=True):
        cell.width = Mm(width)
        cell._tc.remove(cell.paragraphs[0]._p)
    return cells[0], cells[1]


def _header(document: object, doc: DecisionDocument, *, with_number: bool) -> None:
    """Body, rule (and number) left; motto, rule (and place and date) right."""
    left_w = TEXT_WIDTH * 0.4
    left, right = _layout_table(document, (left_w, TEXT_WIDTH - left_w))
    _para(left, doc.parent_body, size=13)
    _para(left, doc.issuing_body, size=13, bold=True)
    _rule(left, width=len(doc.issuing_body) * 1.2, column=left_w)
    _para(right, MOTTO_NATION, size=12.5, bold=True)
    _para(right, MOTTO, size=14, bold=True)
    _rule(right, width=len(MOTTO) * 2.3, column=TEXT_WIDTH - left_w)  # about the width of the motto
    if with_number:
        _para(left, doc.number_line, size=13, after=0).paragraph_format.space_before = Pt(6)
        _para(right, doc.place_date, size=14, italic=True).paragraph_format.space_before = Pt(6)


def _title(document: object, heading: str, summary: str, note: str = "") -> None:
    """Bold centred heading and summary, an optional italic note, a short rule."""
    _para(document, heading, bold=True).paragraph_format.space_before = Pt(12)
    _para(document, summary, bold=True)
    if note:
        _para(document, note, italic=True)
    _rule(document, width=50, column=TEXT_WIDTH)
    _para(document, size=6)


def _body(document: object, doc: DecisionDocument) -> None:
    """Authority line, căn cứ, "QUYẾT ĐỊNH:" and the Điều (only "Điều N." bold)."""
    _para(document, doc.authority, bold=True, after=6)
    for ground in doc.grounds:
        _para(document, ground, italic=True, align="J", indent=12.7, after=6)
    _para(document, "QUYẾT ĐỊNH:", bold=True, after=6)
    for number, article in enumerate(doc.articles, start=1):
        paragraph = _para(document, align="J", indent=12.7, after=6)
        _set_font(paragraph.add_run(f"Điều {number}. "), BODY_SIZE, bold=True)
        _set_font(paragraph.add_run(article), BODY_SIZE)


def _closing(document: object, doc: DecisionDocument) -> None:
    """Nơi nhận (12/11 pt, left) level with the signature block (right); QR code under Nơi nhận."""
    left_w = TEXT_WIDTH * 0.45
    left, right = _layout_table(document, (left_w, TEXT_WIDTH - left_w))
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align="L")
    for line in doc.recipients:
        _para(left, line, size=11, align="L")
    _verification(left, doc)
    _para(right, doc.signing_authority, bold=True)
    _para(right, doc.signer_title, bold=True)
    _para(right, size=14).paragraph_format.space_after = Pt(70)  # ~25 mm for signature and seal
    _para(right, doc.signer_name, bold=True)


def _verification(container: object, doc: DecisionDocument) -> None:
    """The QR code of the verification URL and the short code."""
    paragraph = _para(container, align="L")
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.add_run().add_picture(io.BytesIO(qr_png(doc.verify_url, scale=4)), width=Mm(16))
    _para(container, f"Mã xác thực: {doc.code}", size=9, align="L")
    _para(container, f"Tra cứu: {doc.verify_url}", size=9, align="L")


def _mark(row_element: object, *tags: str) -> None:
    """Add ``<w:tag/>`` elements to a row's properties, in schema order (cantSplit, then tblHeader)."""
    tr_pr = row_element.get_or_add_trPr()  # type: ignore[attr-defined]
    for tag in tags:
        tr_pr.append(OxmlElement(tag))


def _fill_cell(cell: _Cell, text: str, *, align: str, bold: bool = False) -> None:
    """One run of table text: 13 pt, the family inherited from Normal (set once, for speed)."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(0)
    font = paragraph.add_run(text).font
    font.size = Pt(TABLE_SIZE)
    if bold:
        font.bold = True


def _award_table(document: object, doc: DecisionDocument) -> None:
    """The award table: heading row repeated on every page, a bold row per tier, rows never split."""
    table = document.add_table(rows=1, cols=len(LIST_COLUMNS))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = Mm(width)  # the grid: rows added later take these widths
    heading = table.rows[0]
    _mark(heading._tr, "w:cantSplit", "w:tblHeader")
    for cell, text, width in zip(heading.cells, LIST_COLUMNS, COLUMN_WIDTHS, strict=True):
        cell.width = Mm(width)
        _fill_cell(cell, text, align="C", bold=True)
    stt = 0
    for index, group in enumerate(doc.award_groups):
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        _fill_cell(merged, group_heading(index, group.tier), align="L", bold=True)
        for row in group.rows:
            stt += 1
            texts = row.cells(stt, group.tier)
            new = table.add_row()
            _mark(new._tr, "w:cantSplit")
            for cell, text, align in zip(new.cells, texts, COLUMN_ALIGN, strict=True):
                _fill_cell(cell, text, align=align)


def _page_numbers(section: object) -> None:
    """A PAGE field top centre; a different (empty) first-page header."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    header = section.header  # type: ignore[attr-defined]
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = paragraph.add_run()
        _set_font(run, BODY_SIZE)
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)


def _setup(section: object, *, restart: bool) -> None:
    """A4 portrait, NĐ 30 margins, page numbers (restarting at 1 when ``restart``)."""
    section.page_width, section.page_height = Mm(210), Mm(297)  # type: ignore[attr-defined]
    for name, value in MARGINS.items():
        setattr(section, name, Mm(value))
    section.header_distance = Mm(8)  # type: ignore[attr-defined]
    _page_numbers(section)
    if restart:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        section._sectPr.insert_element_before(numbering, *AFTER_PGNUMTYPE)  # type: ignore[attr-defined]


def render_docx(doc: DecisionDocument) -> bytes:
    """The decision and (in a new section, on a new page) its award list as .docx bytes."""
    document = Document()
    _set_font(document.styles["Normal"], BODY_SIZE)
    document.core_properties.title = f"{doc.title} {doc.number_symbol.strip()}"
    document.core_properties.author = f"{doc.parent_body} - {doc.issuing_body}"
    document.core_properties.language = "vi-VN"
    _setup(document.sections[0], restart=False)
    _header(document, doc, with_number=True)
    _title(document, doc.title, doc.summary)
    _body(document, doc)
    _closing(document, doc)
    _setup(document.add_section(WD_SECTION.NEW_PAGE), restart=True)
    _header(document, doc, with_number=False)
    _title(document, doc.list_heading, doc.list_title, doc.list_reference)
    _award_table(document, doc)
    _para(document, doc.total_line, size=TABLE_SIZE, align="L").paragraph_format.space_before = Pt(6)
    _verification(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
