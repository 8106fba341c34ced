"""Leniency and spread as fixed effects per member: alternating least squares."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

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

__all__ = ["affine"]

# A spread is estimated only from this many sheets on dossiers of differing merit, and kept in
# [MIN_SPREAD, 1 / MIN_SPREAD]: a member who gives everyone the same total would otherwise get
# a spread of 0 and make their dossiers' merit undefined.
MIN_SHEETS_FOR_SPREAD = 3
MIN_SPREAD = 0.1


def affine(
    table: ScoreTable, weights: ArrayLike | None = None, *, max_iter: int = 100, tol: float = 1e-7
) -> Fit:
    r"""Each member stretches and shifts merit: spread and leniency as fixed effects.

    Parameters
    ----------
    table : ScoreTable
        The scores.
    weights : array_like, shape (n_criteria,), optional
        Weight of each criterion in the order of ``table.criteria`` (default 1 each).
    max_iter : int, default 100
        Most rounds of alternating least squares.
    tol : float, default 1e-7
        Stop when no spread changes by more than this.

    Returns
    -------
    Fit

    Notes
    -----
    The model is

    .. math::

        T_{dr} = \mu_g + b_r + a_r (\mu_d - \mu_g) + \varepsilon_{dr}, \qquad
        \varepsilon_{dr} \sim N(0, \sigma^2),

    with, in each connected component ``g``, :math:`\sum_{r \in g} b_r = 0` and
    :math:`\prod_{r \in g} a_r = 1` (the reference is the component's average member) and
    :math:`\mu_g` the component's mean merit. It is fitted by alternating least squares:
    given the spreads, merit and leniency solve a crossed design exactly by weighted least
    squares (see :mod:`scoring.models._crossed`); given merit, each member's leniency and
    spread are the intercept and slope of their totals regressed on the merit of the dossiers
    they scored. Each member's sheets are weighted by the inverse variance of their totals, so
    that no member counts more for using a wider scale.
    A member with fewer than 3 sheets, or whose dossiers all have the same merit, keeps
    spread 1; spreads are kept within [0.1, 10].

    The scores are invariant, up to a common affine map, to a positive affine change of one
    member's points, which the fit absorbs into that member's :math:`a_r, b_r, \sigma_r`.
    Intervals treat the spreads as known. With three sheets per dossier and a dozen per
    member a slope is a noisy thing; believing it in full, as here, costs accuracy where
    members do not differ. :func:`~scoring.models.shrinkage` shrinks it.
    """
    sheets = sheet_totals(table, weights)
    design = design_of(table, sheets)
    raw_mean, n = raw_means(sheets, table.n_dossiers)
    n_r = table.n_reviewers
    y, d, r = sheets.total, sheets.dossier, sheets.reviewer
    weight = 1.0 / _member_variances(y, r, n_r)
    spread = np.ones(n_r)
    for _ in range(max_iter):
        sol = _solve(design, y, spread[r], weight[r])
        new = _member_slopes(y, sol.theta[d], r, design)
        converged = np.max(np.abs(new - spread)) < tol
        spread = new
        if converged:
            break
    sol = _solve(design, y, spread[r], weight[r])
    fitted = sol.fitted(design, spread[r])
    leverage = np.clip(weight[r] * sol.posterior_variances(design, weight[r], spread[r])[1], 0.0, 1.0)
    noise_var, pooled = member_noise(y - fitted, leverage, sheets, n_r)
    # The weights are relative: the noise variance of a sheet is phi / w_r, phi fitted here.
    phi = float(np.sum(weight[r] * (y - fitted) ** 2) / max(np.sum(1.0 - leverage), 1e-12))
    phi = phi if phi > 0 or np.sum(1.0 - leverage) > 1e-9 else 1.0
    posterior = crossed_posterior(sol, design, weight[r], spread[r], scale=phi)
    # Report on the scale of the component's average member: T = mu_g + lenient_r + a_r (theta - m_g).
    n_g = design.n_components
    merit_mean = np.bincount(design.dossier_component, sol.theta, minlength=n_g) / np.bincount(
        design.dossier_component, minlength=n_g
    )
    intercept = sol.b + spread * merit_mean[design.reviewer_component]
    level = np.bincount(design.reviewer_component, intercept, minlength=n_g) / np.bincount(
        design.reviewer_component, minlength=n_g
    )
    shift = (level - merit_mean)[design.dossier_component]
    score = sol.theta + shift
    slope_sd = _slope_sd(sol.theta[d], r, n_r, noise_var, spread)
    return Fit(
        method="affine",
        dossiers=table.dossiers,
        reviewers=table.reviewers,
        score=score,
        raw_mean=raw_mean,
        n_reviews=n,
        dossier_component=design.dossier_component,
        reviewer_component=design.reviewer_component,
        leniency=intercept - level[design.reviewer_component],
        spread=spread,
        noise_sd=np.sqrt(noise_var),
        leniency_sd=np.sqrt(phi * sol.b_var),
        log_spread_sd=slope_sd,
        n_sheets=np.bincount(r, minlength=n_r),
        sheets=sheets,
        fitted=fitted,
        leverage=leverage,
        variances=Variances(
            float(np.var(score)), float(np.var(sol.b)), float(np.var(np.log(spread))), pooled
        ),
        posterior=type(posterior)(score, posterior.sd, posterior.loadings, posterior.param_sd),
    )


def _solve(
    design: _crossed.Design, y: NDArray[np.float64], coef: NDArray[np.float64], weight: NDArray[np.float64]
) -> _crossed.Solution:
    return _crossed.solve(design, y, coef, weight, theta_precision=0.0, b_precision=0.0, intercepts=False)


def _member_variances(y: NDArray[np.float64], r: NDArray[np.intp], n_r: int) -> NDArray[np.float64]:
    """Variance of each member's totals; the panel's for a member with one sheet or one value.

    Weighting by its inverse makes the fit invariant to rescaling one member's points (their
    totals, residuals and variance all scale together); a per-member noise variance fitted
    along would not do: the likelihood grows without bound as one member is fitted exactly.
    """
    count = np.bincount(r, minlength=n_r)
    mean = np.bincount(r, y, minlength=n_r) / count
    var = np.bincount(r, (y - mean[r]) ** 2, minlength=n_r) / np.maximum(count - 1, 1)
    panel = float(np.var(y)) if np.var(y) > 0 else 1.0
    return np.where((count >= 2) & (var > 1e-12 * panel), var, panel)


def _member_slopes(
    y: NDArray[np.float64], merit: NDArray[np.float64], r: NDArray[np.intp], design: _crossed.Design
) -> NDArray[np.float64]:
    """Least-squares slope of each member's totals on merit, normalised per component."""
    n_r = design.n_reviewers
    count = np.bincount(r, minlength=n_r)
    mean_x = np.bincount(r, merit, minlength=n_r) / count
    mean_y = np.bincount(r, y, minlength=n_r) / count
    dx = merit - mean_x[r]
    sxx = np.bincount(r, dx**2, minlength=n_r)
    sxy = np.bincount(r, dx * (y - mean_y[r]), minlength=n_r)
    scale = max(float(np.var(merit)), 1e-12)
    free = (count >= MIN_SHEETS_FOR_SPREAD) & (sxx > 1e-9 * scale * count)
    slope = np.ones(n_r)
    slope[free] = np.clip(sxy[free] / sxx[free], MIN_SPREAD, 1.0 / MIN_SPREAD)
    # Geometric mean 1 over the free members of each component; the others stay at 1.
    n_g = design.n_components
    comp = design.reviewer_component
    n_free = np.bincount(comp, free, minlength=n_g)
    log_mean = np.bincount(comp, np.where(free, np.log(slope), 0.0), minlength=n_g) / np.maximum(n_free, 1)
    return np.where(free, np.exp(np.log(slope) - log_mean[comp]), 1.0)


def _slope_sd(
    merit: NDArray[np.float64],
    r: NDArray[np.intp],
    n_r: int,
    noise_var: NDArray[np.float64],
    spread: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Standard error of each member's log-spread: :math:`\\sigma_r / (a_r \\sqrt{S_{xx}})`."""
    count = np.bincount(r, minlength=n_r)
    mean_x = np.bincount(r, merit, minlength=n_r) / count
    sxx = np.bincount(r, (merit - mean_x[r]) ** 2, minlength=n_r)
    ok = (count >= MIN_SHEETS_FOR_SPREAD) & (sxx > 0)
    return np.where(ok, np.sqrt(noise_var / np.where(ok, sxx, 1.0)) / spread, 0.0)
