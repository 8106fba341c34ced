"""A member's own work: the dossiers assigned to them and the state of each sheet."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentStatus,
    CouncilMember,
    Dossier,
    Round,
    SheetStatus,
    User,
)

# What the dashboard shows: pairs the member is scoring, and the ones they stepped back from.
SHOWN = (AssignmentStatus.ACTIVE, AssignmentStatus.RECUSED)


@dataclass(frozen=True)
class AssignedDossier:
    assignment: Assignment
    dossier: Dossier
    round: Round

    @property
    def recused(self) -> bool:
        return self.assignment.status is AssignmentStatus.RECUSED

    @property
    def sheet_status(self) -> SheetStatus:
        sheet = self.assignment.sheet
        return sheet.status if sheet is not None else SheetStatus.NOT_STARTED

    @property
    def status(self) -> SheetStatus | AssignmentStatus:
        """The badge: not started, draft, submitted, or recused."""
        return AssignmentStatus.RECUSED if self.recused else self.sheet_status


def assigned_dossiers(user: User, round_: Round | None = None) -> list[AssignedDossier]:
    """Every published assignment of the user, active or recused (in one round, or all)."""
    query = (
        select(Assignment)
        .join(CouncilMember)
        .join(Dossier)
        .options(joinedload(Assignment.dossier).joinedload(Dossier.round), joinedload(Assignment.sheet))
        .where(
            CouncilMember.user_id == user.id,
            Assignment.status.in_(SHOWN),
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
    def total(self) -> int:
        """The sheets the member owes: recused dossiers are not theirs to score any more."""
        return sum(not item.recused for item in self.items)

    @property
    def submitted(self) -> int:
        return sum(not item.recused and item.sheet_status is SheetStatus.SUBMITTED for item in self.items)


def work_by_round(user: User) -> list[RoundWork]:
    """The user's assignments grouped by round, newest round first."""
    groups: dict[int, list[AssignedDossier]] = {}
    for item in assigned_dossiers(user):
        groups.setdefault(item.round.id, []).append(item)
    return [RoundWork(items[0].round, items) for items in groups.values()]


def recusals_awaiting_replacement(round_: Round) -> list[Assignment]:
    """Recused pairs whose dossier has fewer active, published reviewers than the round asks for.

    Shown to the secretariat on the round's overview until another reviewer is published.
    """
    other = aliased(Assignment)
    active = (
        select(func.count(other.id))
        .where(
            other.dossier_id == Dossier.id,
            other.status == AssignmentStatus.ACTIVE,
            other.published_at.is_not(None),
        )
        .correlate(Dossier)
        .scalar_subquery()
    )
    query = (
        select(Assignment)
        .join(Dossier)
        .options(joinedload(Assignment.dossier), joinedload(Assignment.member).joinedload(CouncilMember.user))
        .where(
            Dossier.round_id == round_.id,
            Assignment.status == AssignmentStatus.RECUSED,
            active < round_.reviewers_per_dossier,
        )
        .order_by(Dossier.code)
    )
    return list(db.session.scalars(query).unique())
