"""CSV in and out for the command line: UTF-8 (a BOM allowed), errors that name the row."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CsvError", "Row", "parse_number", "read_rows", "write_rows"]


class CsvError(ValueError):
    """Input the command cannot use; the message names the file and row (line number)."""


@dataclass(frozen=True)
class Row:
    """One data row: its line number in the file (header = line 1) and its cells by column."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]


def read_rows(path: str | Path, required: Sequence[str]) -> Iterator[Row]:
    """Rows of a CSV file that has at least the `required` columns (others are ignored).

    Cells are stripped; column names are matched without case or surrounding spaces.

    Raises
    ------
    CsvError
        If the file is missing, empty, not UTF-8, or lacks a required column.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CsvError(f"{path}: no such file.") from None
    except UnicodeDecodeError as exc:
        raise CsvError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}).") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise CsvError(f"{path}: the file is empty; expected a header with {', '.join(required)}.")
    names = [cell.strip().lower() for cell in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise CsvError(f"{path}, line 1: missing column(s) {', '.join(missing)}; found {', '.join(names)}.")
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)}
        yield Row(line, values)


def parse_number(row: Row, column: str, path: str | Path) -> float:
    """The finite number in `column` of `row`; a CsvError naming file, line and column otherwise."""
    text = row[column]
    try:
        value = float(text)
    except ValueError:
        raise CsvError(f"{path}, line {row.line}: {column} {text!r} is not a number.") from None
    if not math.isfinite(value):
        raise CsvError(f"{path}, line {row.line}: {column} {text!r} is not a finite number.")
    return value


def write_rows(path: str | Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a header and rows as UTF-8 CSV (no BOM; floats as Python prints them)."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
