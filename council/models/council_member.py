"""Thành viên Hội đồng: a user's role in one round's council."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import Timestamped
from council.models.enums import CouncilRole, Field, enum_column

if TYPE_CHECKING:
    from council.models.assignment import Assignment
    from council.models.round import Round
    from council.models.user import User


class CouncilMember(Timestamped, db.Model):
    """Chủ tịch, Phó Chủ tịch, Thư ký or Ủy viên of one round. Nobody in any other round."""

    __tablename__ = "council_member"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    role: Mapped[CouncilRole] = mapped_column(enum_column(CouncilRole), default=CouncilRole.MEMBER)
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)  # Field values
    expertise_note: Mapped[str] = mapped_column(String(500), default="")

    round: Mapped[Round] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="memberships")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="member")

    @property
    def expertise_fields(self) -> list[Field]:
        return [Field(value) for value in self.expertise or []]

    @property
    def scores(self) -> bool:
        """Whether this member scores dossiers: everyone but the secretary, who keeps the record."""
        return self.role is not CouncilRole.SECRETARY
