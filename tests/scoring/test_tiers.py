"""Award tiers: thresholds, quotas, both, and the cut-offs the data cannot decide."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.tiers import Tier, allocate


def _narrow(scores):
    s = np.asarray(scores, dtype=float)
    return s, s - 0.1, s + 0.1


def test_threshold_only_takes_every_dossier_at_or_above_it():
    result = allocate(*_narrow([90, 80, 70, 69.9, 50]), [Tier("Công nhận", min_score=70)])
    assert result.tier.tolist() == [0, 0, 0, -1, -1]
    assert result.lowest.tolist() == [70.0]


def test_quota_only_takes_the_best_k():
    result = allocate(*_narrow([90, 80, 70, 60]), [Tier("Giải Nhất", quota=1), Tier("Giải Nhì", quota=2)])
    assert result.tier.tolist() == [0, 1, 1, -1]


def test_threshold_and_quota_together_take_at_most_k_above_the_minimum():
    tiers = [Tier("Cấp trên", min_score=85, quota=3), Tier("Công nhận", min_score=60)]
    result = allocate(*_narrow([95, 90, 84, 83, 70, 40]), tiers)
    # Only two reach 85, so the quota of 3 is not filled; the next tier takes the rest above 60.
    assert result.tier.tolist() == [0, 0, 1, 1, 1, -1]
    result = allocate(*_narrow([99, 98, 97, 96, 70]), tiers)
    assert result.tier.tolist() == [0, 0, 0, 1, 1]


def test_an_exact_tie_at_a_quota_marks_every_tied_dossier():
    tiers = [Tier("Giải Nhất", quota=2)]
    result = allocate(*_narrow([90, 85, 85, 85, 70]), tiers)
    assert result.tier.tolist() == [0, 0, -1, -1, -1]
    assert result.cutoff.tolist() == ["", "tie", "tie", "tie", ""]


def test_overlapping_intervals_that_still_differ_clearly_are_not_near():
    score = np.array([90.0, 84.0, 79.0, 60.0])
    result = allocate(score, score - 3, score + 3, [Tier("Giải", quota=2)])
    # 84 and 79 overlap (81–87 and 76–82), but their difference 5 exceeds its margin √18 ≈ 4.2.
    assert result.cutoff.tolist() == ["", "", "", ""]


def test_close_scores_at_a_quota_are_near():
    score = np.array([90.0, 84.0, 83.0, 70.0])
    low, high = score - np.array([1, 2, 2, 1]), score + np.array([1, 2, 2, 1])
    result = allocate(score, low, high, [Tier("Giải", quota=2)])
    assert result.cutoff.tolist() == ["", "near", "near", ""]


def test_an_interval_containing_the_threshold_is_near():
    score = np.array([80.0, 71.0, 69.0, 50.0])
    result = allocate(score, score - 2.5, score + 2.5, [Tier("Công nhận", min_score=70)])
    assert result.tier.tolist() == [0, 0, -1, -1]
    assert result.cutoff.tolist() == ["", "near", "near", ""]


def test_empty_tiers_and_no_tiers():
    result = allocate(*_narrow([50, 40]), [Tier("Cao", min_score=90), Tier("Thấp", min_score=45)])
    assert result.tier.tolist() == [1, -1] and np.isnan(result.lowest[0])
    assert allocate(*_narrow([50, 40]), []).tier.tolist() == [-1, -1]


def test_input_must_be_in_rank_order_and_quotas_non_negative():
    with pytest.raises(ValueError, match="rank order"):
        allocate(*_narrow([40, 50]), [Tier("A", quota=1)])
    with pytest.raises(ValueError, match="quota"):
        Tier("A", quota=-1)


@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=40),
    st.lists(
        st.tuples(st.one_of(st.none(), st.floats(0, 100)), st.one_of(st.none(), st.integers(0, 10))),
        max_size=4,
    ),
)
def test_each_dossier_in_at_most_one_tier_and_every_rule_kept(scores, specs):
    s = np.sort(np.asarray(scores))[::-1]
    tiers = [Tier(f"T{i}", min_score, quota) for i, (min_score, quota) in enumerate(specs)]
    result = allocate(s, s - 1, s + 1, tiers)
    for t, tier in enumerate(tiers):
        inside = s[result.tier == t]
        if tier.quota is not None:
            assert inside.size <= tier.quota
        if tier.min_score is not None:
            assert np.all(inside >= tier.min_score)
    # Better tiers go to better dossiers: tier indices never decrease down the ranking (among the placed).
    placed = result.tier[result.tier >= 0]
    assert np.all(np.diff(placed) >= 0)
