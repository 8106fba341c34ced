"""The movement's memory: the library of recognised initiatives, their replication, nominations, reports.

Cơ sở dữ liệu sáng kiến: every dossier recognised in a finalised round is copied into a
:class:`LibraryEntry` with a search text (lower case, diacritics removed) that the database's full-text
index reads: an FTS5 table on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL.
The DDL for both lives here so that ``create_all`` (tests) and the migration build the same thing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import DDL, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import utcnow
from council.models.enums import DossierKind, Field, Level, enum_column

if TYPE_CHECKING:
    from council.models.dossier import Dossier
    from council.models.outcome import Decision
    from council.models.round import Round
    from council.models.unit import Unit
    from council.models.user import User


class LibraryEntry(db.Model):
    """Một sáng kiến trong thư viện: a dossier recognised in a finalised round, as it was recognised.

    Rows are written by ``services.library.sync_round`` when a round is finalised, re-opened or its
    decision issued; the figures come from the round's final snapshot, never from live scores.
    """

    __tablename__ = "library_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("ranking_snapshot.id", ondelete="CASCADE"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="SET NULL"))
    year: Mapped[int] = mapped_column(index=True)
    level: Mapped[Level] = mapped_column(enum_column(Level))
    field: Mapped[Field] = mapped_column(enum_column(Field))
    kind: Mapped[DossierKind] = mapped_column(enum_column(DossierKind))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    tier_name: Mapped[str] = mapped_column(String(255))
    score: Mapped[float | None]
    rank: Mapped[int | None]
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded: "tinh kinh te nong dan …"
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[Dossier] = relationship()
    round: Mapped[Round] = relationship()
    unit: Mapped[Unit] = relationship()
    decision: Mapped[Decision | None] = relationship()


class Replication(db.Model):
    """Nhân rộng mô hình: a unit records that it applied a recognised model ("đã nhân rộng tại …")."""

    __tablename__ = "replication"
    __table_args__ = (UniqueConstraint("dossier_id", "unit_id", name="uq_replication_dossier_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    place: Mapped[str] = mapped_column(String(500), default="")  # địa điểm nhân rộng
    started_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[Dossier] = relationship()
    unit: Mapped[Unit] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class DossierProvenance(db.Model):
    """Nguồn hồ sơ đề nghị: a dossier that came up from a lower council in a nomination package.

    Context for this council's members (who sent it, under which decision, with which score); never an
    input to this council's own scores. One row per source dossier and target round: importing the same
    package twice finds these rows and adds nothing.
    """

    __tablename__ = "dossier_provenance"
    __table_args__ = (
        UniqueConstraint("round_id", "source_fingerprint", "source_code", name="uq_provenance_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    package_sha256: Mapped[str] = mapped_column(String(64))
    source_fingerprint: Mapped[str] = mapped_column(String(64))  # the lower council's final snapshot
    source_code: Mapped[str] = mapped_column(String(32))  # the dossier's code there
    source_council: Mapped[str] = mapped_column(String(500))  # issuing body and unit
    source_level: Mapped[Level] = mapped_column(enum_column(Level))
    source_round_title: Mapped[str] = mapped_column(String(500))
    source_year: Mapped[int]
    decision_number: Mapped[str] = mapped_column(String(64), default="")  # "05/QĐ-MTTQ-BTT"
    decision_date: Mapped[date | None]
    verify_url: Mapped[str] = mapped_column(String(500), default="")
    tier_name: Mapped[str] = mapped_column(String(255), default="")
    score: Mapped[float | None]
    rank: Mapped[int | None]
    ranked_among: Mapped[int | None]
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[Dossier] = relationship()


class ReportPlan(db.Model):
    """Kế hoạch báo cáo: the 6-month and yearly reports a unit owes in a year, with their due dates.

    Each plan sets its own periods and due dates (e.g. reports before 30/5 and 20/11, or 05/6 and
    05/11); the secretary is reminded on the dashboard ``remind_days`` before each.
    """

    __tablename__ = "report_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))  # e.g. "Kế hoạch số 12/KH-MTTQ-BTT"
    year: Mapped[int]
    half_year_from: Mapped[date]
    half_year_to: Mapped[date]
    half_year_due: Mapped[date]
    year_from: Mapped[date]
    year_to: Mapped[date]
    year_due: Mapped[date]
    remind_days: Mapped[int] = mapped_column(default=14)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()


# Full-text index DDL, shared by create_all and migration 0007.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_fts USING fts5("
    "search_text, content='library_entry', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS library_entry_ai AFTER INSERT ON library_entry BEGIN "
    "INSERT INTO library_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS library_entry_ad AFTER DELETE ON library_entry BEGIN "
    "INSERT INTO library_fts(library_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS library_entry_au AFTER UPDATE ON library_entry BEGIN "
    "INSERT INTO library_fts(library_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO library_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
POSTGRESQL_FTS = (
    "ALTER TABLE library_entry ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', coalesce(search_text, ''))) STORED",
    "CREATE INDEX ix_library_entry_search_vector ON library_entry USING gin (search_vector)",
)

for _statement in SQLITE_FTS:
    event.listen(LibraryEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_FTS:
    event.listen(LibraryEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
event.listen(
    LibraryEntry.__table__, "after_drop", DDL("DROP TABLE IF EXISTS library_fts").execute_if(dialect="sqlite")
)


FULL_TEXT_OBJECTS = {"search_vector", "ix_library_entry_search_vector"}


def outside_the_models(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's ``include_object``: leave the full-text index (made by the DDL above) to itself."""
    if type_ == "table" and (name or "").startswith("library_fts"):
        return False
    return not (reflected and compare_to is None and name in FULL_TEXT_OBJECTS)
