"""scoring.rubric: weighted totals under a rubric."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

from scoring import Rubric, weighted_totals


class TestWeightedTotals:
    def test_default_rubric(self):
        rubric = Rubric.of([20] * 5)
        assert rubric.max_total == 100
        assert_allclose(weighted_totals([[15, 14, 16, 18, 12], [20, 20, 20, 20, 20]], rubric), [75, 100])

    def test_weights_and_half_points(self):
        rubric = Rubric.of([10, 30], [2.0, 0.5])
        assert rubric.max_total == 35
        assert_allclose(weighted_totals([[7.5, 21]], rubric), [7.5 * 2 + 21 * 0.5])

    def test_an_unfinished_sheet_has_no_total(self):
        totals = weighted_totals([[10, np.nan], [10, 10]], Rubric.of([20, 20]))
        assert np.isnan(totals[0]) and totals[1] == 20

    @pytest.mark.parametrize(
        ("points", "message"),
        [([[1, 2, 3]], "rubric has 2"), ([[-1, 2]], "between 0"), ([[21, 2]], "between 0")],
    )
    def test_bad_points(self, points, message):
        with pytest.raises(ValueError, match=message):
            weighted_totals(points, Rubric.of([20, 20]))

    @pytest.mark.parametrize(
        ("maxima", "weights", "message"),
        [
            ([], None, "non-empty"),
            ([20, 20], [1], "one entry per criterion"),
            ([20, 0], None, "positive"),
            ([20, np.inf], None, "finite"),
            ([20, 20], [1, -1], "non-negative"),
        ],
    )
    def test_bad_rubric(self, maxima, weights, message):
        with pytest.raises(ValueError, match=message):
            Rubric.of(maxima, weights)


def test_scoring_imports_without_flask_or_sqlalchemy():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'flask', 'sqlalchemy', 'flask_sqlalchemy', 'council'}:\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import scoring\n"
        "print(scoring.weighted_totals([[1, 2]], scoring.Rubric.of([20, 20]))[0])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3.0"
