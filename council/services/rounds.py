"""Rounds (đợt xét): creation with the default rubric, the workflow, and the overview figures."""

from __future__ import annotations

import logging
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
    Criterion,
    Dossier,
    Round,
    RoundStatus,
    RoundStatusChange,
    ScoreSheet,
    SheetStatus,
    User,
)

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
    """Per council member: dossiers assigned, sheets submitted, drafts, recusals."""
    rows = db.session.execute(
        select(
            Assignment.member_id,
            func.count(Assignment.id).filter(Assignment.status == AssignmentStatus.ACTIVE),
            func.count(ScoreSheet.id).filter(ScoreSheet.status == SheetStatus.SUBMITTED),
            func.count(ScoreSheet.id).filter(ScoreSheet.status == SheetStatus.DRAFT),
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
