"""Tệp đính kèm: a file attached to a dossier, stored by content hash under ``instance/``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import utcnow

if TYPE_CHECKING:
    from council.models.dossier import Dossier
    from council.models.user import User


class Attachment(db.Model):
    """One uploaded file of a dossier; its type is the one detected from its content."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("dossier_id", "sha256"),)  # the same file once per dossier

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, shown and offered on download
    kind: Mapped[str] = mapped_column(String(8))  # pdf, docx, xlsx, jpg, png (from the content)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))  # also the stored file's name
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User | None] = relationship()
