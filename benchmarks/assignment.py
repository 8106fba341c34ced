"""Reviewer assignment: our solver (default and fair) against the greedy baseline, on the same instances.

Run from the project folder::

    .venv/bin/python benchmarks/assignment.py [--sizes 200x30,2000x200,20000x1000] [--seed 0]

Each size ``NxM`` is a synthetic round of N dossiers and M members, k = 3: every dossier has one of
the movement's five fields and a few keywords of it; every member has one or two fields of expertise
and keywords; affinity = 1 for a field match + 0.5 × keyword overlap (Jaccard) + noise in [0, 0.1).
About 5% of the pairs are conflicts; the maximum load is ceil(k·N/M) + 1. For each method it prints
the total affinity as a share of the LP optimum, the weakest dossier's affinity, the spread of loads,
the connectivity of the reviewer–dossier graph (components, algebraic connectivity λ₂, fewest
distinct co-reviewers) and the wall time. Nothing is asserted. ``openreview-matcher``, if installed,
is not used: its MinMax solver needs its own config and data layout (see README).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.assignment import Assignment, assign_reviewers, greedy_assignment

FIELDS = 5
KEYWORDS_PER_FIELD = 40
K = 3


def instance(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """``(affinity, forbidden, max_load)`` of a synthetic round."""
    rng = np.random.default_rng(seed)
    dossier_field = rng.integers(0, FIELDS, n)
    expertise = np.zeros((m, FIELDS), dtype=bool)
    expertise[np.arange(m), rng.integers(0, FIELDS, m)] = True
    second = rng.random(m) < 0.3
    expertise[np.flatnonzero(second), rng.integers(0, FIELDS, int(second.sum()))] = True
    words = FIELDS * KEYWORDS_PER_FIELD
    dossier_words = _keywords(rng, dossier_field[:, None] == np.arange(FIELDS), 4, words)
    member_words = _keywords(rng, expertise, 12, words)
    shared = dossier_words.astype(np.float32) @ member_words.T.astype(np.float32)
    union = dossier_words.sum(axis=1)[:, None] + member_words.sum(axis=1)[None, :] - shared
    affinity = expertise[:, dossier_field].T + 0.5 * shared / union + 0.1 * rng.random((n, m))
    forbidden = rng.random((n, m)) < 0.05
    return affinity.astype(np.float64), forbidden, math.ceil(K * n / m) + 1


def _keywords(rng: np.random.Generator, fields: np.ndarray, count: int, words: int) -> np.ndarray:
    """Each row draws `count` keywords from the vocabularies of its fields."""
    chosen = np.zeros((fields.shape[0], words), dtype=bool)
    for i, row in enumerate(fields):
        pool = (np.flatnonzero(row)[:, None] * KEYWORDS_PER_FIELD + np.arange(KEYWORDS_PER_FIELD)).ravel()
        chosen[i, rng.choice(pool, count, replace=False)] = True
    return chosen


def timed(step: Callable[[], Assignment]) -> tuple[float, Assignment]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def methods(affinity: np.ndarray, forbidden: np.ndarray, max_load: int, seed: int, fair: bool):
    common = {"max_load": max_load, "forbidden": forbidden}
    chosen = [
        ("LP optimum (no repair)", lambda: assign_reviewers(affinity, K, connect=False, seed=seed, **common)),
        ("ours (default)", lambda: assign_reviewers(affinity, K, seed=seed, **common)),
        ("ours --fair", lambda: assign_reviewers(affinity, K, fair=True, seed=seed, **common)),
        ("greedy", lambda: greedy_assignment(affinity, K, **common)),
    ]
    return chosen if fair else [method for method in chosen if method[0] != "ours --fair"]


def row(label: str, seconds: float, result: Assignment, optimum: float) -> str:
    mix, loads = result.mixing, result.loads
    cells = [
        label,
        f"{result.total_affinity:,.1f}",
        f"{100 * result.total_affinity / optimum:.3f}",
        f"{result.min_dossier_affinity:.3f}",
        f"{loads.min()}–{loads.max()}",
        str(mix.n_components),
        f"{mix.algebraic_connectivity:.3f}",
        str(mix.min_co_reviewers),
        "yes" if result.certified else "no",
        f"{seconds:.1f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="200x30,2000x200,20000x1000", help="NxM,... (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="instance and tie-breaking seed (default 0)")
    # Fair mode solves mixed-integer programs: minutes at 2,000 dossiers, too long beyond.
    parser.add_argument(
        "--fair-up-to",
        type=int,
        default=200,
        help="run fair mode up to this many dossiers (default %(default)s)",
    )
    args = parser.parse_args()
    print("```\n" + " ".join([".venv/bin/python", *sys.argv]) + "\n```\n")
    header = (
        "| method | total affinity | % of optimum | weakest dossier | loads | components "
        "| λ₂ | min co-reviewers | certified | seconds |"
    )
    for size in args.sizes.split(","):
        n, m = (int(x) for x in size.lower().split("x"))
        affinity, forbidden, max_load = instance(n, m, args.seed)
        conflicts = f"{forbidden.mean():.1%} conflicts"
        print(f"**{n} dossiers × {m} members**, k = {K}, max load {max_load}, {conflicts}\n")
        print(header)
        print("|" + "---|" * header.count(" | ") + "---|")
        optimum = None
        for label, step in methods(affinity, forbidden, max_load, args.seed, n <= args.fair_up_to):
            seconds, result = timed(step)
            optimum = optimum or result.total_affinity
            print(row(label, seconds, result, optimum), flush=True)
        print()


if __name__ == "__main__":
    main()
