"""scoring.ranking: the front door, fit() and rank()."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from scoring import ranking
from scoring.ranking import METHODS, fit, rank
from scoring.scores import ScoreTable
from tests.scoring.test_models import corr, simulate_round, table_of


class TestFit:
    def test_auto_is_shrinkage(self):
        table, *_ = simulate_round(1, leniency_sd=1.0)
        auto, shrinkage = fit(table), fit(table, method="shrinkage")
        assert auto.method == "shrinkage"
        assert_array_equal(auto.score, shrinkage.score)

    @pytest.mark.parametrize("method", METHODS)
    def test_every_method_gives_one_score_per_dossier(self, method):
        table, merit, *_ = simulate_round(2, leniency_sd=0.5)
        result = fit(table, method=method)
        assert result.score.shape == (table.n_dossiers,)
        assert result.leniency.shape == result.spread.shape == result.noise_sd.shape == (table.n_reviewers,)
        assert_array_equal(result.dossiers, table.dossiers)
        assert corr(result.score, merit) > 0.8

    def test_score_is_on_the_rubric_scale(self):
        table, *_ = simulate_round(3, leniency_sd=0.5)
        result = fit(table)
        # Five criteria of 0..20 points: totals around 60, like the raw means.
        assert abs(result.score.mean() - result.raw_mean.mean()) < 1.0
        assert 0.8 < result.score.std() / result.raw_mean.std() < 1.2

    def test_weights_follow_the_criteria(self):
        table = table_of(
            [("A", "m", "c1", 10), ("A", "m", "c2", 2), ("B", "m", "c1", 4), ("B", "m", "c2", 6)]
        )
        assert_allclose(fit(table, [1, 0], method="raw").score, [10, 4])
        assert_allclose(fit(table, [0, 3], method="raw").score, [6, 18])

    def test_unknown_method(self):
        with pytest.raises(ValueError, match="`method` must be one of auto, raw, zscore"):
            fit(simulate_round(4)[0], method="mean")


class TestRank:
    def test_sorted_by_rank_with_consistent_columns(self):
        table, *_ = simulate_round(5, leniency_sd=1.0)
        result = rank(table, n_draws=300)
        n = table.n_dossiers
        assert_array_equal(result.rank, np.arange(1, n + 1))
        assert np.all(np.diff(result.score) <= 0)
        assert np.all(result.ci_low <= result.score) and np.all(result.score <= result.ci_high)
        assert np.all(result.rank_low <= result.rank_high)
        assert np.all((result.p_top >= 0) & (result.p_top <= 1))
        assert result.top_k == 12 and result.method == "shrinkage" and result.level == 0.9
        assert sorted(result.dossier) == list(table.dossiers)
        assert result.members.reviewer.size == table.n_reviewers
        assert result.agreement.n_dossiers == n

    def test_top_k_defaults_to_a_fifth_rounded_up(self):
        table, *_ = simulate_round(6, n_dossiers=21)
        assert rank(table, n_draws=100).top_k == 5
        assert rank(table, n_draws=100, top_k=2).top_k == 2

    def test_same_seed_same_ranking(self):
        table, *_ = simulate_round(7, leniency_sd=1.0)
        first, again = rank(table, seed=3, n_draws=200), rank(table, seed=3, n_draws=200)
        assert_array_equal(first.p_top, again.p_top)
        assert_array_equal(first.rank_high, again.rank_high)
        assert first.seed == 3

    def test_dossier_flags(self):
        rows = [("A", "m1", "c1", 9), ("A", "m1", "c2", 9), ("A", "m2", "c1", 7), ("A", "m2", "c2", 7)]
        rows += [("B", "m1", "c1", 4), ("B", "m2", "c1", 2), ("B", "m2", "c2", 3)]  # m1 lacks c2
        rows += [("C", "m1", "c1", 6), ("C", "m1", "c2", 5)]  # one review
        rows += [("D", "m3", "c1", 8), ("D", "m3", "c2", 8), ("D", "m4", "c1", 6), ("D", "m4", "c2", 7)]
        result = rank(table_of(rows), method="additive", n_draws=100)
        flags = dict(zip(result.dossier, result.flags, strict=True))
        assert flags["A"] == ()
        assert flags["B"] == ("partial_sheet",)
        assert flags["C"] == ("one_review",)
        assert flags["D"] == ("disconnected",)
        component = dict(zip(result.dossier, result.component, strict=True))
        assert component["D"] == 1 and component["A"] == 0

    def test_an_outlier_sheet_flags_its_dossier(self, monkeypatch):
        table, *_ = simulate_round(8)
        result = rank(table, n_draws=100)
        outliers = ranking.outlier_sheets(result.fit, threshold=1.5)
        monkeypatch.setattr(ranking, "outlier_sheets", lambda fit: outliers)
        flagged = rank(table, n_draws=100)
        has_flag = {
            d for d, flags in zip(flagged.dossier, flagged.flags, strict=True) if "outlier_sheet" in flags
        }
        assert has_flag == set(outliers.dossier.tolist()) and has_flag

    def test_ties_are_broken_by_label(self):
        table = table_of([("B", "m", "c", 5), ("A", "m", "c", 5), ("C", "m", "c", 6)])
        result = rank(table, method="raw", n_draws=50)
        assert result.dossier.tolist() == ["C", "A", "B"]

    def test_fair_round_ranks_like_raw_and_biased_round_better(self):
        fair, _, *_ = simulate_round(9)
        assert corr(fit(fair).score, fit(fair, method="raw").score) > 0.99
        biased, merit, *_ = simulate_round(9, leniency_sd=1.5)
        auto, raw = rank(biased, n_draws=50), rank(biased, method="raw", n_draws=50)
        truth = dict(zip(biased.dossiers, merit, strict=True))
        assert corr(auto.score, [truth[d] for d in auto.dossier]) > corr(
            raw.score, [truth[d] for d in raw.dossier]
        )


def test_a_single_dossier_and_member():
    result = rank(ScoreTable.from_columns(["A"], ["m"], ["c"], [7.0]))
    assert result.rank.tolist() == [1] and result.p_top.tolist() == [1.0]
    assert result.flags == (("one_review",),)
