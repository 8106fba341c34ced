r"""Councils simulated with a known truth, the oracle that knows it, and how close a ranking comes.

A benchmark of ranking methods needs data whose right answer is known. :func:`simulate` draws
one round: every dossier's merit, every member's leniency and spread, who scores what (the
design), and the sheets, rounded and clipped like real ones. :func:`oracle` is the best any
method could do on that round if it knew every member's leniency, spread and noise exactly;
:func:`evaluate` scores a ranking against the truth.

The generating model, for dossier :math:`d`, member :math:`r` and criterion :math:`c`, is

.. math::

    y_{drc} = \operatorname{clip}_{[0, M]}\bigl(\operatorname{round}_h\bigl(
        \mu_c + b_r + a_r(\theta_d + \delta_{dc}) + u_{dr} + e_{drc}\bigr)\bigr),

with dossier merit :math:`\theta_d \sim N(0, \sigma_\theta^2)`, the dossier's criterion profile
:math:`\delta_{dc} \sim N(0, \sigma_\delta^2)`, member leniency :math:`b_r` (points per
criterion, positive = lenient; on a sheet total of C criteria it is :math:`C b_r`, the
leniency of :mod:`scoring.models`), spread :math:`a_r = e^{s_r}` (log-spread :math:`s_r`; above 1
a member stretches the differences between dossiers, below 1 squeezes them), sheet-wide noise
:math:`u_{dr} \sim N(0, \sigma_u^2)` (a member's mood on one dossier), per-criterion noise
:math:`e_{drc} \sim N(0, \sigma_e^2)`, rounding to steps of :math:`h` points (1 or 0.5) and
clipping to the rubric's :math:`[0, M]` (M = 20). Leniencies and log-spreads are centred to
mean zero over the council, so the council's average member is the reference: the *true
points* :math:`m_{dc} = \mu_c + \theta_d + \delta_{dc}` are what that neutral member would give
on average, and a dossier's *true score* is their weighted total on the scale of the ranking.

The truth is drawn from the same family as the models' (shift and stretch per member), with
sheet-wide and per-criterion noise and with rounding and clipping that no model has; it shows
how close a method comes when its assumptions roughly hold, not how it fares against other
kinds of miscalibration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import linalg, sparse, special, stats

from scoring.scores import ScoreTable

__all__ = [
    "DESIGNS",
    "SCENARIOS",
    "SIZES",
    "Metrics",
    "OracleResult",
    "Scenario",
    "Simulation",
    "Truth",
    "coverage",
    "evaluate",
    "kendall_tau",
    "oracle",
    "partial_oracle",
    "simulate",
    "top_precision",
    "true_ranks",
    "true_scores",
]

DESIGNS = ("balanced", "panels", "isolated")
"""Who scores what: balanced incomplete; panels by field with a few cross-panel links; panels with none."""

SIZES: dict[str, tuple[int, int, int]] = {
    "district": (60, 12, 3),
    "province": (600, 40, 5),
    "national": (20_000, 1_000, 20),
}
"""Round sizes: (dossiers, members, panels for the panel designs)."""


@dataclass(frozen=True)
class Scenario:
    r"""How merit, members and noise are drawn (all in points per criterion unless stated).

    Attributes
    ----------
    name : str
        Short label.
    merit_sd : float
        :math:`\sigma_\theta`, spread of dossier merit.
    profile_sd : float
        :math:`\sigma_\delta`, spread of a dossier's criteria around its merit.
    sheet_sd : float
        :math:`\sigma_u`, noise shared by all criteria of one sheet.
    criterion_sd : float
        :math:`\sigma_e`, noise of each criterion of each sheet.
    lenient_share, harsh_share : float
        Fractions of members whose leniency is drawn uniformly from ``bias_range`` (as fractions
        of the criterion's maximum), with a plus or a minus sign; the others have none.
    bias_range : tuple of float
        Range of the lenient and harsh members' bias as a fraction of the maximum points.
    narrow_share, wide_share : float
        Fractions of members with spread ``narrow`` and ``wide``; the others have spread 1.
    narrow, wide : float
        The spreads :math:`a_r` of narrow and wide spreaders.
    criterion_means : tuple of float
        :math:`\mu_c`, the neutral member's average points on each criterion; their number is
        the number of criteria.
    max_points : float
        :math:`M`, highest points of every criterion.
    """

    name: str
    merit_sd: float = 2.0
    profile_sd: float = 1.0
    sheet_sd: float = 0.8
    criterion_sd: float = 1.0
    lenient_share: float = 0.0
    harsh_share: float = 0.0
    bias_range: tuple[float, float] = (0.10, 0.15)
    narrow_share: float = 0.0
    wide_share: float = 0.0
    narrow: float = 0.6
    wide: float = 1.5
    criterion_means: tuple[float, ...] = (13.0, 14.0, 12.0, 13.5, 12.5)
    max_points: float = 20.0

    @property
    def n_criteria(self) -> int:
        return len(self.criterion_means)


_BIASED = {"lenient_share": 1 / 3, "harsh_share": 1 / 3, "narrow_share": 1 / 3, "wide_share": 1 / 3}

SCENARIOS: dict[str, Scenario] = {
    # Every member alike: calibration has nothing to remove and may only add noise.
    "unbiased": Scenario("unbiased"),
    # A third lenient, a third harsh by 10–15 % of the scale; a third narrow, a third wide.
    "biased": Scenario("biased", **_BIASED),
    # The same members, but each sheet's noise is as large as the spread of merit (conference-like).
    "peer": Scenario("peer", sheet_sd=2.0, **_BIASED),
}
"""The named scenarios of the benchmark."""


@dataclass(frozen=True)
class Truth:
    r"""What generated a simulated round.

    Attributes
    ----------
    points : ndarray, shape (n_dossiers, n_criteria)
        :math:`m_{dc} = \mu_c + \theta_d + \delta_{dc}`, the neutral member's expected points
        (before rounding and clipping).
    leniency : ndarray, shape (n_reviewers,)
        :math:`b_r`, centred to mean zero.
    log_spread : ndarray, shape (n_reviewers,)
        :math:`s_r = \log a_r`, centred to mean zero.
    dossier_panel, reviewer_panel : ndarray of int
        Panel (field) of each dossier and member; all zero in the balanced design.
    scenario : Scenario
        Merit prior and noise variances.
    """

    points: NDArray[np.float64]
    leniency: NDArray[np.float64]
    log_spread: NDArray[np.float64]
    dossier_panel: NDArray[np.intp]
    reviewer_panel: NDArray[np.intp]
    scenario: Scenario


@dataclass(frozen=True)
class Simulation:
    """One simulated round: the scores a council would enter, and the truth behind them.

    Dossier ``i`` of ``truth`` is ``table.dossiers[i]`` (labels are zero-padded so that their
    sorted order is the order of simulation), and likewise for members and criteria.
    """

    table: ScoreTable
    truth: Truth
    design: str


def simulate(
    scenario: str | Scenario = "biased",
    design: str = "balanced",
    *,
    n_dossiers: int = 60,
    n_reviewers: int = 12,
    k: int = 3,
    n_panels: int = 3,
    cross_share: float = 0.05,
    step: float = 1.0,
    seed: int | np.random.SeedSequence | None = None,
) -> Simulation:
    r"""Draw one round: design, truth, and the rounded, clipped sheets.

    Parameters
    ----------
    scenario : {'unbiased', 'biased', 'peer'} or Scenario, optional
        Merit prior, members and noise; see :data:`SCENARIOS`.
    design : {'balanced', 'panels', 'isolated'}, optional
        ``'balanced'``: each dossier is scored by `k` distinct members chosen at random, and
        every member's load is within one of every other's. ``'panels'``: members and dossiers
        are split into `n_panels` fields of near-equal size, each dossier is scored within its
        field with balanced loads, and a share `cross_share` of dossiers (at least one per
        panel, in a ring, so that the round is connected) has one of its `k` members from
        another field. ``'isolated'``: panels without any cross-panel link, so that each field
        is a connected component of its own.
    n_dossiers, n_reviewers, k : int, optional
        Size of the round and sheets per dossier.
    n_panels : int, optional
        Fields in the panel designs (ignored by ``'balanced'``).
    cross_share : float, optional
        Share of dossiers with one member from another field (``'panels'`` only).
    step : float, optional
        Points are rounded to multiples of `step` (1 or 0.5 in practice).
    seed : int, SeedSequence or None, optional
        The same seed gives the same round. Design, members, merit and noise use independent
        streams spawned from it, so two scenarios with one seed share the same design.

    Returns
    -------
    Simulation
        The :class:`~scoring.scores.ScoreTable` (dossiers ``D00000``…, members ``M0000``…,
        criteria ``C1``…) and the :class:`Truth`.

    Notes
    -----
    The model is in the module docstring. Leniency of a lenient (harsh) member is
    :math:`\pm U(\text{bias\_range}) \cdot M`; spreads are 1, ``narrow`` or ``wide``; both are
    then centred over the council (leniency to mean 0, log-spread to mean 0), which fixes the
    scale a ranking is measured on without changing any comparison between dossiers.

    Examples
    --------
    >>> sim = simulate("biased", "balanced", n_dossiers=60, n_reviewers=12, seed=1)
    >>> sim.table.n_obs  # 60 dossiers x 3 sheets x 5 criteria
    900
    """
    scen = SCENARIOS[scenario] if isinstance(scenario, str) and scenario in SCENARIOS else scenario
    _simulate_input_validation(scen, design, n_dossiers, n_reviewers, k, n_panels, cross_share, step)
    assert isinstance(scen, Scenario)
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng_design, rng_members, rng_merit, rng_noise = (np.random.default_rng(s) for s in root.spawn(4))
    panels = 1 if design == "balanced" else n_panels
    share = cross_share if design == "panels" else 0.0
    sheet_d, sheet_r, d_panel, r_panel = _assign(rng_design, n_dossiers, n_reviewers, k, panels, share)
    leniency, log_spread = _members(rng_members, scen, n_reviewers)
    n_c = scen.n_criteria
    merit = rng_merit.normal(0.0, scen.merit_sd, n_dossiers)
    profile = rng_merit.normal(0.0, scen.profile_sd, (n_dossiers, n_c))
    mu = np.asarray(scen.criterion_means, dtype=float)
    deviation = merit[:, None] + profile
    # y = mu_c + b_r + a_r (theta_d + delta_dc) + u_dr + e_drc, one row per sheet
    spread = np.exp(log_spread)
    latent = (
        mu
        + leniency[sheet_r, None]
        + spread[sheet_r, None] * deviation[sheet_d]
        + rng_noise.normal(0.0, scen.sheet_sd, sheet_d.size)[:, None]
        + rng_noise.normal(0.0, scen.criterion_sd, (sheet_d.size, n_c))
    )
    points = np.clip(np.round(latent / step) * step, 0.0, scen.max_points)
    truth = Truth(mu + deviation, leniency, log_spread, d_panel, r_panel, scen)
    return Simulation(_table(sheet_d, sheet_r, points, n_dossiers, n_reviewers), truth, design)


def _simulate_input_validation(
    scenario: object,
    design: str,
    n_dossiers: int,
    n_reviewers: int,
    k: int,
    n_panels: int,
    cross_share: float,
    step: float,
) -> None:
    if not isinstance(scenario, Scenario):
        raise ValueError(f"`scenario` must be one of {', '.join(SCENARIOS)} or a Scenario; got {scenario!r}.")
    if design not in DESIGNS:
        raise ValueError(f"`design` must be one of {', '.join(DESIGNS)}; got {design!r}.")
    if n_dossiers < 1 or k < 1:
        raise ValueError("`n_dossiers` and `k` must be at least 1.")
    panels = 1 if design == "balanced" else n_panels
    if panels < 1 or n_reviewers // panels < k:
        raise ValueError(
            f"Each of the {panels} panel(s) needs at least k = {k} members; `n_reviewers` is {n_reviewers}."
        )
    if not 0.0 <= cross_share <= 1.0:
        raise ValueError("`cross_share` must lie between 0 and 1.")
    if not step > 0:
        raise ValueError("`step` must be positive.")


def _members(
    rng: np.random.Generator, scen: Scenario, n_reviewers: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Leniency and log-spread of each member, centred over the council."""
    kind = rng.choice(3, size=n_reviewers, p=_shares(scen.lenient_share, scen.harsh_share))
    size = rng.uniform(*scen.bias_range, n_reviewers) * scen.max_points
    leniency = np.select([kind == 0, kind == 1], [size, -size], 0.0)
    kind = rng.choice(3, size=n_reviewers, p=_shares(scen.narrow_share, scen.wide_share))
    log_spread = np.select([kind == 0, kind == 1], [math.log(scen.narrow), math.log(scen.wide)], 0.0)
    return leniency - leniency.mean(), log_spread - log_spread.mean()


def _shares(first: float, second: float) -> list[float]:
    if first < 0 or second < 0 or first + second > 1 + 1e-12:
        raise ValueError("Member shares must be non-negative and add up to at most 1.")
    return [first, second, max(0.0, 1.0 - first - second)]


def _assign(
    rng: np.random.Generator, n_dossiers: int, n_reviewers: int, k: int, n_panels: int, cross_share: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Sheets (dossier, member) of a panel design; one panel is the balanced design.

    Members go to panels round-robin after shuffling; dossiers go to panels in proportion to
    their members, so that loads can be balanced across the whole round.
    """
    r_panel = rng.permutation(np.arange(n_reviewers) % n_panels)
    members = [np.flatnonzero(r_panel == p) for p in range(n_panels)]
    sizes = np.array([m.size for m in members])
    quota = n_dossiers * sizes / n_reviewers
    counts = np.floor(quota).astype(int)
    counts[np.argsort(counts - quota)[: n_dossiers - counts.sum()]] += 1  # largest remainders
    d_panel = rng.permutation(np.repeat(np.arange(n_panels), counts))
    # Cross-panel links: first a ring p -> p+1 (connectivity), then random ones up to the share.
    other = np.full(n_dossiers, -1)
    if n_panels > 1 and cross_share > 0:
        for p in range(n_panels):
            own = np.flatnonzero(d_panel == p)
            if own.size:
                other[rng.choice(own)] = (p + 1) % n_panels
        extra = round(cross_share * n_dossiers) - np.count_nonzero(other >= 0)
        free = np.flatnonzero(other < 0)
        for d in rng.choice(free, size=min(max(extra, 0), free.size), replace=False):
            other[d] = (d_panel[d] + rng.integers(1, n_panels)) % n_panels
    load = np.zeros(n_reviewers)
    sheet_d = np.repeat(np.arange(n_dossiers), k)
    sheet_r = np.empty(n_dossiers * k, dtype=np.intp)
    for d in rng.permutation(n_dossiers):
        pool = members[d_panel[d]]
        picks = _least_loaded(rng, pool, load, k - (other[d] >= 0))
        if other[d] >= 0:
            picks = np.append(picks, _least_loaded(rng, members[other[d]], load, 1))
        load[picks] += 1
        sheet_r[d * k : (d + 1) * k] = picks
    return sheet_d, sheet_r, d_panel.astype(np.intp), r_panel.astype(np.intp)


def _least_loaded(
    rng: np.random.Generator, pool: NDArray[np.intp], load: NDArray[np.float64], k: int
) -> NDArray[np.intp]:
    # Greedy: always the k least loaded keeps every load within one of the others; the jitter
    # (< 1) breaks ties at random without ever preferring a busier member.
    key = load[pool] + 0.5 * rng.random(pool.size)
    return pool[np.argpartition(key, k - 1)[:k]] if k < pool.size else pool[np.argsort(key)]


def _table(
    sheet_d: NDArray[np.intp], sheet_r: NDArray[np.intp], points: NDArray[np.float64], n_d: int, n_r: int
) -> ScoreTable:
    n_c = points.shape[1]
    order = np.lexsort((sheet_r, sheet_d))  # sheets in (dossier, member) order, like sheet_codes()
    sheet_d, sheet_r, points = sheet_d[order], sheet_r[order], points[order]
    width_d, width_r = len(str(max(n_d - 1, 1))), len(str(max(n_r - 1, 1)))
    return ScoreTable(
        dossiers=np.array([f"D{i:0{max(width_d, 5)}d}" for i in range(n_d)]),
        reviewers=np.array([f"M{i:0{max(width_r, 4)}d}" for i in range(n_r)]),
        criteria=np.array([f"C{c + 1}" for c in range(n_c)]),
        dossier=np.repeat(sheet_d, n_c),
        reviewer=np.repeat(sheet_r, n_c),
        criterion=np.tile(np.arange(n_c, dtype=np.intp), sheet_d.size),
        score=points.ravel(),
    )


def true_scores(truth: Truth, weights: ArrayLike | None = None) -> NDArray[np.float64]:
    r"""Each dossier's true score: the weighted total the council's average member would give.

    Parameters
    ----------
    truth : Truth
    weights : array_like, shape (n_criteria,), optional
        Criterion weights (default: all 1), as given to :func:`scoring.ranking.fit`.

    Returns
    -------
    ndarray, shape (n_dossiers,)
        :math:`T_d = \sum_c w_c m_{dc}`, on the scale of the normalised score of
        :class:`scoring.models.Fit` (0–100 on the default rubric), before rounding and clipping.
    """
    return truth.points @ _weights(weights, truth.points.shape[1])


def _weights(weights: ArrayLike | None, n_criteria: int) -> NDArray[np.float64]:
    w = np.ones(n_criteria) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (n_criteria,) or np.any(~np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"`weights` must be {n_criteria} finite non-negative numbers, not all zero.")
    return w


def true_ranks(true_score: ArrayLike) -> NDArray[np.intp]:
    """Rank of each dossier by its true score: 1 is the best (the truth has no ties)."""
    t = np.asarray(true_score, dtype=float)
    ranks = np.empty(t.size, dtype=np.intp)
    ranks[np.argsort(-t, kind="stable")] = np.arange(1, t.size + 1)
    return ranks


@dataclass(frozen=True)
class OracleResult:
    """The oracle's posterior for each dossier's true score.

    Attributes
    ----------
    score, sd : ndarray
        Posterior mean and standard deviation of :math:`T_d`.
    ci_low, ci_high : ndarray
        Equal-tailed posterior interval of :math:`T_d` at the requested level.
    rank_low, rank_high : ndarray
        Equal-tailed interval of the rank (1 = best) over posterior draws.
    p_top : ndarray
        Posterior probability of being in the top `top_k` (NaN if `top_k` was not given).
    """

    score: NDArray[np.float64]
    sd: NDArray[np.float64]
    ci_low: NDArray[np.float64]
    ci_high: NDArray[np.float64]
    rank_low: NDArray[np.float64]
    rank_high: NDArray[np.float64]
    p_top: NDArray[np.float64]


def oracle(
    sim: Simulation,
    weights: ArrayLike | None = None,
    *,
    level: float = 0.9,
    top_k: int | None = None,
    n_draws: int = 400,
    seed: int | None = 0,
) -> OracleResult:
    r"""Posterior of each dossier's true score given everything but the merits themselves.

    The oracle knows every member's leniency :math:`b_r` and spread :math:`a_r`, the noise
    variances :math:`\sigma_u^2, \sigma_e^2`, the criterion means :math:`\mu_c` and the merit
    prior :math:`\sigma_\theta^2, \sigma_\delta^2`; no method can know more. Its posterior mean
    is the best estimate of each true score in mean squared error under the *unclipped,
    unrounded* model; clipping and rounding make the real sheets slightly non-Gaussian, so a
    method may beat the oracle on one draw, but not on average.

    Parameters
    ----------
    sim : Simulation
    weights : array_like, optional
        Criterion weights, as for :func:`true_scores`.
    level : float, optional
        Coverage of the score and rank intervals.
    top_k : int, optional
        For `p_top`.
    n_draws : int, optional
        Posterior draws for the rank intervals.
    seed : int or None, optional
        Seed of those draws.

    Returns
    -------
    OracleResult

    Notes
    -----
    Undo the member: :math:`z_{dr} = (y_{dr} - \mu - b_r \mathbf 1) / a_r = v_d + \varepsilon_{dr}`
    with :math:`v_d = \theta_d \mathbf 1 + \delta_d` and
    :math:`\varepsilon_{dr} \sim N(0, (\sigma_u^2 J + \sigma_e^2 I) / a_r^2)` (:math:`J` the
    all-ones matrix), a priori :math:`v_d \sim N(0, \sigma_\theta^2 J + \sigma_\delta^2 I)`.
    Given the members, dossiers are independent. Both covariances are diagonal in the split
    :math:`P = J/C` (the dossier's mean over criteria) and :math:`Q = I - P` (its profile), with
    eigenvalues :math:`\lambda_0 = \sigma_\delta^2 + C\sigma_\theta^2` and :math:`\sigma_\delta^2`
    for the prior, :math:`\lambda_n = \sigma_e^2 + C\sigma_u^2` and :math:`\sigma_e^2` for the
    noise. With :math:`S_d = \sum_r a_r^2` over the dossier's members and
    :math:`\bar z_d = \sum_r a_r^2 z_{dr} / S_d`, the posterior is

    .. math::

        E[v_d \mid y] = \frac{S_d\lambda_0}{\lambda_n + S_d\lambda_0} P\bar z_d
            + \frac{S_d\sigma_\delta^2}{\sigma_e^2 + S_d\sigma_\delta^2} Q\bar z_d, \qquad
        \operatorname{Var}[v_d \mid y] = \frac{\lambda_0\lambda_n}{\lambda_n + S_d\lambda_0} P
            + \frac{\sigma_\delta^2\sigma_e^2}{\sigma_e^2 + S_d\sigma_\delta^2} Q,

    and :math:`T_d = w^\top(\mu + v_d)` is normal with mean and variance from these. Ranks are
    taken over `n_draws` joint draws of all :math:`T_d`.
    """
    if not 0 < level < 1:
        raise ValueError("`level` must lie strictly between 0 and 1.")
    truth, scen = sim.truth, sim.truth.scenario
    n_d, n_c = truth.points.shape
    w = _weights(weights, n_c)
    mu = np.asarray(scen.criterion_means, dtype=float)
    s, zbar = _undo_members(sim, truth.leniency)
    lam0, lamn = scen.profile_sd**2 + n_c * scen.merit_sd**2, scen.criterion_sd**2 + n_c * scen.sheet_sd**2
    var_p = _posterior_variance(lam0, lamn, s)
    mean_p = zbar.mean(axis=1)
    profile, var_q = _profile_posterior(sim, s, zbar)
    score = mu @ w + w.sum() * _shrink(var_p, lam0) * mean_p + profile @ w
    w_p = w.sum() ** 2 / n_c  # w' P w
    sd = np.sqrt(w_p * var_p + (w @ w - w_p) * var_q)
    half = special.ndtri(0.5 + level / 2) * sd
    draws = np.random.default_rng(seed).standard_normal((n_draws, n_d)) * sd + score
    ranks = n_d - np.argsort(np.argsort(draws, axis=1), axis=1)  # 1 = best in each draw
    tail = (1 - level) / 2
    rank_low, rank_high = np.quantile(ranks, [tail, 1 - tail], axis=0, method="inverted_cdf")
    p_top = (ranks <= top_k).mean(axis=0) if top_k is not None else np.full(n_d, np.nan)
    return OracleResult(score, sd, score - half, score + half, rank_low, rank_high, p_top)


def _undo_members(
    sim: Simulation, leniency: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r""":math:`S_d = \sum_r a_r^2` and :math:`\bar z_d`, the spread-weighted mean of the sheets undone."""
    table, truth = sim.table, sim.truth
    n_d, n_c = truth.points.shape
    y = np.empty((table.n_obs // n_c, n_c))
    sheet, sheet_d, sheet_r = table.sheet_codes()
    y[sheet, table.criterion] = table.score
    a2 = np.exp(2 * truth.log_spread[sheet_r])
    z = (y - np.asarray(truth.scenario.criterion_means) - leniency[sheet_r, None]) / np.sqrt(a2)[:, None]
    s = np.bincount(sheet_d, weights=a2, minlength=n_d)
    zbar = np.stack([np.bincount(sheet_d, weights=a2 * z[:, c], minlength=n_d) for c in range(n_c)], axis=1)
    return s, zbar / np.where(s > 0, s, 1.0)[:, None]


def _profile_posterior(
    sim: Simulation, s: NDArray[np.float64], zbar: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Posterior mean and variance of the profile part Q v_d; a leniency (same on every criterion) cancels."""
    scen = sim.truth.scenario
    var_q = _posterior_variance(scen.profile_sd**2, scen.criterion_sd**2, s)
    profile = zbar - zbar.mean(axis=1, keepdims=True)
    return _shrink(var_q, scen.profile_sd**2)[:, None] * profile, var_q


def partial_oracle(sim: Simulation, weights: ArrayLike | None = None) -> NDArray[np.float64]:
    r"""Posterior mean of each true score for an oracle that must estimate the leniencies.

    Like :func:`oracle`, it knows every member's spread, the noise variances and the merit
    prior, and it knows how leniency varies over members (the scenario's variance
    :math:`\sigma_b^2`), but not which member is how lenient: it learns that from the scores,
    as a model must. The gap between :func:`oracle` and this is what learning the leniencies
    from the data costs, whatever the method; the gap between this and a model is what the
    model loses besides, by also estimating spreads and variances, and by its assumptions.

    Returns
    -------
    ndarray, shape (n_dossiers,)
        Posterior means on the scale of :func:`true_scores`.

    Notes
    -----
    Leniency is the same on every criterion, so it only enters a sheet's mean over criteria,
    :math:`\bar y_s - \bar\mu = b_r + a_r \bar\theta_d + \eta_s`, with
    :math:`\bar\theta_d \sim N(0, \lambda_0/C)`, :math:`b_r \sim N(0, \sigma_b^2)` and
    :math:`\eta_s \sim N(0, \lambda_n/C)` (notation of :func:`oracle`); the profile part of
    each dossier is as in :func:`oracle`. The joint posterior mean of :math:`\bar\theta` and
    :math:`b` is solved exactly, the dossiers eliminated first (the Schur complement has one
    row per member). :math:`\sigma_b^2` is the variance of the scenario's mixture of lenient,
    harsh and neutral members, a Gaussian prior with the right variance (the best linear
    estimate, not the exact posterior of the mixture).
    """
    truth, scen = sim.truth, sim.truth.scenario
    n_d, n_c = truth.points.shape
    w = _weights(weights, n_c)
    lenient_var = _leniency_variance(scen)
    s, zbar = _undo_members(sim, np.zeros_like(truth.leniency))
    profile, _ = _profile_posterior(sim, s, zbar)
    sheet, sheet_d, sheet_r = sim.table.sheet_codes()
    lam0, lamn = scen.profile_sd**2 + n_c * scen.merit_sd**2, scen.criterion_sd**2 + n_c * scen.sheet_sd**2
    if lenient_var == 0:
        return oracle(sim, weights, n_draws=1).score  # nothing to learn: every leniency is 0
    a = np.exp(truth.log_spread)
    ybar = np.bincount(sheet, weights=sim.table.score) / n_c - np.mean(scen.criterion_means)
    noise_precision = n_c / lamn
    p_theta = n_c / lam0 + noise_precision * s  # dossier block (diagonal)
    p_member = 1 / lenient_var + noise_precision * np.bincount(sheet_r, minlength=truth.leniency.size)
    cross = sparse.csr_array(
        (noise_precision * a[sheet_r], (sheet_r, sheet_d)), shape=(truth.leniency.size, n_d)
    )
    rhs_theta = noise_precision * np.bincount(sheet_d, a[sheet_r] * ybar, minlength=n_d)
    rhs_member = noise_precision * np.bincount(sheet_r, ybar, minlength=truth.leniency.size)
    schur = np.diag(p_member) - (cross @ sparse.diags_array(1 / p_theta) @ cross.T).toarray()
    leniency = linalg.solve(schur, rhs_member - cross @ (rhs_theta / p_theta), assume_a="pos")
    theta = (rhs_theta - cross.T @ leniency) / p_theta
    return np.asarray(scen.criterion_means) @ w + w.sum() * theta + profile @ w


def _leniency_variance(scen: Scenario) -> float:
    """Variance of one member's leniency under the scenario's mixture (points per criterion)."""
    lo, hi = (x * scen.max_points for x in scen.bias_range)
    mean_u, mean_u2 = (lo + hi) / 2, (lo * lo + lo * hi + hi * hi) / 3
    mean = (scen.lenient_share - scen.harsh_share) * mean_u
    return (scen.lenient_share + scen.harsh_share) * mean_u2 - mean**2


def _posterior_variance(prior: float, noise: float, s: NDArray[np.float64]) -> NDArray[np.float64]:
    # 1 / (1/prior + s/noise), written to survive a zero prior or zero noise
    denom = noise + s * prior
    return np.divide(prior * noise, denom, out=np.zeros_like(s), where=denom > 0)


def _shrink(var: NDArray[np.float64], prior: float) -> NDArray[np.float64]:
    """Weight of the data in the posterior mean, 1 - Var_post / Var_prior."""
    return 1.0 - var / prior if prior > 0 else np.zeros_like(var)


@dataclass(frozen=True)
class Metrics:
    """How well one ranking recovers the truth of one simulated round.

    Attributes
    ----------
    tau : float
        Kendall's tau between estimated and true scores, ties counted as half
        (:func:`kendall_tau`).
    top_precision : float
        Share of the estimated top list (top `top_share` of dossiers) that is truly there.
    score_coverage, rank_coverage : float
        Share of dossiers whose true score (true rank) lies inside its interval; NaN without
        intervals.
    score_width, rank_width : float
        Mean width of those intervals; NaN without intervals.
    """

    tau: float
    top_precision: float
    score_coverage: float = math.nan
    rank_coverage: float = math.nan
    score_width: float = math.nan
    rank_width: float = math.nan


def kendall_tau(score: ArrayLike, true_score: ArrayLike) -> float:
    r"""Kendall's tau between estimated and true scores, ties in the estimate counted as half.

    The truth is continuous (no ties); the estimate may have many (a raw mean of integer
    points). Tau-b (:func:`scipy.stats.kendalltau`, whose statistic we start from) divides by
    the number of pairs the *estimate* does not tie, which rewards an estimate for tying: a
    tie counts as neither right nor wrong but also leaves the denominator. We return tau-a,

    .. math::

        \tau_a = \frac{C - D}{N} = \tau_b \frac{\sqrt{(N - T_x)(N - T_y)}}{N}, \qquad
        N = \frac{n(n-1)}{2}, \quad T_x = \sum_{\text{ties of the estimate}} \frac{t(t-1)}{2}

    (:math:`C, D` the concordant and discordant pairs, :math:`T_y = 0` for a continuous
    truth), which is the expected tau-b of the estimate with its ties broken at random: a
    method gains nothing by tying and loses nothing by not.

    Examples
    --------
    >>> round(kendall_tau([1, 3, 2, 4], [1, 2, 3, 4]), 4)  # 5 of 6 pairs agree: (5 - 1) / 6
    0.6667
    >>> round(kendall_tau([1, 1, 2, 3], [1, 2, 3, 4]), 4)  # tau-b would be 0.9129
    0.8333
    """
    s, t = np.asarray(score, dtype=float), np.asarray(true_score, dtype=float)
    tau_b = float(stats.kendalltau(s, t).statistic)
    pairs = s.size * (s.size - 1) / 2
    tie_pairs = [
        float(np.sum(c * (c - 1) / 2)) for c in (np.unique(a, return_counts=True)[1] for a in (s, t))
    ]
    return tau_b * math.sqrt((pairs - tie_pairs[0]) * (pairs - tie_pairs[1])) / pairs


def top_precision(score: ArrayLike, true_score: ArrayLike, share: float = 0.2) -> float:
    """Precision of the top list: the expected share of its members who are truly in the top.

    The list has ``n_top = max(1, round(share * n))`` dossiers, both by estimate and by truth.
    Estimated scores tied at the cut are broken at random; the expectation over that draw is
    returned, so that a method giving many ties is neither rewarded nor punished by the order
    of the input.

    Examples
    --------
    >>> top_precision([4, 3, 2, 1, 0], [10, 9, 8, 7, 6], share=0.4)
    1.0
    >>> top_precision([1, 1, 1, 1, 0], [10, 9, 8, 7, 6], share=0.4)  # 2 of the 4 tied are in
    0.5
    """
    s, t = np.asarray(score, dtype=float), np.asarray(true_score, dtype=float)
    if s.shape != t.shape or s.ndim != 1 or s.size == 0:
        raise ValueError("`score` and `true_score` must be non-empty 1-D arrays of equal length.")
    n_top = max(1, round(share * s.size))
    truly = np.zeros(s.size, dtype=bool)
    truly[np.argsort(-t, kind="stable")[:n_top]] = True
    cut = np.sort(s)[::-1][n_top - 1]
    above, tied = s > cut, s == cut
    # the remaining places are filled at random from the dossiers tied at the cut
    places = n_top - np.count_nonzero(above)
    hits = np.count_nonzero(above & truly) + places * np.count_nonzero(tied & truly) / np.count_nonzero(tied)
    return float(hits / n_top)


def coverage(low: ArrayLike, high: ArrayLike, truth: ArrayLike) -> float:
    """Share of intervals ``[low, high]`` (either order) that contain the truth."""
    lo, hi, t = (np.asarray(a, dtype=float) for a in (low, high, truth))
    return float(np.mean((np.minimum(lo, hi) <= t) & (t <= np.maximum(lo, hi))))


def evaluate(
    true_score: ArrayLike,
    score: ArrayLike,
    *,
    ci: tuple[ArrayLike, ArrayLike] | None = None,
    rank_ci: tuple[ArrayLike, ArrayLike] | None = None,
    top_share: float = 0.2,
) -> Metrics:
    """All metrics of one ranking of one round.

    Parameters
    ----------
    true_score : array_like, shape (n_dossiers,)
        From :func:`true_scores`, in the same dossier order as `score`.
    score : array_like
        The method's scores (higher is better).
    ci, rank_ci : pair of array_like, optional
        Score interval ``(low, high)`` and rank interval ``(low, high)`` per dossier.
    top_share : float, optional
        Size of the award list as a share of the dossiers.

    Examples
    --------
    >>> m = evaluate([3.0, 2.0, 1.0], [30, 20, 10], ci=([2.5, 2.5, 0.0], [3.5, 3.5, 1.5]))
    >>> m.tau, m.score_coverage
    (1.0, 0.6666666666666666)
    """
    t = np.asarray(true_score, dtype=float)
    metrics = Metrics(kendall_tau(score, t), top_precision(score, t, top_share))
    if ci is not None:
        lo, hi = (np.asarray(a, dtype=float) for a in ci)
        metrics = replace(
            metrics, score_coverage=coverage(lo, hi, t), score_width=float(np.mean(np.abs(hi - lo)))
        )
    if rank_ci is not None:
        lo, hi = (np.asarray(a, dtype=float) for a in rank_ci)
        metrics = replace(
            metrics,
            rank_coverage=coverage(lo, hi, true_ranks(t)),
            rank_width=float(np.mean(np.abs(hi - lo))),
        )
    return metrics
