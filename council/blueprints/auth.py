"""Sign in, sign out, change password, choose the language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from council.extensions import db, limiter
from council.forms.auth import ChangePasswordForm, LanguageForm, LoginForm
from council.services.accounts import AccountError, authenticate, change_password

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would hand a signed-in user to anyone."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("index")


def _account_key() -> str:
    """Failed sign-ins are counted per address and typed username (case and spaces ignored)."""
    return f"{get_remote_address()}|{(request.form.get('username') or '').strip().lower()}"


def _failed(response: Response) -> bool:
    return response.status_code != 302  # a successful sign-in redirects; it is not counted


@bp.route("/login", methods=("GET", "POST"))
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed)
def login() -> str | Response:
    """Sign in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.username.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # a fresh session on sign-in (no fixation)
            login_user(user)
            flash(_("Xin chào, %(name)s.", name=user.full_name), "success")
            return redirect(_safe_next(form.next.data))
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."), "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=("POST",))
@login_required
def logout() -> Response:
    """Sign out (POST, with CSRF, so that no link or image can sign a user out)."""
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=("GET", "POST"))
@login_required
def password() -> str | Response:
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data or "", form.new.data or "")
        except AccountError as error:
            form.current.errors.append(str(error))
        else:
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(url_for("index"))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=("POST",))
def set_language() -> Response:
    """Switch between Vietnamese and English (kept in the session, and on the account)."""
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    return redirect(_safe_next(form.next.data))
