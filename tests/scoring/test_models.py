"""scoring.models: raw, zscore, additive, affine and shrinkage fits of a round's sheets."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from scoring import models
from scoring.models import _crossed
from scoring.models._shrinkage import moderated_variances
from scoring.scores import ScoreTable

METHODS = tuple(models.MODELS)


def simulate_round(
    seed: int = 0,
    *,
    n_dossiers: int = 60,
    n_reviewers: int = 12,
    k: int = 3,
    n_criteria: int = 5,
    leniency_sd: float = 0.0,
    log_spread_sd: float = 0.0,
    noise_sd: float = 1.5,
    halo_sd: float = 1.0,
    clip: bool = True,
):
    """A synthetic round: each dossier scored by ``k`` random members on 0..20 criteria.

    A member's points are ``12 + spread * (merit + profile + halo + noise) + leniency``,
    rounded and clipped to 0..20 when ``clip``. Returns the table and the truth: merit on the
    total's scale, leniency and spread per member (in table order).
    """
    rng = np.random.default_rng(seed)
    merit = rng.normal(0, 3, n_dossiers)
    profile = rng.normal(0, 1, (n_dossiers, n_criteria))
    leniency = rng.normal(0, leniency_sd, n_reviewers)
    spread = np.exp(rng.normal(0, log_spread_sd, n_reviewers))
    reviewer = np.concatenate([rng.choice(n_reviewers, k, replace=False) for _ in range(n_dossiers)])
    dossier = np.repeat(np.arange(n_dossiers), k)
    n_sheets = dossier.size
    signal = merit[dossier, None] + profile[dossier] + halo_sd * rng.normal(size=(n_sheets, 1))
    points = 12 + spread[reviewer, None] * (signal + noise_sd * rng.normal(size=(n_sheets, n_criteria)))
    points = points + leniency[reviewer, None]
    if clip:
        points = np.clip(np.round(points), 0, 20)
    table = ScoreTable.from_columns(
        [f"D{d:03d}" for d in np.repeat(dossier, n_criteria)],
        [f"M{r:02d}" for r in np.repeat(reviewer, n_criteria)],
        [f"C{c}" for c in np.tile(np.arange(n_criteria), n_sheets)],
        points.ravel(),
    )
    truth_merit = n_criteria * merit + profile.sum(axis=1)
    # Labels sort like the codes, so the truth is already in table order.
    return table, truth_merit, n_criteria * leniency, spread


def table_of(rows: list[tuple[str, str, str, float]]) -> ScoreTable:
    return ScoreTable.from_columns(*zip(*rows, strict=True))


def corr(a, b) -> float:
    return float(np.corrcoef(a, b)[0, 1])


class TestSheetTotals:
    def test_weighted_totals_per_sheet(self):
        table = table_of(
            [("A", "m", "c1", 10), ("A", "m", "c2", 4), ("B", "m", "c1", 3), ("B", "m", "c2", 5)]
        )
        sheets = models.sheet_totals(table, [2.0, 0.5])
        assert_allclose(sheets.total, [22, 8.5])
        assert not sheets.partial.any()

    def test_a_missing_criterion_is_imputed_from_the_sheet_and_the_criterion(self):
        table = table_of([("A", "m", "c1", 10), ("A", "m", "c2", 6), ("B", "m", "c1", 12)])
        sheets = models.sheet_totals(table)
        # c1 averages 11, c2 averages 6: B sits 1 above on c1, so its c2 is taken as 6 + 1.
        assert_allclose(sheets.total, [16, 12 + 7])
        assert sheets.partial.tolist() == [False, True]

    @pytest.mark.parametrize(
        ("weights", "message"),
        [([1.0], "one entry per criterion"), ([1.0, -1.0], "non-negative"), ([0, 0], "not all zero")],
    )
    def test_bad_weights(self, weights, message):
        table = table_of([("A", "m", "c1", 1), ("A", "m", "c2", 2)])
        with pytest.raises(ValueError, match=message):
            models.sheet_totals(table, weights)

    def test_empty_table(self):
        with pytest.raises(ValueError, match="empty"):
            models.raw(ScoreTable.from_columns([], [], [], []))


class TestMomentVariances:
    def test_balanced_design_gives_the_two_way_anova_estimates(self):
        # Reference: with every member scoring every dossier the U-statistics reduce to the
        # expected-mean-squares (ANOVA) estimators of the two-way layout without interaction.
        rng = np.random.default_rng(1)
        n_d, n_r = 8, 5
        y = rng.normal(size=(n_d, n_r)) + 2 * rng.normal(size=(n_d, 1)) + rng.normal(size=(1, n_r))
        dossier, reviewer = np.meshgrid(np.arange(n_d), np.arange(n_r), indexing="ij")
        sheets = models.Sheets(dossier.ravel(), reviewer.ravel(), y.ravel(), np.zeros(y.size, bool))
        grand = y.mean()
        ms_d = n_r * np.sum((y.mean(axis=1) - grand) ** 2) / (n_d - 1)
        ms_r = n_d * np.sum((y.mean(axis=0) - grand) ** 2) / (n_r - 1)
        resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + grand
        ms_e = np.sum(resid**2) / ((n_d - 1) * (n_r - 1))
        expected = ((ms_d - ms_e) / n_r, (ms_r - ms_e) / n_d, ms_e)
        assert_allclose(models.moment_variances(sheets, n_d, n_r), expected, rtol=1e-10)


class TestRaw:
    def test_mean_of_totals(self):
        table = table_of([("A", "m1", "c", 10), ("A", "m2", "c", 14), ("B", "m1", "c", 7)])
        fit = models.raw(table)
        assert_allclose(fit.score, [12, 7])
        assert fit.n_reviews.tolist() == [2, 1]
        assert_allclose(fit.leniency, 0) and assert_allclose(fit.spread, 1)

    def test_lenient_members_move_raw_scores(self):
        table, merit, _, _ = simulate_round(3, leniency_sd=1.5)
        fair, *_ = simulate_round(3)
        assert corr(models.raw(table).score, merit) < corr(models.raw(fair).score, merit) - 0.01


class TestZscore:
    def test_a_member_who_gives_everyone_the_same_total_says_nothing(self):
        rows = [("A", "m1", "c", 7), ("B", "m1", "c", 7), ("A", "m2", "c", 9), ("B", "m2", "c", 3)]
        fit = models.zscore(table_of(rows))
        assert fit.score[0] > fit.score[1]
        assert fit.spread[0] == 1.0  # not estimated

    @settings(max_examples=15, deadline=None)
    @given(scale=st.floats(0.2, 5.0), shift=st.floats(-10, 10), member=st.integers(0, 11))
    def test_invariant_to_a_positive_affine_change_of_one_member(self, scale, shift, member):
        table, *_ = simulate_round(4, clip=False)
        changed = _transform_member(table, member, scale, shift)
        # The panel's mean and sd move, so scores move by a common affine map; ranks do not.
        assert_allclose(_standardised(models.zscore(changed)), _standardised(models.zscore(table)), atol=1e-9)


class TestAdditive:
    def test_recovers_leniency_exactly_without_noise(self):
        table, merit, leniency, _ = simulate_round(
            5, leniency_sd=1.0, noise_sd=0.0, halo_sd=0.0, clip=False, n_dossiers=40, n_reviewers=8
        )
        fit = models.additive(table)
        assert_allclose(fit.leniency, leniency - leniency.mean(), atol=1e-8)
        assert_allclose(fit.score - fit.score.mean(), merit - merit.mean(), atol=1e-8)
        assert_allclose(fit.noise_sd, 0, atol=1e-6)

    def test_recovers_planted_leniency(self):
        table, merit, leniency, _ = simulate_round(6, leniency_sd=1.0)
        fit = models.additive(table)
        assert corr(fit.leniency, leniency) > 0.9
        assert corr(fit.score, merit) > corr(models.raw(table).score, merit)

    def test_leniency_sums_to_zero_in_each_component(self):
        rows = [("A", "m1", "c", 7), ("A", "m2", "c", 5), ("B", "m1", "c", 9), ("B", "m2", "c", 6)]
        rows += [("C", "m3", "c", 2), ("C", "m4", "c", 8), ("D", "m3", "c", 4)]
        fit = models.additive(table_of(rows))
        assert fit.dossier_component.tolist() == [0, 0, 1, 1]
        assert_allclose(fit.leniency[:2].sum(), 0, atol=1e-10)
        assert_allclose(fit.leniency[2:].sum(), 0, atol=1e-10)
        assert_allclose(fit.leniency[2:], [-3, 3])

    @settings(max_examples=15, deadline=None)
    @given(shift=st.floats(-20, 20), member=st.integers(0, 11))
    def test_adding_a_constant_to_one_member_leaves_scores_unchanged(self, shift, member):
        table, *_ = simulate_round(7, clip=False)
        assert models.additive(table).dossier_component.max() == 0  # a connected design
        changed = _transform_member(table, member, 1.0, shift)
        before, after = models.additive(table).score, models.additive(changed).score
        # The reference is the average member, whose total moves by shift * n_criteria / n_members.
        assert_allclose(after - before, shift * table.n_criteria / table.n_reviewers, atol=1e-7)

    def test_iterative_and_dense_solves_agree(self, monkeypatch):
        table, *_ = simulate_round(8, leniency_sd=1.0, n_dossiers=80, n_reviewers=20)
        dense = models.additive(table)
        monkeypatch.setattr(_crossed, "DENSE_LIMIT", 0)
        iterative = models.additive(table)
        assert_allclose(iterative.score, dense.score, atol=1e-6)
        assert_allclose(iterative.leniency, dense.leniency, atol=1e-6)


class TestAffine:
    def test_recovers_planted_spread(self):
        table, _, _, spread = simulate_round(
            9, log_spread_sd=0.4, noise_sd=0.5, halo_sd=0.3, n_dossiers=120, n_reviewers=10
        )
        fit = models.affine(table)
        assert corr(np.log(fit.spread), np.log(spread)) > 0.9
        assert_allclose(np.exp(np.mean(np.log(fit.spread))), 1.0, rtol=1e-9)

    @settings(max_examples=6, deadline=None)
    @given(scale=st.floats(0.3, 3.0), shift=st.floats(-10, 10), member=st.integers(0, 11))
    def test_invariant_to_a_positive_affine_change_of_one_member(self, scale, shift, member):
        table, *_ = simulate_round(10, clip=False)
        changed = _transform_member(table, member, scale, shift)
        assert_allclose(_standardised(models.affine(changed)), _standardised(models.affine(table)), atol=1e-5)


class TestShrinkage:
    def test_recovers_planted_leniency_and_spread(self):
        table, merit, leniency, spread = simulate_round(
            11, leniency_sd=1.0, log_spread_sd=0.3, n_dossiers=150
        )
        fit = models.shrinkage(table)
        assert corr(fit.leniency, leniency) > 0.9
        assert corr(np.log(fit.spread), np.log(spread)) > 0.7
        assert corr(fit.score, merit) > corr(models.raw(table).score, merit) + 0.02

    def test_fair_members_get_little_or_no_correction(self):
        ratios = []
        for seed in range(13, 18):
            table, *_ = simulate_round(seed)
            fit, fixed = models.shrinkage(table), models.additive(table)
            ratios.append(np.mean(np.abs(fit.leniency)) / np.mean(np.abs(fixed.leniency)))
            assert corr(fit.score, models.raw(table).score) > 0.99
        # Fixed effects believe every chance deviation; the shrunken ones mostly do not.
        assert np.mean(ratios) < 0.5
        assert min(ratios) < 1e-3

    def test_matches_statsmodels_mixedlm(self):
        # Reference: statsmodels' MixedLM, REML, crossed random intercepts for dossier and member
        # (variance components on a single group); spread off so the models coincide.
        mixed = pytest.importorskip("statsmodels.regression.mixed_linear_model")
        table, *_ = simulate_round(13, leniency_sd=1.0, n_dossiers=30, n_reviewers=5)
        fit = models.shrinkage(table, spread=False)
        sheets = fit.sheets
        mats = [[np.eye(table.n_dossiers)[sheets.dossier]], [np.eye(table.n_reviewers)[sheets.reviewer]]]
        columns = [
            [[f"d{i}" for i in range(table.n_dossiers)]],
            [[f"r{i}" for i in range(table.n_reviewers)]],
        ]
        n = sheets.total.size
        model = mixed.MixedLM(
            sheets.total, np.ones((n, 1)), np.zeros(n), exog_vc=mixed.VCSpec(["d", "r"], columns, mats)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = model.fit(reml=True)
        components = dict(zip(model.exog_vc.names, result.vcomp, strict=True))
        assert_allclose(fit.variances.merit, components["d"], rtol=1e-3)
        assert_allclose(fit.variances.leniency, components["r"], rtol=1e-3)
        assert_allclose(fit.variances.noise, result.scale, rtol=1e-3)
        effects = result.random_effects[0].to_numpy()
        merit, lenient = effects[: table.n_dossiers], effects[table.n_dossiers :]
        assert_allclose(fit.score, result.fe_params[0] + merit, atol=1e-2)
        assert_allclose(fit.leniency, lenient, atol=1e-2)

    def test_iterative_and_dense_solves_agree(self, monkeypatch):
        table, *_ = simulate_round(14, leniency_sd=1.0, log_spread_sd=0.2, n_dossiers=150, n_reviewers=40)
        dense = models.shrinkage(table)
        monkeypatch.setattr(_crossed, "DENSE_LIMIT", 0)
        iterative = models.shrinkage(table)
        # The iterative path approximates posterior variances by their diagonal: close, not equal.
        assert corr(iterative.score, dense.score) > 0.999
        assert corr(iterative.leniency, dense.leniency) > 0.99

    def test_without_a_dossier_scored_twice_scores_are_the_totals(self):
        rows = [("A", "m", "c", 9), ("B", "m", "c", 6), ("C", "m", "c", 5)]
        fit = models.shrinkage(table_of(rows))
        assert_allclose(fit.score, [9, 6, 5], atol=1e-3)
        assert np.all(fit.posterior.marginal_sd > 1.0)


class TestModeratedVariances:
    def test_homogeneous_members_share_the_pooled_variance(self):
        rng = np.random.default_rng(15)
        dof = np.full(30, 20.0)
        ss = 4.0 * rng.chisquare(20, 30)
        assert_allclose(moderated_variances(ss, dof, 1e-12), ss.sum() / dof.sum())

    def test_a_clearly_noisier_member_keeps_a_larger_variance(self):
        rng = np.random.default_rng(16)
        dof = np.full(30, 20.0)
        truth = np.where(np.arange(30) < 5, 16.0, 1.0)
        out = moderated_variances(truth * rng.chisquare(20, 30), dof, 1e-12)
        assert out[:5].min() > 3 * out[5:].max()


@pytest.mark.parametrize("method", METHODS)
class TestEveryModel:
    @pytest.mark.parametrize(
        "rows",
        [
            [("A", "m", "c1", 5), ("A", "m", "c2", 6)],  # one sheet
            [("A", "m1", "c", 5), ("A", "m2", "c", 6), ("A", "m3", "c", 9)],  # a single dossier
            [("A", "m", "c", 5), ("B", "m", "c", 6), ("C", "m", "c", 9)],  # a single member
            [
                *[("A", "m1", "c", 7), ("A", "m2", "c", 5), ("B", "m1", "c", 7), ("B", "m3", "c", 9)],
                *[("C", "m1", "c", 7), ("C", "m3", "c", 3), ("D", "m2", "c", 6), ("D", "m3", "c", 4)],
            ],  # m1 gives everyone 7
            [
                ("A", "m1", "c", 7),
                ("A", "m2", "c", 5),
                ("B", "m3", "c", 8),
                ("B", "m4", "c", 9),
            ],  # disconnected
            [("A", "m1", "c", 5), ("A", "m2", "c", 5), ("B", "m1", "c", 5), ("B", "m2", "c", 5)],  # all equal
        ],
        ids=["one-sheet", "one-dossier", "one-member", "constant-scorer", "disconnected", "all-equal"],
    )
    def test_degenerate_rounds_give_finite_results(self, method, rows):
        fit = models.MODELS[method](table_of(rows))
        for values in (fit.score, fit.leniency, fit.spread, fit.noise_sd, fit.posterior.marginal_sd):
            assert np.all(np.isfinite(values))
        assert np.all(fit.spread > 0)

    def test_a_component_of_one_member(self, method):
        rows = [("A", "m1", "c", 9), ("A", "m2", "c", 7), ("B", "m1", "c", 4), ("B", "m2", "c", 2)]
        rows += [("C", "m3", "c", 15), ("D", "m3", "c", 13)]
        fit = models.MODELS[method](table_of(rows))
        assert fit.dossier_component.tolist() == [0, 0, 1, 1]
        assert fit.score[2] > fit.score[3]
        if method in ("raw", "additive", "affine"):
            # Components are assumed equally lenient on average: the lone member gets no correction.
            assert fit.leniency[2] == pytest.approx(0, abs=1e-6)
        if method == "shrinkage":
            # One level for the round: the lone member's 8.5 points above the others are split
            # between their leniency and their dossiers' merit.
            assert 0 < fit.leniency[2] < 8.5
            assert fit.score[3] < fit.score[2]

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(seed=st.integers(0, 2**32 - 1))
    def test_relabelling_members_and_dossiers_leaves_scores_unchanged(self, method, seed):
        table, *_ = simulate_round(17, leniency_sd=1.0, n_dossiers=24, n_reviewers=6)
        rng = np.random.default_rng(seed)
        new_dossier = rng.permutation(table.n_dossiers)
        new_reviewer = rng.permutation(table.n_reviewers)
        relabelled = ScoreTable.from_columns(
            [f"X{new_dossier[d]:03d}" for d in table.dossier],
            [f"Y{new_reviewer[r]:02d}" for r in table.reviewer],
            table.criteria[table.criterion],
            table.score,
        )
        before = dict(zip(table.dossiers, models.MODELS[method](table).score, strict=True))
        after = models.MODELS[method](relabelled)
        for label, score in zip(after.dossiers, after.score, strict=True):
            old = table.dossiers[np.flatnonzero(new_dossier == int(label[1:]))[0]]
            assert score == pytest.approx(before[old], abs=1e-6)


def _transform_member(table: ScoreTable, member: int, scale: float, shift: float) -> ScoreTable:
    """The table with member ``member``'s points turned into ``scale * x + shift``."""
    score = np.where(table.reviewer == member, scale * table.score + shift, table.score)
    return ScoreTable(
        table.dossiers, table.reviewers, table.criteria, table.dossier, table.reviewer, table.criterion, score
    )


def _standardised(fit: models.Fit) -> np.ndarray:
    return (fit.score - fit.score.mean()) / fit.score.std()
