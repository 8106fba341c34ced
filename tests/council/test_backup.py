"""Backups: an online copy of the SQLite database, and a restore that brings back every row."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import func, select

from council.extensions import db
from council.models import RankingSnapshot, Round, ScoreEvent
from council.services import backup, deliberation
from council.services.demo import load_demo
from council.services.rounds import advance_round
from council.services.scoresheets import verify_chain
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite backups; PostgreSQL uses pg_dump")


def _counts() -> dict[str, int]:
    tables = db.metadata.sorted_tables
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}


@pytest.fixture
def app(make_app):
    """An app whose database was built by the migrations, as `make run` builds it (with alembic_version)."""
    app = make_app()
    with app.app_context():
        upgrade()
        yield app


@pytest.fixture
def finalised_demo(app):
    round_ = load_demo("mat-khau-demo").round
    chair = next(m.user for m in round_.members if m.role.value == "chair")
    advance_round(round_, user=chair)
    deliberation.finalise(round_, user=chair)
    return round_


def test_round_trip_keeps_every_row_and_the_chain(finalised_demo, app, tmp_path):
    round_id = finalised_demo.id
    before = _counts()
    runner = app.test_cli_runner()
    copy = tmp_path / "backups" / "council.sqlite3"
    result = runner.invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    assert backup.inspect(copy).tables == {**before, "alembic_version": 1}
    # Damage after the backup: a round's events vanish and a new round appears.
    db.session.execute(sa.text("DELETE FROM score_event"))
    db.session.add(
        Round(
            title="Đợt thêm sau sao lưu",
            year=2026,
            level=finalised_demo.level,
            issuing_unit_id=finalised_demo.issuing_unit_id,
        )
    )
    db.session.commit()
    assert _counts() != before
    result = runner.invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert _counts() == before
    round_ = db.session.get(Round, round_id)
    assert verify_chain(round_).ok
    snapshot = db.session.scalar(select(RankingSnapshot))
    assert deliberation.verify(snapshot)
    assert db.session.scalar(select(func.count(ScoreEvent.id))) == before["score_event"]


def test_backup_is_consistent_while_the_app_writes(finalised_demo, app, tmp_path):
    """Writers keep going during the copy; the copy is one moment's database, whole and intact."""
    live = backup.sqlite_path()
    start = db.session.scalar(select(func.count()).select_from(sa.table("unit")))
    done = threading.Event()

    def write() -> None:
        with sqlite3.connect(live, timeout=10) as conn:
            for i in range(300):
                conn.execute(
                    "INSERT INTO unit (name, kind, level, created_at, updated_at) "
                    "VALUES (?, 'agency', 'province', '2025-01-01', '2025-01-01')",
                    (f"Đơn vị ghi đồng thời {i}",),
                )
                conn.commit()
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    copies = []
    for n in range(3):
        copies.append(backup.backup(tmp_path / f"copy-{n}.sqlite3"))
    writer.join()
    assert done.is_set()
    for report in copies:
        with sqlite3.connect(report.path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert start <= report.tables["unit"] <= start + 300


def test_refusals_are_clear(app, tmp_path):
    runner = app.test_cli_runner()
    existing = tmp_path / "exists.sqlite3"
    existing.write_bytes(b"")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and "không ghi đè" in result.output
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("không phải cơ sở dữ liệu " * 100)
    result = runner.invoke(args=["restore", str(not_sqlite), "--yes"])
    assert result.exit_code != 0 and "không phải SQLite" in result.output
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = runner.invoke(args=["restore", str(other), "--yes"])
    assert result.exit_code != 0 and "Not a Council backup" in result.output
    result = runner.invoke(args=["restore", str(other)], input="n\n")
    assert result.exit_code != 0  # not confirmed: nothing replaced
