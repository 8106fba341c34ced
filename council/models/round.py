"""Đợt xét: one evaluation round, its rubric (tiêu chí) and its workflow history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import Timestamped, utcnow
from council.models.enums import Level, RoundStatus, enum_column

if TYPE_CHECKING:
    from council.models.council_member import CouncilMember
    from council.models.dossier import Dossier
    from council.models.unit import Unit
    from council.models.user import User


class Round(Timestamped, db.Model):
    """Đợt xét: a yearly (or ad hoc) evaluation by one council of one issuing body."""

    __tablename__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    year: Mapped[int]
    level: Mapped[Level] = mapped_column(enum_column(Level))
    issuing_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    issuing_body: Mapped[str] = mapped_column(String(255), default="")  # e.g. "Ban Thường trực"
    status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus), default=RoundStatus.DRAFT)
    reviewers_per_dossier: Mapped[int] = mapped_column(default=3)
    intake_deadline: Mapped[datetime | None]
    scoring_deadline: Mapped[datetime | None]
    # Conflict rule: a member is conflicted with dossiers of their own unit, and (when set) of its parent.
    conflict_parent_unit: Mapped[bool] = mapped_column(default=False)
    # Phương pháp chuẩn hóa điểm: a method of scoring.ranking.METHODS, chosen before finalising.
    ranking_method: Mapped[str] = mapped_column(String(32), default="auto", server_default="auto")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    issuing_unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="round", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    members: Mapped[list[CouncilMember]] = relationship(back_populates="round", cascade="all, delete-orphan")
    dossiers: Mapped[list[Dossier]] = relationship(back_populates="round", cascade="all, delete-orphan")
    status_changes: Mapped[list[RoundStatusChange]] = relationship(
        back_populates="round", order_by="RoundStatusChange.id", cascade="all, delete-orphan"
    )

    @property
    def max_total(self) -> float:
        """Highest weighted total a sheet can reach under this round's rubric."""
        return sum(c.max_points * c.weight for c in self.criteria)

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.year} {self.status}>"


class Criterion(db.Model):
    """Tiêu chí: one criterion of the round's rubric (e.g. Tính mới, 20 points, weight 1)."""

    __tablename__ = "criterion"
    __table_args__ = (UniqueConstraint("round_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(255))
    descriptor: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[float] = mapped_column(default=20.0)
    weight: Mapped[float] = mapped_column(default=1.0)

    round: Mapped[Round] = relationship(back_populates="criteria")


class RoundStatusChange(db.Model):
    """One step of a round's workflow: who moved it, from where to where, and why (for a re-open)."""

    __tablename__ = "round_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    from_status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus))
    to_status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[Round] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()
