"""The award list as .xlsx: rows, groups, numbers, print titles and formula neutralisation."""

from __future__ import annotations

import dataclasses
import io

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from council.documents.model import LIST_COLUMNS, AwardGroup, AwardRow, example_document
from council.documents.xlsx import render_xlsx


def sheet(doc=None) -> Worksheet:  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(render_xlsx(doc or example_document(25)))).active


def test_titles_heading_groups_and_every_row() -> None:
    ws = sheet()
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "DANH SÁCH"
    assert values[2][0].startswith("(Kèm theo Quyết định số 12/QĐ-MTTQ-BTT ngày 05 tháng 3 năm 2025")
    header = values.index(list(LIST_COLUMNS))
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    groups = [v[0] for v in values if isinstance(v[0], str) and v[0].startswith(("I.", "II.", "III."))]
    assert groups == ["I. GIẢI A", "II. GIẢI B", "III. GIẢI C"]
    rows = [v for v in values[header + 1 :] if isinstance(v[0], int)]
    assert [r[0] for r in rows] == list(range(1, 26))
    assert rows[0][5] == 95.0  # a number, shown with one decimal
    assert any(v[0] == "Tổng cộng: 25 sáng kiến, ý tưởng mới, mô hình./." for v in values)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    risky = AwardRow('=HYPERLINK("http://x","y")', ("+Nguyễn Thị Ánh", "@b"), "-1+2", "\tTab", 80.0)
    doc = dataclasses.replace(example_document(3), award_groups=(AwardGroup("=Giải", (risky,)),))
    ws = sheet(doc)
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ('=HYPERLINK("http://x","y")', "+Nguyễn Thị Ánh, @b", "-1+2", "\tTab", "=Giải"):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    assert cells["I. =GIẢI"].data_type == "s"
