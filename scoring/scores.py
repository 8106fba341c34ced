"""The long table of scores every model reads: one row per dossier, member and criterion.

A council's scores are an incomplete crossed design: each dossier is scored by a few members
(k = 3 is usual) on every criterion of the rubric. :class:`ScoreTable` keeps them as integer
codes into three label arrays plus the points, so that models index numpy arrays and never
look at strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.sparse import csgraph

__all__ = ["ScoreTable", "components"]


@dataclass(frozen=True)
class ScoreTable:
    """Scores in long format.

    Attributes
    ----------
    dossiers, reviewers, criteria : ndarray of str
        The labels, each sorted and unique; codes below index into them.
    dossier, reviewer, criterion : ndarray of int, shape (n_obs,)
        Codes of each observation.
    score : ndarray of float, shape (n_obs,)
        Points given (any scale; decimals allowed).

    Notes
    -----
    A *sheet* is one (dossier, reviewer) pair: the points one member gave one dossier over
    the criteria. Each (dossier, reviewer, criterion) occurs at most once.
    """

    dossiers: NDArray[np.str_]
    reviewers: NDArray[np.str_]
    criteria: NDArray[np.str_]
    dossier: NDArray[np.intp]
    reviewer: NDArray[np.intp]
    criterion: NDArray[np.intp]
    score: NDArray[np.float64]

    @classmethod
    def from_columns(
        cls,
        dossier: Sequence[str] | ArrayLike,
        reviewer: Sequence[str] | ArrayLike,
        criterion: Sequence[str] | ArrayLike,
        score: ArrayLike,
    ) -> ScoreTable:
        """Build a table from parallel columns of labels and points.

        Raises
        ------
        ValueError
            If the columns differ in length, a score is not finite, or a
            (dossier, reviewer, criterion) triple occurs twice (the message names the
            0-based position of the repeat).
        """
        columns = [np.asarray(c, dtype=str) for c in (dossier, reviewer, criterion)]
        points = np.asarray(score, dtype=float)
        if any(c.shape != points.shape or c.ndim != 1 for c in columns):
            raise ValueError("`dossier`, `reviewer`, `criterion` and `score` must be 1-D and equally long.")
        if not np.all(np.isfinite(points)):
            bad = int(np.flatnonzero(~np.isfinite(points))[0])
            raise ValueError(f"Score at position {bad} is not a finite number.")
        labels, codes = zip(*(np.unique(c, return_inverse=True) for c in columns), strict=True)
        table = cls(*labels, *(np.asarray(c, dtype=np.intp).ravel() for c in codes), points)
        table._check_unique()
        return table

    def _check_unique(self) -> None:
        key = (self.dossier * self.n_reviewers + self.reviewer) * self.n_criteria + self.criterion
        _, first, counts = np.unique(key, return_index=True, return_counts=True)
        if np.any(counts > 1):
            repeated = key == key[first[np.argmax(counts > 1)]]
            second = int(np.flatnonzero(repeated)[1])
            raise ValueError(
                f"Row at position {second} repeats dossier {str(self.dossiers[self.dossier[second]])!r}, "
                f"reviewer {str(self.reviewers[self.reviewer[second]])!r}, "
                f"criterion {str(self.criteria[self.criterion[second]])!r}."
            )

    @property
    def n_dossiers(self) -> int:
        return int(self.dossiers.size)

    @property
    def n_reviewers(self) -> int:
        return int(self.reviewers.size)

    @property
    def n_criteria(self) -> int:
        return int(self.criteria.size)

    @property
    def n_obs(self) -> int:
        return int(self.score.size)

    def sheet_codes(self) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
        """The sheets: ``(sheet_of_obs, sheet_dossier, sheet_reviewer)``.

        ``sheet_of_obs[i]`` is the sheet of observation ``i``; sheets are numbered in the
        order of (dossier, reviewer).
        """
        key = self.dossier * self.n_reviewers + self.reviewer
        uniq, sheet_of_obs = np.unique(key, return_inverse=True)
        return sheet_of_obs.ravel(), uniq // self.n_reviewers, uniq % self.n_reviewers


def components(table: ScoreTable) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Connected components of the bipartite member–dossier graph.

    Within a component every member's leniency is tied to every other's through shared
    dossiers; across components it cannot be told apart from merit.

    Returns
    -------
    dossier_component, reviewer_component : ndarray of int
        Component label of each dossier and of each reviewer, numbered 0, 1, ... by
        decreasing size (number of dossiers), ties by first dossier.
    """
    _, d, r = table.sheet_codes()
    n_d, n = table.n_dossiers, table.n_dossiers + table.n_reviewers
    graph = sparse.coo_matrix((np.ones(d.size), (d, n_d + r)), shape=(n, n))
    _, labels = csgraph.connected_components(graph, directed=False)
    sizes = np.bincount(labels[:n_d], minlength=labels.max() + 1)
    first = np.full(sizes.size, n_d)
    np.minimum.at(first, labels[:n_d], np.arange(n_d))
    order = np.lexsort((first, -sizes))
    relabel = np.empty_like(order)
    relabel[order] = np.arange(order.size)
    labels = relabel[labels]
    return labels[:n_d].astype(np.intp), labels[n_d:].astype(np.intp)
