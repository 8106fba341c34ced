r"""Award tiers (mức khen): who falls in each tier, and which cut-offs are too close to call.

A round defines its tiers best first, e.g. "Đề nghị đưa vào Sách vàng sáng tạo Việt Nam",
"Đề nghị khen thưởng cấp trên", "Công nhận sáng kiến". Each tier has a minimum normalised
score, a quota, or both. The dossiers are walked in rank order and each lands in the best
tier it qualifies for: its score reaches the tier's minimum and the tier's quota is not yet
full. Every dossier is in at most one tier; every tier is on the award list.

>>> tiers = (Tier("A", quota=1), Tier("B", min_score=60.0))
>>> result = allocate([90.0, 86.0, 50.0], [85.0, 81.0, 45.0], [95.0, 91.0, 55.0], tiers)
>>> result.tier.tolist(), result.cutoff.tolist()
([0, 1, -1], ['near', 'near', ''])

A cut-off is a *tie* when the last dossier in and the first one out have equal scores (to
:data:`TIE_DECIMALS` decimals). A dossier inside a quota is *near* its cut when its difference
from the first dossier out is within the margin of that difference, and a dossier outside is
near when its difference from the last one in is: with :math:`h_i` the half-width of dossier
:math:`i`'s interval, :math:`|s_i - s_j| < \sqrt{h_i^2 + h_j^2}` (for independent normal
estimates, the interval of the difference at the same level). Overlapping intervals would be
too eager: two dossiers can differ clearly while their intervals overlap. For a minimum
score, the dossiers whose interval contains the minimum are near it. The data do not tell
near dossiers apart, so the council decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["TIE_DECIMALS", "Allocation", "Tier", "allocate"]

TIE_DECIMALS = 2  # scores equal to this many decimals are tied (a printed score has one or two)


@dataclass(frozen=True)
class Tier:
    """One award tier: a minimum normalised score, a quota, or both (neither: everyone left)."""

    name: str
    min_score: float | None = None
    quota: int | None = None

    def __post_init__(self) -> None:
        if self.quota is not None and self.quota < 0:
            raise ValueError(f"Tier {self.name!r}: the quota must be 0 or more; got {self.quota}.")


@dataclass(frozen=True)
class Allocation:
    """Tiers of the dossiers, in the order given (rank order).

    Attributes
    ----------
    tier : ndarray of int
        Index of the dossier's tier in ``tiers``, or -1 when it is on no tier.
    cutoff : ndarray of str
        ``"tie"``, ``"near"`` or ``""``: whether the dossier sits at a cut-off the data
        cannot decide (see the module docstring).
    lowest : ndarray
        Per tier, the lowest score inside it (NaN when the tier is empty): where a chart draws
        the cut-off.
    """

    tier: NDArray[np.intp]
    cutoff: NDArray[np.str_]
    lowest: NDArray[np.float64]


def allocate(score: ArrayLike, ci_low: ArrayLike, ci_high: ArrayLike, tiers: Sequence[Tier]) -> Allocation:
    """Place dossiers, given best first, in tiers given best first.

    Parameters
    ----------
    score, ci_low, ci_high : array_like, shape (n,)
        Normalised scores and their intervals, in rank order (best first).
    tiers : sequence of Tier
        Best first.

    Returns
    -------
    Allocation
    """
    s, lo, hi = (np.asarray(x, dtype=np.float64) for x in (score, ci_low, ci_high))
    if not s.shape == lo.shape == hi.shape or s.ndim != 1:
        raise ValueError("`score`, `ci_low` and `ci_high` must be 1-D and of equal length.")
    if np.any(np.diff(s) > 1e-9):
        raise ValueError("`score` must be in rank order (best first).")
    tier = np.full(s.size, -1, dtype=np.intp)
    cutoff = np.full(s.size, "", dtype="<U4")
    for t, spec in enumerate(tiers):
        left = np.flatnonzero(tier < 0)
        taken = left[s[left] >= spec.min_score] if spec.min_score is not None else left
        if spec.quota is not None:
            _mark_quota_cut(s, lo, hi, taken, spec.quota, cutoff)
            taken = taken[: spec.quota]
        tier[taken] = t
        if spec.min_score is not None:
            straddles = (lo[left] < spec.min_score) & (spec.min_score <= hi[left])
            cutoff[left[straddles & (cutoff[left] == "")]] = "near"
    lowest = np.array([s[tier == t].min() if np.any(tier == t) else np.nan for t in range(len(tiers))])
    return Allocation(tier=tier, cutoff=cutoff, lowest=lowest)


def _mark_quota_cut(
    s: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    eligible: NDArray[np.intp],
    quota: int,
    cutoff: NDArray[np.str_],
) -> None:
    """Mark the dossiers on both sides of a quota's cut that are tied with or near the cut."""
    if quota == 0 or eligible.size <= quota:
        return
    last_in, first_out = eligible[quota - 1], eligible[quota]
    inside, outside = eligible[:quota], eligible[quota:]
    rounded = np.round(s[eligible], TIE_DECIMALS)
    if rounded[quota] == rounded[quota - 1]:
        cutoff[eligible[rounded == rounded[quota - 1]]] = "tie"
    half = (hi - lo) / 2
    near_in = inside[s[inside] - s[first_out] < np.hypot(half[inside], half[first_out])]
    near_out = outside[s[last_in] - s[outside] < np.hypot(half[outside], half[last_in])]
    for index in (near_in, near_out):
        cutoff[index[cutoff[index] == ""]] = "near"
