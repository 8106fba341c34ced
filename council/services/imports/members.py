"""Council members import (preview and confirm) and the council members template."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from council.extensions import db
from council.models import CouncilMember, CouncilRole, Field, Round, Unit, User
from council.models.enums import SETUP_STEPS
from council.services.accounts import AccountError, create_user
from council.services.dossiers import (
    UNSTORABLE,
    FieldSpec,
    choice,
    name_key,
    normalise,
    units_by_key,
    unstorable_message,
)
from council.services.imports.sheets import (
    ImportFileError,
    ImportReport,
    RowError,
    column_index,
    known_headers,
    quoted,
    raw_rows,
    read_table,
    workbook_bytes,
    write_guide_sheet,
    write_sheet,
)

log = logging.getLogger(__name__)

USERNAME_PATTERN = re.compile(r"^[a-z0-9_.-]{1,64}$")

MEMBER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "username",
        _l("Tên đăng nhập"),
        required=True,
        max_length=64,
        help=_l("Chữ không dấu, số, dấu chấm, gạch; trùng tài khoản đã có thì dùng tài khoản đó."),
    ),
    FieldSpec("full_name", _l("Họ và tên"), max_length=255, help=_l("Bắt buộc với tài khoản mới.")),
    FieldSpec("unit", _l("Đơn vị"), max_length=255, help=_l("Tên đơn vị đã có trong hệ thống.")),
    FieldSpec("role", _l("Vai trò"), max_length=64, help=_l("Để trống: Ủy viên Hội đồng.")),
    FieldSpec(
        "expertise",
        _l("Lĩnh vực chuyên môn"),
        max_length=1000,
        help=_l("Một hoặc nhiều lĩnh vực (tên hoặc số 1–5), cách nhau bằng dấu chấm phẩy."),
    ),
    FieldSpec("title", _l("Chức vụ"), max_length=255),
)


# --- council members ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedSeat:
    """A valid member row: the account (existing or to create) and the seat in the round."""

    row: int
    username: str
    full_name: str
    unit: Unit | None
    title: str
    role: CouncilRole
    expertise: list[Field]
    user: User | None  # None: a new account
    seat: CouncilMember | None  # None: a new seat in this round


@dataclass(frozen=True)
class IssuedPassword:
    username: str
    full_name: str
    password: str


@dataclass
class MemberImport(ImportReport):
    planned: list[PlannedSeat] = field(default_factory=list)
    passwords: list[IssuedPassword] = field(default_factory=list)

    @property
    def new_users(self) -> int:
        return sum(plan.user is None for plan in self.planned)

    @property
    def new_seats(self) -> int:
        return sum(plan.seat is None for plan in self.planned)

    @property
    def updated_seats(self) -> int:
        return sum(plan.seat is not None for plan in self.planned)


def council_refusal(round_: Round) -> str | None:
    """Why the council cannot be imported into the round now, or None."""
    if round_.status in SETUP_STEPS:  # the council can change until scoring starts
        return None
    return _(
        "Đợt xét đang ở bước “%(step)s”: chỉ nhập thành viên Hội đồng được trước khi bắt đầu chấm điểm.",
        step=round_.status.label,
    )


def _role(raw: str) -> CouncilRole | None:
    """A council role from its value, its label, or its label without "Hội đồng" (e.g. "Thư ký")."""
    if not raw:
        return CouncilRole.MEMBER
    role = choice(CouncilRole, raw)
    if role is not None:
        return role
    key = name_key(raw)
    for member in CouncilRole:
        with force_locale("vi"):
            label = name_key(str(member.label))
        if label.removesuffix(" hội đồng") == key:
            return member
    return None


def _expertise(raw: str) -> tuple[list[Field], list[str]]:
    fields: list[Field] = []
    bad: list[str] = []
    for part in re.split(r"[;\n]", raw):
        if not normalise(part):
            continue
        found = choice(Field, part, numbered=True)
        if found is None:
            bad.append(normalise(part))
        elif found not in fields:
            fields.append(found)
    return fields, bad


def preview_members(round_: Round, data: bytes, filename: str, *, user: User) -> MemberImport:
    """Validate every row of a council members sheet and say what importing it would do."""
    report = MemberImport(blocking=council_refusal(round_))
    if report.blocking:
        return report
    try:
        table = read_table(data, filename, known=known_headers(MEMBER_FIELDS))
        index = column_index(table, MEMBER_FIELDS)
    except ImportFileError as error:
        report.blocking = str(error)
        return report
    headers = {name: normalise(table.headers[i]) for name, i in index.items()}
    rows = list(raw_rows(table, index))
    # Only a well-formed username can name an account (and a NUL would not even reach PostgreSQL).
    usernames = {normalise(raw["username"]).lower() for _number, raw in rows}
    usernames = {name for name in usernames if USERNAME_PATTERN.match(name)}
    accounts = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(usernames)))}
    seats = {seat.user_id: seat for seat in round_.members}
    units = units_by_key()
    first_row_of: dict[str, int] = {}
    roles: dict[int, CouncilRole] = {}  # row → role, for the one-chair, one-secretary rule
    for number, raw in rows:
        report.row_count += 1
        plan, errors, role = _member_row(number, raw, accounts, seats, units, first_row_of, report)
        report.errors.extend(RowError(number, headers[name], message) for name, message in errors.items())
        if role is not None:
            roles[number] = role
        if plan is not None and not errors:
            report.planned.append(plan)
    report.errors.extend(_single_seat_errors(roles, rows, accounts, seats, headers["role"]))
    log.info(
        "council import preview for round %s by %s: %d rows, %d errors",
        round_.id,
        user.id,
        report.row_count,
        report.error_count,
    )
    return report


def _member_row(
    number: int,
    raw: dict[str, str],
    accounts: dict[str, User],
    seats: dict[int, CouncilMember],
    units: dict[str, Unit],
    first_row_of: dict[str, int],
    report: MemberImport,
) -> tuple[PlannedSeat | None, dict[str, str], CouncilRole | None]:
    errors: dict[str, str] = {}
    values = {spec.name: normalise(raw.get(spec.name)) for spec in MEMBER_FIELDS}
    for spec in MEMBER_FIELDS:
        if len(values[spec.name]) > spec.max_length:
            errors[spec.name] = _(
                "%(field)s: dài quá %(n)d ký tự (hiện có %(length)d).",
                field=spec.label,
                n=spec.max_length,
                length=len(values[spec.name]),
            )
        elif UNSTORABLE.search(values[spec.name]):
            errors[spec.name] = unstorable_message(spec.label)
    username = values["username"].lower()
    account = accounts.get(username)
    problem = _username_problem(username, account, number, first_row_of)
    if problem:
        errors["username"] = problem
    if account is None and not values["full_name"] and "username" not in errors:
        errors["full_name"] = _("Họ và tên: bắt buộc với tài khoản mới “%(username)s”.", username=username)
    unit = None
    if values["unit"]:
        unit = units.get(name_key(values["unit"]))
        if unit is None:
            report.add_unknown_unit(values["unit"], number)
    role = _role(values["role"])
    if role is None:
        errors["role"] = _(
            "Vai trò: “%(value)s” không hợp lệ; chọn %(roles)s.",
            value=values["role"],
            roles=", ".join(str(r.label) for r in CouncilRole),
        )
    expertise, bad = _expertise(values["expertise"])
    if bad:
        errors["expertise"] = _(
            "Lĩnh vực chuyên môn: %(values)s không phải một trong 5 nội dung thi đua (ghi tên hoặc số 1–5).",
            values=quoted(bad),
        )
    if errors or role is None or (values["unit"] and unit is None):
        return None, errors, role
    plan = PlannedSeat(
        row=number,
        username=username,
        full_name=values["full_name"],
        unit=unit,
        title=values["title"],
        role=role,
        expertise=expertise,
        user=account,
        seat=seats.get(account.id) if account is not None else None,
    )
    return plan, errors, role


def _username_problem(
    username: str, account: User | None, number: int, first_row_of: dict[str, int]
) -> str | None:
    """What is wrong with a row's username (empty, malformed, repeated, a locked account), or None."""
    if not username:
        return _("%(field)s: không được để trống.", field=MEMBER_FIELDS[0].label)
    if not USERNAME_PATTERN.match(username):
        return _("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch.")
    if username in first_row_of:
        return _(
            "Tên đăng nhập “%(username)s” trùng với dòng %(row)d.",
            username=username,
            row=first_row_of[username],
        )
    first_row_of[username] = number
    if account is not None and not account.active:
        return _(
            "Tài khoản “%(username)s” đang bị khóa; nhờ quản trị hệ thống mở lại trước.", username=username
        )
    return None


def _single_seat_errors(
    roles: dict[int, CouncilRole],
    rows: list[tuple[int, dict[str, str]]],
    accounts: dict[str, User],
    seats: dict[int, CouncilMember],
    column: str,
) -> Iterator[RowError]:
    """At most one chair and one secretary: counting the sheet's rows and the seats it leaves alone."""
    in_sheet = {
        accounts[u].id for u in (normalise(raw["username"]).lower() for _n, raw in rows) if u in accounts
    }
    for role in (CouncilRole.CHAIR, CouncilRole.SECRETARY):
        sheet_rows = sorted(number for number, r in roles.items() if r is role)
        kept = sorted(s.user.username for s in seats.values() if s.role is role and s.user_id not in in_sheet)
        if len(sheet_rows) + len(kept) <= 1:
            continue
        listed = ", ".join(str(number) for number in sheet_rows)
        if kept:
            message = _(
                "Mỗi đợt xét chỉ có một %(role)s: dòng %(rows)s ghi vai trò này trong khi tài khoản "
                "%(users)s đang giữ vai trò này trong đợt xét.",
                role=role.label,
                rows=listed,
                users=quoted(kept),
            )
        else:
            message = _(
                "Mỗi đợt xét chỉ có một %(role)s: các dòng %(rows)s cùng ghi vai trò này.",
                role=role.label,
                rows=listed,
            )
        yield RowError(None, column, message)


def import_members(round_: Round, data: bytes, filename: str, *, user: User) -> MemberImport:
    """Validate again and save every seat in one transaction; new accounts get a random password.

    The passwords are returned in ``report.passwords`` (shown once to the secretary), never stored
    in clear or logged.
    """
    report = preview_members(round_, data, filename, user=user)
    if not report.ok:
        return report
    try:
        for plan in report.planned:
            account = plan.user
            if account is None:
                password = secrets.token_urlsafe(9)
                account = create_user(
                    plan.username, plan.full_name, password, unit=plan.unit, title=plan.title, commit=False
                )
                report.passwords.append(IssuedPassword(account.username, account.full_name, password))
            seat = plan.seat
            if seat is None:
                seat = CouncilMember(round=round_, user=account)
                db.session.add(seat)
            seat.role = plan.role
            seat.expertise = [field_.value for field_ in plan.expertise]
        db.session.commit()
    except (AccountError, IntegrityError):
        db.session.rollback()
        log.warning("council import into round %s by %s hit a concurrent change", round_.id, user.id)
        report.passwords.clear()
        report.blocking = _(
            "Có người vừa tạo tài khoản hoặc thêm thành viên trùng; chưa lưu gì. Vui lòng nhập lại."
        )
        return report
    report.saved = True
    log.info(
        "council import into round %s by %s: %d new accounts, %d new seats, %d updated",
        round_.id,
        user.id,
        report.new_users,
        report.new_seats,
        report.updated_seats,
    )
    return report


def members_template(round_: Round) -> bytes:
    """The council members template: six columns, two example rows, and a guide sheet."""
    unit = db.session.scalar(select(Unit).order_by(Unit.id).limit(1))
    unit_name = unit.name if unit else "Ủy ban MTTQ Việt Nam tỉnh Ví Dụ"
    examples = [
        ["nguyenvanan", "Nguyễn Văn An", unit_name, str(CouncilRole.CHAIR.label), "1", "Phó Chủ tịch"],
        [
            "tranthibich",
            "Trần Thị Bích",
            unit_name,
            str(CouncilRole.MEMBER.label),
            "2; 3",
            "Trưởng ban Kinh tế",
        ],
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = _("Thành viên Hội đồng")
    write_sheet(ws, [str(spec.label) for spec in MEMBER_FIELDS], [20, 28, 36, 26, 28, 28], examples)
    notes = [
        _("Giữ nguyên hàng tiêu đề (dòng 1); mỗi dòng bên dưới là một thành viên. Xóa các dòng ví dụ."),
        _(
            "Tên đăng nhập đã có: dùng tài khoản đó (họ tên, đơn vị, chức vụ của tài khoản không đổi). "
            "Tên đăng nhập mới: hệ thống tạo tài khoản với mật khẩu ngẫu nhiên, hiện một lần sau khi nhập."
        ),
        _(
            "Thành viên đã có trong Hội đồng của đợt xét được cập nhật vai trò và lĩnh vực; "
            "thành viên không có trong tệp giữ nguyên."
        ),
        _("Mỗi đợt xét chỉ có một Chủ tịch Hội đồng và một Thư ký Hội đồng."),
    ]
    write_guide_sheet(wb, _("Hướng dẫn nhập thành viên Hội đồng"), notes, MEMBER_FIELDS)
    log.debug("council template for round %s", round_.id)
    return workbook_bytes(wb)
