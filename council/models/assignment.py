"""Phân công chấm: which council member scores which dossier."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, UniqueConstraint
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
    """One member assigned to score one dossier; ``locked`` when the secretary chose it by hand."""

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

    dossier: Mapped[Dossier] = relationship(back_populates="assignments")
    member: Mapped[CouncilMember] = relationship(back_populates="assignments")
    created_by: Mapped[User | None] = relationship()
    sheet: Mapped[ScoreSheet | None] = relationship(back_populates="assignment", cascade="all, delete-orphan")


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
