"""scoring.agreement: Krippendorff's alpha, ICC, member summaries and outlier sheets."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from scoring import models
from scoring.agreement import agreement, krippendorff_alpha, member_summary, outlier_sheets
from scoring.models import Sheets
from scoring.scores import ScoreTable
from tests.scoring.test_models import simulate_round, table_of


def sheets_of(units: dict[str, list[float | None]]) -> tuple[Sheets, int]:
    """Sheets from a coder -> values-per-unit table (None: not coded)."""
    dossier, reviewer, total = [], [], []
    for r, values in enumerate(units.values()):
        for d, value in enumerate(values):
            if value is not None:
                dossier.append(d)
                reviewer.append(r)
                total.append(float(value))
    n = len(next(iter(units.values())))
    return Sheets(np.array(dossier), np.array(reviewer), np.array(total), np.zeros(len(total), bool)), n


class TestKrippendorffAlpha:
    def test_published_example(self):
        # Reference: Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the
        # example with 4 observers, 12 units and missing values; interval alpha = 0.849.
        sheets, n = sheets_of(
            {
                "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
                "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
                "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
                "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
            }
        )
        assert krippendorff_alpha(sheets, n) == pytest.approx(0.849, abs=5e-4)

    def test_perfect_agreement_is_one(self):
        sheets, n = sheets_of({"A": [1, 5, 3], "B": [1, 5, None], "C": [None, 5, 3]})
        assert krippendorff_alpha(sheets, n) == pytest.approx(1.0)

    def test_no_pairable_dossier(self):
        sheets, n = sheets_of({"A": [1, None], "B": [None, 5]})
        assert np.isnan(krippendorff_alpha(sheets, n))


class TestAgreement:
    def test_reliable_round_scores_high_and_noisy_round_low(self):
        good = agreement(models.raw(simulate_round(1, noise_sd=0.5, halo_sd=0.2)[0]))
        bad = agreement(models.raw(simulate_round(1, noise_sd=6.0, halo_sd=4.0)[0]))
        assert good.alpha > 0.8 and good.icc > 0.8 and good.icc_mean > good.icc
        assert bad.alpha < 0.5 and bad.icc < 0.5
        assert good.n_sheets == 180 and good.n_dossiers == 60 and good.n_reviewers == 12

    def test_icc_counts_leniency_as_disagreement(self):
        fair = agreement(models.raw(simulate_round(2)[0]))
        biased = agreement(models.raw(simulate_round(2, leniency_sd=2.0)[0]))
        assert biased.leniency_var > 5 * fair.leniency_var
        assert biased.icc < fair.icc - 0.1


class TestOutlierSheets:
    def test_a_planted_outlier_is_found_first(self):
        table, *_ = simulate_round(3, n_dossiers=80)
        score = table.score.copy()
        target = (table.dossier == 5) & (table.reviewer == table.reviewer[table.dossier == 5][0])
        score[target] = np.where(score[target] > 10, 0.0, 20.0)  # the member turned the scale over
        planted = ScoreTable(
            table.dossiers,
            table.reviewers,
            table.criteria,
            table.dossier,
            table.reviewer,
            table.criterion,
            score,
        )
        fit = models.shrinkage(planted)
        found = outlier_sheets(fit)
        assert found.dossier[0] == table.dossiers[5]
        assert abs(found.z[0]) > 3
        assert np.all(np.abs(found.z) > 3) and np.all(np.diff(np.abs(found.z)) <= 0)

    def test_a_sheet_fitted_exactly_is_never_an_outlier(self):
        rows = [("A", "m1", "c", 1), ("A", "m2", "c", 19), ("B", "m1", "c", 5)]
        assert outlier_sheets(models.additive(table_of(rows)), threshold=0.0).z.size == 0


class TestMemberSummary:
    def test_flags_planted_members(self):
        table, *_ = simulate_round(4, n_dossiers=150, n_reviewers=10, leniency_sd=0.3)
        score = table.score.copy()
        lenient, harsh, narrow = (table.reviewer == 0), (table.reviewer == 1), (table.reviewer == 2)
        score[lenient] += 4
        score[harsh] -= 4
        score[narrow] = 12 + 0.3 * (score[narrow] - 12)
        noisy = table.reviewer == 3
        score[noisy] += np.random.default_rng(0).normal(0, 6, noisy.sum())
        planted = ScoreTable(
            table.dossiers,
            table.reviewers,
            table.criteria,
            table.dossier,
            table.reviewer,
            table.criterion,
            score,
        )
        summary = member_summary(models.shrinkage(planted))
        assert "lenient" in summary.flags[0]
        assert "harsh" in summary.flags[1]
        assert "narrow_range" in summary.flags[2]
        assert "far_from_consensus" in summary.flags[3]
        assert all(not flags for flags in summary.flags[5:])
        assert np.all(summary.leniency_low <= summary.leniency) and np.all(
            summary.leniency <= summary.leniency_high
        )
        assert np.all(summary.spread_low <= summary.spread) and np.all(summary.spread <= summary.spread_high)

    def test_raw_fixes_leniency_and_spread_so_never_flags_them(self):
        summary = member_summary(models.raw(simulate_round(5, leniency_sd=2.0)[0]))
        flags = {code for member in summary.flags for code in member}
        assert not flags & {"lenient", "harsh", "narrow_range", "wide_range"}
        assert_allclose(summary.leniency, 0)

    def test_few_sheets(self):
        rows = [("A", "m1", "c", 5), ("A", "m2", "c", 6), ("B", "m1", "c", 7), ("B", "m2", "c", 8)]
        rows += [("C", "m1", "c", 5), ("C", "m2", "c", 4), ("C", "m3", "c", 6)]
        summary = member_summary(models.additive(table_of(rows)))
        assert summary.flags[2] == ("few_sheets",)
        assert summary.n_sheets.tolist() == [3, 3, 1]
