"""Accounts and units: create, edit, authenticate, change password."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from council.extensions import db
from council.models import GlobalRole, Unit, User
from council.models.base import utcnow

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A request that cannot be carried out; the message is shown to the user."""


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader."""
    return db.session.get(User, int(user_id))


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash of a random password made with the configured method, once per method."""
    method = _hash_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash(os.urandom(16).hex(), method)
    return _dummy_hashes[method]


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None (same answer for either mistake)."""
    user = find_user(username)
    if user is None:
        # Hash anyway, so that the response time does not tell which usernames exist. The username
        # typed is not logged: people type their password into that box by mistake.
        check_password_hash(_dummy_hash(), password)
        log.info("failed login: unknown username")
        return None
    if not user.active or not user.check_password(password):
        log.info("failed login for user %s", user.id)
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    log.info("user %s logged in", user.id)
    return user


def create_user(
    username: str,
    full_name: str,
    password: str,
    *,
    unit: Unit | None = None,
    title: str = "",
    roles: set[GlobalRole] | frozenset[GlobalRole] = frozenset(),
    commit: bool = True,
) -> User:
    """Create an account; the username is stored lower-case and must be unused."""
    username = username.strip().lower()
    if find_user(username) is not None:
        raise AccountError(_("Tên đăng nhập “%(username)s” đã có người dùng.", username=username))
    _check_password_strength(password)
    user = User(username=username, full_name=full_name.strip(), title=title, unit=unit)
    user.set_password(password, _hash_method())
    _set_roles(user, roles)
    db.session.add(user)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    log.info("created user %s (%s)", user.id, ",".join(sorted(roles)) or "no global role")
    return user


def update_user(user: User, data: dict[str, Any], *, actor: User) -> User:
    """Update an account's name, title, unit, roles, active flag and (optionally) password."""
    if user.id == actor.id and (not data.get("active", True) or GlobalRole.ADMIN not in data["roles"]):
        raise AccountError(_("Không thể tự khóa tài khoản hoặc tự bỏ quyền quản trị của mình."))
    user.full_name = data["full_name"].strip()
    user.title = data.get("title") or ""
    user.unit = data.get("unit")
    user.active = bool(data.get("active", True))
    _set_roles(user, data["roles"])
    if data.get("password"):
        _check_password_strength(data["password"])
        user.set_password(data["password"], _hash_method())
    db.session.commit()
    log.info("user %s updated by %s", user.id, actor.id)
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password, after checking the current one."""
    if not user.check_password(current):
        raise AccountError(_("Mật khẩu hiện tại không đúng."))
    _check_password_strength(new)
    user.set_password(new, _hash_method())
    db.session.commit()
    log.info("user %s changed their password", user.id)


def save_unit(unit: Unit | None, data: dict[str, Any], *, actor: User) -> Unit:
    """Create (``unit`` None) or update a unit; names are unique and a unit cannot be its own ancestor."""
    name = data["name"].strip()
    clash = db.session.scalar(select(Unit).where(Unit.name == name))
    if clash is not None and clash is not unit:
        raise AccountError(_("Đã có đơn vị tên “%(name)s”.", name=name))
    parent = data.get("parent")
    ancestor = parent
    while ancestor is not None:
        if unit is not None and ancestor.id == unit.id:
            raise AccountError(
                _("Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị cấp dưới của nó.")
            )
        ancestor = ancestor.parent
    if unit is None:
        unit = Unit()
        db.session.add(unit)
    unit.name, unit.kind, unit.level, unit.parent = name, data["kind"], data["level"], parent
    db.session.commit()
    log.info("unit %s saved by %s", unit.id, actor.id)
    return unit


def list_units(*, by_level: bool = False) -> list[Unit]:
    """Every unit, by name (or by level, then name)."""
    order = (Unit.level, Unit.name) if by_level else (Unit.name,)
    return list(db.session.scalars(select(Unit).order_by(*order)))


def list_users() -> list[User]:
    """Every account, by username."""
    return list(db.session.scalars(select(User).order_by(User.username)))


def active_people() -> list[User]:
    """Accounts that can be given a seat on a council, by full name."""
    return list(db.session.scalars(select(User).where(User.active).order_by(User.full_name)))


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def _set_roles(user: User, roles: set[GlobalRole] | frozenset[GlobalRole]) -> None:
    user.is_admin = GlobalRole.ADMIN in roles
    user.is_auditor = GlobalRole.AUDITOR in roles


def _check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_PASSWORD_LENGTH))
