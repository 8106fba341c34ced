"""Load benchmark: many members scoring at once against the app under gunicorn (issue #9).

Run from the project folder::

    .venv/bin/python benchmarks/load.py [--members 200] [--workers 4] [--database sqlite|postgresql|both]
        [--sheets 3] [--think 5] [--ramp 10] [--baseline 10] [--scrypt] [--postgres-url URL]

For each database it builds a fresh one (a SQLite file in a temporary folder, or a PostgreSQL
schema of its own, dropped at the end), migrates it, seeds one round at the scoring step, and
serves the real app (CSRF on) with gunicorn's sync workers on a free port of 127.0.0.1. Then:

1. warm-up: a few members score concurrently (not measured), so every worker has loaded its
   templates;
2. baseline: ``--baseline`` members, one after another with no pause (the unloaded server);
3. load: ``--members`` members at once, each starting within ``--ramp`` seconds and pausing
   0..2×``--think`` seconds (uniform) between actions, as people reading a dossier do.

Every member signs in (GET /login for the CSRF token, POST), opens the dashboard, and for each of
its ``--sheets`` sheets: opens it, autosaves a draft (JSON, X-CSRFToken header, as sheet.js does),
and submits it (the form, confirmation ticked). It prints per page: requests, errors, requests/s and
p50/p95/p99 in ms as the client saw them, the time inside a gunicorn worker (from its access log),
and the baseline beside it. Accounts get a cheap password hash unless ``--scrypt`` is given (a
production sign-in verifies scrypt, about 0.1 s of CPU each).

Then it checks the database against what the server acknowledged: every submitted sheet present
exactly once with all its criteria, the number of submitted sheets equal to the acknowledged
submissions, every acknowledged autosave in the history, and the history's hash chain verified by
the project's own ``verify_chain``. It exits 1 if a check fails (timings are reported, not
asserted).

The load generator (one thread per member) runs on the same machine and cores as gunicorn and
the database, so client-side times include its own share of the CPU; the worker times do not.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import loadlib

TARGET_MS = 300.0  # issue #9: p95 of the scoring pages with 200 members, on PostgreSQL


@dataclass(frozen=True)
class Phase:
    """One measured phase: the client's samples, the workers' samples, and its wall-clock seconds."""

    client: list[loadlib.Sample]
    worker: list[loadlib.Sample]
    seconds: float


@dataclass(frozen=True)
class Result:
    database: str
    baseline: Phase
    load: Phase
    checks: loadlib.CheckReport
    cpu_busy: float  # share of the machine's CPU time in use during the load phase
    cpu_own: float  # the share of it used by gunicorn and the load generator
    load_average: float  # the machine's 1-minute load average at the end of the load phase


def _pause(rng: random.Random, think: float) -> None:
    if think > 0:
        time.sleep(rng.uniform(0, 2 * think))


def _run_members(
    server: loadlib.Server,
    seeded: loadlib.Seeded,
    members: tuple[loadlib.Member, ...],
    ledger: loadlib.Ledger,
    *,
    phase: str,
    think: float = 0.0,
    ramp: float = 0.0,
    sequential: bool = False,
    seed: int = 0,
) -> Phase:
    """Members score their sheets (concurrently, or one after another); the phase's samples and time."""
    recorder = loadlib.Recorder()

    def member_job(index: int, member: loadlib.Member) -> None:
        rng = random.Random(seed * 100_003 + index)
        if ramp > 0:
            time.sleep(rng.uniform(0, ramp))
        loadlib.score_all(
            server.url,
            seeded,
            member,
            recorder=recorder,
            ledger=ledger,
            pause=lambda: _pause(rng, think),
            phase=phase,
        )

    jobs = [lambda i=i, m=m: member_job(i, m) for i, m in enumerate(members)]
    budget = 120 + ramp + 30 * think * (3 + 3 * len(seeded.members[0].assignments))
    if sequential:
        start = time.perf_counter()
        for job in jobs:
            loadlib.run_concurrently([job], timeout=budget)
        seconds = time.perf_counter() - start
    else:
        seconds = loadlib.run_concurrently(jobs, timeout=budget)
    return Phase(recorder.samples, [], seconds)


def run(kind: str, args: argparse.Namespace) -> Result:
    """The whole benchmark on one kind of database."""
    warmup = 2 * args.workers
    with tempfile.TemporaryDirectory(prefix="council-load-") as tmp:
        workdir = Path(tmp)
        database = loadlib.create_database(kind, workdir, args.postgres_url)
        try:
            label = loadlib.database_version(database)
            app = loadlib.make_app(
                database, workdir, hash_method="scrypt" if args.scrypt else loadlib.CHEAP_HASH
            )
            loadlib.migrate(app)
            seeded = loadlib.seed(app, warmup + args.baseline + args.members, sheets=args.sheets)
            warm, base = seeded.members[:warmup], seeded.members[warmup : warmup + args.baseline]
            crowd = seeded.members[warmup + args.baseline :]
            ledger = loadlib.Ledger()
            with loadlib.Server(database.url, workdir, workers=args.workers, access_log=True) as server:
                _run_members(server, seeded, warm, ledger, phase="warmup")
                baseline = _run_members(server, seeded, base, ledger, phase="baseline", sequential=True)
                busy0, total0 = loadlib.cpu_times()
                own0 = server.cpu_seconds() + time.process_time()
                load = _run_members(
                    server,
                    seeded,
                    crowd,
                    ledger,
                    phase="load",
                    think=args.think,
                    ramp=args.ramp,
                    seed=args.seed,
                )
                busy1, total1 = loadlib.cpu_times()
                own1 = server.cpu_seconds() + time.process_time()
                load_average = os.getloadavg()[0]
            baseline = Phase(baseline.client, server.worker_times("baseline"), baseline.seconds)
            load = Phase(load.client, server.worker_times("load"), load.seconds)
            checks = loadlib.check_database(app, seeded, ledger)
            failed = [s for s in [*baseline.client, *load.client] if not s.ok]
            checks.add(
                "every request answered as expected (no 5xx, no refused or timed-out connection)",
                not failed,
                f"{len(failed)} failed"
                + (f", statuses {sorted({s.status for s in failed})}" if failed else ""),
            )
            loadlib.dispose(app)
        finally:
            loadlib.drop_database(database)
    elapsed = (total1 - total0) / os.sysconf("SC_CLK_TCK")  # machine CPU time: seconds × cores
    cpu = (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0
    own = (own1 - own0) / elapsed if elapsed > 0 else 0.0
    return Result(label, baseline, load, checks, cpu, own, load_average)


def _table(result: Result) -> list[str]:
    base = loadlib.page_stats(result.baseline.client, result.baseline.seconds)
    load = loadlib.page_stats(result.load.client, result.load.seconds)
    worker = loadlib.page_stats(result.load.worker, result.load.seconds)
    lines = [
        "| page | baseline p50 | baseline p95 | requests | errors | req/s | p50 | p95 | p99 "
        "| worker p50 | worker p95 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for page in loadlib.PAGES:
        b, s, w = base[page], load[page], worker[page]
        lines.append(
            f"| {page} | {b.p50:.0f} | {b.p95:.0f} | {s.count} | {s.errors} | {s.rate:.1f} | {s.p50:.0f} | "
            f"{s.p95:.0f} | {s.p99:.0f} | {w.p50:.0f} | {w.p95:.0f} |"
        )
    total = len(result.load.client)
    lines.append(
        f"| all | | | {total} | {sum(not s.ok for s in result.load.client)} "
        f"| {total / result.load.seconds:.1f} | | | | | |"
    )
    return lines


def report(result: Result, args: argparse.Namespace) -> str:
    """The printed report of one database: setting, table, checks, and the target."""
    scoring_p95 = max(loadlib.page_stats(result.load.client, 1)[p].p95 for p in loadlib.SCORING_PAGES)
    verdict = "met" if scoring_p95 < TARGET_MS else "NOT met"
    lines = [
        f"## {result.database}: {args.members} members × {args.sheets} sheets, "
        f"gunicorn {args.workers} sync workers",
        "",
        f"Load phase: {result.load.seconds:.1f} s; members start within {args.ramp:g} s and pause "
        f"0–{2 * args.think:g} s (mean {args.think:g} s) between actions; "
        f"machine CPU busy {100 * result.cpu_busy:.0f} %, of which gunicorn and the load generator "
        f"{100 * result.cpu_own:.0f} % (the rest: the database server and anything else running); "
        f"load average {result.load_average:.2f} at the end.",
        f"Baseline: {args.baseline} members one after another, no pause ({result.baseline.seconds:.1f} s). "
        f"Passwords hashed with {'scrypt (production)' if args.scrypt else loadlib.CHEAP_HASH + ' (cheap)'}.",
        "Times in ms. Client times include queueing and the load generator's own CPU share; "
        "worker times are gunicorn's (request inside a worker).",
        "",
        *_table(result),
        "",
        "Checks against the database:",
        *result.checks.lines(),
        "",
        f"Target p95 < {TARGET_MS:.0f} ms on the scoring pages (open sheet, autosave, submit): {verdict} "
        f"(highest p95 {scoring_p95:.0f} ms).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=200, help="members scoring at once (default 200)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sheets", type=int, default=3, help="sheets each member scores (default 3)")
    parser.add_argument("--think", type=float, default=5.0, help="mean pause between actions, s (default 5)")
    parser.add_argument(
        "--ramp", type=float, default=10.0, help="members start within this many s (default 10)"
    )
    parser.add_argument(
        "--baseline", type=int, default=10, help="members in the unloaded baseline (default 10)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the members' pauses")
    parser.add_argument(
        "--scrypt",
        action="store_true",
        help="seed the accounts with the production password hash (scrypt) instead of a cheap one, so that "
        "each sign-in costs what it costs in production (seeding takes longer)",
    )
    parser.add_argument("--postgres-url", default=loadlib.DEFAULT_POSTGRES_URL)
    args = parser.parse_args(argv)

    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if "postgresql" in kinds and (reason := loadlib.postgres_unavailable(args.postgres_url)):
        parser.error(reason)
    load1, load5, _load15 = os.getloadavg()
    print(
        f"Council load benchmark: {os.cpu_count()} CPU cores, load average {load1:.2f} / {load5:.2f} "
        f"at start. The load generator ({args.members} client threads) shares these cores with gunicorn "
        "and the database."
    )
    ok = True
    for kind in kinds:
        result = run(kind, args)
        print()
        print(report(result, args), flush=True)
        ok = ok and result.checks.ok
    print()
    print("All checks passed." if ok else "SOME CHECKS FAILED.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
