"""``python -m scoring assign``: an assignment from CSV files, without the app.

AFFINITY.csv has columns ``dossier,reviewer,affinity`` (ids are strings; the dossiers and
reviewers are those named in it; a pair it does not list has affinity 0). CONFLICTS.csv and
LOCKED.csv have ``dossier,reviewer``. ASSIGNMENT.csv gets ``dossier,reviewer,affinity``, sorted.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scoring.assignment import Assignment, Infeasible, assign_reviewers
from scoring.csvio import CsvError, parse_number, read_rows, write_rows

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "assign", help="assign k reviewers per dossier", description=__doc__.splitlines()[0]
    )
    parser.add_argument("affinity", type=Path, metavar="AFFINITY.csv")
    parser.add_argument("--k", type=int, required=True, help="reviewers per dossier")
    parser.add_argument("--max-load", type=int, required=True, help="most dossiers per reviewer")
    parser.add_argument("--min-load", type=int, default=0, help="fewest dossiers per reviewer")
    parser.add_argument("--forbid", type=Path, metavar="CONFLICTS.csv", help="pairs never to use")
    parser.add_argument("--lock", type=Path, metavar="LOCKED.csv", help="pairs to keep")
    parser.add_argument("--fair", action="store_true", help="maximise the weakest dossier first")
    parser.add_argument("--seed", type=int, default=0, help="tie-breaking seed")
    parser.add_argument("--out", type=Path, required=True, metavar="ASSIGNMENT.csv")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    dossiers, reviewers, affinity = read_affinity(args.affinity)
    forbidden = read_pairs(args.forbid, dossiers, reviewers) if args.forbid else None
    locked = read_pairs(args.lock, dossiers, reviewers) if args.lock else None
    if args.k < 1:
        raise ValueError(f"--k must be at least 1; got {args.k}.")
    try:
        result = assign_reviewers(
            affinity,
            args.k,
            max_load=args.max_load,
            min_load=args.min_load,
            forbidden=forbidden,
            locked=locked,
            fair=args.fair,
            seed=args.seed,
        )
    except Infeasible as error:
        raise ValueError(error.explain(dossiers, reviewers)) from None
    d, r = result.pairs()
    write_rows(
        args.out,
        ("dossier", "reviewer", "affinity"),
        ((dossiers[i], reviewers[j], _number(affinity[i, j])) for i, j in zip(d, r, strict=True)),
    )
    print(summary(result))
    return 0


def read_affinity(path: Path) -> tuple[list[str], list[str], NDArray[np.float64]]:
    """Labels (sorted) and the dense affinity matrix; CsvError naming the line on bad input."""
    seen: dict[tuple[str, str], int] = {}
    values: list[float] = []
    for row in read_rows(path, ("dossier", "reviewer", "affinity")):
        pair = (_id(row, "dossier", path), _id(row, "reviewer", path))
        if pair in seen:
            raise CsvError(f"{path}, line {row.line}: pair {pair[0]}–{pair[1]} repeats line {seen[pair]}.")
        seen[pair] = row.line
        values.append(parse_number(row, "affinity", path))
    if not seen:
        raise CsvError(f"{path}: no rows after the header.")
    dossiers = sorted({d for d, _ in seen})
    reviewers = sorted({r for _, r in seen})
    d_index = {d: i for i, d in enumerate(dossiers)}
    r_index = {r: j for j, r in enumerate(reviewers)}
    matrix = np.zeros((len(dossiers), len(reviewers)))
    for (d, r), value in zip(seen, values, strict=True):
        matrix[d_index[d], r_index[r]] = value
    return dossiers, reviewers, matrix


def read_pairs(path: Path, dossiers: list[str], reviewers: list[str]) -> NDArray[np.bool_]:
    """A mask of the listed pairs; an id absent from AFFINITY.csv is an error naming the line."""
    d_index = {d: i for i, d in enumerate(dossiers)}
    r_index = {r: j for j, r in enumerate(reviewers)}
    mask = np.zeros((len(dossiers), len(reviewers)), dtype=bool)
    for row in read_rows(path, ("dossier", "reviewer")):
        d, r = _id(row, "dossier", path), _id(row, "reviewer", path)
        if d not in d_index:
            raise CsvError(f"{path}, line {row.line}: unknown dossier {d!r} (not in the affinity file).")
        if r not in r_index:
            raise CsvError(f"{path}, line {row.line}: unknown reviewer {r!r} (not in the affinity file).")
        mask[d_index[d], r_index[r]] = True
    return mask


def _id(row: Any, column: str, path: Path) -> str:
    value = row[column]
    if not value:
        raise CsvError(f"{path}, line {row.line}: {column} is empty.")
    return value


def _number(value: float) -> str:
    return f"{value:g}"


def summary(result: Assignment) -> str:
    """What the secretary needs to judge the result, one line each."""
    mix = result.mixing
    return "\n".join(
        [
            f"total affinity   {result.total_affinity:.4f} (optimum {result.optimum_affinity:.4f}, "
            f"cost of connectivity {result.affinity_cost:.4f} = {100 * result.relative_cost:.2f} %)",
            f"certified optimal {'yes' if result.certified else 'no'}",
            f"weakest dossier  {result.min_dossier_affinity:.4f}",
            f"loads            {int(result.loads.min())}–{int(result.loads.max())}",
            f"components       {mix.n_components}; algebraic connectivity {mix.algebraic_connectivity:.4f}; "
            f"co-reviewers min {mix.min_co_reviewers}, median {mix.median_co_reviewers:g}",
        ]
    )
