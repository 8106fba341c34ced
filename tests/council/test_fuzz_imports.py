"""Fuzzing the importers, attachments and exports (issue #9, part 6).

Workbooks and CSV files are built in memory with hostile cells (see ``test_fuzz_forms``), uploaded,
confirmed when the preview finds nothing wrong, and exported again. The properties:

* no 5xx; a preview, a refused confirmation or a refused file changes nothing in the database;
* a confirmed import stores each cell as the documented normalisation of its text (stripped, NFC;
  co-authors split on ``;``, single-spaced);
* no exported cell is a live formula: no ``.xlsx`` cell has data type ``f``; text that begins with
  ``= + - @``, a tab or a carriage return is a plain string (with Excel's quote prefix in the
  decision's list), and in CSV it carries the leading apostrophe of
  :func:`council.services.imports.sheets.escape_formula`; otherwise the text round-trips exactly,
  and re-importing an export changes nothing;
* an attachment is kept exactly when its content is an allowed type, under a cleaned name, and
  downloads byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import select

from council.extensions import db
from council.models import (
    Assignment,
    Attachment,
    AwardTier,
    CouncilMember,
    CouncilRole,
    Dossier,
    Level,
    RoundStatus,
    User,
)
from council.models.base import utcnow
from council.services import attachments as attachment_service
from council.services import decisions, deliberation
from council.services.dossiers import DOSSIER_FIELDS, UNSTORABLE
from council.services.imports.members import MEMBER_FIELDS
from council.services.imports.sheets import FORMULA_START, cell_text, escape_formula
from council.services.rounds import create_round
from tests.council.test_fuzz_forms import (
    FORMULAS,
    MARKUP,
    SAFE_CHARACTERS,
    UNICODE,
    assert_escaped,
    assert_unchanged,
    assert_xlsx_neutralised,
    cases,
    checked,
    count,
    database_rows,
    fuzz,
    hostile_texts,
    mostly,
    page_text,
    signed_in,
    single_spaced,
    stripped_nfc,
)

UNIT = "Hội Nông dân tỉnh Thử"
DOSSIER_HEADERS = [str(spec.label) for spec in DOSSIER_FIELDS]
MEMBER_HEADERS = [str(spec.label) for spec in MEMBER_FIELDS]
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- spreadsheets in memory ------------------------------------------------------------------------


def xlsx_safe(value: Any) -> Any:
    """A cell value openpyxl can write: characters XML cannot hold become ``?`` (Excel cannot type them)."""
    return XML_ILLEGAL.sub("?", value) if isinstance(value, str) else value


def xlsx_bytes(header: list[Any], rows: list[list[Any]]) -> bytes:
    """A workbook as a secretary's Excel saves it: text that looks like a formula is typed as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [header, *rows]:
        ws.append([xlsx_safe(value) for value in row])
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list[Any], rows: list[list[Any]], *, delimiter: str = ",", bom: bool = True) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_rows(data: bytes) -> list[list[Any]]:
    """The first sheet's values, row by row."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_csv_neutralised(records: list[list[str]]) -> None:
    """Every CSV cell that a spreadsheet would run begins with the apostrophe of ``escape_formula``."""
    for record in records:
        for cell in record:
            assert not cell.startswith(FORMULA_START), f"live formula in CSV: {cell!r}"
            assert cell == escape_formula(unescaped(cell)), f"not escaped as the project does: {cell!r}"


def unescaped(cell: str) -> str:
    """A CSV cell as the importer reads it back: the apostrophe ``escape_formula`` adds is removed."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START) else cell


def report_errors(page: str) -> list[tuple[str, ...]]:
    """The (row, column, message) lines of an import report, and its blocking message if any."""
    rows = re.findall(r'<tr><td class="num">(\d+|—)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', page)
    blocking = re.findall(r'class="flash danger"[^>]*>([^<]*)<', page)
    return [*rows, *((message,) for message in blocking)]


# --- upload and confirm ----------------------------------------------------------------------------


def upload(client: FlaskClient, round_id: int, data: bytes, filename: str, area: str = "dossiers") -> Any:
    return client.post(
        f"/rounds/{round_id}/{area}/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm_fields(page: str) -> dict[str, str] | None:
    """The hidden fields of the confirmation form, or None when the preview found problems."""
    sha256 = re.search(r'name="sha256"[^>]*value="([0-9a-f]{64})"', page)
    ext = re.search(r'name="ext"[^>]*value="(xlsx|csv)"', page)
    return {"sha256": sha256[1], "ext": ext[1]} if sha256 and ext else None


def import_file(
    client: FlaskClient, round_id: int, data: bytes, filename: str, area: str = "dossiers"
) -> tuple[bool, str]:
    """Preview (checking that it saves nothing), then confirm if the preview allows: (saved, page)."""
    before = database_rows()
    preview = checked(upload(client, round_id, data, filename, area), f"{area} preview")
    assert preview.status_code == 200
    assert_unchanged(before, f"{area} preview")
    page = page_text(preview)
    fields = confirm_fields(page)
    if fields is None:
        event(f"{area}: refused by the preview")
        return False, page
    response = checked(client.post(f"/rounds/{round_id}/{area}/import/confirm", data=fields), "confirm")
    saved = response.status_code in {200, 302}
    event(f"{area}: saved" if saved else f"{area}: refused at confirmation")
    if not saved:
        assert_unchanged(before, f"{area} confirm")
    return saved, page


# --- dossiers: import, export, import again --------------------------------------------------------

cell_values = st.one_of(
    hostile_texts(max_size=40),
    st.sampled_from(FORMULAS + MARKUP + UNICODE),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)


def dossier_row(number: int, changes: dict[str, Any]) -> list[Any]:
    values = {
        "code": f"FZ-{number:04d}",
        "kind": "Sáng kiến",
        "field": "2",
        "title": f"Sáng kiến thử số {number}",
        "lead_author": "Nguyễn Thị Hòa",
        "co_authors": "Trần Văn Bình; Lê Thị Thu",
        "unit": UNIT,
        "summary": "Mô tả ngắn.",
        "novelty": "",
        "applied_time": "",
        "applied_place": "",
        "applied_work": "",
        "results": "",
        **changes,
    }
    return [values[spec.name] for spec in DOSSIER_FIELDS]


TEXT_COLUMNS = [spec.name for spec in DOSSIER_FIELDS if spec.name not in {"code", "kind", "field", "unit"}]


def expected_text(name: str, raw: Any) -> Any:
    """What the import stores for a cell: :func:`cell_text`, stripped, NFC (co-authors: a list)."""
    text = stripped_nfc(cell_text(raw))
    if name == "co_authors":
        return [single_spaced(part) for part in re.split(r"[;\n]", text) if single_spaced(part)]
    return text


def export_value(dossier: Dossier, name: str) -> str:
    value = getattr(dossier, name)
    if name == "co_authors":
        return "; ".join(value or [])
    if name == "unit":
        return value.name
    if name in {"kind", "field"}:
        return str(value.label)
    return value or ""


@fuzz(25)
@cases(
    {"changes": [{"title": FORMULAS[0], "lead_author": FORMULAS[1]}], "csv_format": False},
    {"changes": [{"summary": "-1+1", "novelty": "@SUM(A1)", "results": "\t=1+1", "applied_work": "'=1+1"}]},
    {"changes": [{"title": MARKUP[0], "co_authors": MARKUP[1] + ";" + FORMULAS[2]}]},
    {"changes": [{"title": "x\x00y"}], "csv_format": True},
    {"changes": [{"summary": "\x01\x0b\x1f"}], "csv_format": True},
    {"changes": [{"title": "'+1"}], "csv_format": True},
    {"changes": [{"title": "''=1"}], "csv_format": True},
    {"changes": [{"title": "\u0958" * 200}]},
    {"changes": [{"summary": "ạ" * 10_001}]},
    {"changes": [{"co_authors": "A;;B\n\nC; ;"}, {"code": "FZ-0001"}]},
    {"changes": [{"title": 7.5, "lead_author": 20240101, "summary": 1e20}]},
    {"changes": [{"kind": "<script>", "unit": MARKUP[0]}]},
)
@given(
    changes=st.lists(
        st.dictionaries(st.sampled_from([spec.name for spec in DOSSIER_FIELDS]), cell_values, max_size=3),
        min_size=1,
        max_size=3,
    ),
    csv_format=st.booleans(),
)
def test_dossier_import_stores_cells_normalised_and_exports_them_without_formulas(
    populated_round: Any, login: Callable[[str], FlaskClient], changes: list[dict[str, Any]], csv_format: bool
) -> None:
    """Hostile cells in up to three rows: the preview saves nothing and escapes what it shows; a
    confirmed import stores each text cell stripped and in NFC; both exports are free of live
    formulas and give the stored text back; re-importing either export changes nothing."""
    client = signed_in(login, "secretary")
    round_id = populated_round.round.id
    for dossier in (populated_round.assigned, populated_round.unassigned):
        dossier.summary = dossier.summary or "Mô tả."  # the fixture's dossiers skip the intake checks
    db.session.commit()
    rows = [dossier_row(i + 1, row) for i, row in enumerate(changes)]
    data = csv_bytes(DOSSIER_HEADERS, rows) if csv_format else xlsx_bytes(DOSSIER_HEADERS, rows)
    sent = csv_records(data)[1:] if csv_format else [[xlsx_safe(v) for v in row] for row in rows]
    saved, page = import_file(client, round_id, data, "ho-so.csv" if csv_format else "ho-so.xlsx")
    for row in sent:
        for value in row:
            assert_escaped(page, cell_text(value), shown=False)
    if not saved:
        return
    by_code = {d.code: d for d in db.session.scalars(select(Dossier).where(Dossier.round_id == round_id))}
    last_row_of = {stripped_nfc(cell_text(row[0])): row for row in sent if cell_text(row[0])}
    for code, row in last_row_of.items():
        cells = dict(zip([spec.name for spec in DOSSIER_FIELDS], row, strict=True))
        for name in TEXT_COLUMNS:
            raw = unescaped_cell(cells[name]) if csv_format else cells[name]
            assert getattr(by_code[code], name) == expected_text(name, raw), (code, name)
    assert_exports_round_trip(client, round_id)


def unescaped_cell(value: Any) -> Any:
    return unescaped(value) if isinstance(value, str) else value


def assert_exports_round_trip(client: FlaskClient, round_id: int) -> None:
    """Both exports: no live formula, every text exactly as stored, and re-importing them is a no-op."""
    db.session.expire_all()
    dossiers = {d.code: d for d in db.session.scalars(select(Dossier).where(Dossier.round_id == round_id))}
    exported_xlsx = checked(client.get(f"/rounds/{round_id}/dossiers/export.xlsx"), "export xlsx").data
    assert_xlsx_neutralised(exported_xlsx)
    exported_csv = checked(client.get(f"/rounds/{round_id}/dossiers/export.csv"), "export csv").data
    records = csv_records(exported_csv)
    assert_csv_neutralised(records)
    names = [spec.name for spec in DOSSIER_FIELDS]
    for xlsx_row, csv_row in zip(xlsx_rows(exported_xlsx)[1:], records[1:], strict=True):
        dossier = dossiers[xlsx_row[0]]
        for i, name in enumerate(names):
            assert (xlsx_row[i] or "") == export_value(dossier, name), (dossier.code, name, "xlsx")
            assert unescaped(csv_row[i]) == export_value(dossier, name), (dossier.code, name, "csv")
    for data, filename in ((exported_xlsx, "export.xlsx"), (exported_csv, "export.csv")):
        before = database_rows()
        saved, page = import_file(client, round_id, data, filename)
        assert saved, f"the export {filename} could not be imported again: {report_errors(page)}"
        assert_unchanged(before, f"re-import of {filename}")


@fuzz(25)
@cases(
    {"data": b"", "filename": "ho-so.xlsx"},
    {"data": b"PK\x03\x04" + b"\x00" * 40, "filename": "ho-so.xlsx"},
    {"data": b"\xff\xfe\x00\x00", "filename": "ho-so.csv"},
    {"data": b"a,b\x00,c\n", "filename": "ho-so.csv"},
    {"data": b"=cmd|' /C calc'!A0\n", "filename": "ho-so.csv"},
    {"data": b"%PDF-1.4", "filename": "ho-so.pdf"},
    {"data": b"x" * 10, "filename": "../../etc/passwd.csv"},
    {"data": b"x", "filename": "\x00.xlsx"},
    {"data": b"x", "filename": "<script>.csv"},
)
@given(
    data=st.one_of(st.binary(max_size=300), st.text(SAFE_CHARACTERS, max_size=200).map(str.encode)),
    filename=st.one_of(
        st.sampled_from(["ho-so.xlsx", "ho-so.csv", "ho-so.XLSX", "ho-so", ".csv", "a.xls", "a.csv.exe"]),
        hostile_texts(max_size=30, long=False).map(lambda name: name + ".csv"),
    ),
)
def test_any_file_uploaded_for_import_is_refused_with_a_message_or_previewed(
    app: Flask, populated_round: Any, login: Callable[[str], FlaskClient], data: bytes, filename: str
) -> None:
    """Random bytes under any name, for the dossier and the council imports: a page, nothing saved
    (such a file has no valid header), and no file kept for confirmation."""
    client = signed_in(login, "secretary")
    round_id = populated_round.round.id
    for area in ("dossiers", "council"):
        before = database_rows()
        response = checked(upload(client, round_id, data, filename, area), f"{area} upload")
        assert response.status_code in {200, 400, 413}
        assert_unchanged(before, f"{area} upload")
        assert confirm_fields(page_text(response)) is None
        assert_escaped(page_text(response), filename, shown=False)


@fuzz(15)
@given(
    sha256=st.one_of(st.from_regex(r"[0-9a-f]{64}", fullmatch=True), hostile_texts(max_size=70)),
    ext=st.text(),
)
def test_confirming_an_upload_that_is_not_there_saves_nothing(
    populated_round: Any, login: Callable[[str], FlaskClient], sha256: str, ext: str
) -> None:
    """A forged confirmation (any hash, extension, path trick): back to the upload page, nothing saved."""
    client = signed_in(login, "secretary")
    round_id = populated_round.round.id
    for area in ("dossiers", "council"):
        before = database_rows()
        response = checked(
            client.post(f"/rounds/{round_id}/{area}/import/confirm", data={"sha256": sha256, "ext": ext}),
            area,
        )
        assert response.status_code in {302, 400}
        assert_unchanged(before, f"forged {area} confirmation")


# --- council members import ------------------------------------------------------------------------

member_cells = st.one_of(hostile_texts(max_size=30, long=False), st.integers(0, 10**12))
MEMBER_CELLS = {
    "full_name": member_cells,
    "unit": mostly("", st.one_of(st.just(UNIT), member_cells)),
    "role": mostly(
        "", st.one_of(st.sampled_from(["vice_chair", "Thư ký", "Ủy viên Hội đồng"]), member_cells)
    ),
    "expertise": mostly("", st.one_of(st.sampled_from(["1; 2", "6", "kinh tế;\n3", "²"]), member_cells)),
    "title": member_cells,
}


@fuzz(25)
@cases(
    {"rows": [{"username": "uyvien1", "full_name": FORMULAS[0], "title": FORMULAS[3]}], "csv_format": False},
    {"rows": [{"username": "=cmd|' /C calc'!A0", "full_name": "Người thử"}]},
    {"rows": [{"username": "-1+1", "full_name": "Người thử"}]},
    {"rows": [{"username": "uyvien2", "full_name": MARKUP[0], "role": MARKUP[1]}]},
    {"rows": [{"username": "uyvien3", "full_name": "x\x00y"}], "csv_format": True},
    {"rows": [{"username": "uyvien4", "full_name": "a", "title": "\x01"}], "csv_format": True},
    {"rows": [{"username": "UYVIEN5 ", "full_name": unicodedata.normalize("NFD", "Trần Thị Bích")}]},
    {"rows": [{"username": "chair", "role": "chair"}, {"username": "uyvien6", "role": "chair"}]},
    {"rows": [{"username": "uyvien7", "full_name": "ạ" * 256}]},
)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {"username": st.one_of(st.from_regex(r"[a-z][a-z0-9]{2,10}", fullmatch=True), member_cells)},
            optional=MEMBER_CELLS,
        ),
        min_size=1,
        max_size=3,
    ),
    csv_format=st.booleans(),
)
def test_members_import_seats_people_as_typed_or_nothing(
    populated_round: Any, login: Callable[[str], FlaskClient], rows: list[dict[str, Any]], csv_format: bool
) -> None:
    """Council members from a sheet: new accounts get the username lower-cased and the project's
    username rule, names single-spaced in NFC; the report escapes hostile cells; or nothing changes."""
    client = signed_in(login, "secretary")
    round_id = populated_round.round.id
    table = [[row.get(spec.name, "") for spec in MEMBER_FIELDS] for row in rows]
    for row in table:
        row[1] = row[1] or "Người được thêm"
    data = csv_bytes(MEMBER_HEADERS, table) if csv_format else xlsx_bytes(MEMBER_HEADERS, table)
    sent = csv_records(data)[1:] if csv_format else [[xlsx_safe(v) for v in row] for row in table]
    users = count(User)
    saved, page = import_file(client, round_id, data, "tv.csv" if csv_format else "tv.xlsx", "council")
    for row in sent:
        for value in row:
            assert_escaped(page, cell_text(value), shown=False)
    if not saved:
        return
    assert count(User) >= users
    for row in sent:
        username = single_spaced(cell_text(row[0])).lower()
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None and re.fullmatch(r"[a-z0-9_.-]{1,64}", user.username), username
        seat = db.session.scalar(
            select(CouncilMember).where(CouncilMember.round_id == round_id, CouncilMember.user_id == user.id)
        )
        assert seat is not None
        if user.id > users:  # a new account: its name and title as typed
            full_name, title = (single_spaced(cell_text(row[i])) for i in (1, 5))
            assert (user.full_name, user.title) == (full_name, title)


# --- attachments -----------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PDF = b"%PDF-1.4\n%%EOF\n"


def office_zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DOCX = office_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
MACRO = office_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "", "word/vbaProject.bin": "x"})
payloads = st.one_of(
    st.sampled_from([PNG, JPEG, PDF, DOCX, MACRO, b"MZ\x90\x00", b"<html><script>alert(1)</script>", b""]),
    st.builds(
        lambda head, tail: head + tail,
        st.sampled_from([PNG, JPEG, PDF, b"PK\x03\x04"]),
        st.binary(max_size=64),
    ),
    st.binary(max_size=128),
)
filenames = st.one_of(
    st.sampled_from(
        [
            "bao-cao.pdf",
            "ảnh.PNG",
            "../../../etc/passwd",
            "C:\\Windows\\evil.exe",
            "\u202egnp.exe",
            "a\x00b.pdf",
            "<img src=x onerror=alert(1)>.jpg",
            '=HYPERLINK("x").xlsx',
            "",
            ".",
            "ạ" * 400 + ".pdf",
        ]
    ),
    hostile_texts(max_size=40, long=False),
)
content_types = st.sampled_from(
    [
        "application/pdf",
        "image/png",
        "text/html",
        "application/x-msdownload",
        "application/octet-stream",
        "x/y",
    ]
)


@fuzz(40)
@given(files=st.lists(st.tuples(payloads, filenames, content_types), min_size=1, max_size=3))
def test_attachments_are_kept_by_content_under_a_clean_name(
    app: Flask, populated_round: Any, login: Callable[[str], FlaskClient], files: list[tuple[bytes, str, str]]
) -> None:
    """Random bytes under any name and declared type: a file is kept exactly when its content is an
    allowed kind (and new on this dossier), named by :func:`clean_filename`, and downloads unchanged."""
    client = signed_in(login, "secretary")
    round_, dossier = populated_round.round, populated_round.unassigned
    kept_before = {
        a.sha256 for a in db.session.scalars(select(Attachment).where(Attachment.dossier_id == dossier.id))
    }
    before, attached = database_rows(), count(Attachment)
    uploads = [(io.BytesIO(data), name, mimetype) for data, name, mimetype in files]
    response = checked(
        client.post(
            f"/rounds/{round_.id}/dossiers/{dossier.id}/attachments",
            data={"files": uploads},
            content_type="multipart/form-data",
        ),
        "attach",
    )
    assert response.status_code == 302
    expected: dict[str, tuple[bytes, str, str]] = {}
    for data, name, _mimetype in files:
        kind = attachment_service.detect_kind(data)
        digest = hashlib.sha256(data).hexdigest()
        # A part without a file name is a file input left empty: no upload at all.
        if kind and data and name and digest not in kept_before and digest not in expected:
            expected[digest] = (data, attachment_service.clean_filename(name, kind), name)
    if not expected:
        assert_unchanged(before, "attachments")
        return
    assert count(Attachment) == attached + len(expected)
    for digest, (data, shown, name) in expected.items():
        attachment = db.session.scalar(
            select(Attachment).where(Attachment.dossier_id == dossier.id, Attachment.sha256 == digest)
        )
        assert attachment is not None and len(attachment.filename) <= 255
        assert attachment.filename.lower().endswith(tuple(attachment_service.EXTENSIONS[attachment.kind]))
        assert not any(ch in attachment.filename for ch in '<>:"|?*/\\\x00\u202e\u200b')
        if not any(ch in name for ch in '\\"'):  # the test client's multipart quoting alters these
            assert attachment.filename == shown
        download = checked(client.get(f"/rounds/{round_.id}/attachments/{attachment.id}"), "download")
        body = download.data
        download.close()  # the stored file is sent from disk
        assert download.status_code == 200 and body == data
    page = page_text(client.get(f"/rounds/{round_.id}/dossiers/{dossier.id}"))
    for _data, _shown, name in expected.values():
        assert_escaped(page, name, shown=False)  # the name as uploaded never reaches the page as markup


# --- a whole round with hostile text, exported everywhere -------------------------------------------


@fuzz(4)
@cases(
    {"title": FORMULAS[0], "author": FORMULAS[1], "note": FORMULAS[3], "unit_name": FORMULAS[2]},
    {"title": "-1+1", "author": "@SUM(A1)", "note": "\t=1+1", "unit_name": "=1+1"},
)
@given(
    title=st.sampled_from(FORMULAS + MARKUP),
    author=st.sampled_from(FORMULAS + MARKUP),
    note=hostile_texts(max_size=30, long=False).filter(lambda text: not UNSTORABLE.search(text)),
    unit_name=st.sampled_from(FORMULAS),
)
def test_hostile_text_imported_and_scored_leaves_every_export_without_formulas(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    make_user: Callable[..., User],
    title: str,
    author: str,
    note: str,
    unit_name: str,
) -> None:
    """A new round: a unit named like a formula, dossiers imported with formula-like titles and
    authors, scored with formula-like notes, finalised and decided. Every export (dossiers xlsx/csv,
    score history xlsx/csv, scores csv, decision xlsx) has no live formula and keeps the text."""
    from council.models import Unit, UnitKind

    users = populated_round.users
    unit = db.session.scalar(select(Unit).where(Unit.name == unit_name.strip()))
    if unit is None:
        unit = Unit(name=unit_name.strip(), kind=UnitKind.OTHER, level=Level.PROVINCE)
        db.session.add(unit)
        db.session.commit()
    round_ = create_round(
        {"title": title, "year": 2025, "level": Level.PROVINCE, "issuing_unit": unit}, user=users["admin"]
    )
    # A scorer whose username a spreadsheet would read as a formula (the username rule allows it).
    scorer = db.session.scalar(select(User).where(User.username == "-a1")) or make_user("-a1")
    users = {**users, "-a1": scorer}
    seats = {
        name: CouncilMember(round=round_, user=users[name], role=role)
        for name, role in (
            ("secretary", CouncilRole.SECRETARY),
            ("chair", CouncilRole.CHAIR),
            ("-a1", CouncilRole.MEMBER),
        )
    }
    db.session.add_all(seats.values())
    db.session.commit()
    client = signed_in(login, "secretary")
    rows = [
        dossier_row(i, {"code": "", "title": f"{title} {i}", "lead_author": author, "unit": unit.name})
        for i in range(1, 3)
    ]
    saved, page = import_file(client, round_.id, xlsx_bytes(DOSSIER_HEADERS, rows), "ho-so.xlsx")
    assert saved, page
    assert_exports_round_trip(client, round_.id)
    round_.status = RoundStatus.SCORING
    assignments = [Assignment(dossier=d, member=seats["-a1"], published_at=utcnow()) for d in round_.dossiers]
    db.session.add_all(assignments)
    db.session.commit()
    client = signed_in(login, "-a1")
    for assignment in assignments:  # scored through the sheet form, notes and comment as typed
        data = {"version": "0", "action": "submit", "confirm": "y", "comment": note}
        data |= {f"points_{c.id}": "15,5" for c in round_.criteria}
        data |= {f"note_{c.id}": note for c in round_.criteria}
        response = client.post(f"/review/rounds/{round_.id}/sheets/{assignment.id}", data=data)
        assert checked(response, "sheet").status_code == 302
    round_.status = RoundStatus.DELIBERATION
    db.session.add(AwardTier(round_id=round_.id, position=1, name=author.strip() or "Mức", min_score=0.0))
    db.session.commit()
    client = signed_in(login, "chair")
    for path in ("history/export.xlsx", "history/export.csv", "ranking/scores.csv"):
        response = checked(client.get(f"/rounds/{round_.id}/{path}"), path)
        assert response.status_code == 200
        if path.endswith("xlsx"):
            assert_xlsx_neutralised(response.data)
            texts = {str(v) for row in xlsx_rows(response.data) for v in row if v is not None}
        else:
            records = csv_records(response.data)
            assert_csv_neutralised(records)
            texts = {unescaped(cell) for record in records for cell in record}
        if path.startswith("history"):
            assert note.strip() in texts or not note.strip(), path
        else:
            assert "-a1" in texts and "'-a1" in {cell for record in records for cell in record}
    deliberation.finalise(round_, user=users["chair"])
    decision = decisions.save_draft(
        round_,
        {
            **decisions.defaults(round_, deliberation.final_snapshot(round_)),
            "list_title": title,
            "place": "Hà Nội",
        },
        user=users["chair"],
    )
    response = checked(client.get(f"/rounds/{round_.id}/decision/{decision.id}/xlsx"), "decision xlsx")
    assert response.status_code == 200
    assert_xlsx_neutralised(response.data, quote_prefix=True)
    texts = {str(v) for row in xlsx_rows(response.data) for v in row if v is not None}
    assert any(title.strip() in text for text in texts)
    assert any(author.strip() in text for text in texts)
    for fmt in ("docx", "pdf", "html", "certificates"):
        assert (
            checked(client.get(f"/rounds/{round_.id}/decision/{decision.id}/{fmt}"), fmt).status_code == 200
        )
