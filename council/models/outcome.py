"""What a round produces: ranking snapshots and the recognition decision (Quyết định công nhận)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import Timestamped, utcnow

if TYPE_CHECKING:
    from council.models.round import Round
    from council.models.user import User


class RankingSnapshot(db.Model):
    """Xếp hạng: a frozen ranking of a round by one method; the final one is locked by the chair."""

    __tablename__ = "ranking_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical payload
    is_final: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[Round] = relationship()
    created_by: Mapped[User | None] = relationship()


class Decision(Timestamped, db.Model):
    """Quyết định công nhận and its Danh sách kèm theo, printed from a final ranking snapshot."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("issuer_symbol", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("ranking_snapshot.id"))
    number: Mapped[int | None]  # never reused within an issuer and year
    issuer_symbol: Mapped[str] = mapped_column(String(64))  # e.g. QĐ-MTTQ-BTT
    year: Mapped[int]
    place: Mapped[str] = mapped_column(String(255), default="")
    issued_on: Mapped[date | None]
    summary: Mapped[str] = mapped_column(Text, default="")  # trích yếu
    grounds: Mapped[list[str]] = mapped_column(JSON, default=list)  # căn cứ
    articles: Mapped[list[str]] = mapped_column(JSON, default=list)  # Điều 1, 2, 3
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)  # nơi nhận
    signing_authority: Mapped[str] = mapped_column(String(255), default="")  # TM. BAN THƯỜNG TRỰC
    signer_title: Mapped[str] = mapped_column(String(255), default="")
    signer_name: Mapped[str] = mapped_column(String(255), default="")

    round: Mapped[Round] = relationship()
    snapshot: Mapped[RankingSnapshot | None] = relationship()
