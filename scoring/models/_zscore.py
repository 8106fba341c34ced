"""Per-member standardisation: the textbook correction, kept for comparison."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from scoring.models._common import (
    Fit,
    Variances,
    design_of,
    flat_posterior,
    member_noise,
    raw_means,
    sheet_totals,
)
from scoring.scores import ScoreTable

__all__ = ["zscore"]


def zscore(table: ScoreTable, weights: ArrayLike | None = None) -> Fit:
    r"""Standardise each member's totals, average per dossier, rescale to the panel.

    Parameters
    ----------
    table : ScoreTable
        The scores.
    weights : array_like, shape (n_criteria,), optional
        Weight of each criterion in the order of ``table.criteria`` (default 1 each).

    Returns
    -------
    Fit
        ``leniency`` is the member's mean minus the panel's, ``spread`` the member's standard
        deviation over the panel's.

    Notes
    -----
    With :math:`m_r, s_r` the mean and standard deviation of member ``r``'s totals and
    :math:`M, S` those of all totals,

    .. math::

        z_{dr} = \frac{T_{dr} - m_r}{s_r}, \qquad
        \hat\mu_d = M + S\,\frac{1}{n_d} \sum_{r \in R_d} z_{dr}.

    A member with one sheet, or who gave every dossier the same total (:math:`s_r = 0`),
    contributes :math:`z = 0`: their sheets say nothing about rank. The method assumes each
    member saw a random sample of dossiers of the same quality: a member who happened to draw
    strong dossiers is "corrected" down. On fair and small panels it therefore loses accuracy
    to the raw mean; it is here to show that, not to be used.
    """
    sheets = sheet_totals(table, weights)
    design = design_of(table, sheets)
    n_r = table.n_reviewers
    raw_mean, n = raw_means(sheets, table.n_dossiers)
    n_sheets = np.bincount(sheets.reviewer, minlength=n_r)
    member_mean = np.bincount(sheets.reviewer, sheets.total, minlength=n_r) / n_sheets
    deviation = sheets.total - member_mean[sheets.reviewer]
    member_sd = np.sqrt(np.bincount(sheets.reviewer, deviation**2, minlength=n_r) / n_sheets)
    usable = (n_sheets >= 2) & (member_sd > 1e-9 * max(float(np.abs(sheets.total).max()), 1.0))
    safe_sd = np.where(usable, member_sd, 1.0)
    z = np.where(usable[sheets.reviewer], deviation / safe_sd[sheets.reviewer], 0.0)
    panel_mean, panel_sd = float(sheets.total.mean()), float(sheets.total.std())
    score = panel_mean + panel_sd * np.bincount(sheets.dossier, z, minlength=table.n_dossiers) / n
    spread = np.where(usable, member_sd / panel_sd if panel_sd > 0 else 1.0, 1.0)
    fitted = member_mean[sheets.reviewer] + spread[sheets.reviewer] * (score[sheets.dossier] - panel_mean)
    leverage = 1.0 / n[sheets.dossier]
    noise_var, pooled = member_noise(sheets.total - fitted, leverage, sheets, n_r)
    # The score's noise: the pooled within-dossier variance of the rescaled z-scores.
    z_resid = panel_sd * z - (score - panel_mean)[sheets.dossier]
    _, z_pooled = member_noise(z_resid, leverage, sheets, n_r)
    return Fit(
        method="zscore",
        dossiers=table.dossiers,
        reviewers=table.reviewers,
        score=score,
        raw_mean=raw_mean,
        n_reviews=n,
        dossier_component=design.dossier_component,
        reviewer_component=design.reviewer_component,
        leniency=member_mean - panel_mean,
        spread=spread,
        noise_sd=np.sqrt(noise_var),
        leniency_sd=np.where(usable, member_sd, panel_sd) / np.sqrt(n_sheets),
        log_spread_sd=np.where(usable, 1.0 / np.sqrt(2.0 * np.maximum(n_sheets - 1, 1)), 0.0),
        n_sheets=n_sheets,
        sheets=sheets,
        fitted=fitted,
        leverage=leverage,
        variances=Variances(float(np.var(score)), float(np.var(member_mean)), np.nan, pooled),
        posterior=flat_posterior(score, np.sqrt(z_pooled / n)),
    )
