"""The Alembic history reaches exactly the models' schema on an empty database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import inspect

from council.extensions import db


def test_migrations_reach_the_models(make_app):
    app = make_app()
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        with db.engine.connect() as conn:
            include = app.extensions["migrate"].configure_args["include_object"]
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include})
            assert compare_metadata(context, db.metadata) == []
            head = ScriptDirectory.from_config(
                app.extensions["migrate"].migrate.get_config()
            ).get_current_head()
            assert context.get_current_revision() == head
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
