r"""The fitted model as users read it: estimates, covariance, fit statistics and effects.

References
----------
McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In P. Zarembka
(ed.), *Frontiers in Econometrics*, 105-142. Academic Press (the pseudo-R²).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clusterlib.innovation.covariance import wald_table
from clusterlib.innovation.margins import average_marginal_effects


@dataclass
class ModelResult:
    r"""A fitted model: what users read. ``result`` is the underlying statsmodels results object.

    ``groups`` names the column of the groups of a cluster-robust covariance (``None``
    otherwise) and ``n_groups`` counts them; ``weights`` are the survey weights of the fitted
    rows, if any. Fit statistics: :math:`\text{AIC} = 2k - 2\ell`,
    :math:`\text{BIC} = k \ln n - 2\ell`, pseudo-R² :math:`1 - \ell/\ell_0`.

    References
    ----------
    Akaike, H. (1974). A new look at the statistical model identification. *IEEE Transactions
    on Automatic Control* 19(6), 716-723.

    Examples
    --------
    >>> from clusterlib.innovation import fit_model, synthetic_survey
    >>> m = fit_model("product_innovation ~ rd_inhouse", synthetic_survey(n=400, seed=1))
    >>> m.family, m.cov_type, m.nobs, list(m.summary_frame().columns)
    ('logit', 'HC1', 400, ['estimate', 'se', 'z', 'p', 'ci_low', 'ci_high'])
    >>> bool(np.isclose(m.aic, 2 * 2 - 2 * m.llf)), list(m.ame.index)
    (True, ['rd_inhouse'])
    """

    formula: str
    family: str
    cov_type: str
    params: pd.Series
    cov: pd.DataFrame
    nobs: int
    llf: float
    llnull: float
    aic: float
    bic: float
    result: object
    exog: pd.DataFrame = field(repr=False)
    endog: pd.Series = field(repr=False)
    level: float = 0.95
    groups: str | None = None
    n_groups: int | None = None
    synthetic: bool = False
    weights: pd.Series | None = None  # survey weights of the fitted rows, if any

    @property
    def bse(self) -> pd.Series:
        """Standard errors of the parameters under ``cov_type``."""
        return pd.Series(np.sqrt(np.diag(self.cov)), index=self.params.index, name="se")

    @property
    def pseudo_r2(self) -> float:
        r"""McFadden's pseudo-R², :math:`1 - \ell / \ell_0`."""
        return float(1 - self.llf / self.llnull)

    def summary_frame(self) -> pd.DataFrame:
        """Coefficients with standard errors, z statistics, p-values and confidence intervals."""
        return wald_table(self.params, self.bse, self.level)

    @property
    def ame(self) -> pd.DataFrame:
        """Average marginal effects with delta-method standard errors."""
        return average_marginal_effects(self)

    @property
    def cluster(self) -> str | None:
        """Deprecated name of :attr:`groups`."""
        warnings.warn(
            "ModelResult.cluster is deprecated; use ModelResult.groups.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.groups

    @property
    def n_clusters(self) -> int | None:
        """Deprecated name of :attr:`n_groups`."""
        warnings.warn(
            "ModelResult.n_clusters is deprecated; use ModelResult.n_groups.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.n_groups
