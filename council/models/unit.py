"""Đơn vị: an organisation at one level of the hierarchy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import Timestamped
from council.models.enums import Level, UnitKind, enum_column

if TYPE_CHECKING:
    from council.models.user import User


class Unit(Timestamped, db.Model):
    """Đơn vị: a Front committee, member organisation, agency, enterprise, school, commune..."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    level: Mapped[Level] = mapped_column(enum_column(Level))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    users: Mapped[list[User]] = relationship(back_populates="unit")

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r}>"
