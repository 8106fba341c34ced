"""App-wide guards: every page needs a signed-in user unless listed here, and security headers."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from council.extensions import login_manager

# The decision check is public: whoever holds a printed copy verifies it without an account.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.set_language", "static", "verify.form", "verify.show"})

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
    app.after_request(_security_headers)


def _require_login() -> Response | None:
    # Deny by default: a new route is private unless it is added to PUBLIC_ENDPOINTS.
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


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
