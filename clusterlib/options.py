"""Every keyword option with a fixed set of choices: one ``Literal`` alias each, checked in one place.

A typo such as ``policy="fil"`` or ``cov_type="hc1"`` is a :class:`~clusterlib.errors.OptionError`
that names the option, the value and the choices (with the closest one), whether it comes from a
function call, a notebook's parameters cell or ``params/defaults.yaml``.
"""

from __future__ import annotations

import difflib
from typing import Literal, get_args

from clusterlib.errors import OptionError

Policy = Literal["fill", "complete-sections", "missing"]
Reference = Literal["country", "eu"]
Family = Literal["logit", "probit", "firth", "fraclogit", "poisson", "negbin", "ologit"]
CovType = Literal["nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"]
Method = Literal["kmeans", "minibatch", "gmm", "ward", "average-gower"]
Impute = Literal["median", "drop"]

#: Option name to its alias; notebook parameters of these names are checked against it too.
OPTIONS: dict[str, object] = {
    "policy": Policy,
    "reference": Reference,
    "family": Family,
    "cov_type": CovType,
    "method": Method,
    "impute": Impute,
}


def choices(alias: object) -> tuple[str, ...]:
    """Return the allowed values of a ``Literal`` alias."""
    return tuple(get_args(alias))


def check_option(name: str, value: object, alias: object | None = None, *, source: str = "") -> str:
    """Return ``value`` if it is one of the choices of ``alias`` (default ``OPTIONS[name]``).

    Raises
    ------
    OptionError
        Naming the source (file or function), the option, the value found and the choices.
    """
    allowed = choices(alias if alias is not None else OPTIONS[name])
    if isinstance(value, str) and value in allowed:
        return value
    lower = {a.lower(): a for a in allowed}
    close = [lower[str(value).lower()]] if str(value).lower() in lower else []
    close = close or difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.5)
    tip = f" Did you mean {close[0]!r}?" if close else ""
    where = f"{source}, " if source else ""
    raise OptionError(
        f"{where}option {name!r}: expected one of {list(allowed)}, found {value!r}.{tip}"
    )
