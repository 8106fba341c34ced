"""Người dùng: an account, with its global roles (admin, auditor)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from council.extensions import db
from council.models.base import Timestamped
from council.models.enums import GlobalRole

if TYPE_CHECKING:
    from council.models.council_member import CouncilMember
    from council.models.unit import Unit


class User(UserMixin, Timestamped, db.Model):
    """A person who signs in. Round roles live on ``CouncilMember``; global roles here."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_auditor: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    last_login_at: Mapped[datetime | None]

    unit: Mapped[Unit | None] = relationship(back_populates="users")
    memberships: Mapped[list[CouncilMember]] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str, method: str = "scrypt") -> None:
        # scrypt with a random salt (werkzeug's default); tests pass a cheaper method.
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, role: GlobalRole | str) -> bool:
        """Whether the user holds a global role."""
        role = GlobalRole(role)
        return self.is_admin if role is GlobalRole.ADMIN else self.is_auditor

    @property
    def global_roles(self) -> list[GlobalRole]:
        return [role for role in GlobalRole if self.has_role(role)]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r}>"
