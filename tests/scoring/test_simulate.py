"""scoring.simulate: simulated councils with a known truth, the oracle, and the metrics."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from scoring.scores import components
from scoring.simulate import (
    SCENARIOS,
    Scenario,
    coverage,
    evaluate,
    kendall_tau,
    oracle,
    partial_oracle,
    simulate,
    top_precision,
    true_ranks,
    true_scores,
)

# Neither clipped nor (visibly) rounded: the oracle's model holds exactly. The bias range is a
# fraction of max_points, hence tiny here: 2-3 points, as in the 'biased' scenario.
EXACT = replace(SCENARIOS["biased"], max_points=1e4, bias_range=(2e-4, 3e-4))


def same(codes):
    """Indicator matrix: do observations i and j share this code?"""
    return codes[:, None] == codes[None, :]


def raw_means(sim):
    """Plain mean of each dossier's sheet totals: the method calibration must beat."""
    sheet, sheet_d, _ = sim.table.sheet_codes()
    totals = np.bincount(sheet, weights=sim.table.score)
    return np.bincount(sheet_d, weights=totals) / np.bincount(sheet_d)


class TestSimulate:
    def test_same_seed_same_round(self):
        a, b = (simulate("biased", "panels", n_dossiers=40, n_reviewers=12, seed=7) for _ in range(2))
        assert_array_equal(a.table.score, b.table.score)
        assert_array_equal(a.table.reviewer, b.table.reviewer)
        assert_array_equal(a.truth.points, b.truth.points)
        c = simulate("biased", "panels", n_dossiers=40, n_reviewers=12, seed=8)
        assert not np.array_equal(a.table.score, c.table.score)

    def test_scenarios_with_one_seed_share_the_design(self):
        a = simulate("unbiased", n_dossiers=30, n_reviewers=9, seed=3)
        b = simulate("peer", n_dossiers=30, n_reviewers=9, seed=3)
        assert_array_equal(a.table.reviewer, b.table.reviewer)
        assert_array_equal(a.truth.points, b.truth.points)

    @pytest.mark.parametrize("design", ["balanced", "panels", "isolated"])
    def test_k_distinct_members_per_dossier_and_balanced_loads(self, design):
        sim = simulate("biased", design, n_dossiers=100, n_reviewers=15, k=3, n_panels=3, seed=1)
        table = sim.table
        _, sheet_d, sheet_r = table.sheet_codes()  # sheets are unique (dossier, member) pairs
        assert_array_equal(np.bincount(sheet_d, minlength=100), 3)
        assert_array_equal(np.bincount(table.dossier, minlength=100), 3 * 5)
        loads = np.bincount(sheet_r, minlength=15)
        for panel in np.unique(sim.truth.reviewer_panel):  # within a field, loads differ by one at most
            in_panel = loads[sim.truth.reviewer_panel == panel]
            assert in_panel.max() - in_panel.min() <= 1 + (design == "panels")  # + the odd cross link
        # across fields, dossiers are shared out in proportion to members, up to rounding
        assert loads.max() - loads.min() <= (1 if design == "balanced" else 2)
        assert loads.sum() == 300

    def test_panels_score_within_their_field_but_for_a_few_links(self):
        sim = simulate("biased", "panels", n_dossiers=200, n_reviewers=20, n_panels=4, seed=2)
        _, sheet_d, sheet_r = sim.table.sheet_codes()
        crossing = sim.truth.dossier_panel[sheet_d] != sim.truth.reviewer_panel[sheet_r]
        assert 4 <= np.count_nonzero(crossing) <= 0.05 * 200 + 4
        dossier_component, _ = components(sim.table)
        assert dossier_component.max() == 0  # the ring of links connects the round

    def test_isolated_panels_are_components(self):
        sim = simulate("biased", "isolated", n_dossiers=60, n_reviewers=12, n_panels=3, seed=2)
        _, sheet_d, sheet_r = sim.table.sheet_codes()
        assert_array_equal(sim.truth.dossier_panel[sheet_d], sim.truth.reviewer_panel[sheet_r])
        dossier_component, _ = components(sim.table)
        assert dossier_component.max() == 2

    @pytest.mark.parametrize("step", [1.0, 0.5])
    def test_points_rounded_and_clipped_to_the_rubric(self, step):
        scen = replace(SCENARIOS["peer"], criterion_means=(19.0, 1.0, 10.0))  # often clipped
        score = simulate(scen, n_dossiers=200, n_reviewers=12, step=step, seed=4).table.score
        assert score.min() == 0 and score.max() == 20
        assert_allclose(score / step, np.round(score / step))
        assert np.any(score % 1 == 0.5) == (step == 0.5)

    def test_truth(self):
        sim = simulate("biased", n_dossiers=50, n_reviewers=30, seed=5)
        truth = sim.truth
        assert truth.points.shape == (50, 5) and sim.table.n_criteria == 5
        assert_allclose([truth.leniency.mean(), truth.log_spread.mean()], 0, atol=1e-12)
        # lenient +2..3, harsh -2..3 points (10-15 % of 20) before centring, so 4..6 apart at most
        assert 4 <= np.ptp(truth.leniency) <= 6
        assert_allclose(np.ptp(truth.log_spread), np.log(1.5 / 0.6))
        unbiased = simulate("unbiased", n_dossiers=50, n_reviewers=30, seed=5).truth
        assert not np.any(unbiased.leniency) and not np.any(unbiased.log_spread)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"scenario": "lenient"}, "`scenario` must be one of unbiased, biased, peer"),
            ({"design": "random"}, "`design` must be one of balanced, panels, isolated"),
            ({"n_dossiers": 0}, "at least 1"),
            ({"k": 0}, "at least 1"),
            ({"n_reviewers": 2}, "at least k = 3 members"),
            ({"design": "panels", "n_panels": 5}, "Each of the 5 panel"),
            ({"design": "panels", "cross_share": 1.5}, "between 0 and 1"),
            ({"step": 0}, "positive"),
            ({"scenario": Scenario("x", lenient_share=0.8, harsh_share=0.8)}, "at most 1"),
        ],
    )
    def test_every_error_message(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            simulate(**{"n_dossiers": 10, "n_reviewers": 12, **kwargs})


class TestOracle:
    @pytest.mark.parametrize("weights", [None, [2.0, 1.0, 1.0, 0.5, 0.5]])
    def test_matches_gaussian_conditioning(self, weights):
        # Reference: the textbook posterior E[v | y] = S0 B' (B S0 B' + R)^-1 (y - mu - a), built
        # dossier by dossier with dense matrices, on a round where the model holds exactly.
        sim = simulate(EXACT, n_dossiers=6, n_reviewers=6, step=1e-9, seed=11)
        s = EXACT
        n_c = s.n_criteria
        w = np.ones(n_c) if weights is None else np.asarray(weights)
        prior = s.merit_sd**2 * np.ones((n_c, n_c)) + s.profile_sd**2 * np.eye(n_c)
        noise = s.sheet_sd**2 * np.ones((n_c, n_c)) + s.criterion_sd**2 * np.eye(n_c)
        mu = np.asarray(s.criterion_means)
        got = oracle(sim, weights, n_draws=10)
        table = sim.table
        for d in range(6):
            members = np.unique(table.reviewer[table.dossier == d])
            y = np.concatenate([table.score[(table.dossier == d) & (table.reviewer == r)] for r in members])
            b = np.exp(sim.truth.log_spread[members])
            design = np.kron(b[:, None], np.eye(n_c))
            cov = design @ prior @ design.T + np.kron(np.eye(members.size), noise)
            offset = np.repeat(sim.truth.leniency[members], n_c) + np.tile(mu, members.size)
            gain = prior @ design.T @ np.linalg.inv(cov)
            post_mean, post_cov = gain @ (y - offset), prior - gain @ design @ prior
            assert_allclose(got.score[d], w @ (mu + post_mean), rtol=1e-10)
            assert_allclose(got.sd[d], np.sqrt(w @ post_cov @ w), rtol=1e-10)

    @pytest.mark.parametrize("weights", [None, [2.0, 1.0, 1.0, 0.5, 0.5]])
    def test_partial_oracle_matches_gaussian_conditioning(self, weights):
        # Reference: E[T | y] = Cov(T, y) Cov(y)^-1 (y - E y) with dense covariances of every
        # observation, the leniencies now random with the scenario's variance.
        sim = simulate(EXACT, n_dossiers=8, n_reviewers=6, step=1e-9, seed=13)
        s, table = EXACT, sim.table
        n_c, n_d = s.n_criteria, 8
        w = np.ones(n_c) if weights is None else np.asarray(weights)
        lo, hi = (x * s.max_points for x in s.bias_range)
        second = (lo * lo + lo * hi + hi * hi) / 3  # E[U^2] for U uniform on [lo, hi]
        lenient_var = (s.lenient_share + s.harsh_share) * second - (
            (s.lenient_share - s.harsh_share) * (lo + hi) / 2
        ) ** 2
        d, r, c = table.dossier, table.reviewer, table.criterion
        a = np.exp(sim.truth.log_spread)[r]
        # v_dc = theta_d + delta_dc: covariance sigma_theta^2 [same d] + sigma_delta^2 [same d, c]
        v_cov = same(d) * (s.merit_sd**2 + s.profile_sd**2 * same(c))
        cov_y = (
            np.outer(a, a) * v_cov
            + lenient_var * same(r)
            + same(d) * same(r) * (s.sheet_sd**2 + s.criterion_sd**2 * same(c))
        )
        # T_d = sum_c w_c (mu_c + v_dc): Cov(T_d, y_i) = a_i w' Cov(v_d, v_{d_i c_i})
        cov_ty = np.array(
            [a * (d == k) * (s.merit_sd**2 * w.sum() + s.profile_sd**2 * w[c]) for k in range(n_d)]
        )
        centred = table.score - np.asarray(s.criterion_means)[c]
        expected = np.asarray(s.criterion_means) @ w + cov_ty @ np.linalg.solve(cov_y, centred)
        assert_allclose(partial_oracle(sim, weights), expected, rtol=1e-9)

    def test_partial_oracle_is_the_oracle_when_no_member_is_biased(self):
        sim = simulate("unbiased", n_dossiers=30, n_reviewers=9, seed=2)
        assert_allclose(partial_oracle(sim), oracle(sim, n_draws=5).score)

    def test_partial_oracle_falls_between_raw_and_oracle(self):
        gaps = []
        for seed in range(3):
            sim = simulate("peer", n_dossiers=60, n_reviewers=12, seed=seed)
            truth = true_scores(sim.truth)
            taus = [
                kendall_tau(x, truth)
                for x in (raw_means(sim), partial_oracle(sim), oracle(sim, n_draws=5).score)
            ]
            gaps.append(np.diff(taus))
        assert np.all(np.mean(gaps, axis=0) > 0)

    def test_intervals_cover_on_the_exact_model(self):
        sim = simulate(EXACT, n_dossiers=2000, n_reviewers=100, step=1e-9, seed=12)
        got, truth = oracle(sim, n_draws=200, top_k=400), true_scores(sim.truth)
        assert coverage(got.ci_low, got.ci_high, truth) == pytest.approx(0.9, abs=0.02)
        assert coverage(got.rank_low, got.rank_high, true_ranks(truth)) == pytest.approx(0.9, abs=0.03)
        assert got.p_top.sum() == pytest.approx(400)

    def test_beats_the_raw_mean_when_members_are_biased(self):
        gains = []
        for seed in range(4):
            sim = simulate("biased", n_dossiers=60, n_reviewers=12, seed=seed)
            truth = true_scores(sim.truth)
            gains.append(
                kendall_tau(oracle(sim, n_draws=10).score, truth) - kendall_tau(raw_means(sim), truth)
            )
        assert np.mean(gains) > 0.1

    def test_agrees_with_the_raw_mean_when_members_are_alike(self):
        # equal members, equal k: the posterior mean is increasing in the raw mean
        sim = simulate("unbiased", n_dossiers=60, n_reviewers=12, seed=1)
        order = np.argsort(raw_means(sim), kind="stable")
        assert np.all(np.diff(oracle(sim, n_draws=10).score[order]) > -1e-9)

    def test_bad_level(self):
        with pytest.raises(ValueError, match="`level` must lie strictly between 0 and 1"):
            oracle(simulate(seed=0), level=1.0)


class TestMetrics:
    def test_kendall_tau_by_hand(self):
        # 6 pairs, one of them (2, 3) discordant: (5 - 1) / 6
        assert kendall_tau([1, 3, 2, 4], [1, 2, 3, 4]) == pytest.approx(4 / 6)
        assert kendall_tau([4, 3, 2, 1], [1, 2, 3, 4]) == pytest.approx(-1)

    def test_kendall_tau_counts_ties_as_half(self):
        # Reference: tau-a by brute force over pairs, sign(dx) * sign(dy) summed (a tie gives 0).
        rng = np.random.default_rng(0)
        score, truth = rng.integers(0, 5, 40).astype(float), rng.normal(size=40)
        i, j = np.triu_indices(40, k=1)
        expected = np.mean(np.sign(score[i] - score[j]) * np.sign(truth[i] - truth[j]))
        assert kendall_tau(score, truth) == pytest.approx(expected, rel=1e-12)
        assert kendall_tau(score, truth) < abs(stats.kendalltau(score, truth).statistic)  # tau-b rewards ties

    def test_top_precision_by_hand(self):
        truth = np.arange(10.0)  # top 2 are dossiers 9 and 8
        assert top_precision(truth, truth) == 1.0
        assert top_precision(-truth, truth) == 0.0
        one_out = [0, 0, 0, 0, 0, 0, 0, 0, 5, 0]
        assert top_precision(one_out, truth, share=0.1) == 0.0  # the list is dossier 8; the best is 9
        # 8 is in; the one place left goes to one of 9 tied dossiers, of which only 9 is truly top
        assert top_precision(one_out, truth, share=0.2) == pytest.approx((1 + 1 / 9) / 2)
        # two places left among 9 tied, two of them (9 and 7) truly top: 2 * 2/9 expected hits
        assert top_precision(one_out, truth, share=0.3) == pytest.approx((1 + 4 / 9) / 3)

    def test_top_precision_errors(self):
        with pytest.raises(ValueError, match="equal length"):
            top_precision([1, 2], [1, 2, 3])

    def test_coverage_accepts_either_order(self):
        assert coverage([0, 5, 2], [1, 3, 2], [0.5, 4, 2.5]) == pytest.approx(2 / 3)

    def test_true_ranks(self):
        assert_array_equal(true_ranks([2.0, 9.0, 5.0]), [3, 1, 2])

    def test_evaluate(self):
        truth = np.array([3.0, 2.0, 1.0])
        m = evaluate(
            truth, [30, 10, 20], ci=([2, 2.5, 0], [4, 3, 2]), rank_ci=([1, 1, 2], [1, 3, 2]), top_share=0.4
        )
        assert m.tau == pytest.approx(1 / 3)
        assert m.top_precision == 1.0  # a list of round(0.4 * 3) = 1: dossier 0, truly the best
        assert m.score_coverage == pytest.approx(2 / 3) and m.score_width == pytest.approx(4.5 / 3)
        assert m.rank_coverage == pytest.approx(2 / 3) and m.rank_width == pytest.approx(2 / 3)
        bare = evaluate(truth, truth)
        assert bare.tau == 1 and np.isnan(bare.score_coverage) and np.isnan(bare.rank_width)

    def test_true_scores_weights(self):
        sim = simulate(n_dossiers=5, seed=0)
        assert_allclose(true_scores(sim.truth), sim.truth.points.sum(axis=1))
        assert_allclose(true_scores(sim.truth, [2, 0, 0, 0, 0]), 2 * sim.truth.points[:, 0])
        with pytest.raises(ValueError, match="5 finite non-negative numbers"):
            true_scores(sim.truth, [1, 1])
