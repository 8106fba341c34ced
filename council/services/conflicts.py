"""Conflict of interest (xung đột lợi ích): which council members may not score which dossiers.

A member is conflicted with a dossier when

1. they are its lead author or a co-author (matched by full name, ignoring case and spacing);
2. they belong to the submitting unit, or, when the round says so, to that unit's parent unit;
3. they declared a conflict on it, or the secretary registered one for them.

The assignment step never pairs a conflicted member with the dossier.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from council.extensions import db
from council.models import ConflictDeclaration, CouncilMember, Dossier, Round, User
from council.services.dossiers import name_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Conflict:
    member: CouncilMember
    dossier: Dossier
    reasons: tuple[str, ...]


def find_conflicts(round_: Round) -> list[Conflict]:
    """Every conflicted (member, dossier) pair of the round, with the rules that make it one."""
    declared: dict[tuple[int, int], list[str]] = {}
    for declaration in db.session.scalars(
        select(ConflictDeclaration).join(Dossier).where(Dossier.round_id == round_.id)
    ):
        declared.setdefault((declaration.member_id, declaration.dossier_id), []).append(declaration.reason)
    found = []
    for member in round_.members:
        for dossier in round_.dossiers:
            reasons = _reasons(round_, member, dossier) + [
                _("Đã khai báo: %(reason)s", reason=reason)
                for reason in declared.get((member.id, dossier.id), [])
            ]
            if reasons:
                found.append(Conflict(member, dossier, tuple(reasons)))
    return found


def _reasons(round_: Round, member: CouncilMember, dossier: Dossier) -> list[str]:
    reasons = []
    authors = {name_key(dossier.lead_author), *(name_key(name) for name in dossier.co_authors or [])}
    if name_key(member.user.full_name) in authors:
        reasons.append(_("Là tác giả hoặc đồng tác giả của hồ sơ."))
    unit_id = member.user.unit_id
    if unit_id is not None and unit_id == dossier.unit_id:
        reasons.append(_("Cùng đơn vị với đơn vị nộp hồ sơ."))
    elif round_.conflict_parent_unit and unit_id is not None and unit_id == dossier.unit.parent_id:
        reasons.append(_("Thuộc đơn vị cấp trên của đơn vị nộp hồ sơ."))
    return reasons


def conflict_pairs(round_: Round) -> set[tuple[int, int]]:
    """``(member_id, dossier_id)`` pairs that must never be assigned."""
    return {(c.member.id, c.dossier.id) for c in find_conflicts(round_)}


def declare_conflict(
    member: CouncilMember, dossier: Dossier, reason: str, *, user: User
) -> ConflictDeclaration:
    """Record a declared conflict (by the member, or by the secretary on their behalf)."""
    reason = reason.strip()
    if len(reason) < 5:
        raise ValueError(_("Lý do xung đột lợi ích: cần ghi rõ (ít nhất 5 ký tự)."))
    if member.round_id != dossier.round_id:
        raise ValueError(_("Thành viên và hồ sơ không cùng một đợt xét."))
    declaration = ConflictDeclaration(member=member, dossier=dossier, reason=reason, declared_by=user)
    db.session.add(declaration)
    db.session.commit()
    log.info("conflict declared: member %s, dossier %s, by %s", member.id, dossier.id, user.id)
    return declaration
