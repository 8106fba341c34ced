"""The Alembic history reaches exactly the models' schema on an empty database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from council.extensions import db


def test_migrations_reach_the_models(make_app):
    app = make_app()
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
            assert context.get_current_revision() == "0001"
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
