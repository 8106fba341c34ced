"""How well each ranking method recovers a known truth; how fast `auto` is; whether it agrees with MixedLM.

Run from the project folder::

    .venv/bin/python benchmarks/ranking.py [--replications 20] [--national-replications 3] [--seed 0]
    .venv/bin/python benchmarks/ranking.py --quick        # district and province only, for a smoke run
    .venv/bin/python benchmarks/ranking.py --part time    # one part only (accuracy, time, mixedlm)

It prints markdown (the command line first), in four parts:

1. Accuracy. For every size (district 60 dossiers / 12 members, province 600 / 40, national
   20,000 / 1,000), scenario (unbiased members; biased members; biased members with
   peer-review-like noise) and design (balanced incomplete, k = 3; panels by field with a few
   cross-panel links; panels with none), R rounds are simulated with :mod:`scoring.simulate`
   and every method of :func:`scoring.ranking.fit` ranks them, beside the oracle that knows
   every member's leniency and spread. Cells give Kendall's tau against the true ranking (mean
   over the rounds ± its standard error) and the precision of the top-20 % award list; for
   `auto` the 90 % score- and rank-interval coverage of :func:`scoring.ranking.rank`.
2. The targets for `auto`, each PASS or FAIL, with the paired difference and its standard error.
3. Time: a national round end to end through ``python -m scoring rank`` (CSV written, then
   read, fitted, ranked and written by a subprocess), `auto` against `raw`.
4. A province round fitted by our shrinkage model and by statsmodels' MixedLM with the member
   as a crossed random intercept: agreement of dossier scores and member leniencies, and time.

Nothing is asserted; the targets are printed for a person to read.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import ranking
from scoring.csvio import write_rows
from scoring.models import Sheets, shrinkage
from scoring.scores import ScoreTable
from scoring.simulate import (
    DESIGNS,
    SCENARIOS,
    SIZES,
    Metrics,
    Simulation,
    evaluate,
    oracle,
    partial_oracle,
    simulate,
    true_scores,
)

ROOT = Path(__file__).resolve().parent.parent
METHODS = ("raw", "zscore", "additive", "affine", "shrinkage", "auto")
COLUMNS = (*METHODS, "oracle*", "oracle")  # oracle*: the leniencies learnt from the scores
LEVEL, TOP_SHARE = 0.9, 0.2
ORACLE_DRAWS = 400  # for the oracle's rank intervals
TAU_TO_ORACLE, TAU_BELOW_RAW = 0.015, 0.005  # the targets
PARTS = ("accuracy", "time", "mixedlm")


@dataclass
class Row:
    """One line of the accuracy table: a size, scenario and design, over R rounds."""

    size: str
    scenario: str
    design: str
    metrics: dict[str, list[Metrics]] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    chosen: list[str] = field(default_factory=list)  # what `auto` picked in each round

    def values(self, column: str, metric: str) -> NDArray[np.float64]:
        return np.array([getattr(m, metric) for m in self.metrics[column]])


def mean_se(x: NDArray[np.float64]) -> tuple[float, float]:
    """Mean and its standard error (NaN with a single value)."""
    return float(np.mean(x)), float(np.std(x, ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")


def aligned(labels: Sequence[str] | NDArray[Any], values: NDArray[Any], table: ScoreTable) -> NDArray[Any]:
    """`values` given for dossiers `labels`, reordered to ``table.dossiers``."""
    order = np.argsort(np.asarray(labels, dtype=str), kind="stable")
    position = np.searchsorted(np.asarray(labels, dtype=str)[order], table.dossiers)
    return np.asarray(values)[order[position]]


def score_round(sim: Simulation, row: Row, seed: int) -> None:
    """Every method, `auto` with its intervals, and the oracle on one simulated round."""
    table, truth = sim.table, true_scores(sim.truth)
    n_top = max(1, round(TOP_SHARE * table.n_dossiers))
    for method in METHODS[:-1]:
        fit = ranking.fit(table, method=method)
        row.metrics[method].append(
            evaluate(truth, aligned(fit.dossiers, fit.score, table), top_share=TOP_SHARE)
        )
    result = ranking.rank(table, method="auto", top_k=n_top, level=LEVEL, seed=seed)  # default draws
    row.chosen.append(result.method)
    row.metrics["auto"].append(
        evaluate(
            truth,
            aligned(result.dossier, result.score, table),
            ci=(
                aligned(result.dossier, result.ci_low, table),
                aligned(result.dossier, result.ci_high, table),
            ),
            rank_ci=(
                aligned(result.dossier, result.rank_low, table),
                aligned(result.dossier, result.rank_high, table),
            ),
            top_share=TOP_SHARE,
        )
    )
    row.metrics["oracle*"].append(evaluate(truth, partial_oracle(sim), top_share=TOP_SHARE))
    best = oracle(sim, level=LEVEL, top_k=n_top, n_draws=ORACLE_DRAWS, seed=seed)
    row.metrics["oracle"].append(
        evaluate(
            truth,
            best.score,
            ci=(best.ci_low, best.ci_high),
            rank_ci=(best.rank_low, best.rank_high),
            top_share=TOP_SHARE,
        )
    )


def accuracy(sizes: Iterable[str], replications: dict[str, int], seed: int) -> list[Row]:
    rows = []
    for size_index, size in enumerate(sizes):
        n_dossiers, n_reviewers, n_panels = SIZES[size]
        start = time.perf_counter()
        for scenario in SCENARIOS:
            for design in DESIGNS:
                row = Row(size, scenario, design)
                for rep in range(replications[size]):
                    # one seed per (size, replication): scenarios and designs see the same draws
                    sim = simulate(
                        scenario,
                        design,
                        n_dossiers=n_dossiers,
                        n_reviewers=n_reviewers,
                        n_panels=n_panels,
                        seed=np.random.SeedSequence([seed, size_index, rep]),
                    )
                    score_round(sim, row, seed + rep)
                rows.append(row)
                print(f"  {size} {scenario} {design}: done", file=sys.stderr, flush=True)
        print(f"{size}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return rows


def print_accuracy(rows: list[Row]) -> None:
    print("## Accuracy\n")
    chosen = sorted({name for row in rows for name in row.chosen})
    print(
        "Each method cell: Kendall's tau (ties counted as half) against the true ranking, mean over R "
        "rounds ± standard error · precision of the top-20 % list. `oracle` knows every member's "
        "leniency, spread and noise; `oracle*` knows the same but the leniencies, which it learns from "
        "the scores. Intervals: share of dossiers whose true score (true rank) lies in the 90 % interval, "
        f"and its mean width (points; places). `auto` resolved to: {', '.join(chosen)}.\n"
    )
    head = ["size", "scenario", "design", "R", *COLUMNS, "auto score cov (width)", "auto rank cov (width)"]
    head += ["oracle score / rank cov"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        cells = [row.size, row.scenario, row.design, str(len(row.metrics["raw"]))]
        for column in COLUMNS:
            tau, se = mean_se(row.values(column, "tau"))
            precision = np.mean(row.values(column, "top_precision"))
            cells.append(f"{tau:.3f} ±{se:.3f} · {precision:.2f}")
        for metric, width, fmt in (
            ("score_coverage", "score_width", ".1f"),
            ("rank_coverage", "rank_width", ".0f"),
        ):
            cells.append(
                f"{np.mean(row.values('auto', metric)):.3f} ({np.mean(row.values('auto', width)):{fmt}})"
            )
        score_cov, rank_cov = (np.mean(row.values("oracle", m)) for m in ("score_coverage", "rank_coverage"))
        cells.append(f"{score_cov:.3f} / {rank_cov:.3f}")
        print("| " + " | ".join(cells) + " |")
    print()


@dataclass(frozen=True)
class Target:
    name: str
    applies: Callable[[Row], bool]
    reference: str
    passes: Callable[[float], bool]  # of the mean difference tau(auto) - tau(reference)


TARGETS = (
    Target(
        f"biased members: auto within {TAU_TO_ORACLE} tau of the oracle",
        lambda row: SCENARIOS[row.scenario].lenient_share > 0,
        "oracle",
        lambda diff: diff >= -TAU_TO_ORACLE,
    ),
    Target(
        f"unbiased members: auto no more than {TAU_BELOW_RAW} tau below raw",
        lambda row: row.scenario == "unbiased",
        "raw",
        lambda diff: diff >= -TAU_BELOW_RAW,
    ),
    Target(
        "peer-review-like noise: auto above raw",
        lambda row: row.scenario == "peer",
        "raw",
        lambda diff: diff > 0,
    ),
)


def print_targets(rows: list[Row]) -> dict[str, bool]:
    """Each target row by row, then overall; a target passes overall if it passes in every row."""
    print("## Targets for `auto`\n")
    print(
        "Difference = tau(auto) − tau(reference), paired by round: mean ± standard error. Beside the "
        "oracle, `oracle* − oracle` is what learning the leniencies from these scores costs any method. "
        "In the `isolated` design the panels share no member, so how one panel's standard compares with "
        "another's is not in the data: the oracle knows it, the models assume each panel's members are on "
        "average equally lenient, and the simulation draws each panel's members at random.\n"
    )
    verdicts: dict[str, bool] = {}
    for target in TARGETS:
        partial = target.reference == "oracle"
        print(f"**{target.name}**\n")
        head = ["size", "scenario", "design", "tau(auto)", f"tau({target.reference})", "difference"]
        head += ["oracle* − oracle"] * partial + ["result"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in filter(target.applies, rows):
            auto, reference = row.values("auto", "tau"), row.values(target.reference, "tau")
            diff, se = mean_se(auto - reference)
            ok = target.passes(diff)
            verdicts[target.name] = verdicts.get(target.name, True) and ok
            cells = [row.size, row.scenario, row.design, f"{auto.mean():.3f}", f"{reference.mean():.3f}"]
            cells.append(f"{diff:+.4f} ±{se:.4f}")
            if partial:
                gap, gap_se = mean_se(row.values("oracle*", "tau") - reference)
                cells.append(f"{gap:+.4f} ±{gap_se:.4f}")
            cells.append("PASS" if ok else "FAIL")
            print("| " + " | ".join(cells) + " |")
        print()
    for name, ok in verdicts.items():
        print(f"- {'PASS' if ok else 'FAIL'}: {name} (in every row)")
    print()
    return verdicts


def write_scores_csv(table: ScoreTable, path: Path) -> None:
    rows = zip(
        table.dossiers[table.dossier],
        table.reviewers[table.reviewer],
        table.criteria[table.criterion],
        (f"{x:g}" for x in table.score),
        strict=True,
    )
    write_rows(path, ("dossier", "reviewer", "criterion", "score"), rows)


def rank_command(scores: Path, out: Path, method: str, seed: int) -> list[str]:
    """The command line a secretary would run."""
    options = ["--out", str(out), "--method", method, "--seed", str(seed)]
    return [sys.executable, "-m", "scoring", "rank", str(scores), *options]


def time_cli(seed: int, repeats: int) -> None:
    """A national round through ``python -m scoring rank``, `auto` against `raw`."""
    n_dossiers, n_reviewers, _ = SIZES["national"]
    sim = simulate("biased", "balanced", n_dossiers=n_dossiers, n_reviewers=n_reviewers, seed=seed)
    print("## Time: a national round through the command line\n")
    with tempfile.TemporaryDirectory() as tmp:
        scores, out = Path(tmp) / "scores.csv", Path(tmp) / "ranking.csv"
        start = time.perf_counter()
        write_scores_csv(sim.table, scores)
        written = time.perf_counter() - start
        seconds = {}
        for method in ("raw", "auto"):
            runs = []
            for _ in range(repeats):
                start = time.perf_counter()
                done = subprocess.run(
                    rank_command(scores, out, method, seed), capture_output=True, text=True, cwd=ROOT
                )
                if done.returncode:
                    last = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
                    print(f"`python -m scoring rank --method {method}` failed: {last[0]}\n")
                    return
                runs.append(time.perf_counter() - start)
            seconds[method] = min(runs)
        size_mb = scores.stat().st_size / 1e6
    ratio = seconds["auto"] / seconds["raw"]
    print(
        f"{n_dossiers:,} dossiers, {n_reviewers:,} members, {sim.table.n_obs:,} score rows "
        f"(scores.csv, {size_mb:.1f} MB, written in {written:.1f} s); best of {repeats} runs each, "
        "each a new Python process that reads the CSV, ranks (draws included) and writes the ranking.\n"
    )
    print("| command | seconds |")
    print("|---|---|")
    for method in ("raw", "auto"):
        command = f"python -m scoring rank scores.csv --out ranking.csv --method {method}"
        print(f"| `{command}` | {seconds[method]:.1f} |")
    print(f"\n- {'PASS' if ratio <= 1.5 else 'FAIL'}: auto / raw = {ratio:.2f} (target ≤ 1.5)\n")


def mixedlm_fit(sheets: Sheets) -> tuple[NDArray[np.float64], NDArray[np.float64], Any]:
    """Crossed random intercepts for dossier and member on the sheet totals, by statsmodels (REML).

    One group holding every sheet, with a variance component for each factor: the usual way to
    fit crossed random effects with ``MixedLM``. Returns the dossiers' scores (intercept plus
    predicted dossier effect), the members' predicted leniencies, and the fit.
    """
    import pandas as pd
    from statsmodels.regression.mixed_linear_model import MixedLM

    data = pd.DataFrame(
        {"total": sheets.total, "dossier": sheets.dossier, "member": sheets.reviewer, "all": 0}
    )
    vc = {"dossier": "0 + C(dossier)", "member": "0 + C(member)"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence chatter; `converged` is checked below
        result = MixedLM.from_formula("total ~ 1", groups="all", vc_formula=vc, data=data).fit(reml=True)
    effects = result.random_effects[0]
    n_d, n_r = int(sheets.dossier.max()) + 1, int(sheets.reviewer.max()) + 1
    dossier = np.array([effects[f"dossier[C(dossier)[{d}]]"] for d in range(n_d)])
    member = np.array([effects[f"member[C(member)[{r}]]"] for r in range(n_r)])
    return float(result.fe_params.iloc[0]) + dossier, member, result


def compare_mixedlm(seed: int) -> None:
    """Our shrinkage fit (spread off) beside statsmodels MixedLM on province rounds."""
    n_dossiers, n_reviewers, _ = SIZES["province"]
    print("## Shrinkage beside statsmodels MixedLM\n")
    print(
        f"A province round ({n_dossiers} dossiers, {n_reviewers} members, k = 3, balanced). "
        "`shrinkage(table, spread=False)` against `MixedLM` (statsmodels, REML) on the same sheet "
        "totals with dossier and member as crossed random intercepts (variance components in one "
        "group). The models differ only in the noise: MixedLM pools it, `shrinkage` moderates each "
        "member's toward the others' (and pools it when members do not differ beyond chance). "
        "Pearson correlation of the dossier scores and of the member leniencies; times are one fit "
        "each, on a shared machine.\n"
    )
    print(
        "| members in the round | r dossiers | r leniencies | σ²merit ours / MixedLM "
        "| σ²leniency ours / MixedLM | shrinkage s | MixedLM s | ratio | result |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, scenario in (
        ("lenient / harsh only", replace(SCENARIOS["biased"], narrow_share=0.0, wide_share=0.0)),
        ("lenient / harsh, narrow / wide", SCENARIOS["biased"]),
    ):
        sim = simulate(scenario, "balanced", n_dossiers=n_dossiers, n_reviewers=n_reviewers, seed=seed)
        start = time.perf_counter()
        ours = shrinkage(sim.table, spread=False)
        ours_seconds = time.perf_counter() - start
        start = time.perf_counter()
        score, leniency, result = mixedlm_fit(ours.sheets)
        theirs_seconds = time.perf_counter() - start
        r_score = float(np.corrcoef(score, ours.score)[0, 1])
        r_leniency = float(np.corrcoef(leniency, ours.leniency)[0, 1])
        merit_var, member_var = (float(v) for v in result.vcomp)  # in vc_formula order: dossier, member
        ok = r_score > 0.99 and r_leniency > 0.99 and bool(result.converged)
        print(
            f"| {label} | {r_score:.4f} | {r_leniency:.4f} | {ours.variances.merit:.1f} / {merit_var:.1f} "
            f"| {ours.variances.leniency:.1f} / {member_var:.1f} | {ours_seconds:.2f} | {theirs_seconds:.1f} "
            f"| {theirs_seconds / ours_seconds:.0f}× | {'PASS' if ok else 'FAIL'} (r > 0.99) |"
        )
    print()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--replications", type=int, default=20, help="rounds per row, district and province")
    parser.add_argument("--national-replications", type=int, default=3, help="rounds per national row")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="district and province only; no timing")
    parser.add_argument("--timing-repeats", type=int, default=2, help="runs of each CLI command (best kept)")
    parser.add_argument(
        "--part",
        action="append",
        choices=PARTS,
        help="run only this part (repeatable; default: all, and no timing with --quick)",
    )
    args = parser.parse_args(argv)
    parts = set(args.part or [p for p in PARTS if not (args.quick and p == "time")])
    sizes = ("district", "province") if args.quick else tuple(SIZES)
    replications = {
        "district": args.replications,
        "province": args.replications,
        "national": args.national_replications,
    }
    print(f"`$ .venv/bin/python benchmarks/{Path(__file__).name} {' '.join(sys.argv[1:])}`\n")
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPU(s); "
        f"seed {args.seed}; R = {args.replications} (national {args.national_replications}).\n"
    )
    if "accuracy" in parts:
        rows = accuracy(sizes, replications, args.seed)
        print_accuracy(rows)
        print_targets(rows)
    if "time" in parts:
        time_cli(args.seed, args.timing_repeats)
    if "mixedlm" in parts:
        compare_mixedlm(args.seed)


if __name__ == "__main__":
    main()
