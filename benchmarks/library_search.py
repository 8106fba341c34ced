"""Library search latency over 100,000 recognised initiatives, on SQLite and on PostgreSQL.

Run from the project folder::

    .venv/bin/python benchmarks/library_search.py [--entries 100000] [--database sqlite|postgresql|both]

For each database it builds a fresh library (SQLite: a temporary file; PostgreSQL: a schema of its own
on ``--postgres-url``, dropped afterwards) of N entries whose texts are recombined from the demo's
60 real-sounding dossiers, then times each query of :data:`QUERIES` through
``services.library.search`` (one page of 20, the count included), and beside it the baseline a
simple implementation would use: ``LIKE '%word%'`` on the same folded text for every word, ordered by
year. It prints the median and 95th percentile of 15 runs per query, and how many entries matched.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from council import create_app, demo_data
from council.extensions import db
from council.models import (
    Dossier,
    DossierKind,
    Field,
    LibraryEntry,
    RankingSnapshot,
    Round,
    Unit,
    UnitKind,
)
from council.services import library
from council.services.library import LibraryQuery, fold

QUERIES = (
    "tinh kinh te",  # "Tính kinh tế", without diacritics
    "nông dân",
    "chuyen doi so",
    "công nhân nhà trọ an toàn",
    "zalo",
    "ma qr the doan vien",
    "xyz khong co",  # matches nothing
)
RUNS = 15
BATCH = 5_000


def _corpus() -> list[dict[str, Any]]:
    return demo_data.DOSSIERS


def _texts(rng: random.Random, corpus: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Endless dossiers: a title, summary and results stitched from two demo dossiers."""
    while True:
        a, b = rng.sample(corpus, 2)
        words = (a["title"] + " " + b["title"]).split()
        rng.shuffle(words)
        yield {
            "title": " ".join(words[: rng.randint(8, 16)]),
            "summary": a["summary"],
            "results": b["results"],
            "lead_author": a["lead_author"],
            "kind": a["kind"],
            "field": b["field"],
        }


def _fill(entries: int, seed: int = 0) -> None:
    """Insert ``entries`` dossiers and library entries with Core (no ORM objects: speed)."""
    rng = random.Random(seed)
    kinds = list(UnitKind)
    units = [Unit(name=f"Đơn vị thử {i}", kind=rng.choice(kinds), level="province") for i in range(40)]
    round_ = Round(title="Đợt thử", year=2020, level="province", issuing_unit=units[0])
    db.session.add_all([*units, round_])
    db.session.flush()
    snapshot = RankingSnapshot(
        round_id=round_.id, method="raw", payload={}, fingerprint="0" * 64, is_final=True
    )
    db.session.add(snapshot)
    db.session.commit()
    source = _texts(rng, _corpus())
    done = 0
    while done < entries:
        size = min(BATCH, entries - done)
        batch = [next(source) for _ in range(size)]
        dossier_rows = [
            {
                "round_id": round_.id, "code": f"TV-{done + i:06d}", "kind": DossierKind(d["kind"]),
                "field": Field(d["field"]), "title": d["title"], "lead_author": d["lead_author"],
                "unit_id": units[(done + i) % len(units)].id, "summary": d["summary"],
                "results": d["results"], "co_authors": [],
            }
            for i, d in enumerate(batch)
        ]  # fmt: skip
        ids = db.session.scalars(sa.insert(Dossier).returning(Dossier.id), dossier_rows).all()
        entry_rows = [
            {
                "dossier_id": ids[i], "round_id": round_.id, "snapshot_id": snapshot.id,
                "year": 2015 + (done + i) % 11, "level": "province", "field": Field(d["field"]),
                "kind": DossierKind(d["kind"]), "unit_id": row["unit_id"], "tier_name": "Công nhận",
                "score": 70.0, "rank": done + i + 1,
                "search_text": fold(" ".join([d["title"], d["lead_author"], d["summary"], d["results"]])),
            }
            for i, (d, row) in enumerate(zip(batch, dossier_rows, strict=True))
        ]  # fmt: skip
        db.session.execute(sa.insert(LibraryEntry), entry_rows)
        db.session.commit()
        done += size
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE library_entry"))
        db.session.commit()


def _like_baseline(words: str) -> int:
    """The naive search: every folded word as ``LIKE '%w%'``, newest first, one page plus the count."""
    statement = sa.select(LibraryEntry.id)
    for word in library.query_words(words):
        statement = statement.where(LibraryEntry.search_text.like(f"%{word}%"))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery())) or 0
    db.session.scalars(statement.order_by(LibraryEntry.year.desc(), LibraryEntry.id).limit(20)).all()
    return total


def _full_text(words: str) -> int:
    return library.search(LibraryQuery(words=words)).total


def _time(run: Callable[[str], int], words: str) -> tuple[float, float, int]:
    times, found = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        found = run(words)
        times.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], found


@contextmanager
def _database(kind: str, postgres_url: str) -> Iterator[dict[str, Any]]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/library.sqlite3"}
        return
    schema = f"bench_library_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {
            "SQLALCHEMY_DATABASE_URI": postgres_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        }
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def run(kind: str, entries: int, postgres_url: str) -> None:
    with _database(kind, postgres_url) as config, tempfile.TemporaryDirectory() as instance:
        app = create_app({"SECRET_KEY": "bench", "TESTING": True, **config}, instance_path=instance)
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            _fill(entries)
            print(f"\n### {kind}: {entries:,} entries built in {time.perf_counter() - start:.1f} s\n")
            print("| query | full-text p50 ms | p95 ms | matches | LIKE baseline p50 ms | p95 ms | matches |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for words in QUERIES:
                fts = _time(_full_text, words)
                like = _time(_like_baseline, words)
                print(
                    f"| {words} | {fts[0]:.1f} | {fts[1]:.1f} | {fts[2]:,} "
                    f"| {like[0]:.1f} | {like[1]:.1f} | {like[2]:,} |"
                )
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "COUNCIL_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    print(f"`{' '.join(['.venv/bin/python', *sys.argv])}` on {platform.node()}, {os.cpu_count()} cores")
    for kind in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        run(kind, args.entries, args.postgres_url)


if __name__ == "__main__":
    main()
