"""The award list as an Excel workbook (openpyxl): title lines, a table grouped by tier, print set-up.

Text that a spreadsheet could run as a formula (starting with = + - @, a tab or a carriage return)
is stored as a plain string with Excel's "quote prefix" style, so it shows as typed and never runs.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from council.documents.model import LIST_COLUMNS, DecisionDocument, group_heading

__all__ = ["FORMULA_START", "neutralise", "render_xlsx"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # as council.services.imports.sheets
FONT = "Times New Roman"
WIDTHS = (6, 48, 32, 30, 20, 9, 12)  # characters
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def neutralise(cell: Cell) -> None:
    """Keep a string that looks like a formula as text (type "s", quote prefix); other values as they are."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _append(ws: Worksheet, values: list[Any], *, bold: bool = False, boxed: bool = True) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        neutralise(cell)
        cell.font = Font(name=FONT, size=12, bold=bold)
        cell.alignment = WRAP
        if boxed:
            cell.border = BOX


def _titles(ws: Worksheet, doc: DecisionDocument) -> None:
    """DANH SÁCH, the list title and the "(Kèm theo ...)" line, merged across the table."""
    last = get_column_letter(len(LIST_COLUMNS))
    for text, bold, italic in (
        (doc.list_heading, True, False),
        (doc.list_title, True, False),
        (doc.list_reference, False, True),
    ):
        ws.append([text])
        row = ws.max_row
        neutralise(ws.cell(row, 1))
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.cell(row, 1).font = Font(name=FONT, size=13, bold=bold, italic=italic)
        ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = 34 if len(text) > 80 else 18
    ws.append([])


def render_xlsx(doc: DecisionDocument) -> bytes:
    """The award list as .xlsx bytes: one sheet, header row frozen and printed on every page."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    _titles(ws, doc)
    _append(ws, list(LIST_COLUMNS), bold=True)
    header_row = ws.max_row
    stt = 0
    for index, group in enumerate(doc.award_groups):
        _append(ws, [group_heading(index, group.tier)], bold=True)
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(LIST_COLUMNS))
        for row in group.rows:
            stt += 1
            _append(
                ws,
                [
                    stt,
                    row.title,
                    ", ".join(row.authors),
                    row.unit,
                    row.field,
                    row.score,
                    row.tier or group.tier,
                ],
            )
            ws.cell(ws.max_row, 6).number_format = "0.0"
    ws.append([doc.total_line])
    neutralise(ws.cell(ws.max_row, 1))
    ws.append([f"Mã xác thực: {doc.code}", None, doc.verify_url])
    _page_setup(ws, header_row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _page_setup(ws: Worksheet, header_row: int) -> None:
    """Column widths, frozen header, A4 portrait fitted to the width, header row on every printed page."""
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right = 30 / 25.4, 15 / 25.4
    ws.page_margins.top, ws.page_margins.bottom = 20 / 25.4, 20 / 25.4
