"""Configuration: defaults, then ``instance/config.py``, then ``COUNCIL_*`` environment variables.

The secret key is never in the repository: on first run a random key is written to
``instance/secret_key`` (mode 0600) and read back on every later start.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ("vi", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # a member may keep a score sheet open all evening
    "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,  # one request; each attachment is held to the next limit
    "ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,
    "DEMO_PASSWORD": "hoidong2025",
    # werkzeug's password hash; the test suite alone sets a cheap one to keep it fast.
    "PASSWORD_HASH_METHOD": "scrypt",
    # Failed sign-ins allowed before the form refuses (HTTP 429): per account and address, and per address.
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": "50 per 15 minutes",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Explicit: the limiter is one object per process and would otherwise keep the last app's choice.
    "RATELIMIT_ENABLED": True,
    # Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-For/-Proto/-Host are trusted
    # only then: the login throttle keys on the client's real address, and HTTPS is seen as HTTPS.
    "TRUSTED_PROXIES": 0,
}

# Environment variables read on start, with the config key each one sets.
ENVIRONMENT = {
    "COUNCIL_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "COUNCIL_SECRET_KEY": "SECRET_KEY",
    "COUNCIL_SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    # The address people reach the app at; printed decisions' QR codes point to PUBLIC_URL/verify/…
    "COUNCIL_PUBLIC_URL": "PUBLIC_URL",
    "COUNCIL_TRUSTED_PROXIES": "TRUSTED_PROXIES",
    # Where the login throttle keeps its counts: memory (per process) unless e.g. redis://127.0.0.1:6379.
    "COUNCIL_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
}


def sqlite_url(instance_path: str | os.PathLike[str]) -> str:
    """The embedded default database, ``instance/council.sqlite3``."""
    return f"sqlite:///{Path(instance_path) / 'council.sqlite3'}"


def load_secret_key(instance_path: str | os.PathLike[str]) -> str:
    """Read ``instance/secret_key``, creating it with a fresh random key on first use."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(environ: dict[str, str] | os._Environ[str] = os.environ) -> dict[str, Any]:
    """Config values set through ``COUNCIL_*`` environment variables."""
    values: dict[str, Any] = {}
    for name, key in ENVIRONMENT.items():
        if environ.get(name):
            value: Any = environ[name]
            if key == "SESSION_COOKIE_SECURE":
                value = value.lower() in {"1", "true", "yes"}
            elif key == "TRUSTED_PROXIES":
                value = int(value)
            values[key] = value
    return values
