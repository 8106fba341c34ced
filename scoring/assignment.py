r"""Who scores which dossier: affinity-optimal assignments that keep every leniency estimable.

The problem
-----------
A round has :math:`n` dossiers and :math:`m` reviewers (council members); ``affinity[d, r]``
says how well reviewer :math:`r` suits dossier :math:`d` (field match, keywords; any real
number, higher is better). An assignment is a 0/1 matrix :math:`x` with

.. math::

    \sum_r x_{dr} = k \quad \forall d, \qquad
    \ell_r \le \sum_d x_{dr} \le u_r \quad \forall r, \qquad
    x_{dr} = 0 \text{ if forbidden}, \qquad x_{dr} = 1 \text{ if locked},

and the default objective is the total affinity :math:`\sum_{dr} a_{dr} x_{dr}`. This is a
bipartite *b*-matching (a capacitated transportation problem): the constraint matrix is the
incidence matrix of a bipartite graph, hence totally unimodular, so every vertex of the LP
relaxation is integral and a simplex basis (HiGHS, or interior point with crossover) is an
optimal assignment [1]_. The solution is checked to be integral all the same.

Column generation. A dense LP with :math:`nm` columns (20 million for 20 000 dossiers and 1 000
members) is too large, so the LP is solved on a sparse candidate set (each dossier's best
eligible reviewers, each reviewer's best dossiers, the locked pairs) and the excluded pairs are
*priced out*: with the duals :math:`y_d` of the dossier rows and :math:`z_r` of the load rows,
a pair not in the set has reduced cost :math:`\bar c_{dr} = -a_{dr} - y_d - z_r` (minimisation
form). If no excluded pair has :math:`\bar c_{dr} < 0`, the dual solution is feasible for the
full LP and the restricted optimum is the global optimum (``certified``); otherwise the
offending pairs join the set and the LP is solved again [2]_.

Fair mode. ``fair=True`` first maximises the weakest dossier's total affinity
:math:`t = \min_d \sum_r a_{dr} x_{dr}`, then the total subject to every dossier reaching
:math:`t` (lexicographic max–min, as in PeerReview4All [3]_ and FairFlow [4]_). These rows
break total unimodularity and the max–min problem is NP-hard in general, so both stages are
mixed-integer programs (HiGHS) on a candidate set grown by pricing their LP relaxations; the
result is ``certified`` when each integer optimum meets its LP bound over all pairs.

Ties (equal affinities are common when affinity is a field match) are broken by adding
:math:`\varepsilon u_{dr}`, :math:`u \sim U(0, 1)` drawn from ``seed`` and
:math:`\varepsilon = 10^{-6} \max|a|`, so an optimum is exact up to :math:`2 \varepsilon k n`.

Why connectivity, and how it is measured
----------------------------------------
Leniency is estimated from scores :math:`y_{dr} = \mu_d + b_r + e_{dr}`: dossiers are blocks of
size :math:`k`, reviewers are "treatments" [5]_. Only differences of :math:`b` within one
connected component of the bipartite reviewer–dossier graph are estimable; across components
a harsh reviewer cannot be told from weak dossiers. Within a component the information matrix
of :math:`b` is

.. math::

    C = \operatorname{diag}(\text{loads}) - N N^\top / k = (D - W) / k,

the Laplacian of the *co-review graph* :math:`W` (:math:`W_{rs}` = dossiers reviewers
:math:`r` and :math:`s` share; :math:`D` its degrees), divided by :math:`k`; the estimate of a
contrast :math:`c^\top b` has variance :math:`\sigma^2 c^\top C^+ c`. :class:`Mixing` reports

* ``n_components``: components of the bipartite graph, idle reviewers left out (1 is needed);
* ``algebraic_connectivity``: :math:`\lambda_2` of the normalised Laplacian
  :math:`I - D^{-1/2} W D^{-1/2}` (Fiedler value; 0 when disconnected, at most
  :math:`m/(m-1)`). Since :math:`D = (k-1)\operatorname{diag}(\text{loads})`,
  :math:`e_{\min} = \tfrac{k-1}{k}\lambda_2` is the smallest canonical efficiency factor of
  the design [5]_: the worst-estimated load-weighted leniency contrast has :math:`1/e_{\min}`
  times the variance it would have if reviewers were mixed perfectly (an orthogonal design).
  By Cheeger's inequality a small value means a bottleneck: two groups of reviewers that
  share few dossiers [6]_;
* ``min_co_reviewers``, ``median_co_reviewers``: distinct colleagues each active reviewer
  shares a dossier with.

Repair. An affinity optimum often splits along fields: members of a field score its dossiers
together and nobody links the fields. With ``connect=True`` components are merged by the
cheapest *swap* (dossier :math:`d_1` in one component gives reviewer :math:`r_1` to
:math:`d_2` in another and takes :math:`r_2` in return; loads are unchanged and, for
:math:`k \ge 2`, the two components always become one) or *move* (a dossier trades a reviewer
for one with spare load elsewhere, kept only if it merges). Then, while
:math:`\lambda_2` is below ``min_connectivity`` and the spent affinity is within
``max_cost``, swaps across the Fiedler cut (the spectral bottleneck) mix the two sides.
Conflicts, locks, loads and the fair-mode floor are respected throughout; the affinity given
up is reported as ``affinity_cost``. Deciding whether a connected assignment exists at all is
NP-hard in general (with :math:`k = 2` and loads of 2 it asks for a Hamiltonian cycle), so the
repair is a local search: it connects whenever a chain of such swaps and moves does.

References
----------
.. [1] A. Schrijver, *Combinatorial Optimization: Polyhedra and Efficiency*, Springer 2003,
       ch. 21 (bipartite b-matching, total unimodularity).
.. [2] J. Desrosiers and M. E. Lübbecke, "A primer in column generation", in *Column
       Generation*, Springer 2005, pp. 1–32.
.. [3] I. Stelmakh, N. B. Shah and A. Singh, "PeerReview4All: fair and accurate reviewer
       assignment in peer review", *JMLR* 22 (2021) 1–66.
.. [4] A. Kobren, B. Saha and A. McCallum, "Paper matching with local fairness constraints",
       *KDD 2019*, pp. 1247–1257.
.. [5] R. A. Bailey and P. J. Cameron, "Combinatorics of optimal designs", *Surveys in
       Combinatorics 2009*, LMS Lecture Note Series 365, pp. 19–73.
.. [6] F. R. K. Chung, *Spectral Graph Theory*, AMS 1997, ch. 1–2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import linalg, sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csgraph
from scipy.sparse.linalg import LinearOperator, eigsh

__all__ = [
    "Assignment",
    "Infeasible",
    "Mixing",
    "Obstruction",
    "assign_reviewers",
    "greedy_assignment",
    "mixing",
]

_TIE = 1e-6  # tie-breaking perturbation, in units of max|affinity|
_PRICE_TOL = 1e-8  # a reduced cost below -_PRICE_TOL prices a pair in
_HIGHS = {"dual_feasibility_tolerance": 1e-10, "primal_feasibility_tolerance": 1e-9}
_TOP = 20  # candidate reviewers per dossier before pricing
_ADD = 10  # pairs priced in per dossier and round
_ROUNDS = 60  # column-generation rounds before giving up the certificate
_CHUNK = 2_000_000  # matrix entries handled at once when pricing or searching swaps
_GAP = 1e-6  # duality gap (units of max|affinity|) below which an LP optimum counts as certified
_MIP_GAP = 1e-7  # relative gap at which HiGHS may stop a mixed-integer solve
_BISECTIONS = 8  # integer solves of fair mode probing the weakest dossier's level
_FEAS = 1e-6  # HiGHS keeps a MIP row to this tolerance (units of max|affinity|)
_LEVEL_TOL = 10 * _FEAS  # levels of the weakest dossier closer than this count as equal
_LEVEL_STEPS = 5  # steps of the levelling local search per dossier, at most
_MARGIN = 0.1  # floor rows start with the dossiers this close to the level (units of max|affinity|)
_DENSE_EIGEN = 2000  # reviewers up to which the Fiedler value is computed densely
_SWAP_SAMPLE = 2000  # slots per side searched for a swap
_MIX_ROUNDS = 100  # eigen-solves of the mixing step
_EFFECTIVE = 0.25  # a mixing swap must promise this share of the best first-order gain

Mode = Literal["total", "floor"]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Mixing:
    """How well an assignment ties reviewers together (see the module docstring).

    Attributes
    ----------
    n_components : int
        Connected components of the bipartite reviewer–dossier graph; idle reviewers and
        unassigned dossiers are left out. Leniencies are comparable only within one.
    algebraic_connectivity : float
        :math:`\\lambda_2` of the normalised Laplacian of the co-review graph; 0 when
        disconnected or when fewer than two reviewers are active.
    min_co_reviewers : int
        Fewest distinct colleagues an active reviewer shares a dossier with.
    median_co_reviewers : float
        Median of the same count.
    idle_reviewers : int
        Reviewers with no dossier.
    """

    n_components: int
    algebraic_connectivity: float
    min_co_reviewers: int
    median_co_reviewers: float
    idle_reviewers: int


@dataclass(frozen=True)
class Assignment:
    """An assignment of reviewers to dossiers, with what it cost and how well it mixes.

    Attributes
    ----------
    matrix : ndarray of bool, shape (n_dossiers, n_reviewers)
        True where the reviewer scores the dossier.
    affinity : ndarray of float, shape (n_dossiers, n_reviewers)
        The input affinity, for the totals.
    optimum_affinity : float
        Total affinity of the optimum before the connectivity repair (in fair mode: of the
        fair optimum); NaN for the greedy baseline, which knows no optimum.
    certified : bool
        Whether the optimum is proven optimal over all pairs by LP duality (see the module
        docstring); False for the greedy baseline.
    mixing : Mixing
        Connectivity of this assignment.
    optimum_mixing : Mixing
        Connectivity of the optimum before the repair.
    """

    matrix: NDArray[np.bool_]
    affinity: NDArray[np.float64]
    optimum_affinity: float
    certified: bool
    mixing: Mixing
    optimum_mixing: Mixing

    def pairs(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """``(dossier, reviewer)`` indices of the assigned pairs, by dossier then reviewer."""
        d, r = np.nonzero(self.matrix)
        return d.astype(np.intp), r.astype(np.intp)

    @property
    def loads(self) -> NDArray[np.intp]:
        """Dossiers per reviewer."""
        return self.matrix.sum(axis=0).astype(np.intp)

    @property
    def dossier_affinity(self) -> NDArray[np.float64]:
        """Each dossier's total affinity with its reviewers."""
        return np.where(self.matrix, self.affinity, 0.0).sum(axis=1)

    @property
    def total_affinity(self) -> float:
        return float(self.dossier_affinity.sum())

    @property
    def min_dossier_affinity(self) -> float:
        """The weakest dossier's total affinity (what fair mode maximises)."""
        return float(self.dossier_affinity.min())

    @property
    def affinity_cost(self) -> float:
        """Affinity given up for connectivity: ``optimum_affinity - total_affinity``."""
        return self.optimum_affinity - self.total_affinity

    @property
    def relative_cost(self) -> float:
        """``affinity_cost`` as a fraction of ``|optimum_affinity|`` (0 when that is 0)."""
        return self.affinity_cost / abs(self.optimum_affinity) if self.optimum_affinity else 0.0


@dataclass(frozen=True)
class Obstruction:
    """A Hall-type reason no assignment exists, read off a minimum cut.

    Attributes
    ----------
    side : {"dossiers", "reviewers"}
        ``"dossiers"``: the `dossiers` need `demand` more reviews (beyond their locked pairs)
        than the `reviewers` eligible for them can give within their maximum loads
        (`supply`). ``"reviewers"``: the `reviewers` need `demand` more dossiers to reach
        their minimum loads than the `dossiers` open to them can give (`supply`).
    dossiers, reviewers : tuple of int
        The two sides of the bottleneck (0-based indices).
    demand, supply : int
        What the group needs and the most it can get; ``supply < demand``.
    """

    side: Literal["dossiers", "reviewers"]
    dossiers: tuple[int, ...]
    reviewers: tuple[int, ...]
    demand: int
    supply: int


class Infeasible(ValueError):
    """No assignment meets the constraints; the attributes say why (0-based indices).

    Attributes
    ----------
    short_dossiers : tuple of (dossier, eligible) pairs
        Dossiers with fewer than `k` eligible (non-forbidden) reviewers, and how many they have.
    short_reviewers : tuple of (reviewer, eligible) pairs
        Reviewers with fewer eligible dossiers than their minimum load.
    demand : int
        Reviews needed, ``k * n_dossiers``.
    capacity : int
        Sum of the maximum loads; ``missing_capacity = max(0, demand - capacity)``.
    min_load_total : int
        Sum of the minimum loads; ``excess_min_load = max(0, min_load_total - demand)``.
    forbidden_locks : tuple of (dossier, reviewer) pairs
        Locked pairs that are also forbidden.
    overlocked_dossiers : tuple of (dossier, locked) pairs
        Dossiers with more than `k` locked reviewers.
    overlocked_reviewers : tuple of (reviewer, locked) pairs
        Reviewers with more locked dossiers than their maximum load.
    obstruction : Obstruction or None
        When every count above passes yet no assignment exists: the group that cannot be served.
    """

    def __init__(
        self,
        *,
        short_dossiers: tuple[tuple[int, int], ...] = (),
        short_reviewers: tuple[tuple[int, int], ...] = (),
        demand: int = 0,
        capacity: int = 0,
        min_load_total: int = 0,
        forbidden_locks: tuple[tuple[int, int], ...] = (),
        overlocked_dossiers: tuple[tuple[int, int], ...] = (),
        overlocked_reviewers: tuple[tuple[int, int], ...] = (),
        obstruction: Obstruction | None = None,
    ) -> None:
        self.short_dossiers = short_dossiers
        self.short_reviewers = short_reviewers
        self.demand, self.capacity, self.min_load_total = demand, capacity, min_load_total
        self.forbidden_locks = forbidden_locks
        self.overlocked_dossiers = overlocked_dossiers
        self.overlocked_reviewers = overlocked_reviewers
        self.obstruction = obstruction
        super().__init__(self.explain())

    @property
    def missing_capacity(self) -> int:
        return max(0, self.demand - self.capacity)

    @property
    def excess_min_load(self) -> int:
        return max(0, self.min_load_total - self.demand)

    def explain(self, dossiers: ArrayLike | None = None, reviewers: ArrayLike | None = None) -> str:
        """The reasons in English, naming dossiers and reviewers by label (default: index)."""
        dn = _namer(dossiers)
        rn = _namer(reviewers)
        parts = []
        if self.short_dossiers:
            parts.append(
                "dossiers with fewer eligible reviewers than k: "
                + _listing(f"{dn(d)} ({c})" for d, c in self.short_dossiers)
            )
        if self.short_reviewers:
            parts.append(
                "reviewers with fewer eligible dossiers than their minimum load: "
                + _listing(f"{rn(r)} ({c})" for r, c in self.short_reviewers)
            )
        if self.missing_capacity:
            parts.append(
                f"{self.demand} reviews needed but the maximum loads add up to {self.capacity} "
                f"({self.missing_capacity} missing)"
            )
        if self.excess_min_load:
            parts.append(
                f"the minimum loads add up to {self.min_load_total}, more than the "
                f"{self.demand} reviews needed"
            )
        if self.forbidden_locks:
            parts.append(
                "locked pairs that are forbidden: "
                + _listing(f"{dn(d)}–{rn(r)}" for d, r in self.forbidden_locks)
            )
        if self.overlocked_dossiers:
            parts.append(
                "dossiers with more locked reviewers than k: "
                + _listing(f"{dn(d)} ({c})" for d, c in self.overlocked_dossiers)
            )
        if self.overlocked_reviewers:
            parts.append(
                "reviewers with more locked dossiers than their maximum load: "
                + _listing(f"{rn(r)} ({c})" for r, c in self.overlocked_reviewers)
            )
        if self.obstruction is not None:
            parts.append(_explain_obstruction(self.obstruction, dn, rn))
        reasons = "; ".join(parts) or "the constraints cannot be met together"
        return f"No assignment is possible: {reasons}."


def _namer(labels: ArrayLike | None):
    if labels is None:
        return str
    names = np.asarray(labels)
    return lambda i: str(names[i])


def _listing(items, limit: int = 10) -> str:
    items = list(items)
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _explain_obstruction(ob: Obstruction, dn, rn) -> str:
    if ob.side == "dossiers":
        return (
            f"dossiers {_listing(map(dn, ob.dossiers))} need {ob.demand} more reviews, but the "
            f"reviewers eligible for them ({_listing(map(rn, ob.reviewers))}) can give them at "
            f"most {ob.supply} within their maximum loads"
        )
    return (
        f"reviewers {_listing(map(rn, ob.reviewers))} need {ob.demand} more dossiers to reach "
        f"their minimum loads, but the dossiers open to them ({_listing(map(dn, ob.dossiers))}) "
        f"can give them at most {ob.supply}"
    )


# --------------------------------------------------------------------------- the instance


@dataclass(frozen=True)
class _Instance:
    """Validated input. ``p`` is the normalised, perturbed affinity the solvers optimise."""

    a: NDArray[np.float64]
    p: NDArray[np.float64]
    scale: float
    eligible: NDArray[np.bool_]
    locked: NDArray[np.bool_]
    k: int
    lo: NDArray[np.int64]
    hi: NDArray[np.int64]

    @property
    def n(self) -> int:
        return self.a.shape[0]

    @property
    def m(self) -> int:
        return self.a.shape[1]

    def unit(self, d: ArrayLike, r: ArrayLike) -> NDArray[np.float64]:
        """True affinity of pairs in units of the scale (the fairness rows use it)."""
        return self.a[d, r] / self.scale


def _assign_input_validation(
    affinity: ArrayLike,
    k: int,
    max_load: int | ArrayLike,
    min_load: int | ArrayLike,
    forbidden: ArrayLike | None,
    locked: ArrayLike | None,
    seed: int,
) -> _Instance:
    a = np.asarray(affinity, dtype=float)
    if a.ndim != 2 or 0 in a.shape:
        raise ValueError("`affinity` must be 2-D with at least one dossier (row) and one reviewer (column).")
    if not np.all(np.isfinite(a)):
        raise ValueError("`affinity` must be finite.")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError("`k` must be a positive integer.")
    hi = _per_reviewer(max_load, a.shape[1], "max_load")
    lo = _per_reviewer(min_load, a.shape[1], "min_load")
    if np.any(lo > hi):
        bad = int(np.flatnonzero(lo > hi)[0])
        raise ValueError(f"Reviewer {bad} has `min_load` {lo[bad]} above `max_load` {hi[bad]}.")
    scale = float(np.abs(a).max()) or 1.0
    noise = np.random.default_rng(seed).random(a.shape)
    p = a / scale + _TIE * noise
    eligible = ~_mask(forbidden, a.shape, "forbidden")
    return _Instance(a, p, scale, eligible, _mask(locked, a.shape, "locked"), int(k), lo, hi)


def _per_reviewer(value: int | ArrayLike, m: int, name: str) -> NDArray[np.int64]:
    v = np.asarray(value, dtype=float)
    if v.ndim > 1 or (v.ndim == 1 and v.size != m):
        raise ValueError(f"`{name}` must be a number or have one entry per reviewer ({m}).")
    if np.any(~np.isfinite(v)) or np.any(v < 0) or np.any(v != np.round(v)):
        raise ValueError(f"`{name}` must be non-negative integers.")
    return np.broadcast_to(v, (m,)).astype(np.int64)


def _mask(value: ArrayLike | None, shape: tuple[int, ...], name: str) -> NDArray[np.bool_]:
    if value is None:
        return np.zeros(shape, dtype=bool)
    mask = np.asarray(value)
    if mask.shape != shape:
        raise ValueError(f"`{name}` must have the shape of `affinity`, {shape}; got {mask.shape}.")
    if mask.dtype != bool and not np.all((mask == 0) | (mask == 1)):
        raise ValueError(f"`{name}` must be a boolean mask.")
    return mask.astype(bool)


# --------------------------------------------------------------------------- public entry points


def assign_reviewers(
    affinity: ArrayLike,
    k: int,
    *,
    max_load: int | ArrayLike,
    min_load: int | ArrayLike = 0,
    forbidden: ArrayLike | None = None,
    locked: ArrayLike | None = None,
    fair: bool = False,
    connect: bool = True,
    min_connectivity: float = 0.1,
    max_cost: float = 0.005,
    time_limit: float | None = None,
    seed: int = 0,
) -> Assignment:
    r"""Assign `k` reviewers to every dossier, maximising affinity and keeping reviewers linked.

    Parameters
    ----------
    affinity : array_like, shape (n_dossiers, n_reviewers)
        How well each reviewer suits each dossier; higher is better, any finite number.
    k : int
        Reviewers per dossier.
    max_load, min_load : int or array_like of int, shape (n_reviewers,)
        Bounds on the number of dossiers per reviewer (one for all, or one each).
    forbidden : array_like of bool, optional
        True where the reviewer must not score the dossier (a conflict of interest, a recusal).
    locked : array_like of bool, optional
        True where the pair must be kept (chosen by hand, or already published).
    fair : bool, optional
        Maximise the weakest dossier's total affinity first, then the total (see the module
        docstring). Default False: the total only.
    connect : bool, optional
        Repair the optimum so that the reviewer–dossier graph is connected and, within
        `max_cost`, well mixed. Default True.
    min_connectivity : float, optional
        Algebraic connectivity (normalised) the mixing step aims for. Default 0.1.
    max_cost : float, optional
        Affinity, as a fraction of the optimum, the mixing step may spend beyond what
        connecting needs (connecting itself is never refused for cost). Default 0.005.
    time_limit : float, optional
        Seconds each mixed-integer solve of fair mode may take; the best solution found so far
        is used (not certified). Default: no limit.
    seed : int, optional
        Seed of the tie-breaking perturbation; same input and seed, same assignment.

    Returns
    -------
    Assignment
        The assignment, its totals, the optimum before the repair and both mixings.

    Raises
    ------
    Infeasible
        If no assignment meets the constraints; its attributes say why.
    ValueError
        If the input is malformed (shapes, negative loads, ``min_load > max_load``).

    Notes
    -----
    The default objective is :math:`\max \sum_{dr} a_{dr} x_{dr}` over the transportation
    polytope; fair mode is :math:`\max t` s.t. :math:`\sum_r a_{dr} x_{dr} \ge t`, then the
    total at that :math:`t`. The module docstring explains the certificate, the tie-breaking,
    the connectivity measure and the repair.

    Examples
    --------
    >>> a = [[3, 1, 0], [1, 3, 0], [0, 1, 3]]
    >>> result = assign_reviewers(a, 2, max_load=2)
    >>> result.matrix.sum(axis=1), result.mixing.n_components
    (array([2, 2, 2]), 1)
    """
    inst = _assign_input_validation(affinity, k, max_load, min_load, forbidden, locked, seed)
    _check_counts(inst)
    keys = _initial_columns(inst)
    chosen, _, certified = (_fair_optimum if fair else _total_optimum)(inst, keys, time_limit)
    rev = _slots(inst, chosen)
    floor = float(inst.unit(np.arange(inst.n)[:, None], rev).sum(axis=1).min()) if fair else -np.inf
    optimum = _matrix(inst, rev)
    before = mixing(optimum)
    if connect and inst.k >= 2:
        search = _Search(inst, rev, floor, seed)
        search.connect()
        search.mix(min_connectivity, max_cost * abs(float((inst.p * optimum).sum())))
        rev = search.rev
    final = _matrix(inst, rev)
    opt_total = float(np.where(optimum, inst.a, 0.0).sum())
    return Assignment(final, inst.a, opt_total, certified, mixing(final), before)


def greedy_assignment(
    affinity: ArrayLike,
    k: int,
    *,
    max_load: int | ArrayLike,
    forbidden: ArrayLike | None = None,
    locked: ArrayLike | None = None,
) -> Assignment:
    """The plain baseline: dossiers in order, each takes its best eligible reviewers with room.

    Locked pairs are placed first. Minimum loads are not supported (a greedy pass cannot
    promise them).

    Returns
    -------
    Assignment
        With ``optimum_affinity`` NaN and ``certified`` False.

    Raises
    ------
    ValueError
        If a dossier finds fewer than `k` eligible reviewers with room left (the greedy pass
        is stuck even where an assignment exists).
    """
    inst = _assign_input_validation(affinity, k, max_load, 0, forbidden, locked, 0)
    x = inst.locked & inst.eligible
    room = inst.hi - x.sum(axis=0)
    for d in range(inst.n):
        need = inst.k - int(x[d].sum())
        open_ = inst.eligible[d] & ~x[d] & (room > 0)
        if need > int(open_.sum()):
            raise ValueError(f"Greedy assignment is stuck at dossier {d}: too few eligible reviewers left.")
        if need > 0:
            best = np.flatnonzero(open_)[np.argsort(-inst.a[d, open_], kind="stable")[:need]]
            x[d, best] = True
            room[best] -= 1
    m = mixing(x)
    return Assignment(x, inst.a, float("nan"), False, m, m)


def mixing(matrix: ArrayLike) -> Mixing:
    """Connectivity measures of any assignment matrix (see the module docstring).

    Parameters
    ----------
    matrix : array_like of bool, shape (n_dossiers, n_reviewers)
        True where the reviewer scores the dossier.
    """
    x = np.asarray(matrix)
    if x.ndim != 2:
        raise ValueError("`matrix` must be 2-D (dossiers × reviewers).")
    incidence = sparse.csr_matrix(x.astype(bool).astype(np.float64))
    n_components, _, _ = _bipartite_components(incidence)
    w, active = _co_review(incidence)
    lam = _fiedler(w[active][:, active])[0] if n_components == 1 and active.sum() >= 2 else 0.0
    distinct = np.asarray((w > 0).sum(axis=1)).ravel()[active]
    return Mixing(
        n_components=n_components,
        algebraic_connectivity=float(lam),
        min_co_reviewers=int(distinct.min()) if distinct.size else 0,
        median_co_reviewers=float(np.median(distinct)) if distinct.size else 0.0,
        idle_reviewers=int((~active).sum()),
    )


# --------------------------------------------------------------------------- feasibility


def _check_counts(inst: _Instance) -> None:
    """The simple reasons an instance is infeasible, all collected before any solve."""
    eligible_d = inst.eligible.sum(axis=1)
    eligible_r = inst.eligible.sum(axis=0)
    locked_d, locked_r = inst.locked.sum(axis=1), inst.locked.sum(axis=0)
    facts = {
        "short_dossiers": _pairs_where(eligible_d < inst.k, eligible_d),
        "short_reviewers": _pairs_where(eligible_r < inst.lo, eligible_r),
        "forbidden_locks": tuple(zip(*map(_ints, np.nonzero(inst.locked & ~inst.eligible)), strict=True)),
        "overlocked_dossiers": _pairs_where(locked_d > inst.k, locked_d),
        "overlocked_reviewers": _pairs_where(locked_r > inst.hi, locked_r),
    }
    demand, capacity, min_total = inst.k * inst.n, int(inst.hi.sum()), int(inst.lo.sum())
    if any(facts.values()) or capacity < demand or min_total > demand:
        raise Infeasible(**facts, demand=demand, capacity=capacity, min_load_total=min_total)


def _ints(values: NDArray) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _pairs_where(mask: NDArray[np.bool_], counts: NDArray) -> tuple[tuple[int, int], ...]:
    idx = np.flatnonzero(mask)
    return tuple(zip(_ints(idx), _ints(counts[idx]), strict=True))


def _residual_needs(inst: _Instance) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
    """Demands and loads left after the locked pairs, and the free eligible pairs."""
    need = inst.k - inst.locked.sum(axis=1)
    used = inst.locked.sum(axis=0)
    d, r = np.nonzero(inst.eligible & ~inst.locked)
    return need, np.maximum(inst.lo - used, 0), inst.hi - used, d, r


def _feasible_columns(inst: _Instance) -> NDArray[np.int64]:
    """Pairs of some feasible assignment (a circulation on all pairs), or raise Infeasible.

    Loads with lower bounds are the textbook circulation reduction: a super source S* feeds
    every lower bound, a super sink T* drains it, and t -> s closes the circuit; an assignment
    exists iff the maximum S* -> T* flow saturates every S* edge.
    """
    need, lo, hi, d, r = _residual_needs(inst)
    n, m = inst.n, inst.m
    s, t, ss, tt, dossier, reviewer = 0, 1, 2, 3, 4 + np.arange(n), 4 + n + np.arange(m)
    big = int(need.sum() + lo.sum() + 1)
    tails = [np.full(n, ss), dossier[d], reviewer, reviewer, [ss, t, s]]
    heads = [dossier, reviewer[r], np.full(m, t), np.full(m, tt), [t, s, tt]]
    caps = [need, np.ones(d.size), hi - lo, lo, [lo.sum(), big, need.sum()]]
    flow, _ = _max_flow(4 + n + m, tails, heads, caps, ss, tt)
    if _saturates(flow, ss, need.sum() + lo.sum()):
        used = flow.tocoo()
        pair = (used.data > 0) & (used.row >= 4) & (used.row < 4 + n) & (used.col >= 4 + n)
        picked = (used.row[pair] - 4) * m + (used.col[pair] - 4 - n)
        return np.union1d(picked.astype(np.int64), np.flatnonzero(inst.locked.ravel()))
    raise Infeasible(
        demand=inst.k * n,
        capacity=int(inst.hi.sum()),
        min_load_total=int(inst.lo.sum()),
        obstruction=_dossier_obstruction(inst) or _reviewer_obstruction(inst),
    )


def _saturates(flow: sparse.csr_matrix, source: int, total: int) -> bool:
    out = flow[source].toarray().ravel()
    return int(out[out > 0].sum()) == int(total)


def _max_flow(n_nodes, tails, heads, caps, source, sink) -> tuple[sparse.csr_matrix, NDArray[np.bool_]]:
    """Maximum flow and the source side of a minimum cut (nodes reachable in the residual)."""
    tail = np.concatenate([np.asarray(x, dtype=np.int64) for x in tails])
    head = np.concatenate([np.asarray(x, dtype=np.int64) for x in heads])
    cap = np.concatenate([np.asarray(x, dtype=np.int64) for x in caps])
    keep = cap > 0
    graph = sparse.csr_matrix(
        (cap[keep].astype(np.int32), (tail[keep], head[keep])), shape=(n_nodes, n_nodes)
    )
    flow = csgraph.maximum_flow(graph, source, sink).flow.tocsr()
    residual = (graph - flow).tocsr()
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    reached = csgraph.breadth_first_order(residual, source, directed=True, return_predecessors=False)
    side = np.zeros(n_nodes, dtype=bool)
    side[reached] = True
    return flow, side


def _dossier_obstruction(inst: _Instance) -> Obstruction | None:
    """Dossiers whose eligible reviewers cannot give them enough reviews (max loads only)."""
    need, _, hi, d, r = _residual_needs(inst)
    n, m = inst.n, inst.m
    s, t, dossier, reviewer = 0, 1, 2 + np.arange(n), 2 + n + np.arange(m)
    flow, side = _max_flow(
        2 + n + m,
        [np.full(n, s), dossier[d], reviewer],
        [dossier, reviewer[r], np.full(m, t)],
        [need, np.ones(d.size), hi],
        s,
        t,
    )
    deficit = int(need.sum()) - int(flow[s].toarray().clip(0).sum())
    if deficit <= 0:
        return None
    group = np.flatnonzero(side[dossier])
    partners = np.flatnonzero(inst.eligible[group].any(axis=0))
    demand = int(need[group].sum())
    return Obstruction("dossiers", _ints(group), _ints(partners), demand, demand - deficit)


def _reviewer_obstruction(inst: _Instance) -> Obstruction | None:
    """Reviewers whose eligible dossiers cannot give them their minimum loads."""
    need, lo, _, d, r = _residual_needs(inst)
    n, m = inst.n, inst.m
    s, t, reviewer, dossier = 0, 1, 2 + np.arange(m), 2 + m + np.arange(n)
    flow, side = _max_flow(
        2 + n + m,
        [np.full(m, s), reviewer[r], dossier],
        [reviewer, dossier[d], np.full(n, t)],
        [lo, np.ones(d.size), need],
        s,
        t,
    )
    deficit = int(lo.sum()) - int(flow[s].toarray().clip(0).sum())
    if deficit <= 0:
        return None
    group = np.flatnonzero(side[reviewer])
    partners = np.flatnonzero(inst.eligible[:, group].any(axis=1))
    demand = int(lo[group].sum())
    return Obstruction("reviewers", _ints(partners), _ints(group), demand, demand - deficit)


# --------------------------------------------------------------------------- LP and MILP


@dataclass(frozen=True)
class _Solution:
    """A solve on a column set: values, objective (max form) and duals for pricing."""

    x: NDArray[np.float64]
    value: float
    y_dossier: NDArray[np.float64]
    y_reviewer: NDArray[np.float64]
    y_fair: NDArray[np.float64]


@dataclass(frozen=True)
class _Pricing:
    """What the duals of a restricted LP say about the pairs left out.

    Attributes
    ----------
    keys : ndarray of int
        Left-out pairs with reduced cost below the threshold, at most `limit` per dossier.
    gap : float
        The optimum over all pairs is at most the restricted optimum plus `gap`.
    complete : bool
        Whether `keys` holds every left-out pair below the threshold.
    """

    keys: NDArray[np.int64]
    gap: float
    complete: bool


def _initial_columns(inst: _Instance) -> NDArray[np.int64]:
    """Each dossier's best eligible reviewers, each reviewer's best dossiers, the locked pairs."""
    n, m = inst.n, inst.m
    masked = np.where(inst.eligible, inst.p, -np.inf)
    top = min(m, max(_TOP, 2 * inst.k))
    if top < m:
        per_dossier = np.argpartition(-masked, top - 1, axis=1)[:, :top]
    else:
        per_dossier = np.tile(np.arange(m), (n, 1))
    keys = [np.arange(n)[:, None] * m + per_dossier]
    q = min(n, 2 * int(np.ceil(inst.k * n / m)))
    if q < n:
        per_reviewer = np.argpartition(-masked, q - 1, axis=0)[:q]
        keys.append(per_reviewer * m + np.arange(m)[None, :])
    keys.append(np.flatnonzero(inst.locked.ravel()))
    keys = np.unique(np.concatenate([np.ravel(x) for x in keys]).astype(np.int64))
    return keys[inst.eligible.ravel()[keys]]


def _build(
    inst: _Instance, keys: NDArray[np.int64], mode: Mode, rows: NDArray[np.intp], level: float
) -> tuple[NDArray, sparse.csr_matrix, NDArray, sparse.csr_matrix, NDArray, NDArray, NDArray]:
    """``c, A_ub, b_ub, A_eq, b_eq, lower, upper`` of the LP on `keys` (minimisation form).

    Rows: dossiers (= k); reviewer maxima (<= hi); reviewer minima (-x <= -lo, only where
    lo > 0); in floor mode, ``-a x <= -level`` for the dossiers in `rows`.
    """
    n, m = inst.n, inst.m
    d, r = np.divmod(keys, m)
    ones = np.ones(keys.size)
    with_min = np.flatnonzero(inst.lo > 0)
    a_ub = [_rows(r, np.arange(m), m, ones), _rows(r, with_min, m, -ones)]
    b_ub = [inst.hi.astype(float), -inst.lo[with_min].astype(float)]
    if mode == "floor":
        a_ub.append(_rows(d, rows, n, -inst.unit(d, r)))
        b_ub.append(np.full(rows.size, -level))
    a_eq = _rows(d, np.arange(n), n, ones)
    lower = inst.locked[d, r].astype(float)
    return (
        -inst.p[d, r],
        sparse.vstack(a_ub).tocsr(),
        np.concatenate(b_ub),
        a_eq,
        np.full(n, inst.k),
        lower,
        ones,
    )


def _rows(index, chosen, space: int, values) -> sparse.csr_matrix:
    """One row per `chosen` dossier or reviewer: `values` where a column's `index` is that one."""
    position = np.full(space, -1)
    position[chosen] = np.arange(chosen.size)
    row = position[index]
    keep = row >= 0
    return sparse.csr_matrix(
        (values[keep], (row[keep], np.flatnonzero(keep))), shape=(chosen.size, index.size)
    )


def _solve_lp(
    inst: _Instance, keys: NDArray[np.int64], mode: Mode, rows: NDArray[np.intp], level: float
) -> _Solution | None:
    """The LP relaxation on `keys` with its duals; None when it is infeasible."""
    c, a_ub, b_ub, a_eq, b_eq, lower, upper = _build(inst, keys, mode, rows, level)
    bounds = np.column_stack([lower, upper])
    res = linprog(
        c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs", options=_HIGHS
    )
    if res.status == 2:
        return None
    if res.status != 0:
        raise RuntimeError(f"HiGHS could not solve the assignment LP: {res.message}")
    ub = res.ineqlin.marginals
    m, with_min = inst.m, np.flatnonzero(inst.lo > 0)
    y_reviewer = ub[:m].copy()
    y_reviewer[with_min] -= ub[m : m + with_min.size]  # a minimum row has coefficient -1
    y_fair = np.zeros(inst.n)
    y_fair[rows] = ub[m + with_min.size :]  # empty in total mode
    return _Solution(res.x, -float(res.fun), res.eqlin.marginals, y_reviewer, y_fair)


def _solve_milp(
    inst: _Instance,
    keys: NDArray[np.int64],
    rows: NDArray[np.intp],
    level: float,
    time_limit: float | None,
) -> tuple[NDArray[np.int64] | None, bool]:
    """Best total on `keys` with the `rows` dossiers at or above `level`.

    Returns ``(pairs, proven)``: pairs None when there is no solution (``proven``: shown
    infeasible rather than out of time); ``proven`` False when the time limit cut the search.
    """
    c, a_ub, b_ub, a_eq, b_eq, lower, upper = _build(inst, keys, "floor", rows, level)
    options = {"disp": False, "mip_rel_gap": _MIP_GAP} | ({"time_limit": time_limit} if time_limit else {})
    res = milp(
        c,
        integrality=np.ones(c.size),
        bounds=Bounds(lower, upper),
        constraints=[LinearConstraint(a_ub, -np.inf, b_ub), LinearConstraint(a_eq, b_eq, b_eq)],
        options=options,
    )
    if res.x is None:
        return None, res.status == 2
    return keys[res.x > 0.5], res.status == 0


def _price(
    inst: _Instance,
    keys: NDArray[np.int64],
    sol: _Solution,
    threshold: float = -_PRICE_TOL,
    limit: int = _ADD,
) -> _Pricing:
    r"""Left-out eligible pairs whose reduced cost is below `threshold`, and the duality gap.

    The reduced cost is :math:`\bar c_{dr} = -p_{dr} - y_d - z_r + a_{dr} w_d` (minimisation
    form; :math:`w` the duals of the floor rows, whose coefficient is :math:`-a_{dr}`). Raising
    :math:`y_d` by :math:`\delta_d = \max_r(-\bar c_{dr})^+` (or each pair's upper-bound dual by
    its own :math:`(-\bar c_{dr})^+`) makes the duals feasible for all pairs at a cost of
    :math:`\min(k \delta_d, \sum_r (-\bar c_{dr})^+)` per dossier: the Lagrangian bound.
    """
    n, m = inst.n, inst.m
    present = np.zeros(n * m, dtype=bool)
    present[keys] = True
    present = present.reshape(n, m)
    found, gap, complete = [], 0.0, True
    step = max(1, _CHUNK // m)
    for start in range(0, n, step):
        rows = slice(start, min(n, start + step))
        rc = -inst.p[rows] - sol.y_dossier[rows, None] - sol.y_reviewer
        if np.any(sol.y_fair[rows]):
            rc = rc + inst.a[rows] / inst.scale * sol.y_fair[rows, None]
        rc = np.where(inst.eligible[rows] & ~present[rows], rc, np.inf)
        excess = np.where(rc < -_PRICE_TOL, -rc, 0.0)
        gap += float(np.minimum(inst.k * excess.max(axis=1), excess.sum(axis=1)).sum())
        below = rc < threshold
        complete &= bool(below.sum(axis=1).max(initial=0) <= limit)
        found.append(start * m + _lowest(rc, below, limit))
    return _Pricing(np.concatenate(found), gap, complete)


def _lowest(rc: NDArray[np.float64], below: NDArray[np.bool_], limit: int) -> NDArray[np.int64]:
    """Flat indices of the up to `limit` lowest `below` entries of each row."""
    rows = np.flatnonzero(below.any(axis=1))
    if rows.size == 0:
        return np.empty(0, dtype=np.int64)
    sub, mask = rc[rows], below[rows]
    cols = np.argsort(np.where(mask, sub, np.inf), axis=1, kind="stable")[:, :limit]
    good = np.take_along_axis(mask, cols, axis=1)
    return (rows[:, None] * rc.shape[1] + cols)[good].astype(np.int64)


def _generate(
    inst: _Instance, keys: NDArray[np.int64], mode: Mode, rows: NDArray[np.intp], level: float
) -> tuple[_Solution | None, NDArray[np.int64], bool]:
    """Column generation: ``(LP solution, grown keys, whether the duality gap closed)``."""
    sol = None
    for _ in range(_ROUNDS):
        sol = _solve_lp(inst, keys, mode, rows, level)
        if sol is None:
            return None, keys, False
        pricing = _price(inst, keys, sol)
        if pricing.gap <= _GAP or pricing.keys.size == 0:
            return sol, keys, pricing.gap <= _GAP
        keys = np.union1d(keys, pricing.keys)
    return sol, keys, False


def _total_optimum(
    inst: _Instance, keys: NDArray[np.int64], time_limit: float | None
) -> tuple[NDArray[np.int64], NDArray[np.int64], bool]:
    """A total-affinity optimum: ``(its pairs, the grown column set, certified)``."""
    none = np.empty(0, dtype=np.intp)
    sol, keys, certified = _generate(inst, keys, "total", none, 0.0)
    if sol is None:
        keys = np.union1d(keys, _feasible_columns(inst))
        sol, keys, certified = _generate(inst, keys, "total", none, 0.0)
    if sol is None:  # cannot happen: the union holds a feasible assignment
        raise RuntimeError("The assignment LP is infeasible on columns that hold an assignment.")
    if np.abs(sol.x - np.round(sol.x)).max() <= 1e-6:
        return keys[sol.x > 0.5], keys, certified
    # Not a vertex, though total unimodularity promises an integral one: ask the MILP solver.
    chosen, proven = _solve_milp(inst, keys, none, 0.0, time_limit)
    if chosen is None:
        raise RuntimeError("HiGHS found no integer assignment in the time allowed.")
    return chosen, keys, certified and proven


def _fair_optimum(
    inst: _Instance, keys: NDArray[np.int64], time_limit: float | None
) -> tuple[NDArray[np.int64], NDArray[np.int64], bool]:
    """Lexicographic max–min: the best weakest dossier, then the best total at that level.

    From the total optimum a local search lifts the weakest dossier (``_Search.level``); the
    level is then probed upwards with integer programs, "maximise the total with every dossier
    at or above the level" (far easier for HiGHS than the flat max–min objective): first at
    the upper bound (each dossier's best k), then just above the best level found, then
    halfway. The last feasible probe is the answer; its total is certified by reduced costs.
    """
    chosen, keys, _ = _total_optimum(inst, keys, time_limit)
    search = _Search(inst, _slots(inst, chosen), -np.inf, 0)
    search.level()
    best = np.sort(np.arange(inst.n)[:, None] * inst.m + search.rev).ravel()
    low, high = _weakest(inst, best), _level_bound(inst)
    every_pair = keys.size == int(inst.eligible.sum())  # then "infeasible on keys" is a proof
    proven, rows, solved_at = True, None, None
    for attempt in range(_BISECTIONS):
        if high - low <= _LEVEL_TOL:
            break
        level = high if attempt == 0 else low + _LEVEL_TOL if attempt % 2 else (low + high) / 2
        found, exact, used = _floor_milp(inst, keys, level, best, time_limit)
        proven &= exact and (found is not None or every_pair)
        if found is None:
            high = level
        else:
            best, low, rows, solved_at = found, _weakest(inst, found), used, level
    if solved_at is None:  # the local search's level: still maximise the total there
        best, exact, rows = _floor_milp(inst, keys, low, best, time_limit)
        proven &= exact
    stage_one = high - low <= _LEVEL_TOL and proven
    return best, keys, stage_one and _floor_certified(inst, keys, rows, low, best)


def _level_bound(inst: _Instance) -> float:
    """Upper bound on the weakest dossier: its locked pairs plus its best other eligible reviewers."""
    unit = inst.a / inst.scale
    rank = np.where(inst.locked, np.inf, np.where(inst.eligible, unit, -np.inf))
    best = np.argpartition(-rank, inst.k - 1, axis=1)[:, : inst.k] if inst.k < inst.m else None
    picked = unit if best is None else np.take_along_axis(unit, best, axis=1)
    return float(picked.sum(axis=1).min())


def _weakest(inst: _Instance, chosen: NDArray[np.int64]) -> float:
    """The smallest dossier total (in units of the scale) of the assignment `chosen`."""
    return float(_dossier_sums(inst, chosen).min())


def _dossier_sums(inst: _Instance, chosen: NDArray[np.int64]) -> NDArray[np.float64]:
    d, r = np.divmod(chosen, inst.m)
    return np.bincount(d, weights=inst.unit(d, r), minlength=inst.n)


def _floor_milp(
    inst: _Instance, keys: NDArray[np.int64], level: float, start: NDArray[np.int64], time_limit: float | None
) -> tuple[NDArray[np.int64] | None, bool, NDArray[np.intp]]:
    """Best total with every dossier at or above `level`: ``(pairs or None, proven, rows used)``.

    Floor rows are added lazily, for the dossiers within `_MARGIN` of the level in `start` and
    then in each solution: a solution that meets the rows it was not given is optimal, and
    infeasibility with fewer rows is infeasibility with all.
    """
    rows = np.flatnonzero(_dossier_sums(inst, start) < level + _MARGIN)
    while True:
        chosen, proven = _solve_milp(inst, keys, rows, level, time_limit)
        if chosen is None:
            return None, proven, rows
        sums = _dossier_sums(inst, chosen)
        missing = np.setdiff1d(np.flatnonzero(sums < level - _FEAS), rows)  # given rows hold to _FEAS
        if missing.size == 0:
            return chosen, proven, rows
        rows = np.union1d(rows, np.flatnonzero(sums < level + _MARGIN))


def _floor_certified(
    inst: _Instance, keys: NDArray[np.int64], rows: NDArray[np.intp], level: float, chosen: NDArray[np.int64]
) -> bool:
    """Whether no left-out pair can be in an assignment better than `chosen` at `level`.

    With the LP relaxation on `keys` (value U, fewer rows than the full problem: still an upper
    bound) and duals feasible for all pairs, any assignment that uses a left-out pair with
    reduced cost c has total at most U - c; pairs with c >= U - total can therefore be ignored.
    """
    sol = _solve_lp(inst, keys, "floor", rows, level - _FEAS)
    if sol is None:
        return False
    total = float(inst.p.ravel()[chosen].sum())
    pricing = _price(inst, keys, sol, threshold=max(sol.value - total, 0.0) + _PRICE_TOL, limit=1)
    return pricing.keys.size == 0 and pricing.gap <= _GAP


# --------------------------------------------------------------------------- representation


def _slots(inst: _Instance, chosen: NDArray[np.int64]) -> NDArray[np.intp]:
    """The assignment as an (n, k) array of reviewers, each row sorted."""
    d, r = np.divmod(np.sort(chosen), inst.m)
    counts = np.bincount(d, minlength=inst.n)
    if np.any(counts != inst.k):
        raise RuntimeError("The solver returned a dossier without exactly k reviewers.")
    return r.reshape(inst.n, inst.k).astype(np.intp)


def _matrix(inst: _Instance, rev: NDArray[np.intp]) -> NDArray[np.bool_]:
    x = np.zeros((inst.n, inst.m), dtype=bool)
    x[np.arange(inst.n)[:, None], rev] = True
    return x


def _bipartite_components(incidence: sparse.csr_matrix) -> tuple[int, NDArray[np.intp], NDArray[np.intp]]:
    """Components over non-isolated vertices; labels (-1 for isolated) of dossiers and reviewers."""
    n, m = incidence.shape
    graph = sparse.bmat([[None, incidence], [incidence.T, None]], format="csr")
    _, labels = csgraph.connected_components(graph, directed=False)
    present = np.concatenate([incidence.getnnz(axis=1), incidence.getnnz(axis=0)]) > 0
    uniq, labels_present = np.unique(labels[present], return_inverse=True)
    out = np.full(n + m, -1, dtype=np.intp)
    out[present] = labels_present.ravel()
    return int(uniq.size), out[:n], out[n:]


def _co_review(incidence: sparse.csr_matrix) -> tuple[sparse.csr_matrix, NDArray[np.bool_]]:
    """Co-review graph (dossiers shared, zero diagonal) and which reviewers are active."""
    w = (incidence.T @ incidence).tocsr()
    w.setdiag(0)
    w.eliminate_zeros()
    return w, incidence.getnnz(axis=0) > 0


def _fiedler(w: sparse.csr_matrix) -> tuple[float, NDArray[np.float64]]:
    """λ₂ of ``I - D^-1/2 W D^-1/2`` and its random-walk eigenvector ``D^-1/2 v`` (sign cut)."""
    deg = np.asarray(w.sum(axis=1)).ravel()
    if w.shape[0] < 2 or np.any(deg == 0):
        return 0.0, np.zeros(w.shape[0])
    inv = 1.0 / np.sqrt(deg)
    a = sparse.diags(inv) @ w @ sparse.diags(inv)
    if w.shape[0] <= _DENSE_EIGEN:
        lam, vec = linalg.eigh(np.eye(w.shape[0]) - a.toarray(), subset_by_index=[1, 1])
        return max(0.0, float(lam[0])), inv * vec[:, 0]
    top = np.sqrt(deg) / np.linalg.norm(np.sqrt(deg))  # eigenvector of eigenvalue 1, deflated
    op = LinearOperator(a.shape, matvec=lambda v: a @ v - top * (top @ v), dtype=np.float64)
    v0 = np.random.default_rng(0).random(w.shape[0])
    mu, vec = eigsh(op, k=1, which="LA", v0=v0, tol=1e-8)
    return max(0.0, 1.0 - float(mu[0])), inv * vec[:, 0]


# --------------------------------------------------------------------------- repair


class _Search:
    """Local search on an (n, k) array of reviewers: swaps and moves that keep every constraint."""

    def __init__(self, inst: _Instance, rev: NDArray[np.intp], floor: float, seed: int) -> None:
        self.inst, self.rev = inst, rev.copy()
        self.floor = floor - 1e-9
        self.rng = np.random.default_rng(seed)
        self.loads = np.bincount(rev.ravel(), minlength=inst.m)
        self.sums = inst.unit(np.arange(inst.n)[:, None], rev).sum(axis=1)
        self.tabu = np.zeros((inst.n, inst.m), dtype=bool)  # pairs the mixing step took out
        self.touched = np.zeros(inst.n, dtype=bool)  # dossiers the mixing step changed

    # -- bookkeeping

    def free(self) -> NDArray[np.bool_]:
        """Slots that may change: not locked."""
        return ~self.inst.locked[np.arange(self.inst.n)[:, None], self.rev]

    def components(self) -> tuple[int, NDArray[np.intp], NDArray[np.intp]]:
        return _bipartite_components(sparse.csr_matrix(_matrix(self.inst, self.rev).astype(np.float64)))

    def replace(self, d: int, j: int, r: int) -> None:
        old = self.rev[d, j]
        self.sums[d] += self.inst.unit(d, r) - self.inst.unit(d, old)
        self.loads[old] -= 1
        self.loads[r] += 1
        self.rev[d, j] = r

    def swap(self, d1: int, j1: int, d2: int, j2: int) -> None:
        r1, r2 = self.rev[d1, j1], self.rev[d2, j2]
        self.replace(d1, j1, r2)
        self.replace(d2, j2, r1)

    # -- candidate moves

    def _sample(self, slots: NDArray[np.intp], size: int) -> NDArray[np.intp]:
        if slots.shape[0] <= size:
            return slots
        return slots[np.sort(self.rng.choice(slots.shape[0], size, replace=False))]

    def cheapest_swap(self, left: NDArray[np.intp], right: NDArray[np.intp]) -> tuple[float, tuple] | None:
        """Cheapest valid swap of a `left` slot with a `right` slot (rows ``(dossier, slot)``)."""
        left, right = self._sample(left, _SWAP_SAMPLE), self._sample(right, _SWAP_SAMPLE)
        best: tuple[float, tuple] | None = None
        step = max(1, _CHUNK // max(1, right.shape[0]))
        for start in range(0, left.shape[0], step):
            part = left[start : start + step]
            cost = self.swap_costs(part, right)
            i, j = np.unravel_index(np.argmin(cost), cost.shape) if cost.size else (0, 0)
            if cost.size and np.isfinite(cost[i, j]) and (best is None or cost[i, j] < best[0]):
                best = float(cost[i, j]), (*map(int, part[i]), *map(int, right[j]))
        return best

    def swap_costs(self, left: NDArray[np.intp], right: NDArray[np.intp]) -> NDArray[np.float64]:
        """Affinity lost by swapping each `left` slot with each `right` slot; inf where not allowed.

        Dossier d1 trades r1 for r2 and d2 trades r2 for r1: both pairs must be eligible and new
        to their dossier, neither slot locked (the callers pass free slots), the floor kept.
        """
        inst, rev = self.inst, self.rev
        d1, j1, d2, j2 = left[:, 0], left[:, 1], right[:, 0], right[:, 1]
        r1, r2 = rev[d1, j1], rev[d2, j2]
        lost = inst.p[d1, r1][:, None] + inst.p[d2, r2][None, :]
        lost = lost - inst.p[d1[:, None], r2[None, :]] - inst.p[d2[None, :], r1[:, None]]
        ok = inst.eligible[d1[:, None], r2[None, :]] & inst.eligible[d2[None, :], r1[:, None]]
        ok &= ~self.tabu[d1[:, None], r2[None, :]] & ~self.tabu[d2[None, :], r1[:, None]]
        ok &= ~(rev[d1][:, :, None] == r2[None, None, :]).any(axis=1)
        ok &= ~(rev[d2].T[None, :, :] == r1[:, None, None]).any(axis=1)
        if np.isfinite(self.floor):
            u1 = self.sums[d1][:, None] + inst.unit(d1[:, None], r2[None, :]) - inst.unit(d1, r1)[:, None]
            u2 = self.sums[d2][None, :] + inst.unit(d2[None, :], r1[:, None]) - inst.unit(d2, r2)[None, :]
            ok &= (u1 >= self.floor) & (u2 >= self.floor)
        return np.where(ok, lost, np.inf)

    def moves(self, slots: NDArray[np.intp], targets: NDArray[np.bool_]) -> list[tuple[float, int, int, int]]:
        """Valid single-slot moves from `slots` to reviewers in `targets`, cheapest first."""
        inst, rev = self.inst, self.rev
        if slots.size == 0:
            return []
        d, j = slots[:, 0], slots[:, 1]
        r = rev[d, j]
        ok = inst.eligible[d] & targets[None, :] & (self.loads < inst.hi)[None, :]
        ok &= (self.loads[r] > inst.lo[r])[:, None]
        ok[np.arange(d.size)[:, None], rev[d]] = False
        if np.isfinite(self.floor):
            ok &= self.sums[d][:, None] - inst.unit(d, r)[:, None] + inst.a[d] / inst.scale >= self.floor
        cost = np.where(ok, inst.p[d, r][:, None] - inst.p[d], np.inf)
        flat = np.argsort(cost, axis=None, kind="stable")[:20]
        rows, cols = np.unravel_index(flat, cost.shape)
        return [
            (float(cost[a, b]), int(d[a]), int(j[a]), int(b))
            for a, b in zip(rows, cols, strict=True)
            if np.isfinite(cost[a, b])
        ]

    # -- the two phases

    def connect(self) -> None:
        """Merge components, cheapest change first, until one is left or nothing merges."""
        while True:
            count, dl, rl = self.components()
            if count <= 1 or not self._merge_smallest(count, dl, rl):
                return

    def _merge_smallest(self, count: int, dl: NDArray[np.intp], rl: NDArray[np.intp]) -> bool:
        smallest = int(np.argmin(np.bincount(dl, minlength=count)))
        slots = np.argwhere(self.free())
        inside = dl[slots[:, 0]] == smallest
        swap = self.cheapest_swap(slots[inside], slots[~inside])
        options: list[tuple[float, str, tuple]] = [] if swap is None else [(swap[0], "swap", swap[1])]
        idle_or_out = rl != smallest
        for cost, d, j, r in self.moves(slots[inside], idle_or_out & (rl >= 0)):
            options.append((cost, "move", (d, j, r)))
        for cost, d, j, r in self.moves(slots[~inside], rl == smallest):
            options.append((cost, "move", (d, j, r)))
        for _cost, kind, args in sorted(options, key=lambda o: o[0]):
            if kind == "swap":
                self.swap(*args)  # with k >= 2 a swap always joins the two components
                return True
            d, j, r = args
            old = int(self.rev[d, j])
            self.replace(d, j, r)
            if self.components()[0] < count:
                return True
            self.replace(d, j, old)
        return False

    def level(self) -> None:
        """Lift the weakest dossier by single moves and swaps while one helps (leximin local search).

        A step is taken only if the weakest dossier ends higher and every other dossier it
        changes stays strictly above the old minimum, so the sorted dossier totals rise
        lexicographically and the search ends.
        """
        for _ in range(_LEVEL_STEPS * self.inst.n):
            if not self._lift(int(np.argmin(self.sums))):
                return

    def _lift(self, w: int) -> bool:
        inst, rev, base = self.inst, self.rev, self.sums[w]
        own = np.flatnonzero(self.free()[w])
        if own.size == 0:
            return False
        unit_w, out = inst.a[w] / inst.scale, rev[w, own]
        # Moves: a reviewer with room replaces one of w's.
        room = inst.eligible[w] & (self.loads < inst.hi)
        room[rev[w]] = False
        move = np.where(
            room[None, :] & (self.loads[out] > inst.lo[out])[:, None], unit_w - unit_w[out][:, None], -np.inf
        )
        # Swaps: w trades a reviewer with another dossier d2.
        right = np.argwhere(self.free())
        right = right[right[:, 0] != w]
        d2, r2 = right[:, 0], rev[right[:, 0], right[:, 1]]
        new_w = base + unit_w[r2][None, :] - unit_w[out][:, None]
        new_d2 = self.sums[d2][None, :] + inst.unit(d2[None, :], out[:, None]) - inst.unit(d2, r2)[None, :]
        ok = inst.eligible[w, r2][None, :] & inst.eligible[d2[None, :], out[:, None]]
        ok &= ~np.isin(r2, rev[w])[None, :] & ~(rev[d2].T[None, :, :] == out[:, None, None]).any(axis=1)
        swap = np.where(ok & (new_d2 > base + _LEVEL_TOL), np.minimum(new_w, new_d2) - base, -np.inf)
        i, j = np.unravel_index(np.argmax(move), move.shape)
        a, b = np.unravel_index(np.argmax(swap), swap.shape) if swap.size else (0, 0)
        if swap.size and swap[a, b] > max(move[i, j], _LEVEL_TOL):
            self.swap(w, int(own[a]), int(right[b, 0]), int(right[b, 1]))
            return True
        if move[i, j] > _LEVEL_TOL:
            self.replace(w, int(own[i]), int(j))
            return True
        return False

    def mix(self, target: float, budget: float) -> None:
        """Swaps that raise λ₂ most per unit of affinity, while λ₂ < `target` and `budget` lasts.

        With ``f`` the Fiedler vector scaled so that ``f' D f = 1``, moving weight between
        co-review edges changes λ₂ by ``Σ Δw_rs (f_r - f_s)²`` to first order. A swap keeps
        loads, hence degrees, and changes it by ``2 (f_r2 - f_r1)(S2 - S1)``, where ``S1`` sums
        ``f`` over the other reviewers of ``d1`` (likewise ``S2``). A batch is kept only if λ₂
        really rises; a pair taken out is never put back, and a dossier changes at most one
        reviewer (it keeps k - 1 of its optimal ones).
        """
        if self.components()[0] != 1:
            return
        lam, f = self.fiedler()
        spent = 0.0
        for _ in range(_MIX_ROUNDS):
            if lam >= target:
                return
            batch = self._best_mixing_swaps(f, budget - spent)
            undo = [(d1, j1, d2, j2, self.rev[d1, j1], self.rev[d2, j2]) for _, (d1, j1, d2, j2) in batch]
            for _, args in batch:
                self.swap(*args)
            new_lam, new_f = self.fiedler()
            if not batch or new_lam <= lam:
                for d1, j1, d2, j2, r1, r2 in reversed(undo):
                    self.replace(d1, j1, r1)
                    self.replace(d2, j2, r2)
                return
            for d1, _, d2, _, r1, r2 in undo:
                self.tabu[d1, r1] = self.tabu[d2, r2] = True
                self.touched[[d1, d2]] = True
            spent += sum(cost for cost, _ in batch)
            lam, f = new_lam, new_f

    def fiedler(self) -> tuple[float, NDArray[np.float64]]:
        """λ₂ and the Fiedler vector over all reviewers (0 for idle ones), scaled to ``f' D f = 1``."""
        w, active = _co_review(sparse.csr_matrix(_matrix(self.inst, self.rev).astype(np.float64)))
        lam, vec = _fiedler(w[active][:, active])
        f = np.zeros(self.inst.m)
        norm = vec @ (np.asarray(w[active].sum(axis=1)).ravel() * vec)
        f[active] = vec / np.sqrt(norm) if norm > 0 else 0.0
        return lam, f

    def _best_mixing_swaps(self, f: NDArray[np.float64], budget: float) -> list[tuple[float, tuple]]:
        """A batch of dossier-disjoint swaps with the best gain per cost, within `budget`."""
        slots = np.argwhere(self.free() & ~self.touched[:, None])
        if slots.size == 0:
            return []
        r1 = self.rev[slots[:, 0], slots[:, 1]]
        others = f[self.rev[slots[:, 0]]].sum(axis=1) - f[r1]  # S for each slot
        order = np.argsort(others + f[r1], kind="stable")  # dossiers from one end of the cut to the other
        left, right = slots[order[:_SWAP_SAMPLE]], slots[order[::-1][:_SWAP_SAMPLE]]
        s_l, s_r = others[order[:_SWAP_SAMPLE]], others[order[::-1][:_SWAP_SAMPLE]]
        f_l, f_r = f[r1[order[:_SWAP_SAMPLE]]], f[r1[order[::-1][:_SWAP_SAMPLE]]]
        gain = 2 * (f_r[None, :] - f_l[:, None]) * (s_r[None, :] - s_l[:, None])
        cost = self.swap_costs(left, right)
        useful = np.isfinite(cost) & (gain > 0)
        # Cheap swaps between reviewers on the same side gain next to nothing and would win any
        # ratio; only swaps with a real share of the best gain compete on gain per cost.
        useful &= gain >= _EFFECTIVE * gain[useful].max(initial=0.0)
        score = np.where(useful, gain / np.maximum(cost, 1e-12), -np.inf)
        return self._disjoint(score, cost, left, right, budget)

    def _disjoint(self, score, cost, left, right, budget) -> list[tuple[float, tuple]]:
        batch = max(1, self.inst.n // 200)  # a few swaps per eigen-solve; the ranking drifts as λ₂ moves
        picked: list[tuple[float, tuple]] = []
        used: set[int] = set()
        for flat in np.argsort(-score, axis=None, kind="stable")[: 50 * batch]:
            i, j = np.unravel_index(flat, score.shape)
            d1, d2 = int(left[i, 0]), int(right[j, 0])
            if not np.isfinite(score[i, j]) or len(picked) == batch:
                break
            if d1 in used or d2 in used or d1 == d2 or cost[i, j] > budget:
                continue
            budget -= cost[i, j]
            used |= {d1, d2}
            picked.append((float(cost[i, j]), (d1, int(left[i, 1]), d2, int(right[j, 1]))))
        return picked
