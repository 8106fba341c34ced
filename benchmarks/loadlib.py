"""Harness for the load benchmark (``benchmarks/load.py``) and the system tests (``tests/system``).

It builds a fresh database of its own (a SQLite file, or a PostgreSQL schema that is dropped
afterwards), migrates it as ``flask --app council init-db`` does, seeds one round at the scoring
step, serves the real app (CSRF on) under gunicorn on a free port of 127.0.0.1, and drives it over
HTTP as members do in a browser: sign in, open the dashboard, open a sheet, autosave a draft (JSON
with the X-CSRFToken header, as ``sheet.js``), submit (the form, with its confirmation box). What
the server acknowledged is kept in a :class:`Ledger`, and :func:`check_database` compares the
database with it afterwards: every acknowledged submission present once and complete, nothing
half-written, the score history's hash chain intact.

Only the standard library on the client side (``http.client``, threads), so that the numbers
measure the app and not a client library.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from council import create_app
from council.extensions import db
from council.models import (
    Assignment,
    CouncilMember,
    CouncilRole,
    CriterionScore,
    Dossier,
    DossierKind,
    Field,
    Level,
    Round,
    ScoreEvent,
    ScoreSheet,
    Unit,
    UnitKind,
)
from council.models.base import utcnow
from council.services.accounts import create_user
from council.services.rounds import advance_round, create_round
from council.services.scoresheets import verify_chain

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "mat-khau-tai-thu"
# Seeding 200 accounts with scrypt would take a while; the server verifies whatever the hash says.
CHEAP_HASH = "pbkdf2:sha256:1000"
PAGES = ("login page", "login", "dashboard", "open sheet", "autosave", "submit")
SCORING_PAGES = ("open sheet", "autosave", "submit")
REQUEST_TIMEOUT = 30.0


# --- the database ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """A database of the harness's own: the URL the app uses, and what to drop at the end."""

    kind: str  # "sqlite" or "postgresql"
    url: str
    path: Path | None = None  # the SQLite file
    schema: str | None = None  # the PostgreSQL schema (named in the URL's search_path)
    server_url: str | None = None  # the PostgreSQL server, without the schema

    def url_via(self, host: str, port: int) -> str:
        """The same database reached through another address (the fault tests' proxy)."""
        return make_url(self.url).set(host=host, port=port).render_as_string(hide_password=False)


def postgres_unavailable(url: str = DEFAULT_POSTGRES_URL) -> str | None:
    """Why the PostgreSQL server at ``url`` cannot be used, or None when it answers."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure means: not usable here
        return (
            f"PostgreSQL at {make_url(url).render_as_string()} is not reachable: {error.__class__.__name__}"
        )
    finally:
        engine.dispose()
    return None


def create_database(kind: str, workdir: Path, postgres_url: str = DEFAULT_POSTGRES_URL) -> Database:
    """A new, empty database: a SQLite file in ``workdir``, or a fresh schema on the PostgreSQL server.

    The schema is put on the URL as ``options=-csearch_path=...`` (as the test suite's connect
    options do), so that gunicorn can be given the whole database in ``COUNCIL_DATABASE_URL``.
    """
    if kind == "sqlite":
        path = workdir / "council.sqlite3"
        return Database("sqlite", f"sqlite:///{path}", path=path)
    schema = f"council_load_{secrets.token_hex(5)}"
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return Database(
        "postgresql", url.render_as_string(hide_password=False), schema=schema, server_url=postgres_url
    )


def drop_database(database: Database) -> None:
    """Remove what :func:`create_database` made (the SQLite file goes with its temporary folder)."""
    if database.kind != "postgresql":
        return
    engine = sa.create_engine(database.server_url or DEFAULT_POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
    finally:
        engine.dispose()


def database_version(database: Database) -> str:
    """``SQLite 3.40.1`` or ``PostgreSQL 15.20``, for the report."""
    if database.kind == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    engine = sa.create_engine(database.server_url or DEFAULT_POSTGRES_URL)
    try:
        with engine.connect() as conn:
            return f"PostgreSQL {conn.execute(sa.text('SHOW server_version')).scalar_one().split()[0]}"
    finally:
        engine.dispose()


def make_app(database: Database, workdir: Path, *, hash_method: str = CHEAP_HASH) -> Flask:
    """The app in this process, on ``database``: for migrating, seeding and checking (not serving)."""
    config = {
        "SQLALCHEMY_DATABASE_URI": database.url,
        "SECRET_KEY": "load-harness-only",
        "PASSWORD_HASH_METHOD": hash_method,
    }
    return create_app(config, instance_path=str(workdir / "instance"))


def migrate(app: Flask) -> None:
    """Bring the empty database to the newest schema, as ``flask --app council init-db`` does."""
    with app.app_context():
        upgrade()


def dispose(app: Flask) -> None:
    """Close the in-process app's connections (before its PostgreSQL schema is dropped)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextlib.contextmanager
def fresh_database(
    kind: str, workdir: Path, postgres_url: str = DEFAULT_POSTGRES_URL
) -> Iterator[tuple[Database, Flask]]:
    """A new database, migrated, with the in-process app on it; dropped (and its pool closed) after."""
    database = create_database(kind, workdir, postgres_url)
    app = None
    try:
        app = make_app(database, workdir)
        migrate(app)
        yield database, app
    finally:
        if app is not None:
            dispose(app)
        drop_database(database)


# --- seeding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    username: str
    assignments: tuple[int, ...]  # published, active assignment ids of the seeded round


@dataclass(frozen=True)
class Seeded:
    round_id: int
    criteria: tuple[int, ...]  # criterion ids, in rubric order
    members: tuple[Member, ...]

    def sheet_path(self, assignment_id: int) -> str:
        return f"/review/rounds/{self.round_id}/sheets/{assignment_id}"


def seed(app: Flask, members: int, *, sheets: int = 3, prefix: str = "thanhvien") -> Seeded:
    """One round at the scoring step: ``members`` members, each with ``sheets`` published assignments.

    Dossier ``j`` goes to members ``j .. j+sheets-1`` (cyclically), so every member has ``sheets``
    sheets and every dossier ``sheets`` reviewers. Built with the app's own services and models, as
    the demo and the test fixtures are.
    """
    if members < sheets:
        raise ValueError("each dossier needs `sheets` different members: members must be >= sheets")
    with app.app_context():
        front = Unit(
            name=f"Ủy ban MTTQ Việt Nam tỉnh Tải Thử ({prefix})",
            kind=UnitKind.FRONT_COMMITTEE,
            level=Level.PROVINCE,
        )
        farmers = Unit(
            name=f"Hội Nông dân tỉnh Tải Thử ({prefix})", kind=UnitKind.FARMERS_UNION, level=Level.PROVINCE
        )
        db.session.add_all([front, farmers])
        secretary = create_user(f"{prefix}-thuky", "Thư ký tải thử", PASSWORD, unit=front, commit=False)
        round_ = create_round(
            {
                "title": f"Đợt xét tải thử ({prefix})",
                "year": 2025,
                "level": Level.PROVINCE,
                "issuing_unit": front,
            },
            user=secretary,
            commit=False,
        )
        round_.reviewers_per_dossier = sheets
        users = [
            create_user(f"{prefix}{n:03d}", f"Thành viên số {n}", PASSWORD, unit=front, commit=False)
            for n in range(1, members + 1)
        ]
        seats = [CouncilMember(round=round_, user=user, role=CouncilRole.MEMBER) for user in users]
        db.session.add(CouncilMember(round=round_, user=secretary, role=CouncilRole.SECRETARY))
        dossiers = [
            Dossier(
                round=round_,
                code=f"HS-2025-{j + 1:04d}",
                kind=DossierKind.INITIATIVE,
                field=list(Field)[j % len(Field)],
                title=f"Sáng kiến tải thử số {j + 1}",
                lead_author="Nguyễn Văn Thử",
                unit=farmers,
                summary="Mô tả ngắn của sáng kiến dùng cho đo tải.",
            )
            for j in range(members)
        ]
        db.session.add_all([*seats, *dossiers])
        for _step in range(3):  # draft -> intake -> assignment -> scoring
            advance_round(round_, user=secretary, commit=False)
        now = utcnow()
        pairs = [
            Assignment(dossier=dossiers[j], member=seats[(j + k) % members], published_at=now)
            for j in range(members)
            for k in range(sheets)
        ]
        db.session.add_all(pairs)
        db.session.commit()
        by_member: dict[int, list[int]] = {}
        for pair in pairs:
            by_member.setdefault(pair.member.id, []).append(pair.id)
        result = Seeded(
            round_.id,
            tuple(c.id for c in round_.criteria),
            tuple(Member(seat.user.username, tuple(sorted(by_member[seat.id]))) for seat in seats),
        )
        db.session.remove()
    return result


def final_points(assignment_id: int, criterion_id: int) -> float:
    """What the member submits for a criterion: whole or half points in 0..20, different per sheet."""
    return ((assignment_id * 7 + criterion_id * 3) % 41) / 2


def draft_points(assignment_id: int, criterion_id: int) -> float:
    """What the autosaved draft holds before the submission changes it."""
    return float((assignment_id + criterion_id) % 21)


def typed(value: float) -> str:
    """Points as a Vietnamese member types them: ``7,5``."""
    return f"{value:g}".replace(".", ",")


def sheet_fields(seeded: Seeded, assignment_id: int, *, final: bool) -> dict[str, str]:
    """The sheet's text fields: all points for a submission, the first three for a draft."""
    fields: dict[str, str] = {}
    for position, cid in enumerate(seeded.criteria):
        if final:
            fields[f"points_{cid}"] = typed(final_points(assignment_id, cid))
        elif position < 3:
            fields[f"points_{cid}"] = typed(draft_points(assignment_id, cid))
        fields[f"note_{cid}"] = "Đạt yêu cầu." if final else ""
    fields["comment"] = "Nhận xét chung khi nộp." if final else "Bản nháp."
    return fields


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (bound to port 0, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Method, path, status, microseconds spent in the worker, and the client's X-Load-Phase header.
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(D)s %({x-load-phase}i)s"
READY_HOOK = """\
import pathlib


def post_worker_init(worker):
    # Tells the harness that this worker has loaded the app and is accepting requests.
    pathlib.Path({ready!r}, str(worker.pid)).touch()
"""


class Server:
    """The app under gunicorn (sync workers) on 127.0.0.1, configured through ``COUNCIL_*`` variables.

    gunicorn runs in a process group of its own, so that :meth:`kill` takes the master and every
    worker down at once (``SIGKILL``: nothing gets to finish, as in a crash) and :meth:`stop` never
    leaves one behind. The port stays the same across restarts, so clients keep their cookies.
    """

    def __init__(
        self,
        database_url: str,
        workdir: Path,
        *,
        workers: int = 2,
        secret_key: str | None = None,
        access_log: bool = False,
        preload: bool = False,
    ) -> None:
        self.database_url = database_url
        self.workers, self.preload = workers, preload
        self.secret_key = secret_key or secrets.token_hex(32)
        self.port = free_port()
        self.dir = workdir / f"gunicorn-{self.port}"
        self.ready_dir = self.dir / "ready"
        self.ready_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.dir / "server.log"
        self.access_log = self.dir / "access.log" if access_log else None
        (self.dir / "gunicorn_conf.py").write_text(READY_HOOK.format(ready=str(self.ready_dir)))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _command(self) -> list[str]:
        app = f"council:create_app(instance_path={str(self.dir / 'instance')!r})"
        command = [sys.executable, "-m", "gunicorn", "--config", str(self.dir / "gunicorn_conf.py")]
        command += ["--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", "--timeout", "60"]
        command += ["--no-control-socket"]  # several servers at once must not share ~/.gunicorn/gunicorn.ctl
        if self.preload:  # import the app once, then fork: faster starts for the tests
            command += ["--preload"]
        if self.access_log:
            command += ["--access-logfile", str(self.access_log), "--access-logformat", ACCESS_LOG_FORMAT]
        return [*command, app]

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
        env |= {"COUNCIL_DATABASE_URL": self.database_url, "COUNCIL_SECRET_KEY": self.secret_key}
        return env

    def start(self, timeout: float = 60.0) -> None:
        """Start gunicorn and wait until every worker has loaded the app; raise with its log if not."""
        for stale in self.ready_dir.iterdir():
            stale.unlink()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self._command(),
                cwd=ROOT,
                env=self._environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while sum(1 for _ in self.ready_dir.iterdir()) < self.workers:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start; its log:\n{self.log_tail()}")
            time.sleep(0.05)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _signal_group(self, signum: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)  # the group's id is the master's pid (new session)

    def kill(self, timeout: float = 10.0) -> None:
        """SIGKILL the master and all workers at once; nothing gets to finish or clean up."""
        if self.process is None:
            return
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=timeout)
        self.process = None

    def stop(self, timeout: float = 20.0) -> None:
        """Stop gracefully (SIGTERM), and SIGKILL the group if it has not stopped within ``timeout``."""
        if self.process is None:
            return
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=timeout)
        self._signal_group(signal.SIGKILL)  # also any worker the master left behind
        self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by gunicorn's master and live workers."""
        return group_cpu_seconds(self.process.pid) if self.process is not None else 0.0

    def worker_times(self, phase: str) -> list[Sample]:
        """Each request of ``phase`` as gunicorn's access log timed it: inside a worker, no queueing."""
        if self.access_log is None or not self.access_log.exists():
            return []
        samples = []
        for line in self.access_log.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 5 and parts[2].isdigit() and parts[3].isdigit() and parts[4] == phase:
                status = int(parts[2])
                samples.append(
                    Sample(classify(parts[0], parts[1]), status, int(parts[3]) / 1e6, status < 500)
                )
        return samples


def classify(method: str, path: str) -> str:
    """Which page a request is, by method and path (for the access log)."""
    if path.startswith("/login"):
        return "login" if method == "POST" else "login page"
    if path.rstrip("/") == "/review":
        return "dashboard"
    if re.fullmatch(r"/review/rounds/\d+/sheets/\d+/autosave", path):
        return "autosave"
    if re.fullmatch(r"/review/rounds/\d+/sheets/\d+", path):
        return "submit" if method == "POST" else "open sheet"
    return "other"


# --- the client --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One HTTP answer; ``status`` 0 means none came (refused, reset, timed out)."""

    status: int
    headers: Mapping[str, str]
    text: str
    error: str = ""

    def json(self) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            return None


@dataclass(frozen=True)
class Sample:
    page: str
    status: int
    seconds: float
    ok: bool


class Recorder:
    """Every request's page, status and client-side time (thread-safe)."""

    def __init__(self) -> None:
        self._samples: list[Sample] = []
        self._lock = threading.Lock()

    def add(self, sample: Sample) -> None:
        with self._lock:
            self._samples.append(sample)

    @property
    def samples(self) -> list[Sample]:
        with self._lock:
            return list(self._samples)


class Ledger:
    """What the server acknowledged to the clients: the truth the database is checked against."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.submitted: dict[int, dict[int, float]] = {}  # assignment -> the points acknowledged
        self.unacknowledged: set[int] = set()  # submissions sent that got no success answer
        self.saves: Counter[int] = Counter()  # autosaves answered 200, per assignment
        self.acknowledged = threading.Condition(self._lock)

    def submission(self, assignment_id: int, points: dict[int, float] | None) -> None:
        """Record a submission: acknowledged with ``points``, or (None) left without an answer."""
        with self._lock:
            if points is None:
                self.unacknowledged.add(assignment_id)
            else:
                self.unacknowledged.discard(assignment_id)
                self.submitted[assignment_id] = points
                self.acknowledged.notify_all()

    def save(self, assignment_id: int) -> None:
        with self._lock:
            self.saves[assignment_id] += 1

    def wait_for_submissions(self, count: int, timeout: float) -> bool:
        """Block until ``count`` submissions were acknowledged (True) or ``timeout`` passed (False)."""
        with self._lock:
            return self.acknowledged.wait_for(lambda: len(self.submitted) >= count, timeout=timeout)


_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)


def input_value(page: str, name: str) -> str | None:
    """The value of the page's ``<input name=...>``, or None when there is no such input."""
    for tag in _INPUT.findall(page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            value = re.search(r'\bvalue="([^"]*)"', tag)
            return html.unescape(value.group(1)) if value else ""
    return None


@dataclass(frozen=True)
class SheetPage:
    csrf: str
    version: int
    submitted: bool  # the page offers a revision with a reason, not a submission


class Session:
    """One member's browser: its cookies and the requests a page would make (new connection each).

    Every request is timed into ``recorder`` under its page name; submissions and autosaves the
    server acknowledges go into ``ledger``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        recorder: Recorder | None = None,
        ledger: Ledger | None = None,
        timeout: float = REQUEST_TIMEOUT,
        phase: str = "",
    ) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}
        self.recorder, self.ledger, self.timeout = recorder, ledger, timeout
        self.phase = phase  # sent as X-Load-Phase, so that the access log tells the phases apart

    # transport

    def request(
        self,
        method: str,
        path: str,
        *,
        form: Mapping[str, str] | None = None,
        payload: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send one request on a fresh connection (gunicorn's sync workers close each one anyway)."""
        sent = {
            "Connection": "close",
            **({"X-Load-Phase": self.phase} if self.phase else {}),
            **(headers or {}),
        }
        body: bytes | None = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif payload is not None:
            body = json.dumps(payload).encode()
            sent |= {"Content-Type": "application/json", "Accept": "application/json"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            return Reply(response.status, dict(response.headers.items()), text)
        except (OSError, http.client.HTTPException) as error:
            return Reply(0, {}, "", error=f"{error.__class__.__name__}: {error}")
        finally:
            conn.close()

    def _keep_cookies(self, headers: Iterable[str]) -> None:
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def timed(self, page: str, expected: int, method: str, path: str, **kwargs: Any) -> Reply:
        """A request, recorded under ``page`` as ok when its status is ``expected``."""
        start = time.perf_counter()
        reply = self.request(method, path, **kwargs)
        elapsed = time.perf_counter() - start
        if self.recorder is not None:
            self.recorder.add(Sample(page, reply.status, elapsed, reply.status == expected))
        return reply

    # what a member does

    def login(self, username: str, password: str = PASSWORD) -> bool:
        """GET /login for its CSRF token, then POST it; True when the server signs the member in."""
        page = self.timed("login page", 200, "GET", "/login")
        token = input_value(page.text, "csrf_token")
        if page.status != 200 or token is None:
            return False
        form = {"csrf_token": token, "username": username, "password": password, "next": ""}
        reply = self.timed("login", 302, "POST", "/login", form=form)
        return reply.status == 302 and "/login" not in reply.headers.get("Location", "/login")

    def dashboard(self) -> Reply:
        return self.timed("dashboard", 200, "GET", "/review/")

    def open_sheet(self, seeded: Seeded, assignment_id: int) -> SheetPage | None:
        """The sheet page's CSRF token, version and state; None when it did not load."""
        reply = self.timed("open sheet", 200, "GET", seeded.sheet_path(assignment_id))
        csrf, version = input_value(reply.text, "csrf_token"), input_value(reply.text, "version")
        if reply.status != 200 or csrf is None or version is None:
            return None
        return SheetPage(csrf, int(version or 0), 'name="confirm"' not in reply.text)

    def autosave(self, seeded: Seeded, assignment_id: int, page: SheetPage, fields: dict[str, str]) -> Reply:
        """What sheet.js sends a moment after the member stops typing."""
        reply = self.timed(
            "autosave",
            200,
            "POST",
            seeded.sheet_path(assignment_id) + "/autosave",
            payload={"version": page.version, "fields": fields},
            headers={"X-CSRFToken": page.csrf},
        )
        if reply.status == 200 and self.ledger is not None:
            self.ledger.save(assignment_id)
        return reply

    def submit(self, seeded: Seeded, assignment_id: int, page: SheetPage, version: int) -> Reply:
        """The form's "Nộp phiếu" with the confirmation box ticked; acknowledged by a redirect."""
        fields = sheet_fields(seeded, assignment_id, final=True)
        form = {
            "csrf_token": page.csrf,
            "version": str(version),
            **fields,
            "confirm": "y",
            "action": "submit",
        }
        reply = self.timed("submit", 302, "POST", seeded.sheet_path(assignment_id), form=form)
        if self.ledger is not None:
            acknowledged = reply.status == 302 and reply.headers.get("Location", "").endswith(
                seeded.sheet_path(assignment_id)
            )
            points = {cid: final_points(assignment_id, cid) for cid in seeded.criteria}
            self.ledger.submission(assignment_id, points if acknowledged else None)
        return reply


def score_all(
    base_url: str,
    seeded: Seeded,
    member: Member,
    *,
    recorder: Recorder,
    ledger: Ledger,
    pause: Callable[[], None] = lambda: None,
    phase: str = "",
) -> None:
    """One member's session: sign in, dashboard, then each sheet: open, autosave a draft, submit.

    ``pause`` is the member's thinking time between actions.
    """
    session = Session(base_url, recorder=recorder, ledger=ledger, phase=phase)
    if not session.login(member.username):
        return
    pause()
    session.dashboard()
    for assignment_id in member.assignments:
        pause()
        page = session.open_sheet(seeded, assignment_id)
        if page is None:
            continue
        pause()
        saved = session.autosave(
            seeded, assignment_id, page, sheet_fields(seeded, assignment_id, final=False)
        )
        body = saved.json() if saved.status == 200 else None
        version = int(body["version"]) if isinstance(body, dict) and "version" in body else page.version
        pause()
        session.submit(seeded, assignment_id, page, version)


def run_concurrently(jobs: list[Callable[[], None]], *, timeout: float) -> float:
    """Run every job in a thread of its own; wall-clock seconds until all ended (bounded by ``timeout``)."""
    errors: list[BaseException] = []

    def guarded(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as error:  # reported below: a crashed client must not go unnoticed
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(job,), daemon=True) for job in jobs]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = start + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.perf_counter()))
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"simulated members still running after {timeout:.0f} s")
    if errors:
        raise RuntimeError(f"{len(errors)} simulated member(s) crashed") from errors[0]
    return time.perf_counter() - start


# --- checking the database against what was acknowledged ---------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class CheckReport:
    checks: list[Check] = field(default_factory=list)

    def add(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append(Check(name, ok, detail))

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def lines(self) -> list[str]:
        return [
            f"  [{'PASS' if c.ok else 'FAIL'}] {c.name}{': ' + c.detail if c.detail else ''}"
            for c in self.checks
        ]


@dataclass(frozen=True)
class SheetState:
    """One sheet as stored: status, version, points per criterion row, and its history events."""

    status: str
    version: int
    rows: tuple[tuple[int, float | None], ...]  # (criterion id, points), one per criterion row
    events: tuple[tuple[str, int], ...]  # (kind, payload version), in history order

    def points(self) -> dict[int, float | None]:
        return dict(self.rows)


def sheet_states(app: Flask, seeded: Seeded) -> dict[int, SheetState]:
    """Every sheet of the seeded round, keyed by assignment id (assignments without a sheet absent)."""
    with app.app_context():
        sheets = db.session.execute(
            sa.select(ScoreSheet.id, ScoreSheet.assignment_id, ScoreSheet.status, ScoreSheet.version)
            .join(Assignment, ScoreSheet.assignment_id == Assignment.id)
            .join(Dossier, Assignment.dossier_id == Dossier.id)
            .where(Dossier.round_id == seeded.round_id)
        ).all()
        rows: dict[int, list[tuple[int, float | None]]] = {}
        for sheet_id, criterion_id, points in db.session.execute(
            sa.select(CriterionScore.sheet_id, CriterionScore.criterion_id, CriterionScore.points).order_by(
                CriterionScore.id
            )
        ):
            rows.setdefault(sheet_id, []).append((criterion_id, points))
        events: dict[int, list[tuple[str, int]]] = {}
        for assignment_id, kind, payload in db.session.execute(
            sa.select(ScoreEvent.assignment_id, ScoreEvent.kind, ScoreEvent.payload)
            .where(ScoreEvent.round_id == seeded.round_id)
            .order_by(ScoreEvent.id)
        ):
            events.setdefault(assignment_id, []).append((str(kind), int(payload.get("version", -1))))
        db.session.remove()
    return {
        assignment_id: SheetState(
            str(status), version, tuple(rows.get(sheet_id, [])), tuple(events.get(assignment_id, []))
        )
        for sheet_id, assignment_id, status, version in sheets
    }


def chain_report(app: Flask, seeded: Seeded) -> tuple[bool, int, int]:
    """(the chain verifies, events checked, events in the round's history) by the project's own check."""
    with app.app_context():
        round_ = db.session.get(Round, seeded.round_id)
        report = verify_chain(round_)
        total = db.session.scalar(
            sa.select(sa.func.count(ScoreEvent.id)).where(ScoreEvent.round_id == seeded.round_id)
        )
        db.session.remove()
    return report.ok, report.checked, int(total or 0)


def _complete_as_sent(state: SheetState, seeded: Seeded, assignment_id: int) -> str | None:
    """Why a submitted sheet is not exactly the submission (one row per criterion, the points sent)."""
    counts = Counter(cid for cid, _points in state.rows)
    if set(counts) != set(seeded.criteria) or any(n != 1 for n in counts.values()):
        return f"assignment {assignment_id}: criterion rows {dict(counts)}"
    expected = {cid: final_points(assignment_id, cid) for cid in seeded.criteria}
    if state.points() != expected:
        return f"assignment {assignment_id}: points {state.points()} instead of {expected}"
    return None


def _history_matches(state: SheetState) -> str | None:
    """Why the sheet's history does not fit its version: one event per write, numbered 1..version."""
    writes = [version for kind, version in state.events if kind in {"save", "submit", "revise"}]
    if writes != list(range(1, state.version + 1)):
        return f"history versions {writes} for a sheet at version {state.version}"
    submissions = sum(kind == "submit" for kind, _v in state.events)
    if submissions != (state.status == "submitted"):
        return f"{submissions} submission events for a {state.status} sheet"
    return None


def check_database(
    app: Flask,
    seeded: Seeded,
    ledger: Ledger,
    *,
    before: Mapping[int, SheetState] | None = None,
    exact: bool = True,
) -> CheckReport:
    """Compare the database with what the server acknowledged.

    ``exact``: every submission was answered (no crash), so the submitted sheets must be exactly the
    acknowledged ones and every acknowledged autosave must be in the history. Otherwise (a crash)
    acknowledged submissions must be there, and any other sheet either submitted completely or
    exactly as in ``before``.
    """
    report = CheckReport()
    states = sheet_states(app, seeded)
    submitted = {aid for aid, state in states.items() if state.status == "submitted"}
    acknowledged = set(ledger.submitted)
    if exact:
        report.add(
            "submitted sheets = acknowledged submissions",
            submitted == acknowledged,
            f"{len(submitted)} submitted, {len(acknowledged)} acknowledged"
            + (
                f"; differing assignments {sorted(submitted ^ acknowledged)[:10]}"
                if submitted != acknowledged
                else ""
            ),
        )
    else:
        missing = acknowledged - submitted
        report.add(
            "every acknowledged submission is stored",
            not missing,
            f"{len(acknowledged)} acknowledged, {len(submitted)} submitted"
            + (f"; missing {sorted(missing)[:10]}" if missing else ""),
        )
    problems = [p for aid in sorted(submitted) if (p := _complete_as_sent(states[aid], seeded, aid))]
    report.add(
        "each submitted sheet: one score per criterion, the points sent",
        not problems,
        f"{len(submitted)} sheets × {len(seeded.criteria)} criteria"
        + (f"; {problems[:3]}" if problems else ""),
    )
    problems = [
        f"assignment {aid}: {p}" for aid, state in sorted(states.items()) if (p := _history_matches(state))
    ]
    report.add(
        "each sheet's history: one event per write, one submission event per submitted sheet",
        not problems,
        f"{len(states)} sheets" + (f"; {problems[:3]}" if problems else ""),
    )
    if exact:
        drafts = Counter(aid for aid, state in states.items() for kind, _v in state.events if kind == "save")
        report.add(
            "draft events = acknowledged autosaves",
            drafts == ledger.saves,
            f"{sum(drafts.values())} events, {sum(ledger.saves.values())} acknowledged",
        )
    if before is not None:
        torn = [aid for aid, state in states.items() if aid not in submitted and state != before.get(aid)]
        report.add(
            "every sheet not submitted is exactly as before the burst",
            not torn,
            f"{len(states) - len(submitted)} not submitted" + (f"; changed: {torn[:10]}" if torn else ""),
        )
    ok, checked, total = chain_report(app, seeded)
    report.add("score history hash chain verifies", ok and checked == total, f"{checked} of {total} events")
    return report


# --- figures -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile ``q`` (0..100) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class PageStats:
    page: str
    count: int
    errors: int
    server_errors: int  # 5xx answers
    rate: float  # requests per second over the phase
    p50: float  # milliseconds
    p95: float
    p99: float


def page_stats(samples: list[Sample], seconds: float) -> dict[str, PageStats]:
    """Count, errors, rate and latency percentiles per page (all requests, failed ones included)."""
    stats = {}
    for page in PAGES:
        mine = [s for s in samples if s.page == page]
        ms = [s.seconds * 1000 for s in mine]
        stats[page] = PageStats(
            page,
            len(mine),
            sum(not s.ok for s in mine),
            sum(s.status >= 500 for s in mine),
            len(mine) / seconds if seconds > 0 else 0.0,
            percentile(ms, 50),
            percentile(ms, 95),
            percentile(ms, 99),
        )
    return stats


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of process group ``pgid``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (command)"
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if int(fields[2]) == pgid:  # fields: state, ppid, pgrp, ..., utime (11), stime (12)
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat (zeros where it is missing)."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return sum(fields) - idle, sum(fields)
