"""What every model shares: sheet totals, the result type and the per-member noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from scoring.models._crossed import Design, Solution
from scoring.scores import ScoreTable, components
from scoring.uncertainty import ScorePosterior

__all__ = ["Fit", "Sheets", "Variances", "sheet_totals"]


@dataclass(frozen=True)
class Sheets:
    r"""One row per sheet (a dossier–member pair) with its weighted total.

    Attributes
    ----------
    dossier, reviewer : ndarray of int, shape (n_sheets,)
        Codes into the table's ``dossiers`` and ``reviewers``.
    total : ndarray, shape (n_sheets,)
        :math:`T_s = \sum_c w_c x_{sc}`, with missing criteria imputed (see :func:`sheet_totals`).
    partial : ndarray of bool, shape (n_sheets,)
        Whether the sheet lacked a criterion.
    """

    dossier: NDArray[np.intp]
    reviewer: NDArray[np.intp]
    total: NDArray[np.float64]
    partial: NDArray[np.bool_]


@dataclass(frozen=True)
class Variances:
    """Variance components on the scale of a sheet total (NaN where a model has none).

    ``merit`` is the variance of the dossiers' merit, ``leniency`` of the members'
    leniencies, ``log_spread`` of the logarithm of their spreads, ``noise`` of one sheet
    total around the model's fit (pooled over members).
    """

    merit: float
    leniency: float
    log_spread: float
    noise: float


@dataclass(frozen=True)
class Fit:
    r"""Point estimates of one model on one score table.

    Attributes
    ----------
    method : str
        The model that produced the fit.
    dossiers, reviewers : ndarray of str
        Labels, as in the table.
    score : ndarray, shape (n_dossiers,)
        Normalised score: the weighted total the *average member* (leniency 0, spread 1)
        would give the dossier, on the rubric's own scale (a points total).
    raw_mean : ndarray, shape (n_dossiers,)
        Mean of the dossier's sheet totals.
    n_reviews : ndarray of int, shape (n_dossiers,)
        Sheets the dossier received.
    dossier_component, reviewer_component : ndarray of int
        Connected component of each dossier and member (0 = the largest); see
        :func:`scoring.scores.components`.
    leniency : ndarray, shape (n_reviewers,)
        Points the member adds to a sheet total (negative: harsh).
    spread : ndarray, shape (n_reviewers,)
        Factor by which the member stretches differences in merit (below 1: a narrow range).
    noise_sd : ndarray, shape (n_reviewers,)
        Standard deviation of the member's sheet totals around the model's fit.
    leniency_sd, log_spread_sd : ndarray, shape (n_reviewers,)
        Standard errors (posterior standard deviations for ``shrinkage``) of the leniency and
        of the logarithm of the spread; 0 where the model fixes the parameter.
    n_sheets : ndarray of int, shape (n_reviewers,)
        Sheets each member scored.
    sheets : Sheets
        The sheet totals the model was fitted to.
    fitted : ndarray, shape (n_sheets,)
        The model's prediction of each sheet total.
    leverage : ndarray, shape (n_sheets,)
        Share of each sheet's noise variance absorbed by the fit, so that the residual's
        standard deviation is :math:`\sigma_r \sqrt{1 - h_s}`.
    variances : Variances
        Variance components.
    posterior : ScorePosterior
        Gaussian approximation to the uncertainty of ``score``, for :mod:`scoring.uncertainty`.
    """

    method: str
    dossiers: NDArray[np.str_]
    reviewers: NDArray[np.str_]
    score: NDArray[np.float64]
    raw_mean: NDArray[np.float64]
    n_reviews: NDArray[np.intp]
    dossier_component: NDArray[np.intp]
    reviewer_component: NDArray[np.intp]
    leniency: NDArray[np.float64]
    spread: NDArray[np.float64]
    noise_sd: NDArray[np.float64]
    leniency_sd: NDArray[np.float64]
    log_spread_sd: NDArray[np.float64]
    n_sheets: NDArray[np.intp]
    sheets: Sheets
    fitted: NDArray[np.float64]
    leverage: NDArray[np.float64]
    variances: Variances
    posterior: ScorePosterior


def criterion_weights(table: ScoreTable, weights: ArrayLike | None) -> NDArray[np.float64]:
    """The weights as an array in the order of ``table.criteria`` (default: 1 each)."""
    if table.n_obs == 0:
        raise ValueError("The score table is empty.")
    if weights is None:
        return np.ones(table.n_criteria)
    w = np.asarray(weights, dtype=float)
    if w.shape != (table.n_criteria,):
        raise ValueError(
            f"`weights` must have one entry per criterion ({table.n_criteria}, in the order of "
            f"`table.criteria`); got shape {w.shape}."
        )
    if not np.all(np.isfinite(w)) or np.any(w < 0) or not np.any(w > 0):
        raise ValueError("`weights` must be finite, non-negative and not all zero.")
    return w


def sheet_totals(table: ScoreTable, weights: ArrayLike | None = None) -> Sheets:
    r"""Weighted total of every sheet, imputing criteria a sheet lacks.

    Parameters
    ----------
    table : ScoreTable
        The scores.
    weights : array_like, shape (n_criteria,), optional
        Weight of each criterion, in the order of ``table.criteria`` (default 1 each, so a
        total is the sum of the points).

    Returns
    -------
    Sheets

    Notes
    -----
    A sheet that lacks criterion ``c`` gets, in its place, the criterion's mean over the round
    plus the sheet's mean deviation from the criterion means over the criteria it has:

    .. math::

        \hat x_{sc} = \bar x_{\cdot c} + \frac{1}{|C_s|} \sum_{c' \in C_s}
        (x_{sc'} - \bar x_{\cdot c'}),

    so a partial sheet is neither dropped nor pulled down by a zero; such dossiers are flagged.
    """
    w = criterion_weights(table, weights)
    sheet_of_obs, dossier, reviewer = table.sheet_codes()
    n_s = dossier.size
    total = np.bincount(sheet_of_obs, w[table.criterion] * table.score, minlength=n_s)
    counts = np.bincount(sheet_of_obs, minlength=n_s)
    partial = counts < table.n_criteria
    if np.any(partial):
        crit_mean = np.bincount(table.criterion, table.score) / np.bincount(table.criterion)
        deviation = (
            np.bincount(sheet_of_obs, table.score - crit_mean[table.criterion], minlength=n_s) / counts
        )
        present_weight = np.bincount(sheet_of_obs, w[table.criterion], minlength=n_s)
        present_mean = np.bincount(sheet_of_obs, (w * crit_mean)[table.criterion], minlength=n_s)
        total += (w @ crit_mean - present_mean) + (w.sum() - present_weight) * deviation
    return Sheets(dossier, reviewer, total, partial)


def design_of(table: ScoreTable, sheets: Sheets) -> Design:
    dossier_component, reviewer_component = components(table)
    return Design(sheets.dossier, sheets.reviewer, dossier_component, reviewer_component)


def raw_means(sheets: Sheets, n_dossiers: int) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Mean sheet total and number of sheets of each dossier."""
    n = np.bincount(sheets.dossier, minlength=n_dossiers)
    return np.bincount(sheets.dossier, sheets.total, minlength=n_dossiers) / n, n


def member_noise(
    residual: NDArray[np.float64],
    leverage: NDArray[np.float64],
    sheets: Sheets,
    n_reviewers: int,
) -> tuple[NDArray[np.float64], float]:
    r"""Per-member and pooled noise variance from residuals and leverages.

    :math:`\hat\sigma_r^2 = \sum_{s \in r} e_s^2 / \sum_{s \in r} (1 - h_s)`, the
    leverage-corrected mean square. A member with no residual degrees of freedom (every one of
    their dossiers scored by them alone) gets the pooled value. If no sheet has any (no dossier
    was scored twice), noise cannot be told from merit and the pooled value is the variance of
    all totals, its upper bound, so that intervals stay wide rather than vanish.
    """
    dof = np.bincount(sheets.reviewer, 1.0 - leverage, minlength=n_reviewers)
    ss = np.bincount(sheets.reviewer, residual**2, minlength=n_reviewers)
    total_dof = float(dof.sum())
    pooled = float(ss.sum()) / total_dof if total_dof > 1e-9 else float(np.var(sheets.total))
    enough = dof > 1e-9
    per_member = np.full(n_reviewers, pooled)
    per_member[enough] = ss[enough] / dof[enough]
    return per_member, pooled


def moment_variances(sheets: Sheets, n_dossiers: int, n_reviewers: int) -> tuple[float, float, float]:
    r"""Moment estimates of the merit, leniency and noise variances of sheet totals.

    Under :math:`T_{dr} = \mu + \theta_d + b_r + \varepsilon_{dr}` with independent effects
    of variances :math:`\sigma^2_\theta, \sigma^2_b, \sigma^2`, half the mean squared
    difference of two sheets estimates

    * :math:`\sigma^2_b + \sigma^2` over pairs on the same dossier (:math:`W_d`),
    * :math:`\sigma^2_\theta + \sigma^2` over pairs by the same member (:math:`W_r`),
    * :math:`\sigma^2_\theta + \sigma^2_b + \sigma^2` over pairs sharing neither (:math:`W_0`),

    whence :math:`\hat\sigma^2 = W_d + W_r - W_0`, :math:`\hat\sigma^2_b = W_0 - W_r`,
    :math:`\hat\sigma^2_\theta = W_0 - W_d`, each truncated at 0. The sums over pairs are
    U-statistics computed in :math:`O(N)` from per-group sums (Gao and Owen, 2017); they need
    no balance and no model fit. Where a kind of pair does not occur (no dossier scored twice,
    no member with two sheets) the components it separates are not identified and are given
    as 0 (merit absorbing them).

    References
    ----------
    .. [1] K. Gao and A. B. Owen, "Efficient moment calculations for variance components in
       large unbalanced crossed random effects models", *Electronic Journal of Statistics*
       11(1), 1235–1296, 2017.
    """
    y = sheets.total - sheets.total.mean()

    def pair_sums(groups: NDArray[np.intp], n_groups: int) -> tuple[float, float]:
        n = np.bincount(groups, minlength=n_groups).astype(float)
        s1 = np.bincount(groups, y, minlength=n_groups)
        s2 = np.bincount(groups, y**2, minlength=n_groups)
        return float(np.sum(n * s2 - s1**2)), float(np.sum(n * (n - 1) / 2))

    q_d, p_d = pair_sums(sheets.dossier, n_dossiers)
    q_r, p_r = pair_sums(sheets.reviewer, n_reviewers)
    q_all, p_all = pair_sums(np.zeros(y.size, dtype=np.intp), 1)
    q_0, p_0 = q_all - q_d - q_r, p_all - p_d - p_r
    w_all = q_all / (2 * p_all) if p_all > 0 else 0.0
    w_d = q_d / (2 * p_d) if p_d > 0 else w_all
    w_r = q_r / (2 * p_r) if p_r > 0 else w_all
    w_0 = q_0 / (2 * p_0) if p_0 > 0 else w_all
    noise = max(w_d + w_r - w_0, 0.0) if p_d > 0 else 0.0
    leniency = max(w_0 - w_r, 0.0) if p_d > 0 and p_r > 0 else 0.0
    merit = max(w_0 - w_d, 0.0) if p_d > 0 else w_all
    return merit, leniency, noise


def flat_posterior(
    center: NDArray[np.float64],
    sd: NDArray[np.float64],
    loadings: sparse.sparray | None = None,
    param_sd: NDArray[np.float64] | None = None,
) -> ScorePosterior:
    """A posterior with the given centre and spreads (no member parameters unless given)."""
    if loadings is None:
        loadings = sparse.csr_array((center.size, 0))
        param_sd = np.zeros(0)
    return ScorePosterior(center, sd, loadings, param_sd)


def crossed_posterior(
    sol: Solution,
    design: Design,
    weight: NDArray[np.float64],
    coef: NDArray[np.float64],
    *,
    scale: float = 1.0,
    residual: NDArray[np.float64] | None = None,
    log_spread_var: NDArray[np.float64] | None = None,
    average_member: bool = False,
    leniency_var: float = 0.0,
    log_spread_prior: float = 0.0,
) -> ScorePosterior:
    r"""Uncertainty of the scores of a crossed solve, to first order in the member parameters.

    Given the members' parameters the score of dossier ``d`` is :math:`\mu_g + \theta_d`,

    .. math::

        \theta_d = \frac{1}{P_d} \sum_{s \in d} w_s a_{r(s)} (T_s - \mu_g - b_{r(s)}),
        \qquad \operatorname{Var}(\theta_d \mid b, a, \mu) = 1/P_d,

    linear in the leniencies and levels :math:`\beta` (gradient
    :meth:`~scoring.models._crossed.Solution.score_gradient`), whose posterior covariance is
    :math:`S^{-1}`: exact and joint when the solve was dense, its diagonal otherwise. A unit
    change of :math:`\log a_r` moves :math:`\theta_d` by :math:`w_s a_r (e_s - a_r
    \theta_d)/P_d` (:math:`e_s` the residual); spreads are taken as independent of the rest.
    ``scale`` multiplies every variance (for solves done with unit weights).

    With ``average_member`` the score is taken relative to the component's average member,
    :math:`\mu_g + \bar b_g + \theta_d` with :math:`\bar b_g` the mean leniency of the
    component's members (a level the data pin down far better than :math:`\mu_g` alone);
    its uncertainty is exact on the dense path and taken as that of :math:`\mu_g` given the
    leniencies otherwise. Components are compared by assuming their average members equally
    lenient and equally spread; with several components each gets, on top, a shift of
    variance :math:`\sigma^2_b (1/R_g - 1/R)` and a stretch of :math:`\theta` with
    log-variance :math:`\sigma^2_a (1/R_g - 1/R)` (``leniency_var`` and ``log_spread_prior``
    are :math:`\sigma^2_b, \sigma^2_a`; :math:`R_g` and :math:`R` the members in the
    component and in all): how far chance alone makes a component's average member differ from
    the council's.
    """
    gradient = sol.score_gradient(design)
    comp = design.dossier_component
    shift = _member_means(sol.b, design)[comp] if average_member else 0.0
    if sol.beta_cov is not None:
        # Joint draws: loadings times a square root of the covariance, unit parameter sds.
        root = _square_root(sol.beta_cov)
        loadings = gradient @ root
        if average_member:
            loadings = loadings + _member_means(root[: design.n_reviewers], design)[comp]
        blocks = [sparse.csr_array(loadings)]
        sds = [np.full(root.shape[1], np.sqrt(scale))]
    else:
        blocks = [gradient]
        sds = [np.sqrt(scale * np.maximum(sol.beta_var, 0.0))]
    if log_spread_var is not None and residual is not None:
        d, r = design.dossier, design.reviewer
        value = weight * coef * (residual - coef * sol.theta[d]) / sol.precision[d]
        blocks.append(sparse.csr_array((value, (d, r)), shape=(design.n_dossiers, design.n_reviewers)))
        sds.append(np.sqrt(np.maximum(log_spread_var, 0.0)))
    if average_member and design.n_components > 1:
        members = np.bincount(design.reviewer_component, minlength=design.n_components)
        share = np.maximum(1.0 / members - 1.0 / members.sum(), 0.0)
        rows = np.arange(comp.size)
        blocks.append(sparse.csr_array((np.ones(comp.size), (rows, comp))))
        blocks.append(sparse.csr_array((sol.theta, (rows, comp))))
        sds += [np.sqrt(leniency_var * share), np.sqrt(log_spread_prior * share)]
    loadings = sparse.csr_array(sparse.hstack(blocks))
    center = sol.theta + (sol.mu[comp] if sol.intercepts else 0.0) + shift
    return ScorePosterior(center, np.sqrt(scale / sol.precision), loadings, np.concatenate(sds))


def _member_means(values: NDArray[np.float64], design: Design) -> NDArray[np.float64]:
    """Mean over each component's members of ``values`` (one row per member), per component."""
    comp = design.reviewer_component
    count = np.bincount(comp, minlength=design.n_components)
    if values.ndim == 1:
        return np.bincount(comp, values, minlength=design.n_components) / count
    sums = np.zeros((design.n_components, values.shape[1]))
    np.add.at(sums, comp, values)
    return sums / count[:, None]


def _square_root(cov: NDArray[np.float64]) -> NDArray[np.float64]:
    """A matrix L with L L' = cov, for a covariance that may be only semi-definite."""
    values, vectors = np.linalg.eigh(cov)
    return vectors * np.sqrt(np.clip(values, 0.0, None))
