"""Dates, decimal commas, short codes, NFC and Vietnamese name collation (DECISION-FORMAT.md §5)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from council.documents.vietnamese import (
    collation_key,
    format_date,
    format_number,
    nfc,
    short_code,
    sort_names,
    text_key,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # The decree's own examples (PL-I II.4b) and the format file's (§5.2).
        (date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
        (date(2025, 3, 5), "ngày 05 tháng 3 năm 2025"),
        (date(2025, 3, 12), "ngày 12 tháng 3 năm 2025"),
        (date(2025, 2, 12), "ngày 12 tháng 02 năm 2025"),
        (date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
        (date(2025, 10, 9), "ngày 09 tháng 10 năm 2025"),
    ],
)
def test_format_date_pads_days_below_10_and_months_1_and_2(day: date, expected: str) -> None:
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (87.5, 1, "87,5"),
        (87, 1, "87,0"),
        (87.25, 1, "87,3"),  # halves round up, not to even
        (87.349, 2, "87,35"),
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (-3.25, 1, "-3,3"),
        (0.04, 1, "0,0"),
    ],
)
def test_format_number_uses_a_decimal_comma(value: float, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_refuses_negative_decimals() -> None:
    with pytest.raises(ValueError, match="decimals must be 0 or more"):
        format_number(1.0, -1)


def test_short_code_groups_the_first_12_hex_digits() -> None:
    assert short_code("a1b2c3d4e5f60718293a") == "A1B2-C3D4-E5F6"
    assert short_code("sha256:a1b2c3d4e5f60718293a") == "A1B2-C3D4-E5F6"


def test_short_code_refuses_a_short_fingerprint() -> None:
    with pytest.raises(ValueError, match="at least 12 hexadecimal digits"):
        short_code("abc123")


def test_nfc_composes_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert decomposed != "Nguyễn Thị Ánh"
    assert nfc(decomposed) == "Nguyễn Thị Ánh"
    assert len(nfc(decomposed)) == len("Nguyễn Thị Ánh")


def test_names_sort_by_given_name_with_vietnamese_letters_and_tones() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị Ánh", "Lê Văn An", "Phạm Đức Anh", "Đỗ Thị Ân"]
    # Given names: An < Anh < Ánh (same letters, acute after none) < Ân (â after a) < Bình.
    assert sort_names(names) == ["Lê Văn An", "Phạm Đức Anh", "Nguyễn Thị Ánh", "Đỗ Thị Ân", "Trần Văn Bình"]


def test_names_tie_on_given_name_then_middle_then_family() -> None:
    names = ["Phạm Văn Anh", "Lê Đức Anh", "Phạm Đức Anh", "Anh"]
    assert sort_names(names) == ["Anh", "Lê Đức Anh", "Phạm Đức Anh", "Phạm Văn Anh"]


def test_names_sort_the_same_composed_or_decomposed() -> None:
    names = ["Đỗ Thị Ân", "Nguyễn Thị Ánh"]
    decomposed = [unicodedata.normalize("NFD", n) for n in names]
    assert [nfc(n) for n in sort_names(decomposed)] == sort_names(names)


def test_full_ties_keep_their_order() -> None:
    assert sort_names(["Lê An", "lê an", "Lê  An"]) == ["lê an", "Lê An", "Lê  An"]  # lower case first


def test_letter_order_is_the_vietnamese_alphabet() -> None:
    letters = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = sorted(letters, key=lambda c: (ord(c) * 7919) % 101)
    assert sorted(shuffled, key=text_key) == letters
    assert sorted(["đa", "dz", "da"], key=text_key) == ["da", "dz", "đa"]  # đ after every d


def test_tones_follow_the_dictionary_order() -> None:
    # ICU "vi": none < huyền < hỏi < ngã < sắc < nặng (the forum's sắc-before-hỏi order is not used).
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=text_key) == tones


def test_letters_decide_before_tones() -> None:
    # "Ánh" has the letters a-n-h; "Ân" has â-n: the letter â decides, whatever the tones.
    assert text_key("Ánh") < text_key("Ân")
    assert text_key("Bà") < text_key("Bác")  # a shorter word first, whatever its tone


def test_collation_key_of_an_empty_name() -> None:
    assert collation_key("   ") == ()
