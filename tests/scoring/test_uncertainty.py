"""scoring.uncertainty: simulated intervals for scores and ranks, and the top-K probability."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse

from scoring import models
from scoring.uncertainty import ScorePosterior, default_n_draws, rank_uncertainty, ranks_of
from tests.scoring.test_models import simulate_round


def independent(center, sd) -> ScorePosterior:
    center = np.asarray(center, dtype=float)
    return ScorePosterior(
        center,
        np.broadcast_to(np.asarray(sd, float), center.shape).copy(),
        sparse.csr_array((center.size, 0)),
        np.zeros(0),
    )


class TestRanksOf:
    def test_largest_first_and_ties_by_position(self):
        assert_array_equal(ranks_of(np.array([3.0, 9.0, 3.0, 1.0])), [2, 1, 3, 4])

    def test_along_the_last_axis(self):
        assert_array_equal(ranks_of(np.array([[1.0, 2.0], [2.0, 1.0]])), [[2, 1], [1, 2]])


class TestScorePosterior:
    def test_marginal_sd_adds_the_shared_parameters(self):
        loadings = sparse.csr_array(np.array([[1.0, 0.0], [0.5, 2.0]]))
        posterior = ScorePosterior(np.zeros(2), np.array([3.0, 1.0]), loadings, np.array([4.0, 1.0]))
        assert_allclose(posterior.marginal_sd, np.sqrt([9 + 16, 1 + 0.25 * 16 + 4]))


class TestRankUncertainty:
    def test_well_separated_dossiers_are_certain(self):
        result = rank_uncertainty(independent([30.0, 20.0, 10.0], 0.1), top_k=1, n_draws=200)
        assert_array_equal(result.rank, [1, 2, 3])
        assert_array_equal(result.rank_low, [1, 2, 3])
        assert_array_equal(result.rank_high, [1, 2, 3])
        assert_allclose(result.p_top, [1, 0, 0], atol=1e-9)

    def test_indistinguishable_dossiers_share_the_top(self):
        result = rank_uncertainty(independent(np.zeros(4), 1.0), top_k=2, n_draws=4000, seed=1)
        assert_allclose(result.p_top, 0.5, atol=0.03)
        assert_array_equal(result.rank_low, 1)
        assert_array_equal(result.rank_high, 4)

    def test_score_interval_is_gaussian(self):
        result = rank_uncertainty(independent([10.0, 0.0], [2.0, 1.0]), level=0.9)
        assert_allclose(result.ci_low, [10 - 1.6448536 * 2, -1.6448536], rtol=1e-6)
        assert_allclose(result.ci_high, [10 + 1.6448536 * 2, 1.6448536], rtol=1e-6)

    def test_p_top_sums_to_k(self):
        posterior = independent(np.linspace(0, 3, 30), 1.0)
        result = rank_uncertainty(posterior, top_k=6, n_draws=2000)
        assert result.p_top.sum() == pytest.approx(6, rel=0.02)

    def test_shared_parameters_move_dossiers_together(self):
        # Two dossiers scored by the same uncertain member: their difference is certain.
        loadings = sparse.csr_array(np.array([[1.0], [1.0], [0.0]]))
        posterior = ScorePosterior(np.array([1.0, 0.0, 0.5]), np.full(3, 1e-3), loadings, np.array([5.0]))
        result = rank_uncertainty(posterior, top_k=1, n_draws=500)
        assert np.all(result.rank_low[:2] <= result.rank_high[:2])
        assert result.p_top[1] < 0.01  # never above its partner
        assert result.p_top[0] == pytest.approx(0.5, abs=0.07)

    def test_same_seed_same_result_and_another_seed_another(self):
        fit = models.shrinkage(simulate_round(2, leniency_sd=1.0)[0])
        first = rank_uncertainty(fit.posterior, seed=7, n_draws=300)
        again = rank_uncertainty(fit.posterior, seed=7, n_draws=300)
        other = rank_uncertainty(fit.posterior, seed=8, n_draws=300)
        assert_array_equal(first.rank_low, again.rank_low)
        assert_array_equal(first.p_top, again.p_top)
        assert not np.array_equal(first.p_top, other.p_top)

    def test_everyone_is_in_a_top_of_everyone(self):
        result = rank_uncertainty(independent([1.0, 2.0], 1.0), top_k=2)
        assert_allclose(result.p_top, 1.0)

    def test_default_top_k_and_draws(self):
        result = rank_uncertainty(independent(np.arange(11.0), 1.0))
        assert result.top_k == 3 and result.n_draws == 1000
        assert [default_n_draws(n) for n in (10, 4000, 8000, 20_000, 10**6)] == [1000, 1000, 500, 200, 200]

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"top_k": 0}, "`top_k` must be an integer from 1"),
            ({"top_k": 4}, "`top_k` must be an integer from 1"),
            ({"level": 1.0}, "`level` must lie strictly between 0 and 1"),
            ({"n_draws": 0}, "`n_draws` must be a positive integer"),
        ],
    )
    def test_bad_settings(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            rank_uncertainty(independent([1.0, 2.0, 3.0], 1.0), **kwargs)

    def test_no_dossiers(self):
        with pytest.raises(ValueError, match="no dossiers"):
            rank_uncertainty(independent([], 1.0))


@pytest.mark.parametrize("method", ["shrinkage", "raw"])
def test_rank_intervals_are_calibrated(method):
    # Coverage of the true rank by the 90 % rank interval, over replications of a small round
    # (60 dossiers, 12 members, 3 sheets each) with biased members. Nominal is 0.90; the band
    # allows for simulation noise, the discreteness of ranks and rounding of the points.
    covered = []
    for seed in range(6):
        table, merit, *_ = simulate_round(100 + seed, leniency_sd=0.6, log_spread_sd=0.2, noise_sd=2.0)
        fit = models.MODELS[method](table)
        result = rank_uncertainty(fit.posterior, n_draws=400, seed=seed)
        truth = ranks_of(merit)
        covered.append(np.mean((result.rank_low <= truth) & (truth <= result.rank_high)))
    assert 0.80 <= np.mean(covered) <= 0.98
