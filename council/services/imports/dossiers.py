"""Dossier import (preview and confirm), the dossier template, and the xlsx/csv export."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from council.extensions import db
from council.models import Dossier, DossierKind, DossierStatus, Field, Round, Unit, User
from council.models.enums import INTAKE_STEPS, Choice
from council.services.dossiers import (
    DOSSIER_FIELDS,
    DossierFilter,
    apply_values,
    clean_dossier,
    list_dossiers,
    next_code,
    normalise,
    units_by_key,
)
from council.services.imports.sheets import (
    MAX_ROWS,
    ImportFileError,
    ImportReport,
    RowError,
    column_index,
    column_width,
    escape_formula,
    known_headers,
    raw_rows,
    read_table,
    workbook_bytes,
    write_guide_sheet,
    write_sheet,
)

log = logging.getLogger(__name__)

STATUS_HEADER = _l("Trạng thái")


# --- dossiers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedDossier:
    """A valid row: its values for :func:`apply_values`, and the dossier it updates (None: a new one)."""

    row: int
    code: str
    values: dict[str, Any]
    dossier: Dossier | None


@dataclass
class DossierImport(ImportReport):
    planned: list[PlannedDossier] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(plan.dossier is None for plan in self.planned)

    @property
    def updated(self) -> int:
        return sum(plan.dossier is not None for plan in self.planned)


def intake_refusal(round_: Round) -> str | None:
    """Why dossiers cannot be imported into the round now, or None."""
    if round_.status in INTAKE_STEPS:
        return None
    return _(
        "Đợt xét đang ở bước “%(step)s”: chỉ nhập hồ sơ được khi đợt xét ở bước Nháp hoặc Tiếp nhận hồ sơ.",
        step=round_.status.label,
    )


def preview_dossiers(round_: Round, data: bytes, filename: str, *, user: User) -> DossierImport:
    """Validate every row of an upload and say what importing it would do; saves nothing."""
    report = DossierImport(blocking=intake_refusal(round_))
    if report.blocking:
        return report
    try:
        table = read_table(data, filename, known=known_headers(DOSSIER_FIELDS))
        index = column_index(table, DOSSIER_FIELDS, ignored=[STATUS_HEADER])
    except ImportFileError as error:
        report.blocking = str(error)
        return report
    headers = {name: normalise(table.headers[i]) for name, i in index.items()}
    units = units_by_key()
    existing = {d.code: d for d in db.session.scalars(select(Dossier).where(Dossier.round_id == round_.id))}
    first_row_of: dict[str, int] = {}
    valid: list[tuple[int, dict[str, Any]]] = []
    for number, raw in raw_rows(table, index):
        report.row_count += 1
        cleaned = clean_dossier(raw, units)
        if cleaned.unknown_unit:
            report.add_unknown_unit(cleaned.unknown_unit, number)
            cleaned.errors.pop("unit", None)  # listed once per unit, not once per row
        code = cleaned.values.get("code") or ""
        if code and "code" not in cleaned.errors:
            if code in first_row_of:
                cleaned.errors["code"] = _(
                    "Mã hồ sơ “%(code)s” trùng với dòng %(row)d.", code=code, row=first_row_of[code]
                )
            else:
                first_row_of[code] = number
        report.errors.extend(
            RowError(number, headers[name], message) for name, message in cleaned.errors.items()
        )
        if not cleaned.errors and not cleaned.unknown_unit:
            valid.append((number, cleaned.values))
    # Codes for rows without one: after every given code is known, so none is handed out twice.
    taken = set(existing) | set(first_row_of)
    for number, values in valid:
        code = values.get("code") or next_code(round_, taken=taken)
        taken.add(code)
        report.planned.append(PlannedDossier(number, code, values, existing.get(code)))
    log.info(
        "dossier import preview for round %s by %s: %d rows, %d errors",
        round_.id,
        user.id,
        report.row_count,
        report.error_count,
    )
    return report


def import_dossiers(round_: Round, data: bytes, filename: str, *, user: User) -> DossierImport:
    """Validate the upload again and, only if every row is valid, save all rows in one transaction.

    A row whose code is already in the round updates that dossier; any other row creates one
    (status "Đã tiếp nhận"), so importing the same file twice creates nothing the second time.
    """
    report = preview_dossiers(round_, data, filename, user=user)
    if not report.ok:
        return report
    for plan in report.planned:
        dossier = plan.dossier
        if dossier is None:
            dossier = Dossier(round=round_, code=plan.code, status=DossierStatus.RECEIVED)
            db.session.add(dossier)
        apply_values(dossier, plan.values)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        log.warning("dossier import into round %s by %s hit a concurrent change", round_.id, user.id)
        report.blocking = _(
            "Có người vừa thêm hồ sơ trùng mã trong đợt xét này; chưa lưu hồ sơ nào. Vui lòng nhập lại."
        )
        return report
    report.saved = True
    log.info(
        "dossier import into round %s by %s: %d new, %d updated",
        round_.id,
        user.id,
        report.created,
        report.updated,
    )
    return report


# --- template and export ------------------------------------------------------------------------


def dossier_template(round_: Round) -> bytes:
    """The import template: headers of :data:`DOSSIER_FIELDS`, one example row, and a guide sheet."""
    unit = db.session.scalar(select(Unit).order_by(Unit.id).limit(1))
    example = {
        "code": "",
        "kind": str(DossierKind.INITIATIVE.label),
        "field": str(Field.POLITICAL_SYSTEM.label),
        "title": "Ứng dụng mã QR tiếp nhận phản ánh, kiến nghị của Nhân dân tại khu dân cư",
        "lead_author": "Nguyễn Thị Minh Hòa",
        "co_authors": "Trần Văn Bình; Lê Thị Thu Hà",
        "unit": unit.name if unit else "Ủy ban MTTQ Việt Nam xã Ví Dụ",
        "summary": (
            "Mỗi khu dân cư niêm yết một mã QR dẫn tới biểu mẫu trực tuyến; Ban Công tác Mặt trận "
            "tổng hợp phản ánh hằng tuần và chuyển cơ quan có thẩm quyền giải quyết."
        ),
        "novelty": (
            "Trước đây phản ánh chỉ qua hòm thư góp ý và họp khu dân cư; nay người dân gửi bất cứ lúc nào "
            "và theo dõi được kết quả giải quyết."
        ),
        "applied_time": "Từ tháng 3/2024",
        "applied_place": "12 khu dân cư của xã",
        "applied_work": "Tiếp nhận, tổng hợp phản ánh, kiến nghị của cử tri và Nhân dân",
        "results": (
            "Tiếp nhận 214 phản ánh, 96% được giải quyết đúng hạn; thời gian tổng hợp giảm từ 5 ngày "
            "xuống 1 ngày."
        ),
    }
    wb = Workbook()
    ws = wb.active
    ws.title = _("Hồ sơ")
    write_sheet(
        ws,
        [str(spec.label) for spec in DOSSIER_FIELDS],
        [column_width(spec) for spec in DOSSIER_FIELDS],
        [[example[spec.name] for spec in DOSSIER_FIELDS]],
    )
    notes = [
        _("Giữ nguyên hàng tiêu đề (dòng 1) của trang đầu; mỗi dòng bên dưới là một hồ sơ."),
        _("Xóa dòng ví dụ trước khi nhập."),
        _(
            "Mã hồ sơ trùng với hồ sơ đã có trong đợt xét: hồ sơ đó được cập nhật. "
            "Để trống mã hồ sơ: hệ thống tạo hồ sơ mới và tự cấp mã (ví dụ HS-%(year)d-0001).",
            year=round_.year,
        ),
        _(
            "Đơn vị phải có sẵn trong hệ thống; đơn vị chưa có sẽ được liệt kê "
            "để quản trị hệ thống tạo trước."
        ),
        _(
            "Tối đa %(limit)s dòng mỗi tệp. Có thể lưu dạng .xlsx hoặc CSV UTF-8 (dấu phẩy hoặc chấm phẩy).",
            limit=format_decimal(MAX_ROWS),
        ),
        _("Hệ thống kiểm tra mọi dòng trước; chỉ khi không còn lỗi mới cho xác nhận nhập."),
    ]
    write_guide_sheet(wb, _("Hướng dẫn nhập hồ sơ"), notes, DOSSIER_FIELDS)
    return workbook_bytes(wb)


def _export_value(value: Any) -> str:
    if isinstance(value, Choice):
        return str(value.label)
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, Unit):
        return value.name
    return "" if value is None else str(value)


def _export_rows(round_: Round, criteria: DossierFilter | None) -> Iterator[list[str]]:
    for dossier in list_dossiers(round_, criteria):
        yield [_export_value(getattr(dossier, spec.name)) for spec in DOSSIER_FIELDS] + [
            str(dossier.status.label)
        ]


def _export_headers() -> list[str]:
    return [str(spec.label) for spec in DOSSIER_FIELDS] + [str(STATUS_HEADER)]


def export_dossiers_xlsx(round_: Round, criteria: DossierFilter | None = None, *, user: User) -> bytes:
    """The round's dossiers (narrowed by ``criteria``) in the import template's columns, plus status."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Hồ sơ")
    write_sheet(
        ws,
        _export_headers(),
        [column_width(spec) for spec in DOSSIER_FIELDS] + [18],
        _export_rows(round_, criteria),
    )
    log.info("round %s: %d dossiers exported (xlsx) by %s", round_.id, ws.max_row - 1, user.id)
    return workbook_bytes(wb)


def export_dossiers_csv(round_: Round, criteria: DossierFilter | None = None, *, user: User) -> bytes:
    """The same as :func:`export_dossiers_xlsx` as CSV, UTF-8 with BOM so that Excel shows Vietnamese."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(_export_headers())
    count = 0
    for row in _export_rows(round_, criteria):
        writer.writerow([escape_formula(cell) for cell in row])
        count += 1
    log.info("round %s: %d dossiers exported (csv) by %s", round_.id, count, user.id)
    return buffer.getvalue().encode("utf-8-sig")
