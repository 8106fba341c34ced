"""Council's statistics: pure numpy/scipy, importable and testable without Flask or a database."""

from scoring.rubric import Rubric, weighted_totals

__all__ = ["Rubric", "weighted_totals"]

# Ranking (issue #6): normalised scores with intervals; see scoring.ranking and scoring.models.
from scoring.ranking import METHODS, Fit, Ranking, fit, rank

__all__ += ["METHODS", "Fit", "Ranking", "fit", "rank"]
