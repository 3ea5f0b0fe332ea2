r"""Location quotients of cluster areas: several NUTS2 regions summed into one unit.

An area's count and business-economy base are the sums over its member regions; the reference
totals are those of the members' comparison set (their country, or Europe), so

.. math:: LQ_{Ai} = \frac{\sum_{r \in A} x_{ri} \big/ \sum_{r \in A} x_{r.}}{x_{.i} / x_{..}},
    \quad \operatorname{Var}(\ln LQ_{Ai}) \approx \frac{1}{x_{Ai}} - \frac{1}{x_{A.}}
    - \frac{1}{x_{.i}} + \frac{1}{x_{..}}

(Moineddin, Beyene and Boyle 2003, applied to the area's summed counts). An area is never an
average of its members' LQs, and an area with a member whose cell is unknown has no LQ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from clusterlib.errors import EmptySelectionError, OptionError

_STATUS = np.array(
    ["ok", "missing input", "zero region total", "zero industry total"], dtype=object
)


def area_rows(
    table: pd.DataFrame,
    areas: Mapping[str, tuple[str, ...] | list[str]],
    *,
    reference: str = "country",
    level: float = 0.95,
) -> pd.DataFrame:
    """Return one row per area, industry and year, with the columns of the specialisation table.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`~clusterlib.specialisation.table.specialisation_table` for NUTS2 regions.
    areas : mapping of str to list of str
        Area id to its member regions.
    reference : {"country", "eu"}
        The table's reference area. Under ``"country"`` an area must lie in one country.
    level : float
        Confidence level of the interval.

    Raises
    ------
    OptionError
        A cross-border area with the country reference (use ``reference="eu"``).

    Examples
    --------
    >>> t = pd.DataFrame({"region": ["A1", "A2"], "country": "A", "industry": "C28",
    ...     "year": 2014, "count": [30.0, 10.0], "region_total": [100.0, 300.0],
    ...     "industry_total": 80.0, "grand_total": 1000.0, "imputed": False})
    >>> float(area_rows(t, {"A-X": ["A1", "A2"]})["lq"].iloc[0])  # (40/400) / (80/1000)
    1.25
    """
    from clusterlib.specialisation.lq import lq_interval_arrays

    members = pd.DataFrame(
        [(a, r) for a, regions in areas.items() for r in regions], columns=["region_area", "region"]
    )
    # the members' countries as the table has them (a member absent from the table has none)
    known = table.drop_duplicates("region").set_index("region")["country"]
    country = members["region"].map(known)
    countries = country.groupby(members["region_area"]).agg(lambda c: sorted(set(c.dropna())))
    cross = [a for a, c in countries.items() if len(c) > 1]
    if cross and reference == "country":
        raise OptionError(
            f"areas {cross}: they span several countries ({', '.join(countries[cross[0]])}); the "
            "country reference is undefined for them. Use reference='eu' (Europe as the "
            "reference) for a cross-border area."
        )
    n = members.groupby("region_area").size()
    rows = table.merge(members, on="region", how="inner")
    keys = ["region_area", "industry", "year"]
    g = rows.groupby(keys, sort=True)
    out = pd.DataFrame({
        "count": g["count"].sum(min_count=1), "region_total": g["region_total"].sum(min_count=1),
        "industry_total": g["industry_total"].first(), "grand_total": g["grand_total"].first(),
        "imputed": g["imputed"].any(), "seen": g["count"].size(),
        "known": g["count"].count(), "known_total": g["region_total"].count(),
    }).reset_index()  # fmt: skip
    complete = out["region_area"].map(n).to_numpy()
    out.loc[out["known"].to_numpy() < complete, "count"] = np.nan  # a member missing or unknown
    out.loc[out["known_total"].to_numpy() < complete, "region_total"] = np.nan
    out.loc[out["seen"].to_numpy() < complete, ["count", "region_total"]] = np.nan
    x, xr = out["count"].to_numpy(float), out["region_total"].to_numpy(float)
    xi, xt = out["industry_total"].to_numpy(float), out["grand_total"].to_numpy(float)
    res = pd.DataFrame({
        "region": out["region_area"], "country": out["region_area"].map(countries.str.join("+")),
        "industry": out["industry"], "year": out["year"], "count": x, "region_total": xr,
        "industry_total": xi, "grand_total": xt,
    })  # fmt: skip
    for k, col in lq_interval_arrays(x, xr, xi, xt, level=level).items():
        if k != "count":
            res[k] = col
    res["imputed"] = out["imputed"].to_numpy(bool)
    unknown = np.isnan(x) | np.isnan(xr) | np.isnan(xi) | np.isnan(xt)
    res["status"] = _STATUS[np.select([unknown, xr == 0, xi == 0], [1, 2, 3], default=0)]
    return res


def with_areas(out: pd.DataFrame, areas, *, reference: str, level: float) -> pd.DataFrame:
    """Append the rows of the cluster areas to a specialisation table.

    ``areas`` as in :func:`~clusterlib.specialisation.table.specialisation_table`: None for the
    areas of ``params/areas.yaml`` whose members are all in ``out`` (under the country reference,
    those within one country), a mapping to ask for these areas (each must have all its members in
    ``out``), ``{}`` for none.
    """
    from clusterlib.reference.areas import area_regions

    given = areas is not None
    found = area_regions(areas if given else None)
    have = set(out["region"].unique())
    keep = {}
    for a, regions in found.items():
        missing = sorted(set(regions) - have)
        if given and missing:
            raise EmptySelectionError(
                f"area {a!r}: member region(s) {missing} are not in the table (countries or "
                "years selected, or no data); select their countries."
            )
        one_country = len({r[:2] for r in regions}) == 1
        if not missing and (given or reference != "country" or one_country):
            keep[a] = regions
    if not keep:
        return out
    attrs = dict(out.attrs)
    rows = area_rows(out, keep, reference=reference, level=level)
    out = pd.concat([out, rows], ignore_index=True)
    out.attrs.update(attrs)
    return out


def collapse_wide(wide: pd.DataFrame, area: str, members: Sequence[str]) -> pd.DataFrame:
    """Return a region x column matrix in which the area's summed row replaces its members' rows.

    A column unknown (NaN) in any member is unknown in the area.

    Examples
    --------
    >>> w = pd.DataFrame({"B": [1.0, 2.0, 4.0], "C": [3.0, np.nan, 1.0]}, index=["A1", "A2", "A3"])
    >>> collapse_wide(w, "A-X", ["A1", "A2"]).to_dict("index")
    {'A3': {'B': 4.0, 'C': 1.0}, 'A-X': {'B': 3.0, 'C': nan}}
    """
    members = list(members)
    row = wide.loc[members].sum(min_count=len(members))
    row[wide.loc[members].isna().any()] = np.nan
    out = wide.drop(index=members)
    out.loc[area] = row
    return out
