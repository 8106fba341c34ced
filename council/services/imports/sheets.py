"""Reading uploads into tables, import reports, stored uploads and shared workbook helpers."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import re
import secrets
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from council.models import CouncilRole, DossierKind, Field
from council.services.dossiers import TEXT_LIMIT, FieldSpec, name_key, normalise

log = logging.getLogger(__name__)

MAX_ROWS = 5_000
MAX_COLUMNS = 100  # cells beyond this in a row are not read
# A workbook of 5,000 dossiers unpacks to a few MB; a "zip bomb" (a small upload that unpacks to
# gigabytes) is refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
EXTENSIONS = ("xlsx", "csv")
UPLOAD_DIR = "imports"  # under the instance folder
UPLOAD_MAX_AGE = 24 * 3600  # seconds an unconfirmed upload is kept
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula


class ImportFileError(ValueError):
    """The whole file is refused (unreadable, wrong header, too long); the message is shown."""


# --- reading a sheet ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A sheet's header row and its non-blank rows, each with the row number Excel shows."""

    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[str]]]


def extension(filename: str) -> str:
    """The lower-case extension of a file name, without the dot."""
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: 2024.0 → "2024", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == clock() else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, clock):
        return value.strftime("%H:%M")
    return str(value).strip()


def read_table(data: bytes, filename: str, *, known: Iterable[str] = ()) -> Table:
    """Read the first sheet of an .xlsx, or a .csv (UTF-8, with or without BOM, ``,`` or ``;``).

    ``known`` are :func:`name_key` s of the expected headers; they decide a CSV's delimiter.
    Raises :class:`ImportFileError` for a file that cannot be read, has no header or too many rows.
    """
    ext = extension(filename)
    if ext == "xlsx":
        records = _xlsx_records(data)
    elif ext == "csv":
        records = _csv_records(data, set(known))
    else:
        raise ImportFileError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    header_row, headers, rows = 0, [], []
    try:
        for number, cells in records:
            texts = [cell_text(cell) for cell in cells[:MAX_COLUMNS]]
            if not any(texts):
                continue
            if not header_row:
                header_row, headers = number, texts
                continue
            rows.append((number, texts))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    _(
                        "Tệp có hơn %(limit)s dòng dữ liệu; hãy chia thành nhiều tệp, "
                        "mỗi tệp tối đa %(limit)s dòng.",
                        limit=format_decimal(MAX_ROWS),
                    )
                )
    except ImportFileError:
        raise
    except Exception as error:  # a damaged file: zip, XML, openpyxl and csv raise many kinds
        log.info("unreadable %s upload: %s", ext, type(error).__name__)
        raise ImportFileError(
            _("Tệp không đọc được: %(reason)s", reason=f"{type(error).__name__}: {error}"[:200])
        ) from error
    if not header_row:
        raise ImportFileError(_("Tệp không có dữ liệu: không thấy hàng tiêu đề."))
    return Table(header_row, headers, rows)


def _xlsx_records(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(
            _("Tệp không đọc được: không phải tệp Excel .xlsx (tệp .xls cũ cần lưu lại dạng .xlsx).")
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "Tệp không đọc được: nội dung giải nén quá lớn (%(size)s MB, tối đa %(limit)s MB).",
                size=format_decimal(unpacked // 2**20),
                limit=format_decimal(MAX_UNPACKED_BYTES // 2**20),
            )
        )
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("Tệp không đọc được: không có trang tính nào."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read what is there
        # Read-only sheets yield every row from row 1, blank ones included: the count is Excel's.
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _csv_records(data: bytes, known: set[str]) -> Iterator[tuple[int, list[str]]]:
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("Tệp không đọc được: đây là tệp Excel; hãy chọn đúng tệp .xlsx."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("Tệp không đọc được: tệp CSV phải lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”).")
        ) from error
    delimiter = _sniff_delimiter(text, known)
    # A record is one row in Excel even when a quoted cell spans lines: count records, not lines.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        yield number, [_unescape_formula(cell) for cell in cells]


def _sniff_delimiter(text: str, known: set[str]) -> str:
    """``,`` or ``;``: the one that splits the header into more known columns, else the commoner."""

    def score(delimiter: str) -> tuple[int, int]:
        for cells in csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter):
            if any(cell.strip() for cell in cells):
                line = delimiter.join(cells)
                return sum(name_key(cell) in known for cell in cells), line.count(delimiter)
        return 0, 0

    return max((",", ";"), key=score)


def escape_formula(text: str) -> str:
    """A CSV cell a spreadsheet would run as a formula gets a leading apostrophe.

    So does text that already begins with apostrophes before such a character ("'=1"), so that
    reading the cell back (:func:`_unescape_formula`, one apostrophe off) gives the text exactly.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


def _unescape_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_START) else text


def quoted(names: Iterable[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def column_index(table: Table, specs: Sequence[FieldSpec], *, ignored: Iterable[Any] = ()) -> dict[str, int]:
    """Where each spec's column is; one message naming missing, unknown and repeated columns.

    A header matches a spec's label in the reader's language or in Vietnamese (the source text).
    """
    lookup = {key: spec.name for spec in specs for key in label_keys(spec.label)}
    skip = {key for label in ignored for key in label_keys(label)}
    found: dict[str, int] = {}
    unknown, repeated = [], []
    for index, header in enumerate(table.headers):
        key = name_key(header)
        if not key or key in skip:
            continue
        name = lookup.get(key)
        if name is None:
            unknown.append(normalise(header))
        elif name in found:
            repeated.append(normalise(header))
        else:
            found[name] = index
    missing = [str(spec.label) for spec in specs if spec.name not in found]
    if not (missing or unknown or repeated):
        return found
    problems = []
    if missing:
        problems.append(_("thiếu cột %(columns)s", columns=quoted(missing)))
    if unknown:
        problems.append(_("có cột không thuộc mẫu %(columns)s", columns=quoted(unknown)))
    if repeated:
        problems.append(_("cột bị lặp %(columns)s", columns=quoted(repeated)))
    raise ImportFileError(
        _(
            "Hàng tiêu đề (dòng %(row)d) không đúng mẫu: %(problems)s. "
            "Hãy dùng đúng hàng tiêu đề của tệp mẫu; chưa kiểm tra dòng nào.",
            row=table.header_row,
            problems="; ".join(problems),
        )
    )


def raw_rows(table: Table, index: dict[str, int]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, cells in table.rows:
        yield number, {name: cells[i] if i < len(cells) else "" for name, i in index.items()}


def label_keys(label: Any) -> set[str]:
    """The :func:`name_key` of a lazy label in the reader's language and in Vietnamese (the source)."""
    with force_locale("vi"):
        source = name_key(str(label))
    return {name_key(str(label)), source}


def known_headers(specs: Iterable[FieldSpec]) -> set[str]:
    return {key for spec in specs for key in label_keys(spec.label)}


# --- reports ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it (None: several rows), the column header, the message."""

    row: int | None
    column: str
    message: str


@dataclass
class UnknownUnit:
    """A unit named in the sheet that is not in the system, with the rows that name it."""

    name: str
    rows: list[int] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import found. ``blocking`` refuses the whole file; ``errors`` are per row."""

    blocking: str | None = None
    errors: list[RowError] = field(default_factory=list)
    unknown_units: list[UnknownUnit] = field(default_factory=list)
    row_count: int = 0
    saved: bool = False

    @property
    def ok(self) -> bool:
        return self.blocking is None and not self.errors and not self.unknown_units

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(unit.rows) for unit in self.unknown_units)

    def add_unknown_unit(self, name: str, row: int) -> None:
        for unit in self.unknown_units:
            if name_key(unit.name) == name_key(name):
                unit.rows.append(row)
                return
        self.unknown_units.append(UnknownUnit(name, [row]))


# --- uploads kept between preview and confirmation ------------------------------------------------


@dataclass(frozen=True)
class StoredUpload:
    sha256: str
    ext: str

    @property
    def filename(self) -> str:
        return f"{self.sha256}.{self.ext}"


def _upload_dir() -> Path:
    return Path(current_app.instance_path) / UPLOAD_DIR


def store_upload(data: bytes, filename: str) -> StoredUpload:
    """Keep an upload as ``instance/imports/<sha256>.<ext>`` until it is confirmed (a day at most)."""
    stored = StoredUpload(hashlib.sha256(data).hexdigest(), extension(filename))
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder)
    path = folder / stored.filename
    if not path.exists():
        partial = folder / f".{stored.filename}.{secrets.token_hex(4)}"
        partial.write_bytes(data)
        os.replace(partial, path)
    return stored


def load_upload(sha256: str, ext: str) -> bytes:
    """The stored upload's bytes; :class:`ImportFileError` if it is gone or was altered."""
    stored = StoredUpload(sha256, ext)
    path = _upload_dir() / stored.filename
    if not re.fullmatch(r"[0-9a-f]{64}", sha256) or ext not in EXTENSIONS or not path.is_file():
        raise ImportFileError(_("Không còn tệp đã tải lên trên máy chủ; vui lòng tải tệp lên lại."))
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ImportFileError(_("Tệp đã tải lên bị thay đổi; vui lòng tải tệp lên lại."))
    return data


def discard_upload(sha256: str, ext: str) -> None:
    if re.fullmatch(r"[0-9a-f]{64}", sha256) and ext in EXTENSIONS:
        (_upload_dir() / StoredUpload(sha256, ext).filename).unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    cutoff = time.time() - UPLOAD_MAX_AGE
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


# --- workbooks: template and export ---------------------------------------------------------------


def column_width(spec: FieldSpec) -> int:
    if spec.max_length >= TEXT_LIMIT or spec.name == "field":
        return 48
    if spec.max_length >= 500:
        return 40
    return max(14, min(32, len(str(spec.label)) + 6))


def write_sheet(ws: Worksheet, headers: list[str], widths: list[int], rows: Iterable[list[Any]]) -> None:
    """Bold frozen header, column widths, then rows (text that looks like a formula stays text)."""
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"


def write_guide_sheet(wb: Workbook, title: str, notes: list[str], specs: Sequence[FieldSpec]) -> None:
    ws = wb.create_sheet(_("Hướng dẫn"))
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    for note in notes:
        ws.append([note])
    ws.append([])
    ws.append([_("Cột"), _("Bắt buộc"), _("Giải thích"), _("Giá trị hợp lệ")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for spec in specs:
        help_text = str(spec.help)
        if spec.max_length < TEXT_LIMIT:
            limit = _("Tối đa %(n)d ký tự.", n=spec.max_length)
            help_text = f"{help_text} {limit}".strip()
        ws.append(
            [str(spec.label), _("Có") if spec.required else _("Không"), help_text, _allowed_values(spec.name)]
        )
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for column, width in zip("ABCD", (30, 10, 60, 50), strict=True):
        ws.column_dimensions[column].width = width


def _allowed_values(name: str) -> str:
    if name == "kind":
        return "\n".join(str(kind.label) for kind in DossierKind)
    if name in {"field", "expertise"}:
        return "\n".join(f"{number}. {field_.label}" for number, field_ in enumerate(Field, start=1))
    if name == "role":
        return "\n".join(f"{role.label} ({role.value})" for role in CouncilRole)
    return ""


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
