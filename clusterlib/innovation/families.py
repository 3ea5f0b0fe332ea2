r"""The model families of :func:`~clusterlib.innovation.model.fit_model`, one record each.

Every place that behaves differently by family (outcome check, design, fit, covariance, average
marginal effects, diagnostics, the wording of effects) reads an attribute of a :class:`Family`
here instead of comparing the family's name: adding a family is one entry in :data:`FAMILIES`.

A single-index family has mean :math:`\mu = g^{-1}(\eta)`, :math:`\eta = x'\beta`, with

* logit (``logit``, ``firth``, ``fraclogit``): :math:`g^{-1}(\eta) = \Lambda(\eta) =
  1/(1+e^{-\eta})`, :math:`\Lambda' = \Lambda(1-\Lambda)`, :math:`\Lambda'' = \Lambda'(1-2\Lambda)`;
* probit: :math:`\Phi(\eta)`, :math:`\Phi' = \phi(\eta)`, :math:`\Phi'' = -\eta\,\phi(\eta)`;
* log (``poisson``, ``negbin``): :math:`e^\eta`, with both derivatives :math:`e^\eta`.

The ordered logit (``ologit``) is not single-index in this sense (one probability per category);
its mean and derivatives are ``None`` and its margins are computed in
:mod:`clusterlib.innovation.margins`.

References
----------
McCullagh, P. & Nelder, J. A. (1989). *Generalized Linear Models*, 2nd ed. Chapman & Hall,
ch. 2 and 4 (links and their inverses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import statsmodels.api as sm
from scipy import stats
from scipy.special import expit

from clusterlib.options import check_option

Array = np.ndarray


def _logit_derivatives(eta: Array) -> tuple[Array, Array]:
    mu = expit(eta)
    d1 = mu * (1 - mu)
    return d1, d1 * (1 - 2 * mu)


def _probit_derivatives(eta: Array) -> tuple[Array, Array]:
    d1 = stats.norm.pdf(eta)
    return d1, -eta * d1


def _log_derivatives(eta: Array) -> tuple[Array, Array]:
    mu = np.exp(eta)
    return mu, mu


def _binary(v: Array) -> Array:
    return ~np.isin(v, [0, 1])


def _share(v: Array) -> Array:
    return (v < 0) | (v > 1)


def _count(v: Array) -> Array:
    return (v < 0) | (v % 1 != 0)


@dataclass(frozen=True)
class Family:
    r"""One model family: what its outcome is, how it is fitted and how its mean responds.

    Attributes
    ----------
    name : str
        The ``family=`` value of :func:`~clusterlib.innovation.model.fit_model`.
    link : str
        ``"logit"``, ``"probit"``, ``"log"`` or ``"cumulative logit"``.
    outcome : str
        ``"binary"``, ``"share"``, ``"count"`` or ``"ordered"``.
    fitter : str
        Estimation route: ``"glm"``, ``"negbin"`` (dispersion by ML, then the GLM), ``"firth"``
        (penalised likelihood) or ``"ordered"`` (ordered-logit likelihood).
    expected : str
        The outcome values allowed, as written in error messages (empty: not checked).
    invalid : callable or None
        Outcome values to ``True`` where they are not allowed.
    glm : callable or None
        Builds the statsmodels GLM family (``fitter="glm"``).
    mean, derivatives : callable or None
        :math:`g^{-1}(\eta)` and :math:`(g^{-1\prime}, g^{-1\prime\prime})(\eta)` of a
        single-index family.
    extra_params : int
        Parameters beyond the regressors' coefficients other than cutpoints (NB2's
        :math:`\alpha`).
    default_cov_type : str
        ``cov_type`` when none is given.
    robust : bool
        Whether sandwich covariances (HC*, cluster) are available.
    weighted : bool
        Whether survey weights are accepted.
    separation_check : bool
        Whether the sample is checked for (quasi-)complete separation before fitting.
    refit_as : str
        The family whose unpenalised fit the link test uses.
    """

    name: str
    link: str
    outcome: str
    fitter: str
    expected: str = ""
    invalid: Callable[[Array], Array] | None = field(default=None, repr=False)
    glm: Callable[[], object] | None = field(default=None, repr=False)
    mean: Callable[[Array], Array] | None = field(default=None, repr=False)
    derivatives: Callable[[Array], tuple[Array, Array]] | None = field(default=None, repr=False)
    extra_params: int = 0
    default_cov_type: str = "HC1"
    robust: bool = True
    weighted: bool = False
    separation_check: bool = False
    refit_as: str = ""

    @property
    def is_binary(self) -> bool:
        """A 0/1 outcome."""
        return self.outcome == "binary"

    @property
    def is_count(self) -> bool:
        """A count outcome 0, 1, 2, ..."""
        return self.outcome == "count"

    @property
    def is_ordered(self) -> bool:
        """An ordered categorical outcome (cutpoints instead of an intercept)."""
        return self.outcome == "ordered"

    @property
    def is_probability(self) -> bool:
        """Effects are on a probability or share (shown in percentage points), not a count."""
        return self.outcome != "count"

    @property
    def single_index(self) -> bool:
        r"""The mean is :math:`g^{-1}(x'\beta)` (all families but the ordered logit)."""
        return self.mean is not None


_LOGIT = {"mean": expit, "derivatives": _logit_derivatives}
_BINARY = {"outcome": "binary", "expected": "0 or 1", "invalid": _binary}

LOGIT = Family(
    name="logit",
    link="logit",
    fitter="glm",
    glm=lambda: sm.families.Binomial(),
    weighted=True,
    separation_check=True,
    refit_as="logit",
    **_LOGIT,
    **_BINARY,
)
PROBIT = Family(
    name="probit",
    link="probit",
    fitter="glm",
    glm=lambda: sm.families.Binomial(link=sm.families.links.Probit()),
    mean=stats.norm.cdf,
    derivatives=_probit_derivatives,
    weighted=True,
    separation_check=True,
    refit_as="probit",
    **_BINARY,
)
FIRTH = Family(
    name="firth",
    link="logit",
    fitter="firth",
    default_cov_type="nonrobust",
    robust=False,
    refit_as="logit",
    **_LOGIT,
    **_BINARY,
)
FRACLOGIT = Family(
    name="fraclogit",
    link="logit",
    outcome="share",
    fitter="glm",
    expected="a share in [0, 1]",
    invalid=_share,
    glm=lambda: sm.families.Binomial(),
    weighted=True,
    refit_as="fraclogit",
    **_LOGIT,
)
_COUNT = {
    "link": "log",
    "outcome": "count",
    "expected": "a count 0, 1, 2, ...",
    "invalid": _count,
    "mean": np.exp,
    "derivatives": _log_derivatives,
}
POISSON = Family(
    name="poisson",
    fitter="glm",
    glm=lambda: sm.families.Poisson(),
    weighted=True,
    refit_as="poisson",
    **_COUNT,
)
NEGBIN = Family(name="negbin", fitter="negbin", extra_params=1, refit_as="negbin", **_COUNT)
OLOGIT = Family(
    name="ologit", link="cumulative logit", outcome="ordered", fitter="ordered", refit_as="ologit"
)

#: Every family by name, in the order of :data:`clusterlib.options.Family`.
FAMILIES: MappingProxyType[str, Family] = MappingProxyType(
    {f.name: f for f in (LOGIT, PROBIT, FIRTH, FRACLOGIT, POISSON, NEGBIN, OLOGIT)}
)


def family_of(name: str | Family) -> Family:
    """Return the :class:`Family` called ``name`` (a :class:`Family` is returned as it is).

    Raises
    ------
    OptionError
        ``name`` is not a family; the message lists the valid names and the closest one.

    Examples
    --------
    >>> fam = family_of("probit")
    >>> fam.link, fam.is_binary, fam.is_count, float(fam.mean(np.array([0.0]))[0])
    ('probit', True, False, 0.5)
    >>> family_of("negbin").extra_params, family_of("firth").default_cov_type
    (1, 'nonrobust')
    >>> family_of("logistic")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    clusterlib.errors.OptionError: option 'family': expected one of [...], found 'logistic'. ...
    """
    if isinstance(name, Family):
        return name
    return FAMILIES[check_option("family", name)]
