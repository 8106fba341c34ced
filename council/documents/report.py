"""The movement's 6-month and yearly report (Báo cáo kết quả thực hiện Phong trào) as .docx and .xlsx.

A pure rendering layer like the decision's (no database, no Flask): build a :class:`ReportDocument`
and call :func:`render_docx` (the report in the administrative layout of Nghị định 30/2020: header
block with the unit and the national motto, "Số: …/BC-…", place and date, title, sections I–III
with the figures' tables and the chart, Nơi nhận and the signature) or :func:`render_xlsx` (one
sheet per breakdown, figures as numbers, text that a spreadsheet could run as a formula kept as
text). Every string is stored in Unicode NFC. The header, rules and page set-up are the decision's
(:mod:`council.documents.docx`), so both documents look alike.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from council.documents import docx as word
from council.documents import xlsx as sheet
from council.documents.model import _normalise_fields, number_symbol
from council.documents.vietnamese import format_date

__all__ = [
    "MOVEMENT",
    "FigureRow",
    "FigureTable",
    "ReplicationLine",
    "ReportDocument",
    "SummaryRow",
    "render_docx",
    "render_xlsx",
]

MOVEMENT = (
    "Phong trào thi đua “Đoàn kết sáng tạo, nâng cao năng suất, chất lượng, hiệu quả, hội nhập quốc tế”"
)
FIGURE_COLUMNS = ("Tiếp nhận", "Đã chấm", "Được công nhận")
TABLE_SIZE = 12
# STT, label, then (this period, previous period) for each of the three figures: 165 mm in all.
FIGURE_WIDTHS = (10, 53, 17, 17, 17, 17, 17, 17)
SUMMARY_WIDTHS = (10, 80, 25, 25, 25)
REPLICATION_WIDTHS = (10, 55, 40, 40, 20)


def _signed(value: int) -> str:
    """ "+3", "-2" (with a true minus sign), "0"."""
    if value > 0:
        return f"+{value}"
    return f"\u2212{-value}" if value < 0 else "0"


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary table: a figure in this period and the one before."""

    label: str
    current: int
    previous: int

    def __post_init__(self) -> None:
        _normalise_fields(self)

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class FigureRow:
    """One line of a breakdown: (received, scored, recognised) in this period and the one before."""

    label: str
    current: tuple[int, int, int]
    previous: tuple[int, int, int]

    def __post_init__(self) -> None:
        _normalise_fields(self)

    def numbers(self) -> tuple[int, ...]:
        """Received, then scored, then recognised, each as (this period, previous period)."""
        return tuple(value for pair in zip(self.current, self.previous, strict=True) for value in pair)


@dataclass(frozen=True)
class FigureTable:
    """A breakdown: its heading ("2. Theo lĩnh vực"), the sheet's name, the label column, its rows."""

    heading: str
    sheet: str
    column: str
    rows: tuple[FigureRow, ...]
    total: FigureRow

    def __post_init__(self) -> None:
        _normalise_fields(self)


@dataclass(frozen=True)
class ReplicationLine:
    """A model replicated in the period: which, recognised where, replicated by whom and where."""

    model: str
    origin: str
    unit: str
    place: str
    started_on: date | None

    def __post_init__(self) -> None:
        _normalise_fields(self)


@dataclass(frozen=True)
class ReportDocument:
    """Everything printed on a Báo cáo kết quả thực hiện Phong trào.

    Header as the decision's: ``parent_body`` (upright), ``issuing_body`` (bold), "Số: 05/BC-MTTQ-BTT"
    (``number`` None leaves the blank filled in by hand), ``place`` and ``issued_on``. Title: "BÁO
    CÁO" and :attr:`title_line` ("Kết quả thực hiện Phong trào thi đua “…” 6 tháng đầu năm 2025",
    from ``period_title``), ``period_span`` ("từ ngày … đến ngày …") under it; ``previous_span`` is
    the period compared with. Body: ``intro``; I. the figures
    (``summary`` with ``summary_text``, ``tables``, ``replications`` with ``replication_text``,
    ``chart_png`` with ``chart_caption``); II. ``assessment``; III. ``directions`` (free text, one
    paragraph a line). Closing: ``recipients`` (each "- …"), ``signing_authority``,
    ``signer_title``, ``signer_name``. ``unit`` heads the workbook's sheets.
    """

    unit: str
    parent_body: str
    issuing_body: str
    number: int | None
    symbol: str
    place: str
    issued_on: date
    period_title: str
    period_span: str
    previous_span: str
    intro: str
    summary: tuple[SummaryRow, ...]
    summary_text: str
    tables: tuple[FigureTable, ...]
    replications: tuple[ReplicationLine, ...]
    replication_text: str
    chart_png: bytes | None
    chart_caption: str
    assessment: str
    directions: str
    recipients: tuple[str, ...]
    signing_authority: str
    signer_title: str
    signer_name: str

    def __post_init__(self) -> None:
        _normalise_fields(self)
        if self.number is not None and self.number < 1:
            raise ValueError(f"number must be 1 or more (or None), not {self.number}")

    @property
    def number_line(self) -> str:
        """ "Số: 05/BC-MTTQ-BTT", or "Số:      /BC-MTTQ-BTT" to be filled in by hand."""
        return f"Số: {number_symbol(self.number, self.symbol)}"

    @property
    def place_date(self) -> str:
        """ "Tam Đường, ngày 05 tháng 6 năm 2025"."""
        return f"{self.place}, {format_date(self.issued_on)}" if self.place else format_date(self.issued_on)

    @property
    def title_line(self) -> str:
        return f"Kết quả thực hiện {MOVEMENT} {self.period_title}"

    @property
    def period_note(self) -> str:
        """ "(Từ ngày 01 tháng 01 năm 2025 đến ngày 30 tháng 6 năm 2025)", under the title."""
        return f"({self.period_span[:1].upper()}{self.period_span[1:]})"


# --- Word ----------------------------------------------------------------------------------------------


def _heading(document: Any, text: str, *, indent: bool = True) -> None:
    paragraph = word._para(document, text, bold=True, align="J", indent=12.7 if indent else 0, after=6)
    paragraph.paragraph_format.keep_with_next = True


def _paragraphs(document: Any, text: str) -> None:
    """Free text, one justified and indented paragraph a line; "…" for none (filled in by hand)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()] or ["…"]
    for line in lines:
        word._para(document, line, align="J", indent=12.7, after=6)


def _grid(document: Any, widths: tuple[float, ...], header_rows: int) -> Any:
    table = document.add_table(rows=header_rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        word._mark(row._tr, "w:cantSplit", "w:tblHeader")
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    return table


def _cell(cell: Any, text: str, *, align: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = word.ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(0)
    font = paragraph.add_run(text).font
    font.size = Pt(TABLE_SIZE)
    if bold:
        font.bold = True


def _add_row(table: Any, texts: tuple[str, ...], aligns: str, *, bold: bool = False) -> None:
    row = table.add_row()
    word._mark(row._tr, "w:cantSplit")
    for cell, text, align in zip(row.cells, texts, aligns, strict=True):
        _cell(cell, text, align=align, bold=bold)


def _summary_table(document: Any, doc: ReportDocument) -> None:
    table = _grid(document, SUMMARY_WIDTHS, 1)
    for cell, text in zip(
        table.rows[0].cells, ("STT", "Nội dung", "Kỳ này", "Kỳ trước", "Tăng (+), giảm (−)"), strict=True
    ):
        _cell(cell, text, align="C", bold=True)
    for index, row in enumerate(doc.summary, start=1):
        texts = (str(index), row.label, str(row.current), str(row.previous), _signed(row.change))
        _add_row(table, texts, "CLRRR")


def _figure_table(document: Any, table_data: FigureTable) -> None:
    """Two heading rows: each figure spans "Kỳ này" and "Kỳ trước"; STT and the label span both rows."""
    table = _grid(document, FIGURE_WIDTHS, 2)
    top, sub = table.rows[0].cells, table.rows[1].cells
    for index, text in ((0, "STT"), (1, table_data.column)):
        merged = top[index].merge(sub[index])
        _cell(merged, text, align="C", bold=True)
    for k, text in enumerate(FIGURE_COLUMNS):
        first = 2 + 2 * k
        _cell(top[first].merge(top[first + 1]), text, align="C", bold=True)
        _cell(sub[first], "Kỳ này", align="C", bold=True)
        _cell(sub[first + 1], "Kỳ trước", align="C", bold=True)
    for index, row in enumerate(table_data.rows, start=1):
        _add_row(table, (str(index), row.label, *map(str, row.numbers())), "CLRRRRRR")
    total = table_data.total
    _add_row(table, ("", total.label, *map(str, total.numbers())), "CLRRRRRR", bold=True)


def _replication_table(document: Any, doc: ReportDocument) -> None:
    table = _grid(document, REPLICATION_WIDTHS, 1)
    heading = ("STT", "Mô hình", "Đơn vị có mô hình", "Đơn vị, địa điểm nhân rộng", "Từ ngày")
    for cell, text in zip(table.rows[0].cells, heading, strict=True):
        _cell(cell, text, align="C", bold=True)
    for index, line in enumerate(doc.replications, start=1):
        where = f"{line.unit}: {line.place}" if line.place else line.unit
        started = line.started_on.strftime("%d/%m/%Y") if line.started_on else ""
        _add_row(table, (str(index), line.model, line.origin, where, started), "CLLLC")


def _chart(document: Any, doc: ReportDocument) -> None:
    if not doc.chart_png:
        return
    paragraph = word._para(document, align="C")
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(doc.chart_png), width=Mm(160))
    word._para(document, doc.chart_caption, size=12, italic=True, after=6)


def _closing(document: Any, doc: ReportDocument) -> None:
    """Nơi nhận (12/11 pt, left) level with the signature block (right), as on the decision."""
    left_w = word.TEXT_WIDTH * 0.45
    left, right = word._layout_table(document, (left_w, word.TEXT_WIDTH - left_w))
    word._para(left, "Nơi nhận:", size=12, bold=True, italic=True, align="L")
    for line in doc.recipients:
        word._para(left, line, size=11, align="L")
    word._para(right, doc.signing_authority, bold=True)
    word._para(right, doc.signer_title, bold=True)
    word._para(right, size=14).paragraph_format.space_after = Pt(70)  # ~25 mm for signature and seal
    word._para(right, doc.signer_name, bold=True)


def render_docx(doc: ReportDocument) -> bytes:
    """The report as .docx bytes: A4, NĐ 30 margins and header, Times New Roman 14 pt (tables 12 pt)."""
    document = Document()
    word._set_font(document.styles["Normal"], word.BODY_SIZE)
    document.core_properties.title = f"Báo cáo {doc.title_line}"
    document.core_properties.author = f"{doc.parent_body} - {doc.issuing_body}".strip(" -")
    document.core_properties.language = "vi-VN"
    word._setup(document.sections[0], restart=False)
    word._header(document, doc, with_number=True)
    word._title(document, "BÁO CÁO", doc.title_line, doc.period_note)
    _paragraphs(document, doc.intro)
    _heading(document, "I. KẾT QUẢ THỰC HIỆN", indent=False)
    _heading(document, "1. Tổng hợp chung")
    _paragraphs(document, doc.summary_text)
    _summary_table(document, doc)
    for table_data in doc.tables:
        word._para(document, size=6)
        _heading(document, table_data.heading)
        _figure_table(document, table_data)
    word._para(document, size=6)
    _heading(document, f"{len(doc.tables) + 2}. Nhân rộng mô hình")
    _paragraphs(document, doc.replication_text)
    if doc.replications:
        _replication_table(document, doc)
    if doc.chart_png:
        word._para(document, size=6)
        _heading(document, f"{len(doc.tables) + 3}. Biểu đồ so sánh với kỳ trước")
        _chart(document, doc)
    _heading(document, "II. ĐÁNH GIÁ CHUNG", indent=False)
    _paragraphs(document, doc.assessment)
    _heading(document, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ", indent=False)
    _paragraphs(document, doc.directions)
    word._para(document, size=6)
    _closing(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Excel ---------------------------------------------------------------------------------------------


def _text_row(ws: Worksheet, text: str, *, bold: bool = False, italic: bool = False, span: int = 8) -> None:
    ws.append([text])
    row = ws.max_row
    sheet.neutralise(ws.cell(row, 1))
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    ws.cell(row, 1).font = Font(name=sheet.FONT, size=12, bold=bold, italic=italic)
    ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[row].height = 32 if len(text) > 90 else 17


def _sheet_head(ws: Worksheet, doc: ReportDocument, heading: str, span: int) -> None:
    _text_row(ws, f"{doc.unit} – Báo cáo {doc.title_line}", bold=True, span=span)
    _text_row(ws, heading, bold=True, span=span)
    _text_row(ws, f"Kỳ này: {doc.period_span}; kỳ trước: {doc.previous_span}.", italic=True, span=span)
    ws.append([])


def _widths(ws: Worksheet, widths: tuple[int, ...], header_row: int) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _figures_sheet(ws: Worksheet, doc: ReportDocument, table_data: FigureTable) -> None:
    _sheet_head(ws, doc, table_data.heading, 8)
    heading = ["STT", table_data.column]
    for text in FIGURE_COLUMNS:
        heading += [f"{text} (kỳ này)", f"{text} (kỳ trước)"]
    sheet._append(ws, heading, bold=True)
    header_row = ws.max_row
    for index, row in enumerate(table_data.rows, start=1):
        sheet._append(ws, [index, row.label, *row.numbers()])
    sheet._append(ws, [None, table_data.total.label, *table_data.total.numbers()], bold=True)
    _widths(ws, (6, 46, 13, 13, 13, 13, 15, 15), header_row)


def _summary_sheet(ws: Worksheet, doc: ReportDocument) -> None:
    _sheet_head(ws, doc, "1. Tổng hợp chung", 5)
    sheet._append(ws, ["STT", "Nội dung", "Kỳ này", "Kỳ trước", "Tăng (+), giảm (−)"], bold=True)
    header_row = ws.max_row
    for index, row in enumerate(doc.summary, start=1):
        sheet._append(ws, [index, row.label, row.current, row.previous, row.change])
        ws.cell(ws.max_row, 5).number_format = "+0;-0;0"
    _widths(ws, (6, 52, 12, 12, 18), header_row)


def _replication_sheet(ws: Worksheet, doc: ReportDocument, heading: str) -> None:
    _sheet_head(ws, doc, heading, 6)
    columns = ["STT", "Mô hình", "Đơn vị có mô hình", "Đơn vị nhân rộng", "Địa điểm nhân rộng", "Từ ngày"]
    sheet._append(ws, columns, bold=True)
    header_row = ws.max_row
    for index, line in enumerate(doc.replications, start=1):
        sheet._append(ws, [index, line.model, line.origin, line.unit, line.place, line.started_on])
        ws.cell(ws.max_row, 6).number_format = "dd/mm/yyyy"
    _widths(ws, (6, 46, 30, 30, 30, 12), header_row)


def render_xlsx(doc: ReportDocument) -> bytes:
    """The figures as .xlsx bytes: a summary sheet, a sheet per breakdown, the replicated models."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Tổng hợp"
    _summary_sheet(summary, doc)
    for table_data in doc.tables:
        _figures_sheet(wb.create_sheet(table_data.sheet[:31]), doc, table_data)
    _replication_sheet(wb.create_sheet("Nhân rộng mô hình"), doc, f"{len(doc.tables) + 2}. Nhân rộng mô hình")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
