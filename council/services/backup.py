"""Backups of the embedded SQLite database: a consistent online copy, and restoring one.

SQLite's online backup API copies the database page by page while the app keeps serving; the
copy is a consistent snapshot of one moment (readers and writers are not stopped). PostgreSQL
has its own tools (``pg_dump``/``pg_restore``), which :data:`POSTGRES_HELP` describes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from council.extensions import db

POSTGRES_HELP = (
    "Cơ sở dữ liệu là PostgreSQL: dùng pg_dump / PostgreSQL database: use pg_dump.\n"
    "  pg_dump --format=custom --file=council.dump DATABASE_URL      # backup, online and consistent\n"
    "  pg_restore --clean --if-exists --dbname=DATABASE_URL council.dump   # restore\n"
    "  (DATABASE_URL without the '+psycopg' driver part, e.g. postgresql://user@host:5432/db)"
)


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why, in Vietnamese and English."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: dict[str, int]  # rows per table in the copy
    revision: str  # the Alembic revision of the copy's schema


def sqlite_path() -> Path:
    """The file of the app's SQLite database; :class:`BackupError` on another database."""
    url = make_url(str(db.engine.url))
    if url.get_backend_name() != "sqlite":
        raise BackupError(POSTGRES_HELP)
    if not url.database or url.database == ":memory:":
        raise BackupError("Cơ sở dữ liệu trong bộ nhớ, không có gì để sao lưu. / In-memory database.")
    return Path(url.database)


def backup(target: Path) -> BackupReport:
    """Copy the live database to ``target`` (a new file) with SQLite's online backup API."""
    source_path = sqlite_path()
    if target.exists():
        raise BackupError(f"Tệp đã tồn tại, không ghi đè / File exists, not overwritten: {target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return inspect(target)


def inspect(path: Path) -> BackupReport:
    """Rows per table and the schema revision of a backup file; :class:`BackupError` if it is not one."""
    if not path.is_file():
        raise BackupError(f"Không có tệp / No such file: {path}")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            conn.execute("PRAGMA quick_check").fetchone()
            names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            # A full-text index (the library's FTS5 table and its shadow tables) holds no rows of its own.
            virtual = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
                )
            ]
            names = [n for n in names if not any(n == v or n.startswith(f"{v}_") for v in virtual)]
            if "alembic_version" not in names:
                raise BackupError(f"Không phải bản sao lưu của Council / Not a Council backup: {path}")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            # Table names come from the file's own catalogue, not from user input.
            tables = {
                name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in sorted(names)
                if not name.startswith("sqlite_")
            }
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"Tệp hỏng hoặc không phải SQLite / Damaged or not SQLite: {path} ({error})"
        ) from None
    return BackupReport(path, tables, revision)


def restore(source: Path) -> BackupReport:
    """Replace the live database's content with the backup's, in one step.

    The copy is checked first (a Council backup, readable); the app's connections are closed,
    then SQLite's backup API writes the whole file under one lock, so a reader sees either
    the old database or the restored one. Migrate afterwards (``flask db upgrade``) if the
    backup is older than the code.
    """
    report = inspect(source)
    target_path = sqlite_path()
    db.session.remove()
    db.engine.dispose()
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_conn,
        sqlite3.connect(target_path) as live,
    ):
        backup_conn.backup(live)
    return report
