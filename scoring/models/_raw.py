"""The raw mean: what a council does without a model."""

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

__all__ = ["raw"]


def raw(table: ScoreTable, weights: ArrayLike | None = None) -> Fit:
    r"""Mean of the members' weighted totals for each dossier.

    Parameters
    ----------
    table : ScoreTable
        The scores.
    weights : array_like, shape (n_criteria,), optional
        Weight of each criterion in the order of ``table.criteria`` (default 1 each).

    Returns
    -------
    Fit
        ``leniency`` is 0 and ``spread`` 1 for every member: the model assumes no bias.

    Notes
    -----
    The model is :math:`T_{dr} = \mu_d + \varepsilon_{dr}`, so

    .. math::

        \hat\mu_d = \frac{1}{n_d} \sum_{r \in R_d} T_{dr}, \qquad
        \operatorname{se}(\hat\mu_d) = \hat\sigma / \sqrt{n_d},

    with :math:`\hat\sigma^2` the pooled within-dossier variance of the totals (it includes
    the members' leniencies, which the raw mean leaves in the score). A lenient member raises,
    and a harsh one lowers, every dossier they happen to score.
    """
    sheets = sheet_totals(table, weights)
    design = design_of(table, sheets)
    mean, n = raw_means(sheets, table.n_dossiers)
    leverage = 1.0 / n[sheets.dossier]
    noise_var, pooled = member_noise(sheets.total - mean[sheets.dossier], leverage, sheets, table.n_reviewers)
    n_r = table.n_reviewers
    return Fit(
        method="raw",
        dossiers=table.dossiers,
        reviewers=table.reviewers,
        score=mean,
        raw_mean=mean,
        n_reviews=n,
        dossier_component=design.dossier_component,
        reviewer_component=design.reviewer_component,
        leniency=np.zeros(n_r),
        spread=np.ones(n_r),
        noise_sd=np.sqrt(noise_var),
        leniency_sd=np.zeros(n_r),
        log_spread_sd=np.zeros(n_r),
        n_sheets=np.bincount(sheets.reviewer, minlength=n_r),
        sheets=sheets,
        fitted=mean[sheets.dossier],
        leverage=leverage,
        variances=Variances(float(np.var(mean)), np.nan, np.nan, pooled),
        posterior=flat_posterior(mean, np.sqrt(pooled / n)),
    )
