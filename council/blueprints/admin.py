"""Administration: accounts and units (global role admin)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from council.extensions import db
from council.forms.admin import UnitForm, UserForm
from council.models import Unit, User
from council.services.accounts import (
    AccountError,
    create_user,
    list_units,
    list_users,
    save_unit,
    update_user,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


# --- accounts -------------------------------------------------------------------------------------


@bp.route("/users")
@admin_required
def users() -> str:
    """Every account, with unit and global roles."""
    return render_template("admin/users.html", users=list_users())


@bp.route("/users/new", methods=("GET", "POST"))
@admin_required
def create_user_view() -> str | Response:
    """Create an account."""
    form = UserForm()
    if form.validate_on_submit():
        data = form.to_data()
        if not data["password"]:
            form.password.errors.append(_("Vui lòng đặt mật khẩu ban đầu cho tài khoản mới."))
        else:
            try:
                create_user(
                    form.username.data or "",
                    data["full_name"],
                    data["password"],
                    unit=data["unit"],
                    title=data["title"],
                    roles=data["roles"],
                )
            except AccountError as error:
                form.username.errors.append(str(error))
            else:
                flash(_("Đã tạo tài khoản %(username)s.", username=form.username.data), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=("GET", "POST"))
@admin_required
def edit_user(user_id: int) -> str | Response:
    """Edit an account: name, unit, roles, active flag, and optionally a new password."""
    user = db.get_or_404(User, user_id)
    form = UserForm(
        data={
            "username": user.username,
            "full_name": user.full_name,
            "title": user.title,
            "unit_id": user.unit_id or 0,
            "roles": [r.value for r in user.global_roles],
            "active": user.active,
        }
    )
    form.username.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            update_user(user, form.to_data(), actor=current_user)
        except AccountError as error:
            db.session.rollback()
            form.roles.errors.append(str(error))
        else:
            flash(_("Đã lưu tài khoản %(username)s.", username=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


# --- units ----------------------------------------------------------------------------------------


@bp.route("/units")
@admin_required
def units() -> str:
    """Every unit, with kind, level and parent."""
    return render_template("admin/units.html", units=list_units(by_level=True))


@bp.route("/units/new", methods=("GET", "POST"), defaults={"unit_id": None})
@bp.route("/units/<int:unit_id>/edit", methods=("GET", "POST"))
@admin_required
def edit_unit(unit_id: int | None) -> str | Response:
    """Create or edit a unit."""
    unit = db.get_or_404(Unit, unit_id) if unit_id is not None else None
    data = (
        {"name": unit.name, "kind": unit.kind, "level": unit.level, "parent_id": unit.parent_id or 0}
        if unit
        else None
    )
    form = UnitForm(data=data, unit=unit)
    if form.validate_on_submit():
        try:
            save_unit(unit, form.to_data(), actor=current_user)
        except AccountError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            flash(_("Đã lưu đơn vị."), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit)
