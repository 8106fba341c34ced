"""App-wide guards: every page needs a signed-in user unless listed here, submitted text must be
storable, and security headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from council.extensions import login_manager
from council.services.dossiers import UNSTORABLE

# The decision check is public: whoever holds a printed copy verifies it without an account.
# So is the library of published rounds: the movement asks that good models be known and copied.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login", "auth.set_language", "static", "verify.form", "verify.show",
        "library.public_index", "library.public_show",
    }
)  # fmt: skip

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Behind nginx: take the client address, scheme and host from the proxies' headers (only
        # from as many hops as configured, so a client cannot forge them).
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
    app.before_request(_require_login)
    app.before_request(_refuse_unstorable_text)
    app.after_request(_security_headers)


def _require_login() -> Response | None:
    # Deny by default: a new route is private unless it is added to PUBLIC_ENDPOINTS.
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _refuse_unstorable_text() -> tuple[Any, int] | None:
    """A submitted value with a character no export can carry and PostgreSQL cannot store (NUL and
    other control characters, see ``UNSTORABLE``) is refused with 400, naming the field."""
    try:
        found = next((name for name, value in _submitted_text() if UNSTORABLE.search(name + value)), None)
    except RecursionError:  # a JSON body nested deeper than the parser goes
        return _bad_request(_("Yêu cầu không hợp lệ."), None)
    if found is None:
        return None
    field = UNSTORABLE.sub("\ufffd", found)[:64]
    message = _(
        "Trường “%(field)s” có ký tự điều khiển không hợp lệ; hãy xóa ký tự đó rồi gửi lại.", field=field
    )
    return _bad_request(message, field)


def _bad_request(message: str, field: str | None) -> tuple[Any, int]:
    if request.is_json:
        return jsonify(error=message, errors={field: message} if field else {}), 400
    return render_template("errors/error.html", code=400, message=message), 400


def _submitted_text() -> Iterator[tuple[str, str]]:
    """Every (name, value) of the query string, the form and a JSON body (nested names joined by dots)."""
    for source in (request.args, request.form):
        for name, values in source.lists():
            for value in values:
                yield name, value
    if request.is_json:
        yield from _json_text("", request.get_json(silent=True))


def _json_text(name: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key), ""
            yield from _json_text(f"{name}.{key}" if name else str(key), item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_text(name, item)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_user.is_authenticated and request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "private, no-cache")  # never in a shared cache
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
