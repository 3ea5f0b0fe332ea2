r"""Official context indicators of a region or cluster area, against its country and its peers.

Every indicator is a ratio of two counts of :func:`clusterlib.context.counts.context_counts`,
summed over the members of a unit (a NUTS2 region, a cluster area of several regions, a country)
before dividing, so that an area's rate is its own and never an average of its members' rates:

.. math:: r_{ut} = k \, \frac{\sum_{i \in u} N_{it}}{\sum_{i \in u} D_{it}}

A unit with a member whose count is unknown gets no value (never a partial sum).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError

#: name -> (numerator, denominator, scale, unit, years shown)
INDICATORS = {
    "gdp_per_inhabitant": ("gdp", "population", 1e6, "EUR per inhabitant (current prices)"),
    "rd_per_1000": ("rd_personnel", "population", 1e3,
                    "R&D personnel (FTE) per 1,000 inhabitants"),
    "patents_per_million": ("patents", "population", 1e6,
                            "EPO patent applications per million inhabitants"),
}  # fmt: skip


def indicator_values(counts: pd.DataFrame, *, units: dict[str, list[str]]) -> pd.DataFrame:
    r"""Return every indicator of every unit and year.

    .. math:: r_{ut} = k\, \sum_{i \in u} N_{it} \big/ \sum_{i \in u} D_{it}

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`~clusterlib.context.counts.context_counts`.
    units : dict of str to list of str
        Unit name to its member regions (one NUTS version, the one of ``counts``).

    Returns
    -------
    pandas.DataFrame
        Index ``(unit, indicator, year)``; columns ``value``, ``numerator``, ``denominator``
        and ``converted`` (some member count was converted between NUTS versions). Indicators
        whose counts ``counts`` lacks are left out.

    References
    ----------
    Eurostat (2023). *Regional yearbook*, methodological notes on GDP per inhabitant.

    Examples
    --------
    >>> counts = pd.DataFrame({"region": ["A", "B", "A", "B"], "year": 2020,
    ...     "measure": ["gdp", "gdp", "population", "population"],
    ...     "value": [10.0, 30.0, 1e3, 3e3], "converted": False})
    >>> v = indicator_values(counts, units={"AB": ["A", "B"]})
    >>> float(v.loc[("AB", "gdp_per_inhabitant", 2020), "value"])
    10000.0
    """
    members = pd.DataFrame(
        [(u, r) for u, regions in units.items() for r in regions], columns=["unit", "region"]
    )
    if members.empty:
        raise DataValueError("indicator_values: no unit has a member region.")
    size = members.groupby("unit").size()
    c = counts.merge(members, on="region")
    c = c.assign(known=c["value"].notna())
    g = c.groupby(["unit", "measure", "year"], sort=True)
    summed = pd.DataFrame({
        "value": g["value"].sum(min_count=1), "known": g["known"].sum(),
        "converted": g["converted"].any(),
    })  # fmt: skip
    units_of = summed.index.get_level_values("unit")
    complete = summed["known"].to_numpy() == size.reindex(units_of).to_numpy()
    summed["value"] = summed["value"].where(complete)  # a missing member: no partial sum
    parts, have = [], set(summed.index.get_level_values("measure"))
    for name, (num, den, scale, _unit) in INDICATORS.items():
        if not {num, den} <= have:  # a file without this measure: no such indicator
            continue
        n = summed.xs(num, level="measure")
        d = summed.xs(den, level="measure")
        j = n.add_suffix("_n").join(d.add_suffix("_d"), how="inner")
        value = (scale * j["value_n"] / j["value_d"]).where(j["value_d"] > 0)
        parts.append(pd.DataFrame({
            "indicator": name, "value": value, "numerator": j["value_n"],
            "denominator": j["value_d"], "converted": j["converted_n"] | j["converted_d"],
        }, index=j.index))  # fmt: skip
    out = pd.concat(parts).set_index("indicator", append=True)
    return out.reorder_levels(["unit", "indicator", "year"]).sort_index()


def percentile(values: pd.Series, of: float) -> float:
    r"""Return the percentile rank of ``of`` among ``values`` (ties count half).

    .. math:: P = 100\,\frac{\#\{v < x\} + \tfrac12 \#\{v = x\}}{n}

    NaN when ``of`` or every value is unknown.

    Examples
    --------
    >>> percentile(pd.Series([1.0, 2.0, 3.0, 4.0]), 3.0)
    62.5
    """
    v = values.dropna().to_numpy(dtype=float)
    if not len(v) or not np.isfinite(of):
        return float("nan")
    return float(100 * ((v < of).sum() + 0.5 * (v == of).sum()) / len(v))


def growth_rate(series: pd.Series) -> float:
    r"""Compound annual growth between the first and last year with a value.

    .. math:: g = (x_{t_1} / x_{t_0})^{1/(t_1 - t_0)} - 1

    Examples
    --------
    >>> round(growth_rate(pd.Series([100.0, None, 121.0], index=[2000, 2001, 2002])), 4)
    0.1
    """
    s = series.dropna()
    s = s[s > 0]
    if len(s) < 2:
        return float("nan")
    t0, t1 = s.index.min(), s.index.max()
    return float((s.loc[t1] / s.loc[t0]) ** (1 / (t1 - t0)) - 1)
