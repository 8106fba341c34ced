"""Excel/CSV import and export of dossiers and council members: preview, confirm, permissions."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from council.extensions import db
from council.models import (
    CouncilMember,
    CouncilRole,
    Dossier,
    DossierKind,
    DossierStatus,
    Field,
    RoundStatus,
    User,
)
from council.services.dossiers import DOSSIER_FIELDS, FIELDS_BY_NAME
from council.services.imports import sheets
from council.services.rounds import advance_round

UNIT = "Ủy ban MTTQ Việt Nam tỉnh Thử"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_ROW = re.compile(r'<tr><td class="num">(\d+|—)</td><td>([^<]*)</td><td>([^<]*)</td></tr>')
MEMBER_HEADERS = ["Tên đăng nhập", "Họ và tên", "Đơn vị", "Vai trò", "Lĩnh vực chuyên môn", "Chức vụ"]


def headers() -> list[str]:
    return [str(spec.label) for spec in DOSSIER_FIELDS]


def dossier_row(number: int, **changes: Any) -> list[Any]:
    values = {
        "code": f"NK-{number:04d}",
        "kind": "Sáng kiến",
        "field": "Cơ quan hệ thống chính trị",
        "title": f"Số hóa sổ theo dõi hội viên, mô hình số {number}",
        "lead_author": "Nguyễn Thị Hòa",
        "co_authors": "Trần Văn Bình; Lê Thị Thu",
        "unit": UNIT,
        "summary": "Chuyển sổ giấy sang bảng tính dùng chung, cập nhật hằng tháng.",
        "novelty": "Lần đầu áp dụng tại đơn vị.",
        "applied_time": "Từ tháng 3/2024",
        "applied_place": "Các chi hội",
        "applied_work": "Quản lý hội viên",
        "results": "Giảm 80% thời gian tổng hợp báo cáo.",
        **changes,
    }
    return [values[spec.name] for spec in DOSSIER_FIELDS]


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header if header is not None else headers())
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", bom: bool = True) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers())
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def upload(
    client: Any, round_id: int, data: bytes, filename: str = "ho-so.xlsx", *, area: str = "dossiers"
) -> Any:
    return client.post(
        f"/rounds/{round_id}/{area}/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm(client: Any, round_id: int, page: str, *, area: str = "dossiers") -> Any:
    sha256 = re.search(r'name="sha256"[^>]*value="([0-9a-f]{64})"', page)
    ext = re.search(r'name="ext"[^>]*value="(xlsx|csv)"', page)
    assert sha256 and ext, "no confirmation form on the page"
    return client.post(f"/rounds/{round_id}/{area}/import/confirm", data={"sha256": sha256[1], "ext": ext[1]})


def dossier_count(round_id: int) -> int:
    return db.session.scalar(select(func.count(Dossier.id)).where(Dossier.round_id == round_id))


def stored_uploads(app: Any) -> list[Path]:
    folder = Path(app.instance_path) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- template -------------------------------------------------------------------------------------


def test_template_has_the_dossier_headers_an_example_and_a_guide(populated_round, login):
    response = login("secretary").get(f"/rounds/{populated_round.round.id}/dossiers/import/template.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = wb.worksheets[0]
    assert [cell.value for cell in sheet[1]] == headers()
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
    example = dict(zip(headers(), (cell.value for cell in sheet[2]), strict=True))
    assert example["Loại"] == "Sáng kiến" and example["Đơn vị"] == UNIT
    assert example["Lĩnh vực"] == "Cơ quan hệ thống chính trị"
    assert sheet.max_row == 2
    guide = wb["Hướng dẫn"]
    text = "\n".join(str(cell.value) for row in guide.iter_rows() for cell in row if cell.value)
    assert "5. Đồng bào dân tộc, tôn giáo, kiều bào" in text and "Ý tưởng mới" in text
    assert "Để trống để hệ thống tự cấp" in text  # spec.help


# --- import: the happy path -----------------------------------------------------------------------


def test_good_file_previews_then_confirm_saves_every_row(app, populated_round, login):
    round_id = populated_round.round.id
    client = login("secretary")
    rows = [dossier_row(1), dossier_row(2), dossier_row(3, code=""), dossier_row(4, code=""), dossier_row(5)]
    page = upload(client, round_id, xlsx(rows)).get_data(as_text=True)
    assert "sẽ tạo 5 hồ sơ mới và cập nhật 0 hồ sơ đã có" in page
    assert "Xác nhận nhập 5 hồ sơ" in page
    assert dossier_count(round_id) == 2  # nothing saved by the preview
    assert len(stored_uploads(app)) == 1

    response = confirm(client, round_id, page)
    assert response.status_code == 302 and response.headers["Location"] == f"/rounds/{round_id}/"
    assert "Đã nhập 5 hồ sơ (5 mới, 0 cập nhật)." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    saved = db.session.scalars(select(Dossier).where(Dossier.round_id == round_id, Dossier.id > 2)).all()
    codes = [d.code for d in saved]
    assert len(codes) == 5 and len(set(codes)) == 5
    assert {"NK-0001", "NK-0002", "NK-0005"} <= set(codes)
    generated = [c for c in codes if not c.startswith("NK-")]
    assert len(generated) == 2 and all(c.startswith("HS-2025-") for c in generated)
    first = next(d for d in saved if d.code == "NK-0001")
    assert first.status is DossierStatus.RECEIVED and first.kind is DossierKind.INITIATIVE
    assert first.field is Field.POLITICAL_SYSTEM and first.unit.name == UNIT
    assert first.co_authors == ["Trần Văn Bình", "Lê Thị Thu"]
    assert stored_uploads(app) == []  # the kept file is gone once imported


def test_reimporting_the_same_file_updates_and_creates_nothing(populated_round, login):
    round_id = populated_round.round.id
    client = login("secretary")
    data = xlsx([dossier_row(i) for i in range(1, 8)])
    confirm(client, round_id, upload(client, round_id, data).get_data(as_text=True))
    assert dossier_count(round_id) == 9

    page = upload(client, round_id, data).get_data(as_text=True)
    assert "sẽ tạo 0 hồ sơ mới và cập nhật 7 hồ sơ đã có" in page
    response = confirm(client, round_id, page)
    assert "Đã nhập 7 hồ sơ (0 mới, 7 cập nhật)." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert dossier_count(round_id) == 9


def test_a_row_with_an_existing_code_updates_that_dossier(populated_round, login):
    round_id = populated_round.round.id
    client = login("secretary")
    row = dossier_row(1, code="HS-2025-0001", title="Tên mới sau khi bổ sung", kind="Mô hình")
    page = upload(client, round_id, xlsx([row])).get_data(as_text=True)
    assert "sẽ tạo 0 hồ sơ mới và cập nhật 1 hồ sơ đã có" in page
    confirm(client, round_id, page)
    db.session.refresh(populated_round.assigned)
    assert populated_round.assigned.title == "Tên mới sau khi bổ sung"
    assert populated_round.assigned.unit.name == UNIT
    assert dossier_count(round_id) == 2


def test_numbers_and_dates_in_cells_become_text(populated_round, login):
    round_id = populated_round.round.id
    client = login("secretary")
    rows = [
        dossier_row(0, code=2024.0, field=2, applied_time=datetime(2024, 3, 1)),
        dossier_row(0, code=2025, field=3.0, applied_time=datetime(2024, 3, 1, 7, 30)),
    ]
    confirm(client, round_id, upload(client, round_id, xlsx(rows)).get_data(as_text=True))
    first = db.session.scalar(select(Dossier).where(Dossier.code == "2024"))
    second = db.session.scalar(select(Dossier).where(Dossier.code == "2025"))
    assert first.field is Field.BUSINESS and first.applied_time == "01/03/2024"
    assert second.field is Field.PUBLIC_SERVICE and second.applied_time == "01/03/2024 07:30"


@pytest.mark.parametrize(("delimiter", "bom"), [(",", True), (";", False), (";", True), (",", False)])
def test_csv_is_read_with_or_without_bom_and_with_either_delimiter(populated_round, login, delimiter, bom):
    round_id = populated_round.round.id
    client = login("secretary")
    rows = [
        dossier_row(1, summary="Dòng một;\nDòng hai, có dấu phẩy"),
        dossier_row(2, field="Doanh nghiệp, sản xuất kinh doanh, hộ gia đình"),
    ]
    page = upload(client, round_id, csv_bytes(rows, delimiter=delimiter, bom=bom), "ho-so.csv").get_data(
        as_text=True
    )
    assert "sẽ tạo 2 hồ sơ mới" in page
    confirm(client, round_id, page)
    first = db.session.scalar(select(Dossier).where(Dossier.code == "NK-0001"))
    second = db.session.scalar(select(Dossier).where(Dossier.code == "NK-0002"))
    assert first.summary == "Dòng một;\nDòng hai, có dấu phẩy" and first.unit.name == UNIT
    assert second.field is Field.BUSINESS


# --- import: what is refused ----------------------------------------------------------------------


def test_a_wrong_header_names_the_missing_column_and_nothing_else(app, populated_round, login):
    round_id = populated_round.round.id
    header = headers()
    header[3] = "Tên sáng kiến"
    page = upload(login("secretary"), round_id, xlsx([dossier_row(1, title="")], header)).get_data(
        as_text=True
    )
    assert "thiếu cột “Tên sáng kiến, mô hình, ý tưởng”" in page
    assert "có cột không thuộc mẫu “Tên sáng kiến”" in page
    assert "Lỗi theo dòng" not in page and not ERROR_ROW.findall(page)
    assert 'name="sha256"' not in page and stored_uploads(app) == []
    assert dossier_count(round_id) == 2


def test_three_bad_rows_among_200_are_listed_by_row_and_column(app, populated_round, login):
    round_id = populated_round.round.id
    rows = [dossier_row(i) for i in range(1, 201)]
    rows[10] = dossier_row(11, title="")  # Excel row 12
    rows[75] = dossier_row(76, kind="Sáng chế")  # row 77
    rows[148] = dossier_row(149, field="9")  # row 150
    page = upload(login("secretary"), round_id, xlsx(rows)).get_data(as_text=True)
    found = ERROR_ROW.findall(page)
    assert [(row, column) for row, column, _message in found] == [
        ("12", "Tên sáng kiến, mô hình, ý tưởng"),
        ("77", "Loại"),
        ("150", "Lĩnh vực"),
    ]
    assert "không được để trống" in found[0][2] and "“Sáng chế” không hợp lệ" in found[1][2]
    assert "“9” không phải một trong 5 nội dung thi đua" in found[2][2]
    assert "Có 3 lỗi. Chưa lưu gì" in page
    assert "Xác nhận nhập" not in page and 'name="sha256"' not in page
    assert stored_uploads(app) == [] and dossier_count(round_id) == 2


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(populated_round, login):
    round_id = populated_round.round.id
    rows = [dossier_row(1), [], [None] * len(DOSSIER_FIELDS), dossier_row(2, lead_author="")]
    page = upload(login("secretary"), round_id, xlsx(rows)).get_data(as_text=True)
    assert [(row, column) for row, column, _m in ERROR_ROW.findall(page)] == [("5", "Người chủ trì")]
    assert "Tệp có 2 dòng hồ sơ" in page


def test_unknown_units_are_listed_once_with_their_row_count(populated_round, login):
    round_id = populated_round.round.id
    rows = [dossier_row(i, unit="Hội Cựu chiến binh tỉnh Thử") for i in (1, 2, 3)]
    rows += [dossier_row(4, unit="Đoàn Thanh niên tỉnh Thử"), dossier_row(5)]
    page = upload(login("secretary"), round_id, xlsx(rows)).get_data(as_text=True)
    assert page.count("<td>Hội Cựu chiến binh tỉnh Thử</td>") == 1
    assert '<td>Hội Cựu chiến binh tỉnh Thử</td><td class="num">3</td>' in page
    assert '<td>Đoàn Thanh niên tỉnh Thử</td><td class="num">1</td>' in page
    assert 'href="/admin/units/new"' in page and "Chỉ quản trị hệ thống tạo được đơn vị" in page
    assert "Xác nhận nhập" not in page and dossier_count(round_id) == 2


def test_a_code_twice_in_the_file_is_an_error(populated_round, login):
    round_id = populated_round.round.id
    rows = [dossier_row(1), dossier_row(2), dossier_row(1, title="Bản trùng mã")]
    page = upload(login("secretary"), round_id, xlsx(rows)).get_data(as_text=True)
    assert ERROR_ROW.findall(page) == [("4", "Mã hồ sơ", "Mã hồ sơ “NK-0001” trùng với dòng 2.")]
    assert "Xác nhận nhập" not in page


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"khong phai excel", "ho-so.xlsx", "Tệp không đọc được"),
        (b"PK\x03\x04 not really a zip", "ho-so.xlsx", "Tệp không đọc được"),
        (b"\xff\xfe\x00t\x00e", "ho-so.csv", "bảng mã UTF-8"),
        (b"", "ho-so.csv", "không thấy hàng tiêu đề"),
        (b"a,b", "ho-so.txt", "Chỉ nhận tệp .xlsx hoặc .csv."),
    ],
)
def test_unreadable_files_get_a_clear_message(populated_round, login, data, filename, message):
    page = upload(login("secretary"), populated_round.round.id, data, filename).get_data(as_text=True)
    assert message in page and "Xác nhận nhập" not in page


def test_xlsx_content_sent_as_csv_is_refused(populated_round, login):
    page = upload(login("secretary"), populated_round.round.id, xlsx([dossier_row(1)]), "ho-so.csv")
    assert "đây là tệp Excel" in page.get_data(as_text=True)


def test_more_than_5000_rows_are_refused(populated_round, login):
    # Short rows: a multipart body above 500 kB makes the test client leave a temporary file open.
    data = csv_bytes([[f"NK-{i}"] for i in range(1, 5002)])
    page = upload(login("secretary"), populated_round.round.id, data, "ho-so.csv").get_data(as_text=True)
    assert "Tệp có hơn 5.000 dòng dữ liệu" in page and dossier_count(populated_round.round.id) == 2


def test_import_is_refused_once_intake_is_over(populated_round, login):
    round_ = populated_round.round
    client = login("secretary")
    page = upload(client, round_.id, xlsx([dossier_row(1)])).get_data(as_text=True)  # a preview in draft
    advance_round(round_, user=populated_round.users["secretary"])
    advance_round(round_, user=populated_round.users["secretary"])
    assert round_.status is RoundStatus.ASSIGNMENT
    refusal = "Đợt xét đang ở bước “Phân công chấm”: chỉ nhập hồ sơ được khi đợt xét ở bước Nháp"
    get_page = client.get(f"/rounds/{round_.id}/dossiers/import").get_data(as_text=True)
    assert refusal in get_page and 'type="file"' not in get_page
    assert refusal in upload(client, round_.id, xlsx([dossier_row(2)])).get_data(as_text=True)
    response = confirm(client, round_.id, page)
    assert response.status_code == 400 and refusal in response.get_data(as_text=True)
    assert dossier_count(round_.id) == 2


def test_confirm_checks_the_file_again(populated_round, login):
    round_id = populated_round.round.id
    client = login("secretary")
    page = upload(client, round_id, xlsx([dossier_row(1), dossier_row(2)])).get_data(as_text=True)
    unit = populated_round.assigned.round.issuing_unit
    unit.name = "Ủy ban MTTQ Việt Nam tỉnh Thử (đổi tên)"  # changed since the preview
    db.session.commit()
    response = confirm(client, round_id, page)
    assert response.status_code == 400
    assert f'<td>{UNIT}</td><td class="num">2</td>' in response.get_data(as_text=True)
    assert dossier_count(round_id) == 2


def test_confirm_without_a_kept_file_asks_for_a_new_upload(populated_round, login):
    client = login("secretary")
    response = client.post(
        f"/rounds/{populated_round.round.id}/dossiers/import/confirm",
        data={"sha256": "0" * 64, "ext": "xlsx"},
    )
    assert response.status_code == 302
    assert "vui lòng tải tệp lên lại" in client.get(response.headers["Location"]).get_data(as_text=True)


# --- export ---------------------------------------------------------------------------------------


def _complete_fixture_dossiers(populated_round: Any) -> None:
    populated_round.assigned.summary = "Mô tả đủ để nhập lại."
    populated_round.unassigned.summary = "=SUM(1,2) là chữ, không phải công thức"
    db.session.commit()


def test_export_csv_starts_with_the_bom_and_shows_vietnamese(populated_round, login):
    round_id = populated_round.round.id
    response = login("secretary").get(f"/rounds/{round_id}/dossiers/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert f"attachment; filename=ho-so-{round_id}.csv" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ",".join(f'"{h}"' if "," in h else h for h in [*headers(), "Trạng thái"])
    assert "Mô hình thử số 1" in text and "Hội Nông dân tỉnh Thử" in text and "Đã tiếp nhận" in text


def test_export_xlsx_has_the_template_columns_and_status(populated_round, login):
    response = login("chair").get(f"/rounds/{populated_round.round.id}/dossiers/export.xlsx")
    assert response.mimetype == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == [*headers(), "Trạng thái"]
    assert [c.value for c in sheet["A"]][1:] == ["HS-2025-0001", "HS-2025-0002"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_reimports_with_no_change(populated_round, login, fmt):
    round_id = populated_round.round.id
    _complete_fixture_dossiers(populated_round)
    client = login("secretary")
    rows = [
        dossier_row(i, summary=f"- Bước {i}: bắt đầu bằng gạch đầu dòng", co_authors="") for i in range(1, 4)
    ]
    rows[0][DOSSIER_FIELDS.index(FIELDS_BY_NAME["results"])] = "+84 hộ tham gia; @thôn Đông"
    confirm(client, round_id, upload(client, round_id, xlsx(rows)).get_data(as_text=True))
    before = {
        d.code: (d.title, d.summary, d.co_authors, d.unit_id) for d in db.session.scalars(select(Dossier))
    }

    exported = client.get(f"/rounds/{round_id}/dossiers/export.{fmt}").data
    page = upload(client, round_id, exported, f"ho-so.{fmt}").get_data(as_text=True)
    assert "Lỗi theo dòng" not in page
    assert "sẽ tạo 0 hồ sơ mới và cập nhật 5 hồ sơ đã có" in page
    confirm(client, round_id, page)
    db.session.expire_all()
    after = {
        d.code: (d.title, d.summary, d.co_authors, d.unit_id) for d in db.session.scalars(select(Dossier))
    }
    assert after == before and dossier_count(round_id) == 5


def test_export_formula_like_text_stays_text(populated_round, login):
    populated_round.assigned.title = '=HYPERLINK("http://example.invalid","Bấm")'
    db.session.commit()
    client = login("secretary")
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/rounds/{populated_round.round.id}/dossiers/export.xlsx").data)
    ).worksheets[0]
    assert sheet["D2"].data_type == "s"
    csv_text = client.get(f"/rounds/{populated_round.round.id}/dossiers/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text


def test_export_honours_the_list_filters(populated_round, login):
    round_id = populated_round.round.id
    client = login("secretary")
    confirm(
        client,
        round_id,
        upload(client, round_id, xlsx([dossier_row(1), dossier_row(2)])).get_data(as_text=True),
    )
    unit_id = populated_round.assigned.round.issuing_unit_id
    text = client.get(f"/rounds/{round_id}/dossiers/export.csv?unit_id={unit_id}").data.decode("utf-8-sig")
    codes = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert codes == ["NK-0001", "NK-0002"]
    text = client.get(f"/rounds/{round_id}/dossiers/export.csv?q=thử số 2&kind=model").data.decode(
        "utf-8-sig"
    )
    assert [row[0] for row in csv.reader(io.StringIO(text))][1:] == ["HS-2025-0002"]


# --- permissions ----------------------------------------------------------------------------------

ROUTES = [
    ("GET", "dossiers/import/template.xlsx"),
    ("GET", "dossiers/import"),
    ("POST", "dossiers/import"),
    ("POST", "dossiers/import/confirm"),
    ("GET", "dossiers/export.xlsx"),
    ("GET", "dossiers/export.csv"),
    ("GET", "council/import/template.xlsx"),
    ("GET", "council/import"),
    ("POST", "council/import"),
    ("POST", "council/import/confirm"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("username", ["member", "vice", "auditor", "outsider"])
def test_only_the_secretariat_reaches_import_and_export(populated_round, login, method, path, username):
    response = login(username).open(f"/rounds/{populated_round.round.id}/{path}", method=method)
    assert response.status_code == 403


@pytest.mark.parametrize("username", ["secretary", "chair", "admin"])
def test_secretary_chair_and_admin_open_the_import_pages(populated_round, login, username):
    client = login(username)
    for path in ("dossiers/import", "council/import"):
        assert client.get(f"/rounds/{populated_round.round.id}/{path}").status_code == 200


# --- council members ------------------------------------------------------------------------------


def members_xlsx(rows: list[list[Any]]) -> bytes:
    return xlsx(rows, MEMBER_HEADERS)


def test_members_template_has_the_columns(populated_round, login):
    response = login("secretary").get(f"/rounds/{populated_round.round.id}/council/import/template.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    assert [c.value for c in wb.worksheets[0][1]] == MEMBER_HEADERS
    assert "Hướng dẫn" in wb.sheetnames


def test_members_import_creates_accounts_and_seats_and_shows_passwords_once(populated_round, login, client):
    round_ = populated_round.round
    rows = [
        ["NguyenVanAn", "Nguyễn Văn An", UNIT, "Ủy viên Hội đồng", "1; 3", "Phó Trưởng ban"],
        ["tranthibich", "Trần Thị Bích", "", "", 2, ""],
        ["vice", "", "", "Phó Chủ tịch", "Lực lượng vũ trang; 5", ""],
    ]
    secretary = login("secretary")
    page = upload(secretary, round_.id, members_xlsx(rows), area="council").get_data(as_text=True)
    assert "sẽ tạo 2 tài khoản mới, thêm 2 thành viên vào Hội đồng và cập nhật 1 thành viên đã có" in page
    assert db.session.scalar(select(User).where(User.username == "nguyenvanan")) is None

    response = confirm(secretary, round_.id, page, area="council")
    done = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Đã nhập 3 thành viên Hội đồng (2 tài khoản mới, 2 thêm vào Hội đồng, 1 cập nhật)." in done
    passwords = dict(
        re.findall(r'<tr><td>([a-z]+)</td><td>[^<]*</td><td class="code">([^<]+)</td></tr>', done)
    )
    assert set(passwords) == {"nguyenvanan", "tranthibich"}

    an = db.session.scalar(select(User).where(User.username == "nguyenvanan"))
    assert an.full_name == "Nguyễn Văn An" and an.unit.name == UNIT and an.title == "Phó Trưởng ban"
    seats = {
        s.user.username: s
        for s in db.session.scalars(select(CouncilMember).where(CouncilMember.round_id == round_.id))
    }
    assert seats["nguyenvanan"].role is CouncilRole.MEMBER
    assert seats["nguyenvanan"].expertise == [Field.POLITICAL_SYSTEM.value, Field.PUBLIC_SERVICE.value]
    assert seats["tranthibich"].role is CouncilRole.MEMBER and seats["tranthibich"].expertise == [
        Field.BUSINESS.value
    ]
    assert seats["vice"].role is CouncilRole.VICE_CHAIR
    assert seats["vice"].expertise == [Field.ARMED_FORCES.value, Field.ETHNIC_RELIGIOUS_OVERSEAS.value]

    again = secretary.get(f"/rounds/{round_.id}/council/import").get_data(as_text=True)
    assert passwords["nguyenvanan"] not in again  # shown once
    client.post("/logout")
    signed_in = client.post("/login", data={"username": "nguyenvanan", "password": passwords["nguyenvanan"]})
    assert signed_in.status_code == 302


def test_members_import_rejects_two_chairs(populated_round, login):
    round_id = populated_round.round.id
    rows = [
        ["chair", "", "", "Chủ tịch Hội đồng", "", ""],
        ["nguyenvanan", "Nguyễn Văn An", "", "Chủ tịch Hội đồng", "", ""],
    ]
    page = upload(login("secretary"), round_id, members_xlsx(rows), area="council").get_data(as_text=True)
    assert "Mỗi đợt xét chỉ có một Chủ tịch Hội đồng: các dòng 2, 3 cùng ghi vai trò này." in page
    assert "Xác nhận nhập" not in page
    assert db.session.scalar(select(User).where(User.username == "nguyenvanan")) is None


def test_members_import_counts_the_chair_already_seated(populated_round, login):
    rows = [["nguyenvanan", "Nguyễn Văn An", "", "chair", "", ""]]
    page = upload(login("secretary"), populated_round.round.id, members_xlsx(rows), area="council")
    text = page.get_data(as_text=True)
    assert "dòng 2 ghi vai trò này trong khi tài khoản “chair” đang giữ vai trò này" in text


def test_members_import_reports_bad_rows(populated_round, login):
    rows = [
        ["Người Mới", "Tên có dấu", "", "", "", ""],
        ["moi1", "", "", "", "", ""],
        ["moi2", "Người Mới Hai", "Hội Cựu chiến binh tỉnh Thử", "Trưởng ban", "7", ""],
        ["moi1", "Trùng", "", "", "", ""],
    ]
    page = upload(login("secretary"), populated_round.round.id, members_xlsx(rows), area="council")
    found = [(row, column) for row, column, _m in ERROR_ROW.findall(page.get_data(as_text=True))]
    assert found == [
        ("2", "Tên đăng nhập"),
        ("3", "Họ và tên"),
        ("4", "Vai trò"),
        ("4", "Lĩnh vực chuyên môn"),
        ("5", "Tên đăng nhập"),
    ]
    assert "<td>Hội Cựu chiến binh tỉnh Thử</td>" in page.get_data(as_text=True)


def test_members_import_is_refused_once_scoring_starts(populated_round, login):
    round_ = populated_round.round
    for _step in range(3):
        advance_round(round_, user=populated_round.users["chair"])
    page = login("secretary").get(f"/rounds/{round_.id}/council/import").get_data(as_text=True)
    assert "chỉ nhập thành viên Hội đồng được trước khi bắt đầu chấm điểm" in page


def test_a_workbook_that_unpacks_to_too_much_is_refused_unread(populated_round, login, monkeypatch):
    """A "zip bomb": a small upload that would unpack to far more than any real list of dossiers."""
    monkeypatch.setattr(sheets, "MAX_UNPACKED_BYTES", 1024 * 1024)
    buffer = io.BytesIO(xlsx([dossier_row(1)]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000  # small on the wire
    page = upload(login("secretary"), populated_round.round.id, buffer.getvalue()).get_data(as_text=True)
    assert "nội dung giải nén quá lớn (2 MB, tối đa 1 MB)" in page and "Xác nhận nhập" not in page
