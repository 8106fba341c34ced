"""Leniency as a fixed shift per member: least squares on the crossed design."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from scoring.models import _crossed
from scoring.models._common import (
    Fit,
    Variances,
    crossed_posterior,
    design_of,
    member_noise,
    raw_means,
    sheet_totals,
)
from scoring.scores import ScoreTable

__all__ = ["additive"]


def additive(table: ScoreTable, weights: ArrayLike | None = None) -> Fit:
    r"""Dossier merit plus member leniency, both fixed effects, by least squares.

    Parameters
    ----------
    table : ScoreTable
        The scores.
    weights : array_like, shape (n_criteria,), optional
        Weight of each criterion in the order of ``table.criteria`` (default 1 each).

    Returns
    -------
    Fit
        ``spread`` is 1 for every member.

    Notes
    -----
    The model is

    .. math::

        T_{dr} = \mu_d + b_r + \varepsilon_{dr}, \qquad \varepsilon_{dr} \sim N(0, \sigma^2),
        \qquad \sum_{r \in g} b_r = 0 \text{ in every connected component } g,

    solved exactly by least squares: the dossier effects are eliminated, leaving one equation
    per member (see :mod:`scoring.models._crossed`). A member's leniency is learnt only from
    dossiers that other members also scored, by comparison with them. Within a component the
    scores do not depend on which members scored which dossier; across components a
    difference in leniency cannot be told from a difference in merit, and the constraint
    assumes the components' members are on average equally lenient.

    Every member's leniency is believed in full, however few sheets it rests on: where members
    are fair this adds noise. :func:`~scoring.models.shrinkage` does not.
    """
    sheets = sheet_totals(table, weights)
    design = design_of(table, sheets)
    raw_mean, n = raw_means(sheets, table.n_dossiers)
    n_r = table.n_reviewers
    ones = np.ones(sheets.total.size)
    sol = _crossed.solve(
        design, sheets.total, ones, ones, theta_precision=0.0, b_precision=0.0, intercepts=False
    )
    fitted = sol.fitted(design, ones)
    leverage = np.clip(sol.posterior_variances(design, ones, ones)[1], 0.0, 1.0)
    noise_var, pooled = member_noise(sheets.total - fitted, leverage, sheets, n_r)
    return Fit(
        method="additive",
        dossiers=table.dossiers,
        reviewers=table.reviewers,
        score=sol.theta,
        raw_mean=raw_mean,
        n_reviews=n,
        dossier_component=design.dossier_component,
        reviewer_component=design.reviewer_component,
        leniency=sol.b,
        spread=np.ones(n_r),
        noise_sd=np.sqrt(noise_var),
        leniency_sd=np.sqrt(pooled * sol.b_var),
        log_spread_sd=np.zeros(n_r),
        n_sheets=np.bincount(sheets.reviewer, minlength=n_r),
        sheets=sheets,
        fitted=fitted,
        leverage=leverage,
        variances=Variances(float(np.var(sol.theta)), float(np.var(sol.b)), np.nan, pooled),
        posterior=crossed_posterior(sol, design, ones, ones, scale=pooled),
    )
