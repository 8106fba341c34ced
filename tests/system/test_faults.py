"""Faults: the server killed in the middle of a burst of submissions, and the database out of reach.

Against the app under gunicorn on the suite's database (PostgreSQL when ``COUNCIL_TEST_DATABASE_URL``
is set, else SQLite), driven over HTTP by the load benchmark's harness (``benchmarks/loadlib.py``).

* A SIGKILL of gunicorn's master and workers while several clients submit (on PostgreSQL, while both
  workers are held in the middle of a write: sheet and criterion rows updated, history event not
  yet written): after a restart, every submission the clients saw acknowledged is stored and
  complete, every other sheet is either completely submitted or exactly as before, the history's
  hash chain verifies, and the clients resubmit what was not acknowledged.
* The database unavailable for a moment: the sheet's form and its autosave get 503 with a clear
  message and nothing is saved; once the database is back, the same submission goes through. On
  PostgreSQL the app reaches the server through a TCP proxy that the test cuts and restores; on
  SQLite another connection holds the write lock for longer than the app's busy timeout (10 s).
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from benchmarks import loadlib

POSTGRES_URL = os.environ.get("COUNCIL_TEST_DATABASE_URL")
UNAVAILABLE = "Tạm thời không kết nối được cơ sở dữ liệu"  # the start of every 503 message
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[loadlib.Database, Flask]]:
    """A fresh, migrated database of the suite's kind, dropped afterwards."""
    if POSTGRES_URL and (reason := loadlib.postgres_unavailable(POSTGRES_URL)):
        pytest.skip(reason)
    kind = "postgresql" if POSTGRES_URL else "sqlite"
    with loadlib.fresh_database(kind, tmp_path, POSTGRES_URL or loadlib.DEFAULT_POSTGRES_URL) as made:
        yield made


# --- the server killed mid-burst -----------------------------------------------------------------

CLIENTS = 6
SHEETS = 5
KILL_AFTER = 6  # acknowledged submissions before the kill, of CLIENTS * SHEETS


@dataclass
class Client:
    """One member's browser in the burst: its session and the sheet pages it will submit."""

    session: loadlib.Session
    member: loadlib.Member
    pages: dict[int, loadlib.SheetPage] = field(default_factory=dict)

    def prepare(self, seeded: loadlib.Seeded) -> None:
        """Sign in, open each sheet and autosave a draft of it (version 1)."""
        assert self.session.login(self.member.username)
        for aid in self.member.assignments:
            page = self.session.open_sheet(seeded, aid)
            assert page is not None
            saved = self.session.autosave(seeded, aid, page, loadlib.sheet_fields(seeded, aid, final=False))
            assert saved.status == 200, saved.text
            self.pages[aid] = loadlib.SheetPage(page.csrf, saved.json()["version"], submitted=False)

    def submit_all(self, seeded: loadlib.Seeded) -> None:
        """Submit every sheet back to back (the ledger keeps what was acknowledged)."""
        for aid, page in self.pages.items():
            self.session.submit(seeded, aid, page, page.version)

    def resubmit_unacknowledged(self, seeded: loadlib.Seeded, ledger: loadlib.Ledger) -> None:
        """Reload each sheet whose submission got no answer; submit it again unless it shows submitted."""
        for aid in sorted(set(self.pages) - set(ledger.submitted)):
            page = self.session.open_sheet(seeded, aid)
            assert page is not None
            if page.submitted:  # stored before the kill, but the answer never came
                ledger.submission(aid, {cid: loadlib.final_points(aid, cid) for cid in seeded.criteria})
                continue
            assert page.version == 1, "a sheet not submitted is as it was before the burst"
            reply = self.session.submit(seeded, aid, page, page.version)
            assert reply.status == 302, reply.text


class HistoryLock:
    """PostgreSQL: hold the round's row lock, which every score write takes before its history event.

    Submissions that arrive meanwhile have already updated their sheet and criterion rows and wait
    there, in the middle of their transaction: killing the server then is a kill mid-write.
    """

    def __init__(self, database: loadlib.Database, seeded: loadlib.Seeded) -> None:
        self.engine = sa.create_engine(database.url)
        self.schema, self.round_id = database.schema, seeded.round_id
        self.conn: sa.Connection | None = None

    def take(self) -> None:
        self.conn = self.engine.connect()
        self.conn.execute(sa.text("SELECT id FROM round WHERE id = :id FOR UPDATE"), {"id": self.round_id})

    def wait_for_writers(self, count: int, timeout: float) -> int:
        """Wait until ``count`` of the app's transactions wait for the lock; how many did."""
        waiting = sa.text(
            "SELECT count(*) FROM pg_stat_activity a WHERE a.wait_event_type = 'Lock' AND EXISTS ("
            " SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.pid = a.pid AND n.nspname = :schema)"
        )
        deadline = time.monotonic() + timeout
        with self.engine.connect() as conn:
            while (n := conn.execute(waiting, {"schema": self.schema}).scalar_one()) < count:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        return int(n)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.rollback()
            self.conn.close()
            self.conn = None
        self.engine.dispose()


def test_kill_mid_burst_keeps_every_acknowledged_submission_and_nothing_half_written(
    database: tuple[loadlib.Database, Flask], tmp_path: Path
) -> None:
    db, app = database
    seeded = loadlib.seed(app, CLIENTS, sheets=SHEETS)
    ledger = loadlib.Ledger()
    server = loadlib.Server(db.url, tmp_path, workers=2, preload=True)
    lock = HistoryLock(db, seeded) if db.kind == "postgresql" else None
    caught_mid_write: list[int] = []
    try:
        server.start()
        clients = [Client(loadlib.Session(server.url, ledger=ledger, timeout=15), m) for m in seeded.members]
        loadlib.run_concurrently([partial(client.prepare, seeded) for client in clients], timeout=60)
        before = loadlib.sheet_states(app, seeded)
        assert {state.version for state in before.values()} == {1}

        def killer() -> None:
            ledger.wait_for_submissions(KILL_AFTER, timeout=60)
            if lock is not None:  # PostgreSQL: both workers stopped in the middle of a write
                lock.take()
                caught_mid_write.append(lock.wait_for_writers(server.workers, timeout=20))
            server.kill()  # SIGKILL, master and workers, in the middle of the burst
            if lock is not None:
                lock.close()  # the dead clients' transactions can only roll back now

        loadlib.run_concurrently([killer, *(partial(c.submit_all, seeded) for c in clients)], timeout=90)
        if lock is not None:
            assert caught_mid_write == [server.workers], "the kill did not catch the workers mid-write"
        acknowledged = set(ledger.submitted)
        assert KILL_AFTER <= len(acknowledged) < CLIENTS * SHEETS, "the kill did not interrupt the burst"

        report = loadlib.check_database(app, seeded, ledger, before=before, exact=False)
        assert report.ok, "\n".join(report.lines())

        server.start()  # same port, same secret key: the clients' sessions are still valid
        for client in clients:
            client.resubmit_unacknowledged(seeded, ledger)
    finally:
        server.stop()
        if lock is not None:
            lock.close()
    assert len(ledger.submitted) == CLIENTS * SHEETS
    report = loadlib.check_database(app, seeded, ledger)
    assert report.ok, "\n".join(report.lines())


# --- the database out of reach -------------------------------------------------------------------


class CuttableProxy:
    """A TCP proxy in front of the database that can cut every connection and refuse new ones.

    ``cut`` closes the open connections and, until ``restore``, accepts new ones only to close them
    at once (the database server gone, as far as the app can tell).
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = int(self.listener.getsockname()[1])
        self._cut, self._stop = threading.Event(), threading.Event()
        self._pumps: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _address = self.listener.accept()
            except TimeoutError:
                continue
            if self._cut.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            pump = threading.Thread(target=self._pump, args=(client, server), daemon=True)
            self._pumps.append(pump)
            pump.start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        """Copy bytes both ways until either side closes, or the proxy is cut or stopped."""
        peers = {client: server, server: client}
        with selectors.DefaultSelector() as selector, client, server:
            for sock in peers:
                selector.register(sock, selectors.EVENT_READ)
            while not (self._cut.is_set() or self._stop.is_set()):
                for key, _events in selector.select(timeout=0.05):
                    try:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if not data:
                            return
                        peers[key.fileobj].sendall(data)  # type: ignore[index]
                    except OSError:
                        return

    def _join_pumps(self) -> None:
        for pump in self._pumps:
            pump.join(timeout=5)
        self._pumps = [pump for pump in self._pumps if pump.is_alive()]

    def cut(self) -> None:
        self._cut.set()
        self._join_pumps()
        assert not self._pumps, "a proxied connection outlived the cut"

    def restore(self) -> None:
        self._cut.clear()

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join(timeout=5)
        self._join_pumps()
        self.listener.close()


class SqliteWriteLock:
    """SQLite: another connection holding the write lock (a restore, a migration, a forgotten shell).

    The app waits its busy timeout (10 s) for the lock and then gets "database is locked".
    """

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=1)

    def take(self) -> None:
        self.conn.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.release()
        self.conn.close()


@dataclass(frozen=True)
class Outage:
    """The app under gunicorn on the suite's database, and how to take that database away and back."""

    app: Flask
    seeded: loadlib.Seeded
    server: loadlib.Server
    cut: Callable[[], None]
    restore: Callable[[], None]


@pytest.fixture
def outage(database: tuple[loadlib.Database, Flask], tmp_path: Path) -> Iterator[Outage]:
    """PostgreSQL: the app reaches the server through a proxy the test cuts (connections closed, new
    ones refused). SQLite: another connection holds the write lock past the app's busy timeout."""
    db, app = database
    seeded = loadlib.seed(app, 1, sheets=1)
    if db.kind == "postgresql":
        url = make_url(db.url)
        proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
        try:
            with loadlib.Server(db.url_via("127.0.0.1", proxy.port), tmp_path, preload=True) as server:
                yield Outage(app, seeded, server, proxy.cut, proxy.restore)
        finally:
            proxy.close()
    else:
        assert db.path is not None
        lock = SqliteWriteLock(db.path)
        try:
            with loadlib.Server(db.url, tmp_path, preload=True) as server:
                yield Outage(app, seeded, server, lock.take, lock.release)
        finally:
            lock.close()


def _post_during_outage(
    session: loadlib.Session, seeded: loadlib.Seeded, aid: int, page: loadlib.SheetPage
) -> tuple[dict[str, str], loadlib.Reply, loadlib.Reply]:
    """The sheet's submission and an autosave of it, sent together while the database is out."""
    form = {
        "csrf_token": page.csrf,
        "version": str(page.version),
        **loadlib.sheet_fields(seeded, aid, final=True),
        "confirm": "y",
        "action": "submit",
    }
    replies: dict[str, loadlib.Reply] = {}

    def submit() -> None:
        replies["submit"] = session.request("POST", seeded.sheet_path(aid), form=form)

    def autosave() -> None:
        replies["autosave"] = session.request(
            "POST",
            seeded.sheet_path(aid) + "/autosave",
            payload={"version": page.version, "fields": loadlib.sheet_fields(seeded, aid, final=False)},
            headers={"X-CSRFToken": page.csrf},
        )

    loadlib.run_concurrently([submit, autosave], timeout=60)
    return form, replies["submit"], replies["autosave"]


def test_database_out_of_reach_gives_503_and_saves_nothing_then_the_same_submission_succeeds(
    outage: Outage,
) -> None:
    seeded, member = outage.seeded, outage.seeded.members[0]
    (aid,) = member.assignments
    session = loadlib.Session(outage.server.url)
    assert session.login(member.username)
    page = session.open_sheet(seeded, aid)
    assert page is not None and page.version == 0
    outage.cut()
    try:
        form, submitted, autosaved = _post_during_outage(session, seeded, aid, page)
    finally:
        outage.restore()

    # The form gets the error page, the script JSON it can show; both say nothing was saved.
    assert submitted.status == 503, submitted.text[:500]
    assert submitted.headers.get("Content-Type", "").startswith("text/html")
    assert UNAVAILABLE in submitted.text and "chưa được lưu" in submitted.text
    assert autosaved.status == 503, autosaved.text[:500]
    assert autosaved.json()["error"].startswith(UNAVAILABLE)
    assert "vẫn còn trên trang này" in autosaved.json()["error"]
    assert submitted.headers.get("Retry-After") and autosaved.headers.get("Retry-After")
    assert loadlib.sheet_states(outage.app, seeded) == {}, "nothing is saved while the database is out"

    again = session.request("POST", seeded.sheet_path(aid), form=form)  # the very same submission
    assert again.status == 302, again.text[:500]
    states = loadlib.sheet_states(outage.app, seeded)
    assert states[aid].status == "submitted"
    assert states[aid].points() == {cid: loadlib.final_points(aid, cid) for cid in seeded.criteria}
    assert loadlib.chain_report(outage.app, seeded) == (True, 1, 1)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: the sheet script's check is skipped")
def test_sheet_script_keeps_what_was_typed_when_autosave_gets_503(outage: Outage) -> None:
    """In a browser: the 503's message is shown, the input stays on the page and in localStorage, and
    after the database is back a reload restores it and autosave saves it."""
    from playwright.sync_api import expect, sync_playwright

    seeded, member = outage.seeded, outage.seeded.members[0]
    (aid,) = member.assignments
    criterion = seeded.criteria[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(base_url=outage.server.url)
            page.goto("/login")
            page.fill("input[name=username]", member.username)
            page.fill("input[name=password]", loadlib.PASSWORD)
            page.click("form.stack button[type=submit]")
            page.wait_for_url(lambda url: "/login" not in url)
            page.goto(seeded.sheet_path(aid))
            points, status = page.locator(f"input[name=points_{criterion}]"), page.locator("#sheet-status")
            points.fill("7,5")
            expect(status).to_contain_text("Đã lưu nháp", timeout=20_000)

            outage.cut()
            try:
                points.fill("12")
                expect(status).to_contain_text(UNAVAILABLE, timeout=40_000)
            finally:
                outage.restore()
            assert points.input_value() == "12"
            kept = page.evaluate(
                "key => JSON.parse(window.localStorage.getItem(key))", f"council-sheet-{aid}"
            )
            assert kept["fields"][f"points_{criterion}"] == "12"
            assert loadlib.sheet_states(outage.app, seeded)[aid].points()[criterion] == 7.5

            page.reload()
            expect(page.locator("#sheet-local")).to_be_visible()  # "restored from this device"
            assert points.input_value() == "12"
            expect(status).to_contain_text("Đã lưu nháp", timeout=20_000)
        finally:
            browser.close()
    assert loadlib.sheet_states(outage.app, seeded)[aid].points()[criterion] == 12.0


# --- the handler itself, in process ----------------------------------------------------------------


def _failing(error: Exception) -> Callable[..., Any]:
    def save_sheet(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    return save_sheet


OUTAGES = {
    "connection lost": OperationalError(
        "UPDATE ...", {}, Exception("server closed the connection unexpectedly")
    ),
    "connection closed": InterfaceError("SELECT ...", {}, Exception("the connection is closed")),
    "connection invalidated": DBAPIError("SELECT ...", {}, Exception("broken"), connection_invalidated=True),
    "pool exhausted": PoolTimeout("QueuePool limit of size 5 overflow 10 reached"),
}


@pytest.mark.parametrize("error", OUTAGES.values(), ids=OUTAGES.keys())
def test_an_outage_gives_503_json_to_the_script_and_a_page_to_the_form(
    error: Exception, scoring_round: Any, login: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from council.services import scoresheets

    monkeypatch.setattr(scoresheets, "save_sheet", _failing(error))
    client = login("member")
    assignment = scoring_round.assigned.assignments[0]
    path = f"/review/rounds/{scoring_round.round.id}/sheets/{assignment.id}"
    criterion = scoring_round.round.criteria[0]

    autosaved = client.post(
        path + "/autosave",
        data=json.dumps({"version": 0, "fields": {f"points_{criterion.id}": "7,5"}}),
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert autosaved.status_code == 503 and autosaved.headers["Retry-After"]
    assert autosaved.get_json()["error"].startswith(UNAVAILABLE)

    submitted = client.post(path, data={"version": "0", f"points_{criterion.id}": "7,5", "action": "save"})
    assert submitted.status_code == 503 and submitted.mimetype == "text/html"
    page = submitted.get_data(as_text=True)
    assert UNAVAILABLE in page and "Lỗi 503" in page and "chưa được lưu" in page


def test_a_page_read_in_an_outage_asks_to_try_again(
    scoring_round: Any, login: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from council.blueprints import review

    monkeypatch.setattr(review, "work_by_round", _failing(OUTAGES["connection lost"]))
    response = login("member").get("/review/")
    assert response.status_code == 503
    assert "Tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút." in response.get_data(
        as_text=True
    )


def test_an_integrity_error_is_still_a_fault_not_an_outage(
    scoring_round: Any, login: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from council.services import scoresheets

    broken = IntegrityError("INSERT ...", {}, Exception("duplicate key"))
    monkeypatch.setattr(scoresheets, "save_sheet", _failing(broken))
    client = login("member")
    assignment = scoring_round.assigned.assignments[0]
    path = f"/review/rounds/{scoring_round.round.id}/sheets/{assignment.id}"
    with pytest.raises(IntegrityError):  # TESTING propagates it; in production it is the 500 page
        client.post(path, data={"version": "0", "action": "save"})
