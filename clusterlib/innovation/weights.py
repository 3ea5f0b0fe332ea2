r"""Survey weights: post-stratification and raking to population margins, trimming, design effect.

A survey of 30 to 150 firms speaks for the region's firms only once it is weighted to what is known
about them, for example the number of local units by NACE division (Eurostat V11210, bundled) and by
size class (the statistical office's business register).

* **Post-stratification** (one margin, possibly a cross-classification): every firm of stratum h
  gets :math:`w_i = d_i\, N_h / \sum_{j \in h} d_j`, with :math:`d` the base (design) weights.
* **Raking** (iterative proportional fitting; Deming & Stephan 1940): post-stratify on each margin
  in turn until every weighted margin equals its target to a relative ``tol``. It converges when
  the margins are consistent and no target cell is empty; otherwise :class:`RakingError` names the
  margin that fails. Unconverged weights are never returned.
* **Trimming** (``trim=(lower, upper)``, multiples of the mean weight): weights outside the bounds
  are set to them and the rest raked again, alternately, until both the bounds and the margins
  hold (as R's ``survey::calibrate(..., bounds=)`` does for raking).

The result carries Kish's design effect of unequal weighting and the effective sample size,

.. math:: \mathrm{deff} = n \frac{\sum_i w_i^2}{(\sum_i w_i)^2} = 1 + \mathrm{CV}(w)^2, \qquad
    n_{\mathrm{eff}} = \frac{(\sum_i w_i)^2}{\sum_i w_i^2} = n / \mathrm{deff}.

References
----------
Deming, W. E., & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency table
when the expected marginal totals are known. *Annals of Mathematical Statistics*, 11(4), 427-444.
Kish, L. (1965). *Survey Sampling*. Wiley.
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley (``survey::rake``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from clusterlib.errors import ClusterlibError, DataValueError, OptionError
from clusterlib.options import check_option

__all__ = [
    "RakingError", "design_effect", "load_margins", "local_units", "size_class", "survey_weights",
]  # fmt: skip

WeightMethod = Literal["raking", "poststratify"]


class RakingError(ClusterlibError):
    """Raking did not converge, or the margins cannot be met (names the margin)."""


def design_effect(weights: pd.Series) -> tuple[float, float]:
    r"""Kish's design effect of unequal weights and the effective sample size.

    .. math:: \mathrm{deff} = n \sum w^2 / (\sum w)^2, \quad n_{\mathrm{eff}} = (\sum w)^2 / \sum w^2

    Returns
    -------
    tuple of float
        ``(deff, n_eff)``.
    """
    w = np.asarray(weights, float)
    if len(w) == 0 or not np.isfinite(w).all() or (w < 0).any() or not w.sum() > 0:
        raise DataValueError(
            "weights: expected finite weights >= 0 with a positive sum, found "
            f"{len(w)} weight(s) summing to {w.sum() if len(w) else 0.0!r}; the design effect is "
            "not defined. Check the weights (all zero, negative or missing)."
        )
    n_eff = w.sum() ** 2 / (w**2).sum()
    return float(len(w) / n_eff), float(n_eff)


def _targets(
    survey, margins, source
) -> tuple[list[str], list[np.ndarray], list[np.ndarray], float]:
    """Check the margins and return (names, codes per firm, target per category, total)."""
    names, codes, targets, totals = [], [], [], []
    for var, spec in margins.items():
        if var not in survey.columns:
            raise DataValueError(
                f"{source}, margin {var!r}: the survey has no column {var!r}; margins are "
                "population counts of a survey variable (e.g. nace, size_class)."
            )
        target = pd.Series(spec, dtype=float) if isinstance(spec, Mapping) else spec.astype(float)
        target.index = target.index.astype(str)
        if target.isna().any() or (target < 0).any() or np.isinf(target).any():
            bad = target[target.isna() | (target < 0) | np.isinf(target)]
            raise DataValueError(
                f"{source}, margin {var!r}, category {bad.index[0]!r}: expected a population "
                f"count >= 0, found {float(bad.iloc[0])!r}."
            )
        values = survey[var].astype(str)
        unknown = ~values.isin(target.index)
        if unknown.any():
            i = int(np.flatnonzero(unknown.to_numpy())[0])
            raise DataValueError(
                f"{source}, row {i + 1}, column {var!r}: category {values.iloc[i]!r} has no "
                f"population count in the margin (categories: {list(target.index)}). Add it to "
                "the margin or merge categories."
            )
        if not (target > 0).any():
            raise DataValueError(
                f"{source}, margin {var!r}: every population count is 0; a margin must count "
                "the firms the survey stands for. Check the file or the units of the margin."
            )
        counts = values.value_counts()
        zero = target[(target == 0) & target.index.isin(counts.index)]
        if len(zero):
            raise DataValueError(
                f"{source}, margin {var!r}, category {zero.index[0]!r}: the population count is 0 "
                f"but {int(counts[zero.index[0]])} firm(s) of the survey are in it; they would "
                "all get weight 0. Correct the count, or merge the category with a neighbouring "
                "one (or leave those firms out explicitly)."
            )
        present = target.index.isin(values.unique())
        empty = target[~present & (target > 0)]
        if len(empty):
            raise DataValueError(
                f"{source}, margin {var!r}: empty stratum {empty.index[0]!r} (population "
                f"{empty.iloc[0]:,.0f}, no firm in the survey); no weight can represent it. Merge "
                "it with a neighbouring category, or drop it from the margin and say so."
            )
        names.append(var)
        codes.append(pd.Categorical(values, categories=target.index).codes)
        targets.append(target.to_numpy())
        totals.append(target.sum())
    if not names:
        raise OptionError("margins: give at least one margin, e.g. {'nace': {...}}.")
    if max(totals) - min(totals) > 1e-6 * max(totals):
        shown = ", ".join(f"{n} {t:,.1f}" for n, t in zip(names, totals, strict=True))
        raise DataValueError(
            f"{source}: the margins do not add up to one population total ({shown}); raking "
            "needs every margin to count the same firms. Scale them to one total, or check the "
            "categories left out of one of them."
        )
    return names, codes, targets, float(totals[0])


def _rake(w, codes, targets, *, tol, max_iter, bounds=None):
    """Rake by iterative proportional fitting; return (weights, sweeps, worst margin, deviation)."""
    w = w.copy()
    worst, dev = 0, np.inf
    for it in range(1, max_iter + 1):
        for c, t in zip(codes, targets, strict=True):
            sums = np.bincount(c, weights=w, minlength=len(t))
            w *= np.divide(t, sums, out=np.ones_like(t), where=sums > 0)[c]
        if bounds is not None:
            w = np.clip(w, *bounds)
        devs = [
            np.max(np.abs(np.bincount(c, weights=w, minlength=len(t)) - t) / np.maximum(t, 1e-300))
            for c, t in zip(codes, targets, strict=True)
        ]  # fmt: skip
        worst, dev = int(np.argmax(devs)), float(max(devs))
        if dev <= tol:
            return w, it, worst, dev
    return w, max_iter, worst, dev


def survey_weights(
    survey: pd.DataFrame,
    *,
    margins: Mapping[str, Mapping | pd.Series],
    method: WeightMethod = "raking",
    base: str | pd.Series | None = None,
    trim: tuple[float, float] | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    source: str = "survey",
) -> pd.Series:
    r"""Weights that make the survey match population margins (see the module docstring).

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per firm, with a column for every margin (e.g. ``nace``, ``size_class``).
    margins : mapping
        Variable to its population counts by category (a dict or Series), e.g.
        ``{"nace": {"C24": 120, "C25": 2350}, "size_class": {...}}``. Every margin must sum to
        the same total.
    method : {"raking", "poststratify"}
        ``"poststratify"`` takes exactly one margin (cross-classify variables into one column
        for joint strata).
    base : str or pandas.Series, optional
        Design weights (a column name or a Series); default 1 for every firm.
    trim : (float, float), optional
        Bounds as multiples of the mean weight, e.g. ``(0.3, 3.0)``.
    tol : float
        Largest relative deviation of any weighted margin from its target.
    max_iter : int
        Raking sweeps (with ``trim``: in all).

    Returns
    -------
    pandas.Series
        The weights (sum = the population total), index as the survey. ``attrs``: ``deff``,
        ``n_eff``, ``method``, ``iterations``, ``n_trimmed``, ``margins`` (names).

    Raises
    ------
    DataValueError
        A base weight that is zero, negative or missing (row named); a survey category without a
        population count; an empty stratum; margins that do not add up; a margin variable the
        survey lacks.
    RakingError
        No convergence within ``max_iter``, naming the margin furthest from its target and the
        deviation; trimming bounds that the margins cannot meet.

    References
    ----------
    Deming & Stephan (1940); Kish (1965); Lumley (2010), see the module docstring.
    """
    check_option("method", method, WeightMethod)
    if method == "poststratify" and len(margins) != 1:
        raise OptionError(
            f"method='poststratify' takes one margin, got {len(margins)}; use 'raking', or "
            "cross-classify the variables into one column first."
        )
    names, codes, targets, total = _targets(survey, margins, source)
    n = len(survey)
    if base is None:
        d = np.ones(n)
    else:
        b = survey[base] if isinstance(base, str) else base.reindex(survey.index)
        d = pd.to_numeric(b, errors="coerce").to_numpy(float)
        bad = ~(d > 0) | ~np.isfinite(d)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            col = base if isinstance(base, str) else "base"
            raise DataValueError(
                f"{source}, row {i + 1}, column {col!r}: expected a positive base weight, found "
                f"{b.iloc[i]!r}. A weight of 0 or below would drop or invert the firm; fix it or "
                "leave the firm out explicitly."
            )
    if method == "poststratify":
        c, t = codes[0], targets[0]
        w = d * (t / np.bincount(c, weights=d, minlength=len(t)))[c]
        iterations, n_trimmed = 1, 0
    else:
        w, iterations, worst, dev = _rake(d, codes, targets, tol=tol, max_iter=max_iter)
        if dev > tol:
            raise RakingError(
                f"{source}: raking did not converge in {max_iter} sweeps; margin "
                f"{names[worst]!r} is still {dev:.2%} off its target. The margins may contradict "
                "the sample (a combination of categories no firm has); merge sparse categories "
                "or drop a margin."
            )
        n_trimmed = 0
    if trim is not None:
        lo, hi = trim
        if not (0 < lo < 1 < hi):
            raise OptionError(
                f"trim: expected (lower < 1 < upper) multiples of the mean, got {trim!r}."
            )
        mean = total / n
        bounds = (lo * mean, hi * mean)
        n_trimmed = int(((w < bounds[0]) | (w > bounds[1])).sum())
        if n_trimmed:
            w, more, worst, dev = _rake(
                w, codes, targets, tol=tol, max_iter=max_iter, bounds=bounds
            )
            iterations += more
            if dev > tol:
                raise RakingError(
                    f"{source}: with weights trimmed to {lo:g}-{hi:g} times the mean, margin "
                    f"{names[worst]!r} stays {dev:.2%} off its target; widen the bounds."
                )
    out = pd.Series(w, index=survey.index, name="weight")
    deff, n_eff = design_effect(out)
    out.attrs.update(
        deff=deff, n_eff=n_eff, method=method, iterations=iterations, n_trimmed=n_trimmed,
        margins=names, total=total,
    )  # fmt: skip
    return out


SIZE_CLASSES = ("0-9", "10-49", "50-249", "250+")


def size_class(employees: pd.Series) -> pd.Series:
    """Eurostat's size classes of persons employed: ``0-9``, ``10-49``, ``50-249``, ``250+``."""
    cut = pd.cut(employees, [-np.inf, 9, 49, 249, np.inf], labels=list(SIZE_CLASSES))
    return cut.astype(str).rename("size_class")


def local_units(region: str, *, year: int, divisions: list[str] | None = None) -> pd.Series:
    """Return the region's local units by NACE division (Eurostat V11210, the bundled data).

    Parameters
    ----------
    region : str
        NUTS2 code, or a cluster area of ``params/areas.yaml`` (its members' sums).
    year : int
    divisions : list of str, optional
        Keep these divisions (e.g. those of the survey); default all.

    Returns
    -------
    pandas.Series
        Local units by division, for a ``nace`` margin of :func:`survey_weights`.

    Raises
    ------
    DataValueError
        A division without a known count in that year (confidential or missing).
    """
    from clusterlib.io.cache import load_eurostat
    from clusterlib.io.cells import prepare_cells
    from clusterlib.reference.areas import unit_regions

    members = unit_regions(region)  # a cluster area: the sum of its members (unknown if one is)
    cells = prepare_cells(load_eurostat(), indicator="V11210", years=year, policy="fill")
    mine = cells[cells["region"].astype(str).isin(members)]
    if len(members) == 1:
        counts = mine.set_index(mine["industry"].astype(str))["value"]
    else:
        by = mine.groupby(mine["industry"].astype(str), observed=True)["value"]
        counts = by.sum(min_count=len(members)).where(by.count() == len(members))
    if divisions is not None:
        missing = [d for d in divisions if d not in counts.index or pd.isna(counts.get(d))]
        if missing:
            raise DataValueError(
                f"local units of {region} in {year}: no count for division(s) {missing} in the "
                "Eurostat data; give that margin yourself."
            )
        counts = counts.loc[list(divisions)]
    return counts.astype(float).rename("local_units")


def load_margins(path, *, survey: pd.DataFrame | None = None) -> dict[str, pd.Series]:
    """Read a margins file: ``region``, ``year`` and ``margins`` (variable: counts or ``eurostat``).

    ``nace: eurostat`` takes :func:`local_units` of the region and year for the survey's divisions.

    Raises
    ------
    DataFormatError
        Not such a mapping; ``eurostat`` for a variable other than ``nace``; ``eurostat``
        without ``region``/``year``.
    """
    from clusterlib.errors import DataFormatError
    from clusterlib.yamlfile import load_yaml

    spec = load_yaml(path)
    if not isinstance(spec, Mapping) or not isinstance(spec.get("margins"), Mapping):
        raise DataFormatError(f"{path}: expected a mapping with 'margins' (variable: counts).")
    out = {}
    for var, counts in spec["margins"].items():
        if counts == "eurostat":
            if var != "nace" or "region" not in spec or "year" not in spec:
                raise DataFormatError(
                    f"{path}, margins, {var!r}: 'eurostat' is available for nace (local units), "
                    "with region and year given in the file."
                )
            divisions = sorted(survey["nace"].astype(str).unique()) if survey is not None else None
            out[var] = local_units(str(spec["region"]), year=int(spec["year"]), divisions=divisions)
        elif isinstance(counts, Mapping):
            out[var] = pd.Series({str(k): v for k, v in counts.items()}, dtype=float)
        else:
            raise DataFormatError(f"{path}, margins, {var!r}: expected category: count pairs.")
    return out
