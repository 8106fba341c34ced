r"""The one linear solve every member-correcting model needs: a crossed design of sheets.

A sheet ``s`` joins one dossier ``d(s)`` and one member ``r(s)``. Once the members' spreads are
fixed, the models here are all instances of

.. math::

    y_s = \mu_{g(s)} + b_{r(s)} + c_s\,\theta_{d(s)} + \varepsilon_s, \qquad
    \varepsilon_s \sim N(0, 1/w_s),

with optional normal priors :math:`\theta_d \sim N(0, 1/\lambda_\theta)` and
:math:`b_r \sim N(0, 1/\lambda_b)` and, optionally, one level :math:`\mu_g` per connected
component ``g``. The dossier block of the normal equations is diagonal, so it is eliminated
first (Henderson's mixed-model equations reduced to the members, a Schur complement):

.. math::

    P_d = \lambda_\theta + \sum_{s \in d} w_s c_s^2, \qquad
    S = X^\top W X + \Lambda_b - G\,P^{-1} G^\top, \qquad G = X^\top W C Z_d,

where ``X`` holds the member and level indicators of each sheet. ``S`` has one row per member
and per component, never one per dossier. Small systems are factorised densely (exact
posterior variances); larger ones are solved by conjugate gradients, matrix-free (two sparse
products over the sheets per step), with the diagonal approximation :math:`1/S_{rr}` of the
posterior variances.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import linalg, sparse
from scipy.sparse import linalg as splinalg

# Up to this many unknowns (members plus levels) the reduced system is inverted densely, by
# sweeping in numpy rather than LAPACK: on a busy machine multi-threaded BLAS can take a
# hundred times longer on a small factorisation than the whole iterative solve.
DENSE_LIMIT = 100


@dataclass(frozen=True)
class Design:
    """Who scored what: the sheet-level structure shared by every solve on one table."""

    dossier: NDArray[np.intp]
    reviewer: NDArray[np.intp]
    dossier_component: NDArray[np.intp]
    reviewer_component: NDArray[np.intp]
    _layouts: dict[bool, _Layout] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_dossiers(self) -> int:
        return int(self.dossier_component.size)

    @property
    def n_reviewers(self) -> int:
        return int(self.reviewer_component.size)

    @property
    def n_components(self) -> int:
        return int(self.dossier_component.max()) + 1

    @property
    def sheet_component(self) -> NDArray[np.intp]:
        return self.dossier_component[self.dossier]

    def layout(self, intercepts: bool) -> _Layout:
        """The sparsity pattern of ``G`` (fixed for a design; only its values change)."""
        if intercepts not in self._layouts:
            self._layouts[intercepts] = _Layout.of(self, intercepts)
        return self._layouts[intercepts]


@dataclass(frozen=True)
class _Layout:
    """CSR structure of ``G``: member rows hold one entry per sheet, level rows one per dossier."""

    n_rows: int
    order: NDArray[np.intp]
    indices: NDArray[np.intp]
    indptr: NDArray[np.intp]

    @classmethod
    def of(cls, design: Design, intercepts: bool) -> _Layout:
        n_r, n_d = design.n_reviewers, design.n_dossiers
        rows, cols = design.reviewer, design.dossier
        n_rows = n_r
        if intercepts:
            rows = np.concatenate([rows, n_r + design.dossier_component])
            cols = np.concatenate([cols, np.arange(n_d)])
            n_rows += design.n_components
        order = np.argsort(rows, kind="stable")
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_rows))])
        return cls(n_rows, order, cols[order], indptr)


@dataclass(frozen=True)
class Solution:
    r"""Estimates and posterior (co)variances of one crossed solve.

    ``theta`` is the dossier effect, ``b`` the member effect, ``mu`` the level of each
    component (zeros without levels). ``precision`` is :math:`P_d`, the precision of
    :math:`\theta_d` given the member effects. ``b_var`` and ``mu_var`` are the diagonal of
    :math:`S^{-1}`, exact when the system was solved densely (then ``beta_cov`` is
    :math:`S^{-1}` itself) and :math:`1/S_{rr}` otherwise (``beta_cov`` is None). ``g`` is
    :math:`G`.
    """

    theta: NDArray[np.float64]
    b: NDArray[np.float64]
    mu: NDArray[np.float64]
    precision: NDArray[np.float64]
    b_var: NDArray[np.float64]
    mu_var: NDArray[np.float64]
    g: sparse.csr_array
    beta_cov: NDArray[np.float64] | None
    intercepts: bool

    def fitted(self, design: Design, coef: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.mu[design.sheet_component] + self.b[design.reviewer] + coef * self.theta[design.dossier]

    @property
    def beta(self) -> NDArray[np.float64]:
        """Members' effects then levels: a warm start for the next solve."""
        return np.concatenate([self.b, self.mu]) if self.intercepts else self.b.copy()

    @property
    def beta_var(self) -> NDArray[np.float64]:
        return np.concatenate([self.b_var, self.mu_var]) if self.intercepts else self.b_var

    def score_gradient(self, design: Design) -> sparse.csr_array:
        r"""How each dossier's score :math:`\mu_g + \theta_d` moves with the members' effects.

        :math:`\theta_d = (r_d - G_{\cdot d}^\top \beta)/P_d`, so the gradient with respect to
        :math:`\beta` is :math:`e_{g(d)} - G_{\cdot d}/P_d` (without the first term when there
        are no levels). Shape (n_dossiers, n_unknowns).
        """
        grad = -(sparse.diags_array(1.0 / self.precision) @ self.g.T)
        if self.intercepts:
            n_d, n_r = design.n_dossiers, design.n_reviewers
            levels = sparse.csr_array(
                (np.ones(n_d), (np.arange(n_d), n_r + design.dossier_component)), shape=grad.shape
            )
            grad = grad + levels
        return sparse.csr_array(grad)

    def posterior_variances(
        self, design: Design, weight: NDArray[np.float64], coef: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        r"""Posterior variances of each :math:`\theta_d` and of each sheet's fitted value.

        With :math:`q_d = G_{\cdot d}/P_d`, :math:`\operatorname{Var}\theta_d = 1/P_d +
        q_d^\top \Sigma q_d`, and the fitted value :math:`x_s^\top\beta + c_s\theta_d` has
        variance :math:`x_s^\top\Sigma x_s - 2c_s x_s^\top\Sigma q_d + c_s^2 q_d^\top\Sigma q_d
        + c_s^2/P_d`, where :math:`\Sigma` is :math:`S^{-1}` (exact) or its diagonal.
        """
        d, r, n_r = design.dossier, design.reviewer, design.n_reviewers
        level = n_r + design.sheet_component
        p = self.precision
        q_member = weight * coef / p[d]
        q_level = np.bincount(d, q_member, minlength=p.size)
        if self.beta_cov is None:
            theta_quad = np.bincount(d, q_member**2 * self.b_var[r], minlength=p.size)
            xx = self.b_var[r]
            xq = q_member * self.b_var[r]
            if self.intercepts:
                theta_quad += q_level**2 * self.mu_var[design.dossier_component]
                xx = xx + self.mu_var[design.sheet_component]
                xq = xq + q_level[d] * self.mu_var[design.sheet_component]
        else:
            cov = self.beta_cov
            m = (self.g.T @ cov) / p[:, None]  # row d is q_d' S^-1
            xq = m[d, r]
            theta_quad = np.bincount(d, q_member * xq, minlength=p.size)
            xx = cov[r, r]
            if self.intercepts:
                own_level = n_r + design.dossier_component
                theta_quad += q_level * m[np.arange(p.size), own_level]
                xx = xx + 2 * cov[r, level] + cov[level, level]
                xq = xq + m[d, level]
        theta_var = 1.0 / p + theta_quad
        fitted_var = coef**2 / p[d] + xx - 2 * coef * xq + coef**2 * theta_quad[d]
        return theta_var, fitted_var


def solve(
    design: Design,
    y: NDArray[np.float64],
    coef: NDArray[np.float64],
    weight: NDArray[np.float64],
    *,
    theta_precision: float,
    b_precision: float,
    intercepts: bool,
    x0: NDArray[np.float64] | None = None,
) -> Solution:
    r"""Solve the crossed design for dossier and member effects.

    With ``b_precision == 0`` the member effects are fixed effects, identified only up to a
    shift per component; the solution returned has :math:`\sum_{r \in g} b_r = 0` in every
    component (a penalty on each component's sum, which leaves the fit unchanged). With
    ``theta_precision == 0`` (fixed dossier effects) there must be no levels.
    """
    n_d, n_r = design.n_dossiers, design.n_reviewers
    layout = design.layout(intercepts)
    d, r = design.dossier, design.reviewer
    wc = weight * coef
    precision = theta_precision + np.bincount(d, weight * coef**2, minlength=n_d)
    member_w = np.bincount(r, weight, minlength=n_r)
    values = wc
    if intercepts:
        values = np.concatenate([wc, np.bincount(d, wc, minlength=n_d)])
    g = sparse.csr_array((values[layout.order], layout.indices, layout.indptr), shape=(layout.n_rows, n_d))
    a = _normal_matrix(design, member_w, b_precision, intercepts)
    theta_rhs = np.bincount(d, wc * y, minlength=n_d)
    wy = np.bincount(r, weight * y, minlength=n_r)
    if intercepts:
        wy = np.concatenate([wy, np.bincount(design.reviewer_component, wy, minlength=design.n_components)])
    rhs = wy - g @ (theta_rhs / precision)
    kappa = max(float(member_w.mean()), 1e-12) if b_precision == 0 else 0.0
    if layout.n_rows <= DENSE_LIMIT:
        beta, cov = _solve_dense(design, a, g, precision, kappa, rhs)
        beta_var = np.diag(cov).copy()
    else:
        beta, beta_var = _solve_cg(design, a, g, precision, kappa, rhs, x0)
        cov = None
    theta = (theta_rhs - g.T @ beta) / precision
    n_g = design.n_components
    mu = beta[n_r:] if intercepts else np.zeros(n_g)
    mu_var = beta_var[n_r:] if intercepts else np.zeros(n_g)
    return Solution(theta, beta[:n_r], mu, precision, beta_var[:n_r], mu_var, g, cov, intercepts)


def _normal_matrix(
    design: Design, member_w: NDArray[np.float64], b_precision: float, intercepts: bool
) -> sparse.csr_array:
    r""":math:`X^\top W X + \Lambda_b`: a diagonal, plus each member's link to their level."""
    n_r = design.n_reviewers
    diagonal = member_w + b_precision
    if not intercepts:
        return sparse.diags_array(diagonal).tocsr()
    n = n_r + design.n_components
    level = n_r + design.reviewer_component
    level_w = np.bincount(design.reviewer_component, member_w, minlength=design.n_components)
    rows = np.concatenate([np.arange(n), np.arange(n_r), level])
    cols = np.concatenate([np.arange(n), level, np.arange(n_r)])
    values = np.concatenate([diagonal, level_w, member_w, member_w])
    return sparse.csr_array((values, (rows, cols)), shape=(n, n))


def _centring(design: Design, x: NDArray[np.float64], kappa: float) -> NDArray[np.float64]:
    r""":math:`\kappa M^\top M x`, M summing the member effects of each component."""
    comp = design.reviewer_component
    sums = np.bincount(comp, x[: comp.size], minlength=design.n_components)
    out = np.zeros_like(x)
    out[: comp.size] = kappa * sums[comp]
    return out


def _solve_dense(
    design: Design,
    a: sparse.csr_array,
    g: sparse.csr_array,
    precision: NDArray[np.float64],
    kappa: float,
    rhs: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    s = (a - g @ sparse.diags_array(1.0 / precision) @ g.T).toarray()
    if kappa:
        comp = design.reviewer_component
        same = comp[:, None] == comp[None, :]
        s[: comp.size, : comp.size] += kappa * same
    inverse = _spd_inverse(s)
    return (inverse * rhs).sum(axis=1), inverse


def _spd_inverse(s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Inverse of a symmetric positive definite matrix by the sweep operator.

    J. H. Goodnight, "A tutorial on the SWEEP operator", *The American Statistician* 33(3),
    149–158, 1979.

    Sweeping every pivot of A turns it into -A^-1; each sweep is one outer product, so the
    work stays in numpy's own loops. A pivot that is not clearly positive (a numerically
    singular S, e.g. noise-free data) sends the matrix to a pseudo-inverse instead.
    """
    a = s.copy()
    scale = max(float(np.max(np.abs(np.diag(s)))), 1e-300)
    for k in range(a.shape[0]):
        pivot = a[k, k]
        if pivot <= 1e-13 * scale:
            return linalg.pinvh(s)
        col = a[:, k].copy()
        a -= np.outer(col, col) / pivot
        a[k, :] = col / pivot
        a[:, k] = col / pivot
        a[k, k] = -1.0 / pivot
    return -a


def _solve_cg(
    design: Design,
    a: sparse.csr_array,
    g: sparse.csr_array,
    precision: NDArray[np.float64],
    kappa: float,
    rhs: NDArray[np.float64],
    x0: NDArray[np.float64] | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    inv_p = 1.0 / precision
    gt = g.T.tocsr()

    def matvec(x: NDArray[np.float64]) -> NDArray[np.float64]:
        out = a @ x - g @ (inv_p * (gt @ x))
        return out + _centring(design, x, kappa) if kappa else out

    diag = a.diagonal() - g.multiply(g) @ inv_p
    if kappa:
        diag[: design.n_reviewers] += kappa
    diag = np.maximum(diag, 1e-12 * max(float(diag.max()), 1e-300))
    n = rhs.size
    operator = splinalg.LinearOperator((n, n), matvec=matvec, dtype=float)
    preconditioner = splinalg.LinearOperator((n, n), matvec=lambda x: x / diag, dtype=float)
    beta, _ = splinalg.cg(operator, rhs, x0=x0, rtol=1e-9, atol=0.0, maxiter=10 * n, M=preconditioner)
    return beta, 1.0 / diag
