"""Do the members agree? Per round, per member and per sheet.

Everything here reads a :class:`~scoring.models.Fit` and works with incomplete designs (each
dossier scored by a few members, each member scoring some dossiers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from scoring.models import Fit, Sheets, moment_variances

__all__ = [
    "Agreement",
    "MemberSummary",
    "OutlierSheets",
    "agreement",
    "krippendorff_alpha",
    "member_summary",
    "outlier_sheets",
]

# Member flags (Notes of member_summary): a leniency worth flagging moves a total by at least
# half the standard deviation of merit; a spread below 2/3 or above 3/2 (interval and all);
# noise 1.5 times the pooled and significant at 0.5 %.
LENIENCY_FLAG = 0.5
NARROW_SPREAD, WIDE_SPREAD = 2 / 3, 3 / 2
NOISE_FLAG, NOISE_ALPHA = 1.5, 0.005
FEW_SHEETS = 3


@dataclass(frozen=True)
class Agreement:
    r"""Agreement among the members over one round.

    Attributes
    ----------
    alpha : float
        Krippendorff's alpha with the interval metric on sheet totals
        (:func:`krippendorff_alpha`); NaN if no dossier has two sheets.
    icc : float
        Share of a single sheet total's variance that is merit,
        :math:`\sigma^2_\theta / (\sigma^2_\theta + \sigma^2_b + \sigma^2)`: the reliability
        of one member's total, leniency counted as disagreement (ICC(A,1) of McGraw and
        Wong, 1996, for an incomplete design).
    icc_mean : float
        Reliability of a dossier's mean over its :math:`k` sheets,
        :math:`\sigma^2_\theta / (\sigma^2_\theta + (\sigma^2_b + \sigma^2)/k)`, with
        :math:`k` the harmonic mean of the numbers of sheets per dossier.
    merit_var, leniency_var, noise_var : float
        The variance components, estimated by moments (:func:`scoring.models.moment_variances`)
        so that they do not depend on the ranking method.
    n_sheets, n_dossiers, n_reviewers : int
        Size of the round.
    """

    alpha: float
    icc: float
    icc_mean: float
    merit_var: float
    leniency_var: float
    noise_var: float
    n_sheets: int
    n_dossiers: int
    n_reviewers: int


@dataclass(frozen=True)
class MemberSummary:
    """Per member: workload, estimated leniency and spread with intervals, noise, flags.

    Attributes
    ----------
    reviewer : ndarray of str
        Labels.
    n_sheets : ndarray of int
        Sheets scored.
    leniency, leniency_low, leniency_high : ndarray
        Points added to a sheet total, with its interval at the requested level.
    spread, spread_low, spread_high : ndarray
        Stretch of differences in merit, with its interval (equal to ``spread`` where the
        method fixes it).
    noise_sd : ndarray
        Standard deviation of the member's totals around the fit.
    flags : tuple of tuple of str
        Codes from ``"lenient"``, ``"harsh"``, ``"narrow_range"``, ``"wide_range"``,
        ``"far_from_consensus"``, ``"few_sheets"``.
    """

    reviewer: NDArray[np.str_]
    n_sheets: NDArray[np.intp]
    leniency: NDArray[np.float64]
    leniency_low: NDArray[np.float64]
    leniency_high: NDArray[np.float64]
    spread: NDArray[np.float64]
    spread_low: NDArray[np.float64]
    spread_high: NDArray[np.float64]
    noise_sd: NDArray[np.float64]
    flags: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class OutlierSheets:
    r"""Sheets whose total is far from what the model expects, most extreme first.

    Attributes
    ----------
    dossier, reviewer : ndarray of str
        Labels of each outlying sheet.
    total, fitted : ndarray
        The sheet's weighted total and the model's prediction of it.
    z : ndarray
        Standardised residual :math:`(T_s - \hat T_s) / (\hat\sigma_r \sqrt{1 - h_s})`.
    sheet : ndarray of int
        Index of each sheet in ``Fit.sheets``.
    """

    dossier: NDArray[np.str_]
    reviewer: NDArray[np.str_]
    total: NDArray[np.float64]
    fitted: NDArray[np.float64]
    z: NDArray[np.float64]
    sheet: NDArray[np.intp]


def krippendorff_alpha(sheets: Sheets, n_dossiers: int) -> float:
    r"""Krippendorff's alpha, interval metric, of sheet totals with dossiers as units.

    Parameters
    ----------
    sheets : Sheets
        Sheet totals (:func:`scoring.models.sheet_totals`).
    n_dossiers : int
        Number of dossiers (units).

    Returns
    -------
    float
        :math:`\alpha = 1 - D_o / D_e`; NaN when no dossier has two sheets or all pairable
        totals are equal.

    Notes
    -----
    Only dossiers with at least two sheets are pairable; with :math:`m_u` sheets on dossier
    :math:`u` and :math:`n = \sum_u m_u` pairable totals,

    .. math::

        D_o = \frac{1}{n} \sum_u \frac{1}{m_u - 1} \sum_{i \ne j \in u} (v_i - v_j)^2,
        \qquad
        D_e = \frac{1}{n(n-1)} \sum_{i \ne j} (v_i - v_j)^2,

    the sums over ordered pairs, computed from per-dossier sums of totals and of squares.
    Members need not score every dossier: the coefficient was built for such gaps.

    References
    ----------
    .. [1] K. Krippendorff, "Computing Krippendorff's alpha-reliability", University of
       Pennsylvania, 2011. https://repository.upenn.edu/asc_papers/43
    """
    m = np.bincount(sheets.dossier, minlength=n_dossiers)
    pairable = m[sheets.dossier] >= 2
    if not np.any(pairable):
        return float("nan")
    v = sheets.total[pairable] - sheets.total[pairable].mean()
    unit = sheets.dossier[pairable]
    s1 = np.bincount(unit, v, minlength=n_dossiers)
    s2 = np.bincount(unit, v**2, minlength=n_dossiers)
    mu = m.astype(float)
    within = np.where(m >= 2, 2 * (mu * s2 - s1**2) / np.where(m >= 2, mu - 1, 1.0), 0.0)
    n = float(v.size)
    observed = within.sum() / n
    expected = 2 * (n * float(np.sum(v**2)) - float(np.sum(v)) ** 2) / (n * (n - 1))
    return 1.0 - observed / expected if expected > 0 else float("nan")


def agreement(fit: Fit) -> Agreement:
    """Agreement figures for the round behind a fit (see :class:`Agreement`)."""
    n_d, n_r = fit.dossiers.size, fit.reviewers.size
    merit, leniency, noise = moment_variances(fit.sheets, n_d, n_r)
    total = merit + leniency + noise
    k = n_d / float(np.sum(1.0 / fit.n_reviews))
    disagreement = leniency + noise
    return Agreement(
        alpha=krippendorff_alpha(fit.sheets, n_d),
        icc=merit / total if total > 0 else float("nan"),
        icc_mean=merit / (merit + disagreement / k) if merit + disagreement > 0 else float("nan"),
        merit_var=merit,
        leniency_var=leniency,
        noise_var=noise,
        n_sheets=int(fit.sheets.total.size),
        n_dossiers=n_d,
        n_reviewers=n_r,
    )


def standardised_residuals(fit: Fit) -> NDArray[np.float64]:
    r""":math:`z_s = (T_s - \hat T_s) / (\hat\sigma_r \sqrt{1 - h_s})`; 0 where the fit leaves no residual."""
    sd = fit.noise_sd[fit.sheets.reviewer] * np.sqrt(np.clip(1.0 - fit.leverage, 0.0, 1.0))
    residual = fit.sheets.total - fit.fitted
    ok = sd > 1e-9 * max(float(np.std(fit.sheets.total)), 1e-300)
    return np.where(ok, residual / np.where(ok, sd, 1.0), 0.0)


def outlier_sheets(fit: Fit, *, threshold: float = 3.0) -> OutlierSheets:
    """Sheets with standardised residual beyond ``threshold`` in absolute value, most extreme first.

    A sheet whose member scored only that dossier, or a dossier scored once, is fitted
    exactly (:math:`h_s = 1`) and can never be an outlier: nothing contradicts it.
    """
    z = standardised_residuals(fit)
    index = np.flatnonzero(np.abs(z) > threshold)
    index = index[np.argsort(-np.abs(z[index]), kind="stable")]
    sheets = fit.sheets
    return OutlierSheets(
        dossier=fit.dossiers[sheets.dossier[index]],
        reviewer=fit.reviewers[sheets.reviewer[index]],
        total=sheets.total[index],
        fitted=fit.fitted[index],
        z=z[index],
        sheet=index,
    )


def member_summary(fit: Fit, *, level: float = 0.9) -> MemberSummary:
    r"""Each member's workload, leniency, spread and noise, with intervals and flags.

    Parameters
    ----------
    fit : Fit
        A fitted model.
    level : float, default 0.9
        Coverage of the intervals.

    Returns
    -------
    MemberSummary

    Notes
    -----
    Intervals are :math:`\hat b_r \pm z\, \operatorname{se}` for leniency and
    :math:`\hat a_r e^{\pm z\, \operatorname{se}(\log a_r)}` for spread, from the fit's
    standard errors (posterior standard deviations for ``shrinkage``). Flags:

    * ``lenient`` / ``harsh``: the leniency interval excludes 0 and
      :math:`|\hat b_r| \ge 0.5\, \hat\sigma_\theta` (half the spread of merit);
    * ``narrow_range`` / ``wide_range``: the spread interval lies below 2/3 / above 3/2;
    * ``far_from_consensus``: the member's own residual variance
      :math:`s_r^2 = \sum e_s^2 / \sum (1 - h_s)` is at least 1.5 times the pooled one and
      significantly so (:math:`d_r s_r^2/\hat\sigma^2 > \chi^2_{0.995}(d_r)`);
    * ``few_sheets``: fewer than 3 sheets, so the estimates above rest mostly on the prior.

    Methods that fix a parameter (``raw`` fixes leniency and spread) never flag it.
    """
    z = float(special.ndtri(0.5 + level / 2))
    merit_sd = float(np.sqrt(max(fit.variances.merit, 0.0))) if np.isfinite(fit.variances.merit) else 0.0
    low, high = fit.leniency - z * fit.leniency_sd, fit.leniency + z * fit.leniency_sd
    spread_low = fit.spread * np.exp(-z * fit.log_spread_sd)
    spread_high = fit.spread * np.exp(z * fit.log_spread_sd)
    far = _far_from_consensus(fit)
    flags = []
    for r in range(fit.reviewers.size):
        codes = []
        if low[r] > 0 and fit.leniency[r] >= LENIENCY_FLAG * merit_sd:
            codes.append("lenient")
        if high[r] < 0 and -fit.leniency[r] >= LENIENCY_FLAG * merit_sd:
            codes.append("harsh")
        if spread_high[r] < NARROW_SPREAD:
            codes.append("narrow_range")
        if spread_low[r] > WIDE_SPREAD:
            codes.append("wide_range")
        if far[r]:
            codes.append("far_from_consensus")
        if fit.n_sheets[r] < FEW_SHEETS:
            codes.append("few_sheets")
        flags.append(tuple(codes))
    return MemberSummary(
        reviewer=fit.reviewers,
        n_sheets=fit.n_sheets,
        leniency=fit.leniency,
        leniency_low=low,
        leniency_high=high,
        spread=fit.spread,
        spread_low=spread_low,
        spread_high=spread_high,
        noise_sd=fit.noise_sd,
        flags=tuple(flags),
    )


def _far_from_consensus(fit: Fit) -> NDArray[np.bool_]:
    r = fit.sheets.reviewer
    n_r = fit.reviewers.size
    dof = np.bincount(r, np.clip(1.0 - fit.leverage, 0.0, 1.0), minlength=n_r)
    ss = np.bincount(r, (fit.sheets.total - fit.fitted) ** 2, minlength=n_r)
    pooled = float(ss.sum() / dof.sum()) if dof.sum() > 0 else 0.0
    if pooled <= 0:
        return np.zeros(n_r, dtype=bool)
    ok = dof >= 2
    own = np.where(ok, ss / np.where(ok, dof, 1.0), 0.0)
    critical = special.chdtri(np.where(ok, dof, 1.0), NOISE_ALPHA)  # upper NOISE_ALPHA point of chi2(dof)
    return ok & (own >= NOISE_FLAG * pooled) & (dof * own / pooled > critical)
