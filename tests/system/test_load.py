"""Load, bounded for CI: members score at once against gunicorn, and the database must show exactly what
the server acknowledged (the load benchmark's checks, without its timings); tabs racing on one sheet
leave one winner and a 409 for the others.

The harness is the load benchmark's (``benchmarks/loadlib.py``). It runs on the suite's database:
PostgreSQL when ``COUNCIL_TEST_DATABASE_URL`` is set, else SQLite.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import pytest
from flask import Flask

from benchmarks import loadlib

POSTGRES_URL = os.environ.get("COUNCIL_TEST_DATABASE_URL")
MEMBERS = 20
SHEETS = 3
TABS = 3  # concurrent requests racing on one sheet


@dataclass(frozen=True)
class Served:
    app: Flask
    server: loadlib.Server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A fresh, migrated database of the suite's kind, served by gunicorn with 2 workers (CSRF on)."""
    if POSTGRES_URL and (reason := loadlib.postgres_unavailable(POSTGRES_URL)):
        pytest.skip(reason)
    kind = "postgresql" if POSTGRES_URL else "sqlite"
    workdir = tmp_path_factory.mktemp("load")
    with (
        loadlib.fresh_database(kind, workdir, POSTGRES_URL or loadlib.DEFAULT_POSTGRES_URL) as (db, app),
        loadlib.Server(db.url, workdir, workers=2, preload=True) as server,
    ):
        yield Served(app, server)


def test_members_scoring_at_once_leave_exactly_what_was_acknowledged(served: Served) -> None:
    seeded = loadlib.seed(served.app, MEMBERS, sheets=SHEETS, prefix="tv")
    recorder, ledger = loadlib.Recorder(), loadlib.Ledger()
    jobs = [
        lambda member=member: loadlib.score_all(
            served.server.url, seeded, member, recorder=recorder, ledger=ledger
        )
        for member in seeded.members
    ]
    loadlib.run_concurrently(jobs, timeout=120)

    server_errors = [s for s in recorder.samples if s.status >= 500]
    assert not server_errors, f"5xx answers: {server_errors[:5]}\n{served.server.log_tail()}"
    failed = [s for s in recorder.samples if not s.ok]
    assert not failed, f"unexpected answers: {failed[:5]}\n{served.server.log_tail()}"
    assert len(ledger.submitted) == MEMBERS * SHEETS
    report = loadlib.check_database(served.app, seeded, ledger)
    assert report.ok, "\n".join(report.lines())


def _at_once(send: Callable[[], loadlib.Reply]) -> list[int]:
    """The statuses of TABS copies of one request sent at the same time (as from TABS tabs)."""
    replies: list[loadlib.Reply] = []
    loadlib.run_concurrently([lambda: replies.append(send())] * TABS, timeout=60)
    return [reply.status for reply in replies]


def test_tabs_racing_on_a_sheet_leave_one_write_and_a_409_for_the_others(served: Served) -> None:
    seeded = loadlib.seed(served.app, 6, sheets=1, prefix="tab")
    answers: Counter[tuple[str, int]] = Counter()

    def race(member: loadlib.Member) -> None:
        """The member's tabs autosave at once, then submit at once, each time from the same version."""
        (aid,) = member.assignments
        session = loadlib.Session(served.server.url)
        assert session.login(member.username)
        page = session.open_sheet(seeded, aid)
        assert page is not None
        fields = loadlib.sheet_fields(seeded, aid, final=False)
        answers.update(
            ("autosave", s) for s in _at_once(partial(session.autosave, seeded, aid, page, fields))
        )
        page = session.open_sheet(seeded, aid)
        assert page is not None
        answers.update(
            ("submit", s) for s in _at_once(partial(session.submit, seeded, aid, page, page.version))
        )

    loadlib.run_concurrently([lambda m=m: race(m) for m in seeded.members], timeout=120)

    n = len(seeded.members)
    assert answers == {
        ("autosave", 200): n,
        ("autosave", 409): n * (TABS - 1),
        ("submit", 302): n,
        ("submit", 409): n * (TABS - 1),
    }, f"{answers}\n{served.server.log_tail()}"
    states = loadlib.sheet_states(served.app, seeded)
    assert {state.status for state in states.values()} == {"submitted"}
    assert {state.version for state in states.values()} == {2}  # one draft, one submission, no more
    assert all(len(state.rows) == len(seeded.criteria) for state in states.values())
    assert loadlib.chain_report(served.app, seeded) == (True, 2 * n, 2 * n)
