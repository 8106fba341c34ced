"""Rounds (đợt xét): creation with the default rubric, the workflow, and the overview figures."""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentStatus,
    CouncilMember,
    CouncilRole,
    Criterion,
    Dossier,
    Round,
    RoundStatus,
    RoundStatusChange,
    ScoreSheet,
    SheetStatus,
    Unit,
    User,
)
from council.models.enums import SETUP_STEPS

log = logging.getLogger(__name__)

# The movement's five criteria (Kế hoạch của Hội Nông dân, 2022), 20 points each, weight 1.
DEFAULT_RUBRIC: tuple[tuple[str, str], ...] = (
    ("Tính mới", "Sáng kiến, ý tưởng chưa được áp dụng tại đơn vị, địa phương; có cải tiến so với trước."),
    ("Tính phù hợp", "Phù hợp với chủ trương, chính sách, điều kiện thực tế của đơn vị, địa phương."),
    ("Tính tập thể", "Được tập thể tham gia xây dựng, thực hiện; huy động được sự đồng thuận."),
    ("Tính thiết thực, hiệu quả", "Mang lại hiệu quả rõ rệt, đo đếm được; có khả năng nhân rộng."),
    ("Tính kinh tế", "Tiết kiệm chi phí, thời gian, nhân lực; làm lợi về kinh tế."),
)

# What each step forward locks, shown in the confirmation before the secretary moves the round on.
STEP_LOCKS: dict[RoundStatus, Any] = {
    RoundStatus.INTAKE: _l("Mở tiếp nhận hồ sơ. Thông tin chung của đợt xét vẫn sửa được."),
    RoundStatus.ASSIGNMENT: _l("Kết thúc tiếp nhận: không thêm hồ sơ mới. Bắt đầu phân công chấm."),
    RoundStatus.SCORING: _l("Khóa bộ tiêu chí và phân công; thành viên Hội đồng bắt đầu chấm điểm."),
    RoundStatus.DELIBERATION: _l(
        "Đóng chấm điểm: thành viên không sửa phiếu được nữa, trừ khi Chủ tịch mở lại."
    ),
    RoundStatus.FINALISED: _l("Chốt kết quả xếp hạng và mức khen; không ai sửa được điểm."),
    RoundStatus.PUBLISHED: _l("Công bố kết quả và danh sách công nhận."),
}


class WorkflowError(ValueError):
    """A workflow step that is not allowed; the message is shown to the user."""


def create_round(data: dict[str, Any], *, user: User | None, commit: bool = True) -> Round:
    """Create a draft round with the default rubric (five criteria, 20 points each, weight 1)."""
    round_ = Round(created_by=user, **{"status": RoundStatus.DRAFT, "reviewers_per_dossier": 3, **data})
    round_.criteria = [
        Criterion(position=index, name=name, descriptor=descriptor, max_points=20.0, weight=1.0)
        for index, (name, descriptor) in enumerate(DEFAULT_RUBRIC, start=1)
    ]
    db.session.add(round_)
    if commit:
        db.session.commit()
    log.info("round %r created by %s", round_.title, user.id if user else "cli")
    return round_


def advance_round(round_: Round, *, user: User | None, commit: bool = True) -> RoundStatus:
    """Move the round one step forward in its workflow."""
    target = round_.status.next
    if target is None:
        raise WorkflowError(_("Đợt xét đã ở bước cuối cùng."))
    if target is RoundStatus.FINALISED:  # only through finalising, which stores the snapshot
        raise WorkflowError(
            _("Chủ tịch chốt kết quả ở trang Xếp hạng (lưu bản chốt kết quả có mã kiểm tra).")
        )
    _record_step(round_, target, reason="", user=user)
    if commit:
        db.session.commit()
    return target


def reopen_round(round_: Round, target: RoundStatus, reason: str, *, user: User) -> None:
    """Take the round back to an earlier step. Allowed only with a stated reason, and it is recorded."""
    if not target.precedes(round_.status):
        raise WorkflowError(_("Chỉ có thể mở lại về một bước trước bước hiện tại."))
    if len(reason.strip()) < 10:
        raise WorkflowError(_("Lý do mở lại: cần ghi rõ lý do (ít nhất 10 ký tự)."))
    if not round_.status.precedes(RoundStatus.FINALISED):
        # The verdict is re-opened: its snapshot stays, marked with who re-opened it and why.
        from council.services.deliberation import mark_reopened

        mark_reopened(round_, reason.strip(), user=user)
    _record_step(round_, target, reason=reason.strip(), user=user)
    db.session.commit()


def _record_step(round_: Round, target: RoundStatus, *, reason: str, user: User | None) -> None:
    db.session.add(
        RoundStatusChange(
            round=round_, from_status=round_.status, to_status=target, reason=reason, actor=user
        )
    )
    log.info("round %s: %s -> %s by %s", round_.id, round_.status, target, user.id if user else "cli")
    round_.status = target


def rounds_for(user: User) -> list[tuple[Round, CouncilMember | None]]:
    """The rounds a user may see, newest first, each with the user's seat (None for admin/auditor)."""
    seats = {
        m.round_id: m
        for m in db.session.scalars(select(CouncilMember).where(CouncilMember.user_id == user.id))
    }
    query = select(Round).order_by(Round.year.desc(), Round.id.desc())
    if not (user.is_admin or user.is_auditor):
        query = query.where(Round.id.in_(seats))
    return [(round_, seats.get(round_.id)) for round_ in db.session.scalars(query)]


@dataclass(frozen=True)
class MemberProgress:
    member: CouncilMember
    assigned: int
    submitted: int
    drafts: int
    recused: int


def member_progress(round_: Round) -> list[MemberProgress]:
    """Per council member: dossiers assigned (published), sheets submitted, drafts, recusals."""
    rows = db.session.execute(
        select(
            Assignment.member_id,
            func.count(Assignment.id).filter(
                Assignment.status == AssignmentStatus.ACTIVE, Assignment.published_at.is_not(None)
            ),
            # A recused member's sheet, even a submitted one, no longer counts as their work.
            func.count(ScoreSheet.id).filter(
                ScoreSheet.status == SheetStatus.SUBMITTED, Assignment.status == AssignmentStatus.ACTIVE
            ),
            func.count(ScoreSheet.id).filter(
                ScoreSheet.status == SheetStatus.DRAFT, Assignment.status == AssignmentStatus.ACTIVE
            ),
            func.count(Assignment.id).filter(Assignment.status == AssignmentStatus.RECUSED),
        )
        .join(Dossier)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Dossier.round_id == round_.id)
        .group_by(Assignment.member_id)
    ).all()
    counts = {row[0]: row[1:] for row in rows}
    members = sorted(round_.members, key=lambda m: (list(type(m.role)).index(m.role), m.user.full_name))
    return [MemberProgress(m, *counts.get(m.id, (0, 0, 0, 0))) for m in members]


def dossier_counts(round_: Round) -> dict[str, int]:
    """How many dossiers the round has, by field value."""
    rows = db.session.execute(
        select(Dossier.field, func.count()).where(Dossier.round_id == round_.id).group_by(Dossier.field)
    ).all()
    return {str(field): count for field, count in rows}


# --- set-up: round details, rubric, council ---------------------------------------------------------

SINGLE_SEATS = (CouncilRole.CHAIR, CouncilRole.SECRETARY)


class SetupError(ValueError):
    """Set-up input that cannot be saved; ``errors`` maps a field (or row) to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def update_round(round_: Round, data: dict[str, Any], *, user: User) -> Round:
    """Save a round's details (title, year, level, issuing body, k, deadlines, conflict rule)."""
    errors = _round_errors(data)
    if errors:
        raise SetupError(errors)
    for name, value in data.items():
        setattr(round_, name, value)
    db.session.commit()
    log.info("round %s details saved by %s", round_.id, user.id)
    return round_


def _round_errors(data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 1 <= data.get("reviewers_per_dossier", 3) <= 15:
        errors["reviewers_per_dossier"] = _("Số thành viên chấm mỗi hồ sơ phải từ 1 đến 15.")
    intake, scoring = data.get("intake_deadline"), data.get("scoring_deadline")
    if intake and scoring and scoring <= intake:
        errors["scoring_deadline"] = _("Hạn chấm điểm phải sau hạn nộp hồ sơ.")
    return errors


@dataclass(frozen=True)
class CriterionInput:
    """One row of the rubric editor; ``criterion_id`` None for a new row."""

    criterion_id: int | None
    name: str
    descriptor: str
    max_points: float | None
    weight: float | None
    position: float | None = None


def save_rubric(round_: Round, rows: list[CriterionInput], *, user: User) -> None:
    """Replace the round's rubric by ``rows`` (in order of ``position``); errors keyed by row index."""
    if round_.status not in SETUP_STEPS:  # after that, score sheets refer to the rubric
        raise SetupError({"rubric": _("Bộ tiêu chí đã khóa vì đợt xét đã bắt đầu chấm điểm.")})
    errors: dict[str, str] = {}
    for index, row in enumerate(rows, start=1):
        if not row.name.strip():
            errors[f"{index}.name"] = _("Dòng %(row)d: tên tiêu chí không được để trống.", row=index)
        # Not a number ("NaN") or beyond float range ("1e309") is refused like a missing value.
        if row.max_points is None or not math.isfinite(row.max_points) or row.max_points <= 0:
            errors[f"{index}.max_points"] = _("Dòng %(row)d: điểm tối đa phải lớn hơn 0.", row=index)
        if row.weight is None or not math.isfinite(row.weight) or row.weight < 0:
            errors[f"{index}.weight"] = _("Dòng %(row)d: trọng số không được âm.", row=index)
    if not rows:
        errors["rubric"] = _("Bộ tiêu chí cần ít nhất một tiêu chí.")
    elif not errors and not any(row.weight for row in rows):
        errors["rubric"] = _("Ít nhất một tiêu chí phải có trọng số lớn hơn 0.")
    if errors:
        raise SetupError(errors)
    existing = {c.id: c for c in round_.criteria}
    kept = {row.criterion_id for row in rows if row.criterion_id in existing}
    for criterion in list(round_.criteria):
        if criterion.id not in kept:
            round_.criteria.remove(criterion)
    for criterion in round_.criteria:  # out of the way of the unique (round, position) constraint
        criterion.position = -criterion.id
    db.session.flush()
    ordered = sorted(
        enumerate(rows), key=lambda pair: (pair[1].position is None, pair[1].position or 0, pair[0])
    )
    for position, (_index, row) in enumerate(ordered, start=1):
        criterion = existing.get(row.criterion_id) if row.criterion_id in kept else None
        if criterion is None:
            criterion = Criterion(round=round_)  # joins round_.criteria through the relationship
            db.session.add(criterion)
        criterion.position, criterion.name, criterion.descriptor = (
            position,
            row.name.strip(),
            row.descriptor.strip(),
        )
        criterion.max_points, criterion.weight = float(row.max_points or 0), float(row.weight or 0)
    db.session.commit()
    log.info("round %s rubric saved by %s (%d criteria)", round_.id, user.id, len(rows))


def seat_user(
    round_: Round,
    user: User,
    role: CouncilRole,
    expertise: list[str],
    *,
    actor: User,
    keywords: str | None = None,
    commit: bool = True,
) -> CouncilMember:
    """Give a user a seat on the round's council, or change the seat they have.

    ``keywords`` (the expertise note, comma separated) is left as it is when None.
    """
    seat = next((m for m in round_.members if m.user_id == user.id), None)
    if seat is not None and user.id == actor.id and role is not seat.role:
        # Otherwise a secretary could demote themselves out of the pages that manage the round.
        raise SetupError({"role": _("Không thể tự đổi vai trò của mình trong Hội đồng.")})
    _check_single_seat(round_, role, seat)
    if seat is None:
        seat = CouncilMember(round=round_, user=user)
        db.session.add(seat)
    seat.role, seat.expertise = role, list(expertise)
    if keywords is not None:
        seat.expertise_note = " ".join(keywords.split())[:500]
    if commit:
        db.session.commit()
    log.info("round %s: user %s seated as %s by %s", round_.id, user.id, role, actor.id)
    return seat


def _check_single_seat(round_: Round, role: CouncilRole, seat: CouncilMember | None) -> None:
    if role not in SINGLE_SEATS:
        return
    holder = next((m for m in round_.members if m.role is role and m is not seat), None)
    if holder is not None:
        raise SetupError(
            {"role": _("Hội đồng đã có %(role)s: %(name)s.", role=role.label, name=holder.user.full_name)}
        )


def unseat(seat: CouncilMember, *, actor: User) -> None:
    """Remove a member from the council; refused once they have assignments (their work stays)."""
    if seat.user_id == actor.id:
        raise SetupError({"seat": _("Không thể tự bỏ mình khỏi Hội đồng.")})
    if seat.assignments:
        raise SetupError(
            {
                "seat": _(
                    "Không thể bỏ %(name)s khỏi Hội đồng: thành viên đã được phân công chấm.",
                    name=seat.user.full_name,
                )
            }
        )
    db.session.delete(seat)
    db.session.commit()
    log.info("council member %s removed by %s", seat.id, actor.id)


def open_round(data: dict[str, Any], *, secretary: User | None, chair: User | None, user: User) -> Round:
    """Create a round with the default rubric and seat its secretary and chair (if named)."""
    errors = _round_errors(data)
    if secretary is not None and chair is not None and secretary.id == chair.id:
        errors["chair_id"] = _("Chủ tịch và Thư ký Hội đồng phải là hai người khác nhau.")
    if errors:
        raise SetupError(errors)
    round_ = create_round(data, user=user, commit=False)
    for person, role in ((secretary, CouncilRole.SECRETARY), (chair, CouncilRole.CHAIR)):
        if person is not None:
            seat_user(round_, person, role, [], actor=user, commit=False)
    db.session.commit()
    return round_


def add_member(round_: Round, data: dict[str, Any], *, actor: User) -> tuple[CouncilMember, str | None]:
    """Seat an existing user, or create an account and seat it; returns the new account's password."""
    from council.services.accounts import AccountError, create_user  # accounts imports nothing of ours

    password = None
    user = db.session.get(User, data["user_id"]) if data["user_id"] else None
    if user is None:
        if not data["username"] or not data["full_name"]:
            raise SetupError(
                {
                    "user_id": _(
                        "Chọn một người dùng có sẵn, hoặc nhập tên đăng nhập và họ tên để tạo tài khoản mới."
                    )
                }
            )
        password = secrets.token_urlsafe(9)
        unit = db.session.get(Unit, data["unit_id"]) if data["unit_id"] else None
        try:
            user = create_user(data["username"], data["full_name"], password, unit=unit, commit=False)
        except AccountError as error:
            raise SetupError({"username": str(error)}) from error
    seat = seat_user(
        round_, user, data["role"], data["expertise"], keywords=data.get("keywords"), actor=actor
    )
    return seat, password
