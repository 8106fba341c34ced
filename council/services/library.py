"""The library of recognised initiatives (cơ sở dữ liệu sáng kiến): filling it and searching it.

Search is full-text over a *folded* copy of each entry's words: lower case, diacritics removed, "đ"
as "d", so "tinh kinh te" finds "Tính kinh tế" and "nông dân" finds "nong dan". The database ranks the
matches: FTS5's BM25 on SQLite, ``ts_rank_cd`` over a GIN-indexed ``tsvector`` on PostgreSQL. Every
query word must match, as a whole word: Vietnamese syllables are short, and "san" (sản) must not find
"sang" (sáng).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, literal_column, select, table, text
from sqlalchemy.orm import joinedload

from council.extensions import db
from council.models import (
    Decision,
    Dossier,
    DossierKind,
    Field,
    Level,
    LibraryEntry,
    RankingSnapshot,
    Replication,
    Round,
    RoundStatus,
    Unit,
    UnitKind,
    User,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 20
MAX_QUERY_WORDS = 12
_WORD = re.compile(r"\w+")


def fold(value: str) -> str:
    """Lower case without diacritics: ``fold("Tính kinh tế – Đoàn") == "tinh kinh te – doan"``."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def query_words(query: str) -> list[str]:
    """The words of a search box, folded; punctuation and operators are dropped, not interpreted."""
    return _WORD.findall(fold(query))[:MAX_QUERY_WORDS]


def _search_text(dossier: Dossier, tier_name: str) -> str:
    parts = [
        dossier.code, dossier.title, dossier.lead_author, *(dossier.co_authors or []), dossier.unit.name,
        dossier.kind.label, dossier.field.label, dossier.summary, dossier.novelty, dossier.applied_place,
        dossier.applied_work, dossier.results, tier_name,
    ]  # fmt: skip
    return fold(" ".join(str(p) for p in parts if p))


# --- filling the library -------------------------------------------------------------------------


def stage_round(round_: Round, snapshot: RankingSnapshot | None) -> int:
    """Put the round's recognised dossiers in the library as ``snapshot`` has them (no commit).

    Called in the transaction that finalises (``snapshot`` the new final one), re-opens (``None``:
    the round's entries leave the library) or issues the decision. Returns the number of entries.
    """
    db.session.execute(delete(LibraryEntry).where(LibraryEntry.round_id == round_.id))
    if snapshot is None:
        return 0
    payload = snapshot.payload
    tiers = {t["id"]: t["name"] for t in payload.get("tiers", [])}
    decision = _issued_decision(round_, snapshot)
    rows = [row for row in payload.get("dossiers", []) if row.get("tier") is not None]
    wanted = select(Dossier).where(Dossier.id.in_([r["id"] for r in rows]))
    dossiers = {d.id: d for d in db.session.scalars(wanted)}
    for row in rows:
        dossier = dossiers.get(row["id"])
        if dossier is None:
            continue
        tier_name = tiers.get(row["tier"], "")
        db.session.add(
            LibraryEntry(
                dossier_id=dossier.id, round_id=round_.id, snapshot_id=snapshot.id,
                decision_id=decision.id if decision else None, year=round_.year, level=round_.level,
                field=dossier.field, kind=dossier.kind, unit_id=dossier.unit_id, tier_name=tier_name,
                score=row.get("score"), rank=row.get("rank"), search_text=_search_text(dossier, tier_name),
            )
        )  # fmt: skip
    db.session.flush()
    return len(rows)


def attach_decision(round_: Round, decision: Decision) -> None:
    """Give the round's library entries the decision that recognised them (no commit)."""
    for entry in db.session.scalars(select(LibraryEntry).where(LibraryEntry.round_id == round_.id)):
        entry.decision_id = decision.id


def _issued_decision(round_: Round, snapshot: RankingSnapshot) -> Decision | None:
    return db.session.scalar(
        select(Decision)
        .where(Decision.round_id == round_.id, Decision.snapshot_id == snapshot.id)
        .where(Decision.number.is_not(None))
        .order_by(Decision.id.desc())
    )


def sync_all() -> int:
    """Rebuild the whole library from every round's standing final snapshot (``flask library sync``)."""
    from council.services.deliberation import final_snapshot

    total = 0
    for round_ in db.session.scalars(select(Round).order_by(Round.id)):
        total += stage_round(round_, final_snapshot(round_))
    db.session.commit()
    log.info("library rebuilt: %d entries", total)
    return total


# --- searching -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryQuery:
    """What the library page asks: words and filters (None: any)."""

    words: str = ""
    year: int | None = None
    field: Field | None = None
    level: Level | None = None
    kind: DossierKind | None = None
    unit_id: int | None = None
    member_organisation: UnitKind | None = None
    public_only: bool = False
    page: int = 1


@dataclass
class LibraryPage:
    entries: list[LibraryEntry]
    total: int
    page: int
    pages: int
    replications: dict[int, list[Replication]] = field(default_factory=dict)


def search(query: LibraryQuery) -> LibraryPage:
    """One page of entries matching every word and filter, best match first (newest first with no words)."""
    statement = select(LibraryEntry.id)
    words = query_words(query.words)
    order: list[Any] = []
    if words:
        matched, relevance = _full_text(words)
        statement = statement.join(matched, matched.c.id == LibraryEntry.id)
        order.append(relevance(matched))
    statement = _filtered(statement, query)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    ids = list(
        db.session.scalars(
            statement.order_by(*order, LibraryEntry.year.desc(), LibraryEntry.rank, LibraryEntry.id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    entries = _load(ids)
    return LibraryPage(entries, total, page, pages, replications_of([e.dossier_id for e in entries]))


def _full_text(words: list[str]) -> tuple[Any, Any]:
    """A subquery of (id, relevance) for entries holding every word, and how to order by it."""
    if db.engine.dialect.name == "postgresql":
        tsquery = " & ".join(words)
        matched = (
            select(
                LibraryEntry.id.label("id"),
                func.ts_rank_cd(text("search_vector"), func.to_tsquery("simple", tsquery)).label("relevance"),
            )
            .where(text("search_vector @@ to_tsquery('simple', :tsquery)").bindparams(tsquery=tsquery))
            .subquery()
        )
        return matched, lambda m: m.c.relevance.desc()
    # FTS5: each word quoted, so that nothing typed is an operator.
    match = " ".join(f'"{w}"' for w in words)
    matched = (
        select(literal_column("rowid").label("id"), literal_column("bm25(library_fts)").label("relevance"))
        .select_from(table("library_fts"))
        .where(text("library_fts MATCH :match").bindparams(match=match))
        .subquery()
    )
    return matched, lambda m: m.c.relevance  # BM25: lower is better


def _filtered(statement: Any, query: LibraryQuery) -> Any:
    conditions = [
        (query.year, LibraryEntry.year == query.year),
        (query.field, LibraryEntry.field == query.field),
        (query.level, LibraryEntry.level == query.level),
        (query.kind, LibraryEntry.kind == query.kind),
        (query.unit_id, LibraryEntry.unit_id == query.unit_id),
    ]
    for value, condition in conditions:
        if value is not None:
            statement = statement.where(condition)
    if query.member_organisation is not None:
        statement = statement.where(
            LibraryEntry.unit_id.in_(select(Unit.id).where(Unit.kind == query.member_organisation))
        )
    if query.public_only:
        statement = statement.where(
            LibraryEntry.round_id.in_(select(Round.id).where(Round.status == RoundStatus.PUBLISHED))
        )
    return statement


def _load(ids: list[int]) -> list[LibraryEntry]:
    if not ids:
        return []
    rows = db.session.scalars(
        select(LibraryEntry)
        .where(LibraryEntry.id.in_(ids))
        .options(
            joinedload(LibraryEntry.dossier),
            joinedload(LibraryEntry.unit),
            joinedload(LibraryEntry.round),
            joinedload(LibraryEntry.decision),
        )
    )
    by_id = {entry.id: entry for entry in rows}
    return [by_id[i] for i in ids]


def entry(entry_id: int, *, public_only: bool = False) -> LibraryEntry | None:
    found = db.session.get(LibraryEntry, entry_id)
    if found is None or (public_only and found.round.status is not RoundStatus.PUBLISHED):
        return None
    return found


def units() -> list[Unit]:
    """The units that have an initiative in the library, by name (the unit filter's choices)."""
    having = select(LibraryEntry.unit_id).distinct()
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(having)).order_by(Unit.name)))


def years() -> list[int]:
    return list(db.session.scalars(select(LibraryEntry.year).distinct().order_by(LibraryEntry.year.desc())))


# --- replication (nhân rộng) -----------------------------------------------------------------------


def replications_of(dossier_ids: list[int]) -> dict[int, list[Replication]]:
    found: dict[int, list[Replication]] = {i: [] for i in dossier_ids}
    if dossier_ids:
        rows = db.session.scalars(
            select(Replication)
            .where(Replication.dossier_id.in_(dossier_ids))
            .options(joinedload(Replication.unit))
            .order_by(Replication.created_at)
        )
        for row in rows:
            found[row.dossier_id].append(row)
    return found


class ReplicationError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def record_replication(
    library_entry: LibraryEntry, unit: Unit, *, place: str, note: str, started_on: Any, user: User
) -> Replication:
    """A unit records that it applied the model (once per unit: a second record updates the first)."""
    from flask_babel import gettext as _

    place, note = place.strip(), note.strip()
    if not place:
        raise ReplicationError({"place": _("Vui lòng nhập nơi đã nhân rộng mô hình.")})
    existing = db.session.scalar(
        select(Replication).where(
            Replication.dossier_id == library_entry.dossier_id, Replication.unit_id == unit.id
        )
    )
    replication = existing or Replication(dossier_id=library_entry.dossier_id, unit_id=unit.id)
    replication.place, replication.note, replication.started_on = place, note, started_on
    replication.recorded_by_id = user.id
    db.session.add(replication)
    db.session.commit()
    log.info("dossier %s replicated by unit %s (user %s)", library_entry.dossier_id, unit.id, user.id)
    return replication
