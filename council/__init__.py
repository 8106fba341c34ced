"""Council: the web app of a Vietnamese evaluation council (Hội đồng xét công nhận sáng kiến, ý tưởng mới)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from council import config as _config
from council.extensions import csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_dir(name: str) -> str:
    # A source checkout (and an editable install) keeps templates/ and migrations/ at the top
    # level; a wheel carries them inside the package (pyproject's force-include).
    top_level = PACKAGE_DIR.parent / name
    return str(top_level if top_level.is_dir() else PACKAGE_DIR / name)


def create_app(test_config: dict[str, Any] | None = None, *, instance_path: str | None = None) -> Flask:
    """Application factory: configure, bind extensions, register blueprints and commands.

    ``instance_path`` defaults to ``instance/`` beside the package (Flask's rule); tests pass their own.
    """
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=_resource_dir("templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.config.from_mapping(_config.DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = _config.sqlite_url(app.instance_path)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(_config.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _config.load_secret_key(app.instance_path)

    _init_extensions(app)
    _register_blueprints(app)

    from council import cli, errors, i18n, navigation, security

    i18n.init_app(app)
    navigation.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext

    from council import models  # noqa: F401  (register every table on the metadata)
    from council.models.library import outside_the_models
    from council.services.accounts import load_user

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=_resource_dir("migrations"),
        render_as_batch=True,
        include_object=outside_the_models,  # the full-text index is made by DDL, not the models
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "warning"


def _register_blueprints(app: Flask) -> None:
    from council.blueprints import (
        admin,
        assignment,
        attachments,
        audit,
        auth,
        decisions,
        imports,
        intake,
        library,
        nominations,
        ranking,
        reports,
        review,
        rounds,
    )

    for blueprint in (
        auth.bp, admin.bp, rounds.bp, intake.bp, imports.bp, attachments.bp, assignment.bp, review.bp,
        audit.bp, ranking.bp, decisions.bp, decisions.verify_bp, library.bp, nominations.bp, reports.bp,
    ):  # fmt: skip
        app.register_blueprint(blueprint)
    app.add_url_rule("/", endpoint="index", view_func=rounds.index)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, and waiting instead of failing on a lock."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
