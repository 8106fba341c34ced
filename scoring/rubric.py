"""Weighted totals of score sheets under a round's rubric."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Rubric", "weighted_totals"]


@dataclass(frozen=True)
class Rubric:
    """A rubric: per criterion, the highest points allowed and the weight.

    Attributes
    ----------
    max_points : ndarray, shape (n_criteria,)
        Highest points a sheet may give each criterion (the default rubric: 20 each).
    weights : ndarray, shape (n_criteria,)
        Weight of each criterion in the total (the default rubric: 1 each).
    """

    max_points: NDArray[np.float64]
    weights: NDArray[np.float64]

    @classmethod
    def of(cls, max_points: ArrayLike, weights: ArrayLike | None = None) -> Rubric:
        maxima = np.asarray(max_points, dtype=float)
        w = np.ones_like(maxima) if weights is None else np.asarray(weights, dtype=float)
        _rubric_input_validation(maxima, w)
        return cls(maxima, w)

    @property
    def max_total(self) -> float:
        """The highest weighted total a sheet can reach."""
        return float(self.max_points @ self.weights)


def _rubric_input_validation(maxima: NDArray[np.float64], weights: NDArray[np.float64]) -> None:
    if maxima.ndim != 1 or maxima.size == 0:
        raise ValueError("`max_points` must be a non-empty 1-D array.")
    if weights.shape != maxima.shape:
        raise ValueError("`weights` must have one entry per criterion, like `max_points`.")
    if np.any(~np.isfinite(maxima)) or np.any(maxima <= 0):
        raise ValueError("`max_points` must be finite and positive.")
    if np.any(~np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("`weights` must be finite and non-negative.")


def weighted_totals(points: ArrayLike, rubric: Rubric) -> NDArray[np.float64]:
    r"""Weighted total of each sheet.

    Parameters
    ----------
    points : array_like, shape (n_sheets, n_criteria)
        Points per sheet and criterion; NaN marks a criterion not yet scored.
    rubric : Rubric
        The round's rubric.

    Returns
    -------
    totals : ndarray, shape (n_sheets,)
        :math:`T_s = \sum_c w_c x_{sc}`; NaN for a sheet with any criterion missing, since
        a partial total would rank an unfinished sheet below a finished one.

    Raises
    ------
    ValueError
        If the shape does not match the rubric, or a score lies outside ``[0, max_points]``.

    Examples
    --------
    >>> rubric = Rubric.of([20, 20, 20, 20, 20])
    >>> weighted_totals([[15, 14, 16, 18, 12]], rubric)
    array([75.])
    """
    x = np.atleast_2d(np.asarray(points, dtype=float))
    if x.shape[1] != rubric.max_points.size:
        raise ValueError(f"`points` has {x.shape[1]} criteria; the rubric has {rubric.max_points.size}.")
    scored = ~np.isnan(x)
    if np.any(x[scored] < 0) or np.any((x > rubric.max_points)[scored]):
        raise ValueError("Every score must lie between 0 and its criterion's `max_points`.")
    totals = np.where(scored, x, 0.0) @ rubric.weights
    return np.where(scored.all(axis=1), totals, np.nan)
