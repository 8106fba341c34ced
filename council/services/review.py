"""A member's own work: the dossiers assigned to them and the state of each sheet."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from council.extensions import db
from council.models import Assignment, AssignmentStatus, CouncilMember, Dossier, Round, SheetStatus, User


@dataclass(frozen=True)
class AssignedDossier:
    assignment: Assignment
    dossier: Dossier
    round: Round

    @property
    def sheet_status(self) -> SheetStatus:
        sheet = self.assignment.sheet
        return sheet.status if sheet is not None else SheetStatus.NOT_STARTED


def assigned_dossiers(user: User, round_: Round | None = None) -> list[AssignedDossier]:
    """Every active, published assignment of the user (in one round, or in all), by round then dossier code."""
    query = (
        select(Assignment)
        .join(CouncilMember)
        .join(Dossier)
        .options(joinedload(Assignment.dossier).joinedload(Dossier.round), joinedload(Assignment.sheet))
        .where(
            CouncilMember.user_id == user.id,
            Assignment.status == AssignmentStatus.ACTIVE,
            Assignment.published_at.is_not(None),  # draft pairs are the secretariat's business
        )
        .order_by(Dossier.round_id.desc(), Dossier.code)
    )
    if round_ is not None:
        query = query.where(Dossier.round_id == round_.id)
    return [AssignedDossier(a, a.dossier, a.dossier.round) for a in db.session.scalars(query).unique()]


@dataclass(frozen=True)
class RoundWork:
    """One round's share of a member's dashboard: the assigned dossiers and how many are submitted."""

    round: Round
    items: list[AssignedDossier]

    @property
    def submitted(self) -> int:
        return sum(item.sheet_status is SheetStatus.SUBMITTED for item in self.items)


def work_by_round(user: User) -> list[RoundWork]:
    """The user's assignments grouped by round, newest round first."""
    groups: dict[int, list[AssignedDossier]] = {}
    for item in assigned_dossiers(user):
        groups.setdefault(item.round.id, []).append(item)
    return [RoundWork(items[0].round, items) for items in groups.values()]
