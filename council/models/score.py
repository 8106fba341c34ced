"""Phiếu chấm điểm and lịch sử chấm điểm: score sheets and their append-only history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import Timestamped, utcnow
from council.models.enums import ScoreEventKind, SheetStatus, enum_column

if TYPE_CHECKING:
    from council.models.assignment import Assignment
    from council.models.round import Criterion
    from council.models.user import User


class ScoreSheet(Timestamped, db.Model):
    """Phiếu chấm điểm: one member's points for one dossier, one per assignment.

    ``version`` grows with every write, so that two tabs editing the same sheet see each other. It is
    also SQLAlchemy's optimistic lock: every UPDATE says ``WHERE version = <the version read>``, so of
    two requests that read the same version only the first to write succeeds (the other gets
    ``StaleDataError``), on SQLite and PostgreSQL alike. The services set the next version
    themselves (``version_id_generator=False``) so that every write bumps it, even one that only
    changes the criterion rows.

    ``reopened`` marks a sheet the chair re-opened after scoring closed: its member may edit and
    submit it again; submitting clears the mark.
    """

    __tablename__ = "score_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), unique=True)
    status: Mapped[SheetStatus] = mapped_column(enum_column(SheetStatus), default=SheetStatus.DRAFT)
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None]
    reopened: Mapped[bool] = mapped_column(default=False, server_default=false())

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "version_id_generator": False}

    assignment: Mapped[Assignment] = relationship(back_populates="sheet")
    scores: Mapped[list[CriterionScore]] = relationship(back_populates="sheet", cascade="all, delete-orphan")
    events: Mapped[list[ScoreEvent]] = relationship(back_populates="sheet", order_by="ScoreEvent.id")

    def points_by_criterion(self) -> dict[int, float | None]:
        return {score.criterion_id: score.points for score in self.scores}

    def notes_by_criterion(self) -> dict[int, str]:
        return {score.criterion_id: score.comment for score in self.scores}


class CriterionScore(db.Model):
    """The points (and a comment) one sheet gives one criterion."""

    __tablename__ = "criterion_score"
    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"))
    points: Mapped[float | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class ScoreEvent(db.Model):
    """Lịch sử chấm điểm: one save, submit, revision, recusal or re-open. Never updated or deleted.

    ``digest`` is SHA-256 over the previous event's digest and this event's content, so that
    a removed or altered row breaks the chain an auditor verifies. ``ip_address`` is where the
    request came from (hashed too when present); events written outside a request have none.
    """

    __tablename__ = "score_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No ON DELETE: a round, assignment or sheet with history cannot be deleted out from under it.
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("score_sheet.id"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[ScoreEventKind] = mapped_column(enum_column(ScoreEventKind))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    ip_address: Mapped[str | None] = mapped_column(String(45))  # IPv6 at most 45 characters
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_digest: Mapped[str] = mapped_column(String(64), default="")
    digest: Mapped[str] = mapped_column(String(64))

    sheet: Mapped[ScoreSheet | None] = relationship(back_populates="events")
    assignment: Mapped[Assignment] = relationship()
    actor: Mapped[User | None] = relationship()


class HistoryIsAppendOnly(RuntimeError):
    """Raised on any attempt to change or delete a ScoreEvent through the ORM."""


@event.listens_for(ScoreEvent, "before_update")
@event.listens_for(ScoreEvent, "before_delete")
def _refuse_rewrite(_mapper: Any, _connection: Any, target: ScoreEvent) -> None:
    raise HistoryIsAppendOnly(f"score event {target.id} is part of the audit history and cannot change")
