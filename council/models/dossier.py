"""Hồ sơ: one initiative, new idea or model submitted to a round."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import Timestamped
from council.models.enums import DossierKind, DossierStatus, Field, enum_column

if TYPE_CHECKING:
    from council.models.assignment import Assignment
    from council.models.attachment import Attachment
    from council.models.round import Round
    from council.models.unit import Unit


class Dossier(Timestamped, db.Model):
    """Hồ sơ sáng kiến / ý tưởng mới / mô hình, with the fields of the movement's intake form."""

    __tablename__ = "dossier"
    __table_args__ = (UniqueConstraint("round_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))  # e.g. HS-2025-0001
    kind: Mapped[DossierKind] = mapped_column(enum_column(DossierKind))
    field: Mapped[Field] = mapped_column(enum_column(Field))
    title: Mapped[str] = mapped_column(String(500))
    lead_author: Mapped[str] = mapped_column(String(255))  # người chủ trì
    co_authors: Mapped[list[str]] = mapped_column(JSON, default=list)  # người thực hiện
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    summary: Mapped[str] = mapped_column(Text, default="")  # mô tả
    novelty: Mapped[str] = mapped_column(Text, default="")  # tính mới
    applied_time: Mapped[str] = mapped_column(String(255), default="")  # thời gian áp dụng
    applied_place: Mapped[str] = mapped_column(String(500), default="")  # địa điểm áp dụng
    applied_work: Mapped[str] = mapped_column(Text, default="")  # công việc áp dụng
    results: Mapped[str] = mapped_column(Text, default="")  # kết quả
    status: Mapped[DossierStatus] = mapped_column(enum_column(DossierStatus), default=DossierStatus.RECEIVED)

    round: Mapped[Round] = relationship(back_populates="dossiers")
    unit: Mapped[Unit] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="dossier", order_by="Attachment.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Dossier {self.code}>"
