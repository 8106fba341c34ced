"""The front door: rank a round's dossiers from its score sheets, with honest uncertainty.

>>> from scoring.scores import ScoreTable
>>> table = ScoreTable.from_columns(
...     ["A", "A", "B", "B"], ["m1", "m2", "m1", "m2"], ["c"] * 4, [15, 13, 9, 8]
... )
>>> result = rank(table, method="raw")
>>> result.dossier.tolist(), result.rank.tolist(), result.score.tolist()
(['A', 'B'], [1, 2], [14.0, 8.5])

:func:`fit` gives point estimates only (fast); :func:`rank` adds intervals for each score and
rank, the probability of being in the top ``K``, the members' summary, the round's agreement
and the outlying sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scoring.agreement import (
    Agreement,
    MemberSummary,
    OutlierSheets,
    agreement,
    member_summary,
    outlier_sheets,
)
from scoring.models import MODELS, Fit
from scoring.scores import ScoreTable
from scoring.uncertainty import rank_uncertainty

__all__ = ["DEFAULT_METHOD", "METHODS", "Fit", "Ranking", "fit", "rank"]

METHODS = ("auto", "raw", "zscore", "additive", "affine", "shrinkage")
# What "auto" means: the method the benchmark (benchmarks/ranking.py) shows best.
DEFAULT_METHOD = "shrinkage"


@dataclass(frozen=True)
class Ranking:
    """A round's ranking with its uncertainty, one entry per dossier in rank order (1 = best).

    Attributes
    ----------
    dossier : ndarray of str
        Labels, best first.
    rank : ndarray of int
        1, 2, ...: order of ``score`` (ties broken by label).
    score : ndarray
        Normalised score on the rubric's scale (see :class:`~scoring.models.Fit`).
    raw_mean : ndarray
        Mean of the dossier's sheet totals.
    ci_low, ci_high : ndarray
        Interval for the score at ``level``.
    rank_low, rank_high : ndarray of int
        Interval for the rank at ``level`` (``rank_low`` is the best plausible rank).
    p_top : ndarray
        Probability of being among the best ``top_k``.
    n_reviews : ndarray of int
        Sheets the dossier received.
    component : ndarray of int
        Connected component of the member–dossier graph (0 = the largest).
    flags : tuple of tuple of str
        Codes: ``"one_review"`` (a single sheet), ``"disconnected"`` (outside the largest
        component: compared with the rest only by assuming equal average leniency),
        ``"outlier_sheet"`` (one of its sheets is an outlier), ``"partial_sheet"`` (a sheet
        lacked a criterion, imputed).
    members : MemberSummary
        Per member.
    agreement : Agreement
        For the round.
    outlier_sheets : OutlierSheets
        Sheets with a standardised residual beyond 3.
    method : str
        The method used (``"auto"`` resolved).
    top_k, level, n_draws, seed
        The settings used.
    fit : Fit
        The point estimates behind the ranking.
    """

    dossier: NDArray[np.str_]
    rank: NDArray[np.intp]
    score: NDArray[np.float64]
    raw_mean: NDArray[np.float64]
    ci_low: NDArray[np.float64]
    ci_high: NDArray[np.float64]
    rank_low: NDArray[np.intp]
    rank_high: NDArray[np.intp]
    p_top: NDArray[np.float64]
    n_reviews: NDArray[np.intp]
    component: NDArray[np.intp]
    flags: tuple[tuple[str, ...], ...]
    members: MemberSummary
    agreement: Agreement
    outlier_sheets: OutlierSheets
    method: str
    top_k: int
    level: float
    n_draws: int
    seed: int
    fit: Fit


def fit(table: ScoreTable, weights: ArrayLike | None = None, method: str = "auto") -> Fit:
    """Point estimates of one method: normalised scores, members' leniency, spread and noise.

    Parameters
    ----------
    table : ScoreTable
        The scores (one row per dossier, member and criterion).
    weights : array_like, shape (n_criteria,), optional
        Weight of each criterion, in the order of ``table.criteria``; default 1 each, so a
        sheet total is the sum of its points.
    method : {"auto", "raw", "zscore", "additive", "affine", "shrinkage"}, default "auto"
        The model (see :mod:`scoring.models`). ``"auto"`` is ``"shrinkage"``: crossed random
        effects for merit, leniency and spread, which corrects members only as far as the
        data show they need it, so it gains where members are biased and loses (almost)
        nothing where they are not.

    Returns
    -------
    Fit

    Raises
    ------
    ValueError
        If ``method`` is unknown, the table is empty, or ``weights`` does not match the
        criteria.
    """
    return MODELS[_resolve(method)](table, weights)


def rank(
    table: ScoreTable,
    weights: ArrayLike | None = None,
    method: str = "auto",
    *,
    top_k: int | None = None,
    level: float = 0.9,
    n_draws: int | None = None,
    seed: int = 0,
) -> Ranking:
    """Rank the dossiers, with intervals, top-``K`` probabilities and diagnostics.

    Parameters
    ----------
    table, weights, method
        As for :func:`fit`.
    top_k : int, optional
        Size of the group for ``p_top``; default 20 % of the dossiers, rounded up.
    level : float, default 0.9
        Coverage of the score, rank and member intervals.
    n_draws : int, optional
        Simulated rankings (see :func:`scoring.uncertainty.rank_uncertainty`).
    seed : int, default 0
        Seed: the same inputs and seed give the same ranking, intervals and probabilities.

    Returns
    -------
    Ranking

    Notes
    -----
    The score intervals, rank intervals and ``p_top`` come from the method's Gaussian
    approximation to the uncertainty of its scores (:class:`scoring.uncertainty.ScorePosterior`),
    simulated jointly so that dossiers sharing members move together. Dossiers in different
    connected components are ranked together under the assumption that the components'
    members are on average equally lenient; they are flagged ``"disconnected"``.
    """
    result = fit(table, weights, method)
    uncertainty = rank_uncertainty(result.posterior, top_k=top_k, level=level, n_draws=n_draws, seed=seed)
    outliers = outlier_sheets(result)
    order = np.argsort(uncertainty.rank, kind="stable")
    flags = _dossier_flags(result, outliers)
    return Ranking(
        dossier=result.dossiers[order],
        rank=uncertainty.rank[order],
        score=result.score[order],
        raw_mean=result.raw_mean[order],
        ci_low=uncertainty.ci_low[order],
        ci_high=uncertainty.ci_high[order],
        rank_low=uncertainty.rank_low[order],
        rank_high=uncertainty.rank_high[order],
        p_top=uncertainty.p_top[order],
        n_reviews=result.n_reviews[order],
        component=result.dossier_component[order],
        flags=tuple(flags[i] for i in order),
        members=member_summary(result, level=level),
        agreement=agreement(result),
        outlier_sheets=outliers,
        method=result.method,
        top_k=uncertainty.top_k,
        level=level,
        n_draws=uncertainty.n_draws,
        seed=seed,
        fit=result,
    )


def _resolve(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {', '.join(METHODS)}; got {method!r}.")
    return DEFAULT_METHOD if method == "auto" else method


def _dossier_flags(result: Fit, outliers: OutlierSheets) -> list[tuple[str, ...]]:
    n_d = result.dossiers.size
    sheets = result.sheets
    has_outlier = np.zeros(n_d, dtype=bool)
    has_outlier[sheets.dossier[outliers.sheet]] = True
    partial = np.bincount(sheets.dossier, sheets.partial, minlength=n_d) > 0
    columns = (
        ("one_review", result.n_reviews == 1),
        ("disconnected", result.dossier_component != 0),
        ("outlier_sheet", has_outlier),
        ("partial_sheet", partial),
    )
    any_flag = np.flatnonzero(np.any([mask for _, mask in columns], axis=0))
    flags: list[tuple[str, ...]] = [()] * n_d
    for i in any_flag:
        flags[i] = tuple(code for code, mask in columns if mask[i])
    return flags
