"""How sure a ranking is: intervals for each dossier's score and rank, and the chance of the top K.

Every model in :mod:`scoring.models` describes the uncertainty of its scores by a
:class:`ScorePosterior`, a Gaussian approximation with a low-rank structure: the members'
parameters (leniency, spread) are uncertain and shared by all the dossiers they scored, and
each dossier has in addition its own noise. :func:`rank_uncertainty` draws from it, ranks
every draw and summarises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse, special

__all__ = [
    "RankUncertainty",
    "ScorePosterior",
    "default_n_draws",
    "default_top_k",
    "rank_uncertainty",
    "ranks_of",
    "simulate",
]

# Draws are ranked in blocks so that memory stays near _BLOCK_CELLS floats whatever the size;
# by default no more draws are made than fit _MAX_CELLS ranks (time grows with both).
_BLOCK_CELLS = 1_000_000
_MAX_CELLS = 4_000_000


@dataclass(frozen=True)
class ScorePosterior:
    r"""Gaussian approximation to the distribution of the dossiers' scores.

    A draw of the scores is

    .. math::

        \tilde y_d = m_d + \sum_j L_{dj}\, \tau_j z_j + s_d\, z_d, \qquad z \sim N(0, I),

    where :math:`j` runs over member parameters (their leniencies, log-spreads and the
    components' levels) with standard deviations :math:`\tau_j`, :math:`L` holds how each
    dossier's score moves with each parameter, and :math:`s_d` is the standard deviation of
    the score given the parameters.

    Attributes
    ----------
    center : ndarray, shape (n_dossiers,)
        :math:`m_d`, the point estimate.
    sd : ndarray, shape (n_dossiers,)
        :math:`s_d`.
    loadings : sparse array, shape (n_dossiers, n_params)
        :math:`L`.
    param_sd : ndarray, shape (n_params,)
        :math:`\tau_j`.
    """

    center: NDArray[np.float64]
    sd: NDArray[np.float64]
    loadings: sparse.sparray
    param_sd: NDArray[np.float64]

    @property
    def marginal_sd(self) -> NDArray[np.float64]:
        """Standard deviation of each dossier's score, parameters included."""
        shared = self.loadings.multiply(self.loadings) @ (self.param_sd**2)
        return np.sqrt(self.sd**2 + shared)


@dataclass(frozen=True)
class RankUncertainty:
    """Summary of simulated rankings.

    Attributes
    ----------
    rank : ndarray of int, shape (n_dossiers,)
        Rank of the point estimate (1 = best; ties broken by position).
    ci_low, ci_high : ndarray, shape (n_dossiers,)
        Equal-tailed interval of the score at the requested level.
    rank_low, rank_high : ndarray of int, shape (n_dossiers,)
        Equal-tailed interval of the rank (``rank_low`` is the best plausible rank).
    p_top : ndarray, shape (n_dossiers,)
        Share of draws in which the dossier ranks within the top ``top_k``.
    top_k, level, n_draws, seed
        The settings used.
    """

    rank: NDArray[np.intp]
    ci_low: NDArray[np.float64]
    ci_high: NDArray[np.float64]
    rank_low: NDArray[np.intp]
    rank_high: NDArray[np.intp]
    p_top: NDArray[np.float64]
    top_k: int
    level: float
    n_draws: int
    seed: int


def ranks_of(values: NDArray[np.float64]) -> NDArray[np.intp]:
    """Rank of each entry along the last axis, 1 = largest; ties go to the earlier position."""
    order = np.argsort(-values, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, values.shape[-1] + 1), axis=-1)
    return ranks


def simulate(
    posterior: ScorePosterior, n_draws: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Draws of the scores, shape (n_draws, n_dossiers), and their shared part.

    Returns ``(shared, scores)``: ``shared`` is :math:`m_d + \sum_j L_{dj} \tau_j z_j` (the
    centre moved by the members' parameters), ``scores`` adds each dossier's own noise.
    """
    n_d, n_p = posterior.loadings.shape
    shared = np.broadcast_to(posterior.center, (n_draws, n_d))
    if n_p:
        z = rng.standard_normal((n_p, n_draws)) * posterior.param_sd[:, None]
        shared = shared + (posterior.loadings @ z).T
    return shared, shared + rng.standard_normal((n_draws, n_d)) * posterior.sd


def rank_uncertainty(
    posterior: ScorePosterior,
    *,
    top_k: int | None = None,
    level: float = 0.9,
    n_draws: int | None = None,
    seed: int = 0,
) -> RankUncertainty:
    r"""Intervals for scores and ranks, and the probability of the top ``top_k``, by simulation.

    Parameters
    ----------
    posterior : ScorePosterior
        The model's description of its uncertainty (``Fit.posterior``).
    top_k : int, optional
        Size of the group whose membership probability is wanted; default 20 % of the
        dossiers, rounded up.
    level : float, default 0.9
        Coverage of the intervals, in (0, 1).
    n_draws : int, optional
        Number of simulated rankings; default 1000, or fewer for large rounds so that
        draws times dossiers stays within 4,000,000 (never fewer than 200).
    seed : int, default 0
        Seed of the random generator; the result is a function of the inputs and the seed.

    Returns
    -------
    RankUncertainty

    Notes
    -----
    The score interval is :math:`m_d \pm z_{(1+\text{level})/2}\, \sigma_d`, with
    :math:`\sigma_d` the marginal standard deviation (:attr:`ScorePosterior.marginal_sd`).
    Draw ``b`` gives scores :math:`\tilde y^{(b)}` (see :class:`ScorePosterior`) and ranks
    :math:`\rho^{(b)}_d = 1 + \#\{d' : \tilde y^{(b)}_{d'} > \tilde y^{(b)}_d\}`. The
    rank interval holds the :math:`(1 \mp \text{level})/2` quantiles of the simulated ranks,
    by inverting their empirical distribution function (so a discrete interval covers at
    least ``level`` of the draws). Ranks are simulated jointly, so dossiers that share members
    move together as they should. Ranking the draws, rather than the point estimates, is what
    makes the intervals honest for ranks: the rank of a noisy estimate is more extreme than
    the rank of the merit (Goldstein and Spiegelhalter, 1996).

    The probability of the top ``K`` is Rao–Blackwellised: given the other dossiers' draws and
    the shared part :math:`\tilde m^{(b)}_d`, dossier ``d`` is in the top ``K`` when it beats
    the ``K``-th best of the others, :math:`t^{(b)}_{-d}`, so

    .. math:: p^{\text{top}}_d = \frac1B \sum_b
              \Phi\!\left(\frac{\tilde m^{(b)}_d - t^{(b)}_{-d}}{s_d}\right),

    which has the same mean as counting draws in the top ``K`` and far less noise.

    References
    ----------
    .. [1] H. Goldstein and D. J. Spiegelhalter, "League tables and their limitations:
       statistical issues in comparisons of institutional performance", *Journal of the
       Royal Statistical Society A* 159(3), 385–443, 1996.
    """
    n_d = posterior.center.size
    k, n_draws = _rank_input_validation(n_d, top_k, level, n_draws)
    rng = np.random.default_rng(seed)
    alpha = (1.0 - level) / 2.0
    block = max(1, min(n_draws, _BLOCK_CELLS // n_d))
    ranks = np.empty((n_d, n_draws), dtype=np.int32)
    p_sum = np.zeros(n_d)
    for start in range(0, n_draws, block):
        stop = min(start + block, n_draws)
        shared, scores = simulate(posterior, stop - start, rng)
        block_ranks = _ranks_unstable(scores)
        ranks[:, start:stop] = block_ranks.T
        p_sum += _top_probability(shared, scores, block_ranks, posterior.sd, k).sum(axis=0)
    # The scores' distribution is Gaussian: its quantiles need no draws.
    half_width = special.ndtri(1.0 - alpha) * posterior.marginal_sd
    rank_low, rank_high = _quantiles(ranks, alpha)
    return RankUncertainty(
        rank=ranks_of(posterior.center),
        ci_low=posterior.center - half_width,
        ci_high=posterior.center + half_width,
        rank_low=rank_low,
        rank_high=rank_high,
        p_top=p_sum / n_draws,
        top_k=k,
        level=level,
        n_draws=n_draws,
        seed=seed,
    )


def _ranks_unstable(scores: NDArray[np.float64]) -> NDArray[np.int32]:
    # Draws are continuous, so ties have probability 0 and the (faster) unstable sort will do.
    order = np.argsort(-scores, axis=1)
    ranks = np.empty(scores.shape, dtype=np.int32)
    ranks[np.arange(scores.shape[0])[:, None], order] = np.arange(1, scores.shape[1] + 1, dtype=np.int32)
    return ranks


def _top_probability(
    shared: NDArray[np.float64],
    scores: NDArray[np.float64],
    ranks: NDArray[np.int32],
    sd: NDArray[np.float64],
    k: int,
) -> NDArray[np.float64]:
    n_d = scores.shape[1]
    if k >= n_d:
        return np.ones_like(scores)
    best = -np.partition(-scores, (k - 1, k), axis=1)
    kth, next_ = best[:, k - 1 : k], best[:, k : k + 1]
    margin = shared - np.where(scores >= kth, next_, kth)
    if np.all(sd > 0):
        return special.ndtr(margin / sd)
    # A dossier without noise of its own (and any ties) is counted, not smoothed.
    safe = np.where(sd > 0, sd, 1.0)
    return np.where(sd > 0, special.ndtr(margin / safe), (ranks <= k).astype(float))


def _quantiles(ranks: NDArray[np.int32], alpha: float) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Lower and upper ``alpha`` quantiles along each row, by inverting the empirical CDF."""
    n_draws = ranks.shape[1]
    low = max(math.ceil(alpha * n_draws) - 1, 0)
    high = min(math.ceil((1.0 - alpha) * n_draws) - 1, n_draws - 1)
    part = np.partition(ranks, (low, high), axis=1)
    return part[:, low].astype(np.intp), part[:, high].astype(np.intp)


def default_top_k(n_dossiers: int) -> int:
    """20 % of the dossiers, rounded up (at least 1)."""
    return max(1, math.ceil(0.2 * n_dossiers))


def default_n_draws(n_dossiers: int) -> int:
    """1000 draws, or fewer for large rounds: draws x dossiers within 4,000,000, at least 200."""
    return min(1000, max(200, _MAX_CELLS // max(n_dossiers, 1)))


def _rank_input_validation(n_d: int, top_k: int | None, level: float, n_draws: int | None) -> tuple[int, int]:
    if n_d == 0:
        raise ValueError("There are no dossiers to rank.")
    if not 0.0 < level < 1.0:
        raise ValueError(f"`level` must lie strictly between 0 and 1; got {level}.")
    if n_draws is None:
        n_draws = default_n_draws(n_d)
    if int(n_draws) != n_draws or n_draws < 1:
        raise ValueError(f"`n_draws` must be a positive integer; got {n_draws}.")
    k = default_top_k(n_d) if top_k is None else top_k
    if int(k) != k or not 1 <= k <= n_d:
        raise ValueError(f"`top_k` must be an integer from 1 to the number of dossiers ({n_d}); got {top_k}.")
    return int(k), int(n_draws)
