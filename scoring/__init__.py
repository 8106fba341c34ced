"""Council's statistics: pure numpy/scipy, importable and testable without Flask or a database."""

from scoring.rubric import Rubric, weighted_totals

__all__ = ["Rubric", "weighted_totals"]
