r"""Models that turn a council's score sheets into normalised scores per dossier.

Every model reads a :class:`~scoring.scores.ScoreTable` and criterion weights, reduces each
sheet (one member's scores for one dossier) to its weighted total
:math:`T_{dr} = \sum_c w_c x_{drc}` (:func:`sheet_totals`) and returns a :class:`Fit`: a
normalised score per dossier on the rubric's own scale (the total an average member would
give), each member's leniency, spread and noise, and a description of the uncertainty for
:mod:`scoring.uncertainty`.

=============  ==================================================================================
``raw``        :math:`T_{dr} = \mu_d + \varepsilon`: the mean total
``zscore``     standardise each member's totals, average per dossier, rescale to the panel
``additive``   :math:`T_{dr} = \mu_d + b_r + \varepsilon`, fixed effects, least squares
``affine``     :math:`T_{dr} = \mu_g + b_r + a_r(\mu_d - \mu_g) + \varepsilon`, fixed effects,
               alternating least squares
``shrinkage``  the affine model with random merit, leniency and log-spread, fitted by empirical
               Bayes (REML-type EM); spread also learnt from within-sheet criterion contrasts
=============  ==================================================================================

Members and dossiers form a bipartite graph (:func:`scoring.scores.components`). Within a
connected component every member is compared with every other through shared dossiers; across
components leniency cannot be told from merit, and the models assume each component's members
are on average equally lenient (and, for spread, equally spread).
"""

from scoring.models._additive import additive
from scoring.models._affine import affine
from scoring.models._common import Fit, Sheets, Variances, moment_variances, sheet_totals
from scoring.models._raw import raw
from scoring.models._shrinkage import shrinkage
from scoring.models._zscore import zscore

__all__ = [
    "MODELS",
    "Fit",
    "Sheets",
    "Variances",
    "additive",
    "affine",
    "moment_variances",
    "raw",
    "sheet_totals",
    "shrinkage",
    "zscore",
]

MODELS = {"raw": raw, "zscore": zscore, "additive": additive, "affine": affine, "shrinkage": shrinkage}
