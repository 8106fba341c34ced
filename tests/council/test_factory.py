"""The app factory and its configuration sources."""

from __future__ import annotations

import os
import stat

from sqlalchemy import text

from council import create_app
from council.config import from_environment
from council.extensions import db


def test_testing_config_is_applied(app):
    assert app.testing and app.config["SECRET_KEY"] == "test-only"


def test_defaults_to_sqlite_in_the_instance_folder_with_pragmas(tmp_path, monkeypatch):
    monkeypatch.delenv("COUNCIL_DATABASE_URL", raising=False)
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'council.sqlite3'}"
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        db.engine.dispose()


def test_secret_key_is_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("COUNCIL_SECRET_KEY", raising=False)
    first = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    second = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert first == second == key_file.read_text().strip() and len(first) == 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert create_app(instance_path=str(tmp_path / "other")).config["SECRET_KEY"] != first


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        'SQLALCHEMY_DATABASE_URI = "sqlite:////tmp/from-instance.db"\nDEMO_PASSWORD = "x"\n'
    )
    app = create_app(instance_path=str(tmp_path))
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/from-instance.db"
        and app.config["DEMO_PASSWORD"] == "x"
    )
    monkeypatch.setenv("COUNCIL_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/db")
    monkeypatch.setenv("COUNCIL_SECRET_KEY", "from-env")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/db"
    assert app.config["SECRET_KEY"] == "from-env"


def test_secure_cookie_flag_from_environment():
    assert from_environment({"COUNCIL_SESSION_COOKIE_SECURE": "true"}) == {"SESSION_COOKIE_SECURE": True}
    assert from_environment({"COUNCIL_SESSION_COOKIE_SECURE": "0"}) == {"SESSION_COOKIE_SECURE": False}


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
