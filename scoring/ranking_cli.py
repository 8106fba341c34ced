"""``python -m scoring rank``: rank dossiers from a CSV of scores.

::

    python -m scoring rank SCORES.csv --out RANKING.csv [--method auto|raw|zscore|additive|affine|shrinkage]
        [--weights WEIGHTS.csv] [--top K] [--seed N] [--members-out MEMBERS.csv]

SCORES.csv is UTF-8 (a BOM allowed) with a header holding at least ``dossier``, ``reviewer``,
``criterion`` and ``score`` (any order, any case; other columns ignored), one row per
dossier, member and criterion; scores are numbers on any scale. WEIGHTS.csv has
``criterion,weight`` with one row per criterion. Errors name the file and line.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scoring.csvio import CsvError, parse_number, read_rows, write_rows
from scoring.ranking import METHODS, Ranking, rank
from scoring.scores import ScoreTable

__all__ = ["MEMBER_COLUMNS", "RANKING_COLUMNS", "read_scores", "read_weights", "register", "run"]

SCORE_COLUMNS = ("dossier", "reviewer", "criterion", "score")
RANKING_COLUMNS = (
    "dossier",
    "rank",
    "score",
    "raw_mean",
    "ci_low",
    "ci_high",
    "rank_low",
    "rank_high",
    "p_top",
    "n_reviews",
    "component",
    "flags",
)
MEMBER_COLUMNS = (
    "reviewer",
    "n_sheets",
    "leniency",
    "leniency_low",
    "leniency_high",
    "spread",
    "spread_low",
    "spread_high",
    "noise_sd",
    "flags",
)
# Decimals written for scores and probabilities: far below any meaningful difference.
DECIMALS = 4


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``rank`` sub-command."""
    parser = subparsers.add_parser(
        "rank",
        help="rank dossiers from a CSV of scores, correcting for lenient and harsh members",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument(
        "scores", type=Path, metavar="SCORES.csv", help="dossier,reviewer,criterion,score rows"
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="RANKING.csv", help="where to write the ranking"
    )
    parser.add_argument(
        "--method", choices=METHODS, default="auto", help="the model (default: auto = shrinkage)"
    )
    parser.add_argument(
        "--weights", type=Path, metavar="WEIGHTS.csv", help="criterion,weight rows (default: 1 each)"
    )
    parser.add_argument(
        "--top", type=int, metavar="K", help="size of the top group for p_top (default: 20%%)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default: 0)")
    parser.add_argument(
        "--members-out", type=Path, metavar="MEMBERS.csv", help="also write a table per member"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read, rank, write; ValueError (CsvError included) on input the command cannot use."""
    table = read_scores(args.scores)
    weights = read_weights(args.weights, table.criteria) if args.weights else None
    result = rank(table, weights, args.method, top_k=args.top, seed=args.seed)
    write_rows(args.out, RANKING_COLUMNS, ranking_rows(result))
    if args.members_out:
        write_rows(args.members_out, MEMBER_COLUMNS, member_rows(result))
    agreement = result.agreement
    print(
        f"Ranked {agreement.n_dossiers} dossiers from {agreement.n_sheets} sheets by "
        f"{agreement.n_reviewers} members with {result.method}; Krippendorff's alpha "
        f"{agreement.alpha:.2f}, ICC {agreement.icc:.2f}; {result.outlier_sheets.z.size} outlier sheet(s). "
        f"Wrote {args.out}."
    )
    return 0


def read_scores(path: str | Path) -> ScoreTable:
    """The score table in a CSV file, checked row by row.

    Raises
    ------
    CsvError
        If the file is missing, not UTF-8, empty, lacks a column, or a row has an empty id,
        a score that is not a finite number, or repeats a dossier–reviewer–criterion triple;
        the message names the line.
    """
    path = Path(path)
    rows = _csv_rows(path)
    header = rows[0] if rows else []
    names = [cell.strip().lower() for cell in header]
    if not any(names):
        raise CsvError(f"{path}: the file is empty; expected a header with {', '.join(SCORE_COLUMNS)}.")
    missing = [c for c in SCORE_COLUMNS if c not in names]
    if missing:
        raise CsvError(f"{path}, line 1: missing column(s) {', '.join(missing)}; found {', '.join(names)}.")
    index = [names.index(c) for c in SCORE_COLUMNS]
    data = rows[1:]
    # Blank lines are skipped, as by read_rows (a row of empty cells too: see _columns).
    kept = [i for i, row in enumerate(data) if row]
    if not kept:
        raise CsvError(f"{path}: no score rows after the header.")
    columns = _columns(data, kept, index, max(index))
    if "" in columns[0]:
        kept = [i for i in kept if any(cell.strip() for cell in data[i])]
        columns = _columns(data, kept, index, max(index))
    if not kept:
        raise CsvError(f"{path}: no score rows after the header.")
    for name, values in zip(SCORE_COLUMNS[:3], columns[:3], strict=True):
        if "" in values:
            line = _line_of(path, kept[values.index("")])
            raise CsvError(f"{path}, line {line}: {name} is empty.")
    score = _numbers(path, columns[3], kept)
    try:
        return ScoreTable.from_columns(*columns[:3], score)
    except ValueError:
        raise _duplicate_error(path, columns, kept) from None


def read_weights(path: str | Path, criteria: Sequence[str]) -> NDArray[np.float64]:
    """Weights in the order of ``criteria`` from a ``criterion,weight`` CSV.

    Raises
    ------
    CsvError
        On an unknown or repeated criterion (naming the line), a weight that is not a finite
        non-negative number, or a criterion of the scores without a weight.
    """
    position = {str(c): i for i, c in enumerate(criteria)}
    weights = np.full(len(position), np.nan)
    for row in read_rows(path, ("criterion", "weight")):
        name = row["criterion"]
        if name not in position:
            raise CsvError(
                f"{path}, line {row.line}: criterion {name!r} does not occur in the scores "
                f"(they have {', '.join(position)})."
            )
        if not np.isnan(weights[position[name]]):
            raise CsvError(f"{path}, line {row.line}: criterion {name!r} has a second weight.")
        value = parse_number(row, "weight", path)
        if value < 0:
            raise CsvError(f"{path}, line {row.line}: weight {row['weight']!r} is negative.")
        weights[position[name]] = value
    missing = [name for name, i in position.items() if np.isnan(weights[i])]
    if missing:
        raise CsvError(f"{path}: no weight for criterion {', '.join(repr(m) for m in missing)}.")
    if not np.any(weights > 0):
        raise CsvError(f"{path}: every weight is 0.")
    return weights


def ranking_rows(result: Ranking) -> list[tuple[object, ...]]:
    """The rows of RANKING.csv, best first."""
    columns = [
        result.dossier.tolist(),
        result.rank.tolist(),
        *(_rounded(x) for x in (result.score, result.raw_mean, result.ci_low, result.ci_high)),
        result.rank_low.tolist(),
        result.rank_high.tolist(),
        _rounded(result.p_top),
        result.n_reviews.tolist(),
        result.component.tolist(),
        [";".join(codes) for codes in result.flags],
    ]
    return list(zip(*columns, strict=True))


def member_rows(result: Ranking) -> list[tuple[object, ...]]:
    """The rows of MEMBERS.csv, in the order of the members' labels."""
    m = result.members
    columns = [
        m.reviewer.tolist(),
        m.n_sheets.tolist(),
        *(_rounded(x) for x in (m.leniency, m.leniency_low, m.leniency_high)),
        *(_rounded(x) for x in (m.spread, m.spread_low, m.spread_high, m.noise_sd)),
        [";".join(codes) for codes in m.flags],
    ]
    return list(zip(*columns, strict=True))


def _rounded(values: NDArray[np.float64]) -> list[float]:
    return (np.round(values, DECIMALS) + 0.0).tolist()  # + 0.0 turns -0.0 into 0.0


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CsvError(f"{path}: no such file.") from None
    except UnicodeDecodeError as exc:
        raise CsvError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}).") from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CsvError(f"{path}: not a readable CSV file ({exc}).") from None


def _columns(data: list[list[str]], kept: list[int], index: list[int], widest: int) -> list[list[str]]:
    """The four columns, stripped; a short row reads as empty cells (reported by the caller)."""
    rows = [data[i] if len(data[i]) > widest else data[i] + [""] * (widest + 1 - len(data[i])) for i in kept]
    return [[row[j].strip() for row in rows] for j in index]


def _numbers(path: Path, texts: list[str], kept: list[int]) -> NDArray[np.float64]:
    try:
        values = np.array(texts, dtype=float)
    except ValueError:
        values = None
    if values is not None and np.all(np.isfinite(values)):
        return values
    for position, text in enumerate(texts):  # only on error: find the first bad row
        try:
            ok = np.isfinite(float(text))
        except ValueError:
            ok = False
        if not ok:
            line = _line_of(path, kept[position])
            raise CsvError(f"{path}, line {line}: score {text!r} is not a finite number.")
    raise AssertionError("unreachable: a bad score was detected but not found")  # pragma: no cover


def _duplicate_error(path: Path, columns: list[list[str]], kept: list[int]) -> CsvError:
    seen: dict[tuple[str, str, str], int] = {}
    for position, key in enumerate(zip(*columns[:3], strict=True)):
        if key in seen:
            first, line = _line_of(path, kept[seen[key]]), _line_of(path, kept[position])
            return CsvError(
                f"{path}, line {line}: repeats dossier {key[0]!r}, reviewer {key[1]!r}, criterion "
                f"{key[2]!r} (first on line {first})."
            )
        seen[key] = position
    return CsvError(f"{path}: the scores could not be read as a table.")  # pragma: no cover


def _line_of(path: Path, data_index: int) -> int:
    """Line number in the file of data row ``data_index`` (0 = the row after the header).

    Recomputed on error only: a quoted cell may span lines, so the position in the list of
    rows and the line in the file can differ.
    """
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    for i, _ in enumerate(reader):
        if i == data_index:
            return reader.line_num
    raise AssertionError("unreachable: row index beyond the file")  # pragma: no cover
