"""Phân công chấm: which council member scores which dossier."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import utcnow
from council.models.enums import AssignmentStatus, enum_column

if TYPE_CHECKING:
    from council.models.council_member import CouncilMember
    from council.models.dossier import Dossier
    from council.models.score import ScoreSheet
    from council.models.user import User


class Assignment(db.Model):
    """One member assigned to score one dossier.

    A pair is a *draft* (proposed by the solver or added by hand, seen only by the secretariat)
    until it is published (``published_at``); then the member sees the dossier. ``locked`` marks a
    pair the secretary chose by hand: re-running the solver keeps locked and published pairs.
    """

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("dossier_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("council_member.id", ondelete="CASCADE"))
    status: Mapped[AssignmentStatus] = mapped_column(
        enum_column(AssignmentStatus), default=AssignmentStatus.ACTIVE
    )
    locked: Mapped[bool] = mapped_column(default=False)
    affinity: Mapped[float | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    dossier: Mapped[Dossier] = relationship(back_populates="assignments")
    member: Mapped[CouncilMember] = relationship(back_populates="assignments")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    sheet: Mapped[ScoreSheet | None] = relationship(back_populates="assignment", cascade="all, delete-orphan")

    @property
    def published(self) -> bool:
        return self.published_at is not None


class ConflictDeclaration(db.Model):
    """Xung đột lợi ích: a member may not score a dossier (declared by them, or by the secretary)."""

    __tablename__ = "conflict_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_member.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    reason: Mapped[str]
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[CouncilMember] = relationship()
    dossier: Mapped[Dossier] = relationship()
    declared_by: Mapped[User | None] = relationship()


class AssignmentRun(db.Model):
    """One run of the assignment solver: who ran it, with which settings, and what came out.

    ``params`` holds k, loads, fairness and seed; ``report`` the figures the secretary saw
    (total affinity, the optimum before the connectivity repair, loads, connectivity).
    """

    __tablename__ = "assignment_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()
