r"""Regions like mine: the European regions whose economic structure is most similar.

:func:`structure_distances` compares every NUTS2 region's employment shares over NACE divisions
with the focal region's, vectorised over all regions at once; :func:`peer_regions` keeps the
``n`` closest. Two measures:

* ``"krugman"``: Krugman's dissimilarity :math:`K_{rp} = \sum_i |s_{ri} - s_{pi}|` (0 = the same
  structure, 2 = nothing in common; Krugman 1991);
* ``"cosine"``: :math:`1 - \frac{s_r \cdot s_p}{\lVert s_r \rVert \lVert s_p \rVert}`.

Confidential or missing cells are never read as zero: each pair is compared over the divisions
known in both regions, with the shares renormalised to that common set, so the distance is
symmetric and does not depend on the order of the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from clusterlib.errors import EmptySelectionError, OptionError
from clusterlib.io.cells import prepare_cells
from clusterlib.options import Policy, check_option
from clusterlib.reference.nace import nace_level
from clusterlib.reference.nuts import check_region, nuts_table

Measure = Literal["krugman", "cosine"]


def division_shares(data: pd.DataFrame, *, year: int, policy: Policy = "fill") -> pd.DataFrame:
    """Return the NUTS2 region x division employment matrix of ``year`` (NaN where unknown)."""
    check_option("policy", policy)
    cells = prepare_cells(data, years=year, policy=policy)
    level = nace_level(cells["industry"])
    geo = nuts_table(cells["region"].unique())
    nuts2 = geo.index[(geo["level"] == 2) & ~geo["extra_regio"]]
    cells = cells[(level == "division").to_numpy() & cells["region"].isin(nuts2).to_numpy()]
    return cells.pivot_table(index="region", columns="industry", values="value", dropna=False)


def structure_distances(
    wide: pd.DataFrame, *, region: str, measure: Measure = "krugman", min_common: float = 0.8
) -> pd.Series:
    """Distance of every region's structure from ``region``'s (see the module docstring).

    Parameters
    ----------
    wide : pandas.DataFrame
        Region x division employment (:func:`division_shares`).
    region : str
        The focal region.
    measure : {"krugman", "cosine"}
    min_common : float
        A region is compared only if the divisions known in both cover at least this share of
        the focal region's known employment; otherwise its distance is NaN.
    """
    if measure not in ("krugman", "cosine"):
        raise OptionError(f"measure: expected 'krugman' or 'cosine', got {measure!r}.")
    if region not in wide.index:
        check_region(region, source="region")  # a NUTS1 code, a later NUTS version, a typo
        raise EmptySelectionError(
            f"region {region!r} has no division data in this year (not one NACE division of it "
            "is in the data); choose another year, or check the data file."
        )
    A = wide.to_numpy(float)
    f = wide.loc[region].to_numpy(float)
    if not (np.isfinite(f) & (f > 0)).any():
        raise EmptySelectionError(
            f"region {region!r}: every division cell is confidential or missing in this year "
            f"({len(f)} divisions, none known), so its structure is unknown and no region can be "
            "compared with it. Use policy='fill' (estimates confidential cells from the totals) "
            "or another year."
        )
    common = ~np.isnan(A) & ~np.isnan(f)[None, :]
    a = np.where(common, A, 0.0)
    b = np.where(common, f[None, :], 0.0)
    sa, sb = a.sum(axis=1, keepdims=True), b.sum(axis=1, keepdims=True)
    coverage = sb[:, 0] / np.nansum(f)
    with np.errstate(invalid="ignore", divide="ignore"):
        a, b = a / sa, b / sb
        if measure == "krugman":
            d = np.abs(a - b).sum(axis=1)
        else:
            d = 1 - (a * b).sum(axis=1) / np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
    d = np.where((coverage >= min_common) & (sa[:, 0] > 0), d, np.nan)
    return pd.Series(d, index=wide.index, name=f"{measure}_distance")


def peer_regions(
    data: pd.DataFrame,
    *,
    region: str,
    year: int,
    n: int = 10,
    by: Literal["structure"] = "structure",
    measure: Measure = "krugman",
    size_ratio: float | None = None,
    policy: Policy = "fill",
    wide: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Return the ``n`` European NUTS2 regions whose economic structure is most like ``region``'s.

    Parameters
    ----------
    data : pandas.DataFrame
        The tidy Eurostat table.
    region : str
        The focal NUTS2 region.
    year : int
    n : int
        Number of peers.
    by : {"structure"}
        What makes regions alike: employment shares over NACE divisions.
    measure : {"krugman", "cosine"}
    size_ratio : float, optional
        Also require a similar size: total employment within a factor ``size_ratio`` of the
        focal region's (e.g. 2: between half and twice).
    policy : {"fill", "complete-sections", "missing"}
    wide : pandas.DataFrame, optional
        :func:`division_shares` of ``year``, if already computed.

    Returns
    -------
    pandas.DataFrame
        ``n`` rows, closest first: ``region``, ``name``, ``country``, ``distance`` and
        ``employment`` (persons in the divisions known), ties broken by region code.

    Notes
    -----
    With :math:`s_{ri}` the share of division i in region r's employment, the Krugman
    dissimilarity is :math:`K_{rq} = \sum_i |s_{ri} - s_{qi}|` (0: the same structure, 2: nothing in
    common); the cosine distance is :math:`1 - s_r \cdot s_q / (\|s_r\| \|s_q\|)`.

    References
    ----------
    Krugman, P. (1991). *Geography and Trade*. MIT Press, appendix D.

    Examples
    --------
    >>> wide = pd.DataFrame({"C24": [50.0, 10.0, 40.0], "C25": [50.0, 90.0, 60.0]},
    ...                     index=["PL22", "PL34", "CZ01"])
    >>> peer_regions(None, region="PL22", year=2014, n=2, wide=wide)[["region", "distance"]]
      region  distance
    0   CZ01       0.2
    1   PL34       0.8
    """
    if by != "structure":
        raise OptionError(f"by: expected 'structure', got {by!r}.")
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 1:
        raise OptionError(f"n: expected a positive number of peers, got {n!r}.")
    if wide is None:
        wide = division_shares(data, year=year, policy=policy)
    from clusterlib.reference.areas import unit_regions

    members = unit_regions(region)
    if members != (region,):  # a cluster area of params/areas.yaml
        if size_ratio is not None:
            raise OptionError(
                f"size_ratio: not defined for the cluster area {region!r} (its size is a sum of "
                "regions); leave it out."
            )
        return area_peers(wide, region, members, n=n, measure=measure)
    d = structure_distances(wide, region=region, measure=measure).drop(index=region)
    if d.notna().sum() == 0:
        raise EmptySelectionError(
            f"region {region!r}, {year}: no other region shares enough known divisions with it "
            "to be compared (each needs 80% of its known employment in divisions known in both); "
            "too many cells are confidential. Use policy='fill' or another year."
        )
    size = wide.sum(axis=1, min_count=1)
    if size_ratio is not None:
        if size_ratio < 1:
            raise OptionError(f"size_ratio: expected a factor >= 1, got {size_ratio}.")
        r = size / size[region]
        d = d[(r.reindex(d.index) <= size_ratio) & (r.reindex(d.index) >= 1 / size_ratio)]
    d = d.dropna()
    order = pd.DataFrame({"distance": d.to_numpy(), "code": d.index.to_numpy()})
    top = pd.Index(order.sort_values(["distance", "code"]).head(n)["code"])
    names = nuts_table(top)
    return pd.DataFrame(
        {
            "region": top,
            "name": names["name"].reindex(top).to_numpy(),
            "country": names["country"].reindex(top).to_numpy(),
            "distance": d.loc[top].to_numpy(),
            "employment": size.reindex(top).to_numpy(),
        }
    )


def area_peers(
    wide: pd.DataFrame,
    area: str,
    members: Sequence[str],
    *,
    n: int = 10,
    measure: Measure = "krugman",
) -> pd.DataFrame:
    """Return the ``n`` European regions and areas whose structure is most like the area's.

    The pool is every NUTS2 region but the members, and every other area of
    ``params/areas.yaml`` with no member in common; the area's structure is its members' summed
    division employment (Krugman dissimilarity, as :func:`peer_regions`).
    """
    from clusterlib.reference.areas import load_areas
    from clusterlib.reference.nuts import nuts_table
    from clusterlib.specialisation.areas import collapse_wide

    names = {}
    w = collapse_wide(wide, area, members)
    for other, body in load_areas().items():
        regions = list(body["regions"])
        if other == area or set(regions) & set(members) or not set(regions) <= set(wide.index):
            continue
        w.loc[other] = collapse_wide(wide, other, regions).loc[other]
        names[other] = body["name"]
    d = structure_distances(w, region=area, measure=measure).drop(index=area).dropna()
    order = pd.DataFrame({"distance": d.to_numpy(), "code": d.index.to_numpy()})
    top = list(order.sort_values(["distance", "code"]).head(n)["code"])
    regions = [c for c in top if c not in names]
    geo = nuts_table(regions)
    return pd.DataFrame(
        {
            "region": top,
            "name": [names.get(c) or geo.at[c, "name"] for c in top],
            "country": [c[:2] if c in names else geo.at[c, "country"] for c in top],
            "distance": d.loc[top].to_numpy(),
            "employment": w.sum(axis=1, min_count=1).reindex(top).to_numpy(),
        }
    )
