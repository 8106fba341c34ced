"""Vietnamese text for printed decisions: NFC, dates, decimal commas, name collation, short codes.

The rules are those of ``DECISION-FORMAT.md`` §5: dates per Nghị định 30/2020 (Phụ lục I, II.4b),
names sorted by given name, then middle names, then family name, letters in the Vietnamese
alphabet order ``a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y`` with the tones
breaking ties in dictionary order (none < huyền < hỏi < ngã < sắc < nặng), as ICU's "vi"
collation (``icu4c/source/data/coll/vi.txt``) does. Pure Python: no ICU needed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "collation_key",
    "format_date",
    "format_number",
    "nfc",
    "short_code",
    "sort_names",
    "text_key",
]

# Primary order of the letters: the Vietnamese alphabet with f, j, w, z where Latin puts them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make a new letter (breve, circumflex, horn) and the five tones, in dictionary order.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_DIGIT_BASE, _LETTER_BASE, _OTHER_BASE = 0, 100, 1000

WordKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def nfc(text: str) -> str:
    """``text`` in Unicode normalisation form C (precomposed letters, as printed documents need)."""
    return unicodedata.normalize("NFC", text)


def format_date(d: date) -> str:
    """The date as "ngày 05 tháng 3 năm 2025" (NĐ 30/2020, PL-I II.4b).

    Days below 10 and the months 1 and 2 take a leading zero: "ngày 12 tháng 02 năm 2025".
    """
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def format_number(x: float, decimals: int = 1) -> str:
    """A number the Vietnamese way: decimal comma, dot between thousands, halves rounded up.

    ``format_number(87.5) == "87,5"``, ``format_number(1234.56, 2) == "1.234,56"``.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, not {decimals}")
    quantum = Decimal(1).scaleb(-decimals)
    value = Decimal(str(x)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(value):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"-{text}" if value < 0 else text


def short_code(fingerprint: str) -> str:
    """The first 12 hex digits of a fingerprint, upper case, in groups of 4: ``"A1B2-C3D4-E5F6"``.

    A prefix such as ``"sha256:"`` is skipped.
    """
    digits = re.sub(r"[^0-9a-fA-F]", "", fingerprint.rpartition(":")[2])
    if len(digits) < 12:
        raise ValueError("a fingerprint needs at least 12 hexadecimal digits")
    digits = digits[:12].upper()
    return "-".join(digits[i : i + 4] for i in range(0, 12, 4))


def _word_key(word: str) -> WordKey:
    """Primary (letters), secondary (tones) and tertiary (case) weights of one word."""
    primary: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in nfc(word):
        base, *marks = unicodedata.normalize("NFD", char)
        if unicodedata.combining(base):
            continue  # a stray combining mark: ignorable
        lower = base.lower()
        letter = unicodedata.normalize("NFC", lower + "".join(m for m in marks if m in _LETTER_MARKS))
        if letter in _LETTER_RANK:
            primary.append(_LETTER_BASE + _LETTER_RANK[letter])
        elif lower.isdigit():
            primary.append(_DIGIT_BASE + int(unicodedata.digit(lower, 0)))
        elif lower.isalnum():
            primary.append(_OTHER_BASE + ord(letter))
        else:
            continue  # punctuation and spaces are ignorable
        tone = [_TONE_RANK[m] for m in marks if m in _TONE_RANK]
        other = [10 + ord(m) for m in marks if m not in _TONE_RANK and m not in _LETTER_MARKS]
        tones.append(max(tone + other, default=0))
        cases.append(0 if base == lower else 1)  # lower case first, as ICU
    return tuple(primary), tuple(tones), tuple(cases)


def text_key(text: str) -> WordKey:
    """A sort key for any text in Vietnamese order: letters first, then tones, then case."""
    return _word_key(text)


def collation_key(full_name: str) -> tuple[WordKey, ...]:
    """A sort key for a person's name: given name (tên), then middle names, then family name (họ).

    "Nguyễn Thị Ánh" is compared as ("Ánh", "Thị", "Nguyễn"), each part in Vietnamese order.
    """
    parts = nfc(full_name).split()
    if not parts:
        return ()
    ordered = [parts[-1], *parts[1:-1], parts[0]] if len(parts) > 1 else parts
    return tuple(_word_key(part) for part in ordered)


def sort_names(names: Iterable[str]) -> list[str]:
    """Names in Vietnamese alphabetical order (stable: full ties keep their order)."""
    return sorted(names, key=collation_key)
