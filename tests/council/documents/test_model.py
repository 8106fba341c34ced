"""The decision's data: NFC everywhere, number and date lines, the list reference, rank order."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date

import pytest

from council.documents.model import AwardRow, by_rank, example_document, group_heading


def test_strings_are_stored_in_nfc() -> None:
    row = AwardRow(
        unicodedata.normalize("NFD", "Tính kinh tế"), ("Nguye\u0302\u0303n Thị Ánh",), "Đơn vị", "Kinh tế", 1
    )
    assert row.title == "Tính kinh tế"
    assert row.authors == ("Nguyễn Thị Ánh",)


def test_number_line_place_date_and_list_reference() -> None:
    doc = example_document(3)
    assert doc.number_line == "Số: 12/QĐ-MTTQ-BTT"
    assert doc.place_date == "Hà Nội, ngày 05 tháng 3 năm 2025"
    assert doc.list_reference.startswith(
        "(Kèm theo Quyết định số 12/QĐ-MTTQ-BTT ngày 05 tháng 3 năm 2025 của "
    )
    assert doc.code == "9F3A-1C0B-E4D2"


def test_numbers_below_10_get_a_leading_zero_and_none_leaves_a_blank() -> None:
    doc = example_document(3)
    assert dataclasses.replace(doc, number=5).number_line == "Số: 05/QĐ-MTTQ-BTT"
    assert dataclasses.replace(doc, number=None).number_line == "Số:       /QĐ-MTTQ-BTT"
    with pytest.raises(ValueError, match="number must be 1 or more"):
        dataclasses.replace(doc, number=0)


def test_a_short_fingerprint_is_refused() -> None:
    with pytest.raises(ValueError, match="12 hexadecimal digits"):
        dataclasses.replace(example_document(3), fingerprint="abc")


def test_by_rank_orders_by_score_then_lead_author_in_vietnamese_order() -> None:
    rows = [
        AwardRow("c", ("Đỗ Thị Ân",), "", "", 80.0),
        AwardRow("a", ("Trần Văn Bình",), "", "", 90.0),
        AwardRow("b", ("Nguyễn Thị Ánh",), "", "", 80.0),
    ]
    assert [r.title for r in by_rank(rows)] == ["a", "b", "c"]


def test_group_headings_use_roman_numerals() -> None:
    assert group_heading(0, "Giải A") == "I. GIẢI A"
    assert group_heading(3, "Khuyến khích") == "IV. KHUYẾN KHÍCH"


def test_example_document_groups_every_row_once() -> None:
    doc = example_document(10, issued_on=date(2025, 1, 2))
    assert doc.row_count == 10
    assert [g.tier for g in doc.award_groups] == ["Giải A", "Giải B", "Giải C"]
    assert doc.place_date.endswith("ngày 02 tháng 01 năm 2025")
