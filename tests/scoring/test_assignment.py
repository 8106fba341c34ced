"""scoring.assignment: optimal, conflict-free, balanced and connected reviewer assignment."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from scoring.assignment import Infeasible, assign_reviewers, greedy_assignment, mixing


def brute_force(affinity, k, max_load, forbidden, *, fair=False):
    """Every assignment of a small instance: the best total (or, fair, the best weakest dossier)."""
    n, m = affinity.shape
    choices = [
        [c for c in itertools.combinations(range(m), k) if not forbidden[d, list(c)].any()] for d in range(n)
    ]
    best = None
    for combo in itertools.product(*choices):
        loads = np.zeros(m, dtype=int)
        for reviewers in combo:
            loads[list(reviewers)] += 1
        if loads.max() > max_load:
            continue
        per_dossier = [affinity[d, list(c)].sum() for d, c in enumerate(combo)]
        key = (min(per_dossier), sum(per_dossier)) if fair else (sum(per_dossier),)
        best = key if best is None or key > best else best
    return best


def instance(seed, n=4, m=4, conflicts=0.15):
    rng = np.random.default_rng(seed)
    affinity = rng.integers(0, 4, size=(n, m)).astype(float)  # ties, as field matches give
    forbidden = rng.random((n, m)) < conflicts
    return affinity, forbidden


def check_valid(result, k, forbidden, max_load, min_load=0):
    assert_array_equal(result.matrix.sum(axis=1), k)
    assert not (result.matrix & forbidden).any()
    assert result.loads.max() <= max_load and result.loads.min() >= min_load


@pytest.mark.parametrize("seed", range(10))
def test_total_affinity_is_optimal_against_brute_force(seed):
    affinity, forbidden = instance(seed)
    best = brute_force(affinity, 2, 2, forbidden)
    if best is None:
        with pytest.raises(Infeasible):
            assign_reviewers(affinity, 2, max_load=2, forbidden=forbidden, connect=False)
        return
    result = assign_reviewers(affinity, 2, max_load=2, forbidden=forbidden, connect=False, seed=seed)
    check_valid(result, 2, forbidden, 2)
    assert result.total_affinity == pytest.approx(best[0], abs=1e-4)
    assert result.certified


@pytest.mark.parametrize("seed", range(6))
def test_fair_mode_maximises_the_weakest_dossier_then_the_total(seed):
    affinity, forbidden = instance(100 + seed, n=4, m=5)
    best = brute_force(affinity, 2, 2, forbidden, fair=True)
    assert best is not None  # these draws all have an assignment
    result = assign_reviewers(affinity, 2, max_load=2, forbidden=forbidden, fair=True, connect=False)
    check_valid(result, 2, forbidden, 2)
    assert result.min_dossier_affinity == pytest.approx(best[0], abs=1e-4)
    assert result.total_affinity == pytest.approx(best[1], abs=1e-4)


def test_fair_mode_can_cost_total_affinity_to_lift_the_weakest():
    # Reviewer 0 is everyone's favourite but can take one dossier.
    affinity = np.array([[5.0, 1.0, 0.0], [4.0, 0.0, 0.0]])
    total = assign_reviewers(affinity, 1, max_load=1, connect=False)
    fair = assign_reviewers(affinity, 1, max_load=1, fair=True, connect=False)
    assert total.total_affinity == 5 and total.min_dossier_affinity == 0
    assert fair.min_dossier_affinity == 1 and fair.total_affinity == 5


def test_a_larger_instance_never_uses_a_conflict_and_balances_loads():
    rng = np.random.default_rng(7)
    affinity = rng.random((120, 15))
    forbidden = rng.random((120, 15)) < 0.2
    result = assign_reviewers(affinity, 3, max_load=25, min_load=23, forbidden=forbidden, seed=1)
    check_valid(result, 3, forbidden, 25, 23)
    assert result.mixing.n_components == 1


def test_locked_pairs_stay_even_when_they_cost_affinity():
    affinity = np.array([[9.0, 8.0, 0.0], [9.0, 8.0, 0.0], [9.0, 8.0, 0.0]])
    locked = np.zeros_like(affinity, dtype=bool)
    locked[0, 2] = True
    result = assign_reviewers(affinity, 2, max_load=3, locked=locked, connect=False)
    assert result.matrix[0, 2]
    assert result.total_affinity == pytest.approx(9 + 17 + 17)  # dossier 0 keeps the lock, takes R0


def test_the_same_seed_gives_the_same_assignment():
    affinity = np.ones((30, 6))  # every pair ties: only the seed decides
    first = assign_reviewers(affinity, 3, max_load=15, seed=3)
    again = assign_reviewers(affinity, 3, max_load=15, seed=3)
    assert_array_equal(first.matrix, again.matrix)


# --- connectivity ----------------------------------------------------------------------------------


def two_fields(n_per_field=6, m_per_field=3):
    """Dossiers of two fields, each with its own experts: the affinity optimum splits in two."""
    n, m = 2 * n_per_field, 2 * m_per_field
    affinity = np.zeros((n, m))
    affinity[:n_per_field, :m_per_field] = 1.0
    affinity[n_per_field:, m_per_field:] = 1.0
    return affinity


def test_the_affinity_optimum_is_repaired_into_one_component_at_a_reported_cost():
    affinity = two_fields()
    split = assign_reviewers(affinity, 2, max_load=4, connect=False)
    assert split.mixing.n_components == 2 and split.mixing.algebraic_connectivity == 0

    joined = assign_reviewers(affinity, 2, max_load=4)
    check_valid(joined, 2, np.zeros_like(affinity, dtype=bool), 4)
    assert joined.optimum_mixing.n_components == 2
    assert joined.mixing.n_components == 1 and joined.mixing.algebraic_connectivity > 0
    assert joined.optimum_affinity == pytest.approx(24)
    assert 0 < joined.affinity_cost <= 4  # a couple of cross-field reviews, not a reshuffle
    assert joined.affinity_cost == pytest.approx(joined.optimum_affinity - joined.total_affinity)


def test_connectivity_respects_conflicts():
    affinity = two_fields()
    forbidden = np.zeros_like(affinity, dtype=bool)
    forbidden[:6, 3:] = True  # field A's dossiers may only go to field A's experts
    result = assign_reviewers(affinity, 2, max_load=5, forbidden=forbidden)
    check_valid(result, 2, forbidden, 5)
    assert result.mixing.n_components == 1  # field B's dossiers reach over instead
    crossing = result.matrix[6:, :3]
    assert crossing.any()


def test_mixing_of_a_complete_design():
    full = np.ones((4, 3), dtype=bool)
    measures = mixing(full)
    assert measures.n_components == 1
    assert measures.min_co_reviewers == 2 and measures.median_co_reviewers == 2
    assert measures.algebraic_connectivity == pytest.approx(1.5)  # m / (m - 1): perfectly mixed


def test_greedy_baseline_is_valid_but_not_better():
    rng = np.random.default_rng(11)
    affinity = rng.random((40, 8))
    greedy = greedy_assignment(affinity, 2, max_load=10)
    best = assign_reviewers(affinity, 2, max_load=10, connect=False)
    assert_array_equal(greedy.matrix.sum(axis=1), 2)
    assert greedy.total_affinity <= best.total_affinity + 1e-9


# --- why an instance is infeasible ------------------------------------------------------------------


def test_dossiers_with_too_few_eligible_reviewers_are_named():
    forbidden = np.zeros((3, 3), dtype=bool)
    forbidden[1, :2] = True
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.ones((3, 3)), 2, max_load=3, forbidden=forbidden)
    assert caught.value.short_dossiers == ((1, 1),)
    assert "D1 (1)" in caught.value.explain(["D0", "D1", "D2"])


def test_missing_capacity_is_counted():
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.ones((10, 3)), 2, max_load=6)
    error = caught.value
    assert (error.demand, error.capacity, error.missing_capacity) == (20, 18, 2)


def test_minimum_loads_that_exceed_the_work_are_reported():
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.ones((2, 3)), 1, max_load=2, min_load=1)
    assert caught.value.excess_min_load == 1


def test_bad_locks_are_reported():
    forbidden = np.zeros((2, 3), dtype=bool)
    forbidden[0, 0] = True
    locked = np.zeros((2, 3), dtype=bool)
    locked[0, 0] = True
    locked[1, :] = True
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.ones((2, 3)), 2, max_load=2, forbidden=forbidden, locked=locked)
    assert caught.value.forbidden_locks == ((0, 0),)
    assert caught.value.overlocked_dossiers == ((1, 3),)


def test_a_hall_obstruction_names_the_group_and_its_capacity():
    # Every count passes (3 reviews needed, capacity 3, each dossier has 2 eligible reviewers),
    # but dossiers 0–2 all depend on reviewers 0 and 1, who can take two of them between them.
    forbidden = np.zeros((3, 3), dtype=bool)
    forbidden[:, 2] = True  # no dossier may use reviewer 2
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.ones((3, 3)), 1, max_load=1, forbidden=forbidden)
    obstruction = caught.value.obstruction
    assert obstruction is not None and obstruction.side == "dossiers"
    assert set(obstruction.dossiers) == {0, 1, 2} and set(obstruction.reviewers) == {0, 1}
    assert (obstruction.demand, obstruction.supply) == (3, 2)
