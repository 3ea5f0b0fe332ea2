"""The views of notebook 01: ready-to-read tables of a :func:`specialisation_table`.

DataFrame in, DataFrame out, for one region, cluster or year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import EmptySelectionError
from clusterlib.reference.nace import nace_labels
from clusterlib.reference.nuts import nuts_table
from clusterlib.specialisation.indices import (
    herfindahl,
    krugman_index,
    shannon_entropy,
    specialisation_coefficient,
)
from clusterlib.specialisation.shift_share import shift_share

_LQ_COLS = ["count", "lq", "lq_low", "lq_high", "significant", "imputed", "status"]


def region_lq(table: pd.DataFrame, *, region: str, year: int) -> pd.DataFrame:
    """LQs of every industry of one region and year, most specialised first, with NACE labels."""
    t = table[(table["region"] == region) & (table["year"] == year)].set_index("industry")
    out = t[_LQ_COLS].copy()
    out.insert(0, "label", nace_labels(out.index).fillna("cluster"))
    return out.sort_values("lq", ascending=False)


def cluster_by_region(table: pd.DataFrame, *, cluster: str, year: int) -> pd.DataFrame:
    """One industry (or cluster) in every region of the table, with region names."""
    t = table[(table["industry"] == cluster) & (table["year"] == year)].set_index("region")
    out = t[["region_total", *_LQ_COLS]].copy()
    out.insert(0, "name", nuts_table(out.index)["name"].reindex(out.index).to_numpy())
    return out


def lq_matrix(
    table: pd.DataFrame, *, year: int, industries: list[str] | None = None
) -> pd.DataFrame:
    """Wide region x industry LQ matrix for one year."""
    t = table[table["year"] == year]
    if industries is not None:
        t = t[t["industry"].isin(industries)]
    return t.pivot(index="region", columns="industry", values="lq")


def indices_by_region(sections: pd.DataFrame) -> pd.DataFrame:
    """Krugman index, specialisation coefficient, Herfindahl and Shannon entropy of every region.

    ``sections`` is the wide region x section matrix (:func:`employment_matrix`); regions with a
    missing section are left out.
    """
    x = sections.dropna()
    return pd.DataFrame(
        {
            "krugman": krugman_index(x),
            "specialisation_coefficient": specialisation_coefficient(x),
            "herfindahl": herfindahl(x),
            "shannon_entropy_bits": shannon_entropy(x),
        }
    )


def _counts(table: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.Series]:
    t = table[table["year"] == year]
    wide = t.pivot(index="region", columns="industry", values="count")
    base = t.drop_duplicates("region").set_index("region")["region_total"]
    return wide, base


def has_data(table: pd.DataFrame, *, region: str, year: int) -> bool:
    """Tell whether the table has a known count for the region in that year.

    False for a code introduced by a NUTS revision after ``year`` (e.g. DE40, DED4 and DED5 of
    NUTS 2013, whose data before 2011 sit under DE41/DE42 and DED1/DED3).
    """
    rows = table[(table["region"] == region) & (table["year"] == year)]
    return bool(rows["count"].notna().any())


def _require(table: pd.DataFrame, region: str, year: int) -> None:
    if not has_data(table, region=region, year=year):
        raise EmptySelectionError(
            f"region {region!r} has no employment data in {year} (a code introduced by a later "
            "NUTS revision has none before it). Choose a later start year."
        )


def region_shift_share(
    table: pd.DataFrame, *, region: str, start_year: int, end_year: int, industries: list[str]
) -> pd.DataFrame:
    """Shift-share of a region's industries between two years against the table's other regions.

    Industries unknown in either year in some region are left out of the reference sums.

    Raises
    ------
    EmptySelectionError
        If the region has no data in one of the years.
    """
    _require(table, region, start_year)
    _require(table, region, end_year)
    s0, b0 = _counts(table, start_year)
    s1, b1 = _counts(table, end_year)
    regions = s0.index.intersection(s1.index)
    s0, s1 = s0.loc[regions, industries], s1.loc[regions, industries]
    ss = shift_share(
        s0.fillna(0),
        s1.fillna(0),
        region_total_start=b0.reindex(regions),
        region_total_end=b1.reindex(regions),
    )
    out = ss.xs(region, level="region")
    unknown = s0.loc[region].isna() | s1.loc[region].isna()
    return out[~unknown.reindex(out.index).to_numpy()]


def region_portfolio(
    table: pd.DataFrame, *, region: str, start_year: int, end_year: int, industries: list[str]
) -> pd.DataFrame:
    """Portfolio (bubble) chart data of a region's industries.

    Per industry: the end-year LQ, the region's employment growth in % and the national growth of
    the same industry, their difference (percentage points) and end-year employment.

    Raises
    ------
    EmptySelectionError
        If the region has no data in one of the years.
    """
    _require(table, region, start_year)
    _require(table, region, end_year)
    t0 = table[(table["year"] == start_year) & table["industry"].isin(industries)]
    t1 = table[(table["year"] == end_year) & table["industry"].isin(industries)]
    r0 = t0[t0["region"] == region].set_index("industry")
    r1 = t1[t1["region"] == region].set_index("industry")
    nat0 = t0.drop_duplicates("industry").set_index("industry")["industry_total"]
    nat1 = t1.drop_duplicates("industry").set_index("industry")["industry_total"]
    idx = r1.index.intersection(r0.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = 100 * (
            r1.loc[idx, "count"] / r0.loc[idx, "count"].where(r0.loc[idx, "count"] > 0) - 1
        )
        national = 100 * (nat1.reindex(idx) / nat0.reindex(idx) - 1)
    out = pd.DataFrame(
        {
            "lq": r1.loc[idx, "lq"],
            "growth": growth,
            "national_growth": national,
            "relative_growth": growth - national,
            "employment": r1.loc[idx, "count"],
        }
    )
    return out.dropna()
