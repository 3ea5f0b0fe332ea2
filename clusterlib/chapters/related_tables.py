"""The tables of notebook 04's chapter, computed from one year's region x industry matrix.

:class:`~clusterlib.chapters.related.RelatedChapter` builds them once: the relatedness measures
(with a cluster area in place of its members where the area is the unit), the related
industries, the diversification opportunities, the ECI ranks in the country and the evidence of
the entry regression.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Mean LQ correlation with the cluster's divisions from which a division counts as near it.
NEAR = 0.2


def _labels(codes) -> np.ndarray:
    """Return the NACE labels of ``codes`` (NaN where unknown)."""
    from clusterlib.reference.nace import nace_labels

    return nace_labels(pd.Index(codes)).to_numpy()


@dataclass
class Measures:
    """Relatedness measures of one year: proximity, co-location, presence, RCA, density, ECI/PCI."""

    phi: pd.DataFrame
    corr: pd.DataFrame
    M: pd.DataFrame
    R: pd.DataFrame
    dens: pd.DataFrame
    eci: pd.Series
    pci: pd.Series
    notes: list[str] = field(default_factory=list)


def measures(wide: pd.DataFrame, region: str, members: tuple[str, ...] | None) -> Measures:
    """Compute the measures on ``wide``; for an area (``members``) its summed row is the unit.

    The area's RCA, presence and density come from its members' summed row in place of theirs
    (the European totals hold); proximity and PCI stay those of the NUTS2 regions; the ECI is
    computed with the area in place of its members.
    """
    from clusterlib.chapters import areas as au
    from clusterlib.relatedness import (
        colocation_relatedness,
        complexity,
        presence,
        proximity,
        rca,
        relatedness_density,
    )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        phi = proximity(wide)
        corr = colocation_relatedness(wide)
        M, R, dens = presence(wide), rca(wide), relatedness_density(wide)
        eci, pci = complexity(wide, missing="drop-regions")
        if members:
            unit_wide = au.collapse_wide(wide, region, members)
            R, M = rca(unit_wide), presence(unit_wide)
            dens = relatedness_density(unit_wide, relatedness=phi)
            eci, _ = complexity(unit_wide, missing="drop-regions")
    notes = sorted({str(w.message) for w in caught})
    if members:
        notes.append(au.related_note(region, members))
    return Measures(phi, corr, M, R, dens, eci, pci, notes)


def related_table(m: Measures, region: str, codes: list[str], attach: pd.Series) -> pd.DataFrame:
    """Return every other division with its mean co-location and proximity to the cluster."""
    others = [c for c in m.corr.columns if c not in codes]
    return pd.DataFrame({
        "division": _labels(others),
        "colocation": m.corr.loc[others, codes].mean(axis=1).to_numpy(),
        "proximity": m.phi.loc[others, codes].mean(axis=1).to_numpy(),
        "together": attach.reindex(others).to_numpy(),
        "rca_region": m.R.loc[region, others].to_numpy(),
    }, index=pd.Index(others, name="code")).sort_values("colocation", ascending=False)  # fmt: skip


def opportunities(
    m: Measures, region: str, codes: list[str], *, n_top: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return every division the region lacks, and the top opportunities among them.

    An opportunity has relatedness density at or above the median of the lacked divisions and
    complexity above average (PCI > 0); those near the cluster come first. The cluster's own
    divisions are its core, not a diversification path.
    """
    lacks = [c for c in m.M.columns if m.M.loc[region, c] == 0]
    opp = pd.DataFrame({
        "division": _labels(lacks),
        "density_pct": 100 * m.dens.loc[region, lacks].to_numpy(),
        "pci": m.pci.reindex(lacks).to_numpy(),
        "colocation": m.corr.loc[lacks, codes].mean(axis=1).to_numpy(),
        "rca_region": m.R.loc[region, lacks].to_numpy(),
    }, index=pd.Index(lacks, name="code"))  # fmt: skip
    opp["related_to_cluster"] = opp["colocation"] >= NEAR
    median = opp["density_pct"].median()
    own = opp.index.isin(codes)
    top = opp[~own & (opp["density_pct"] >= median) & (opp["pci"] > 0)]
    top = top.sort_values(["related_to_cluster", "colocation"], ascending=[False, False])
    return opp, top.head(n_top)


def eci_in_country(
    eci: pd.Series, region: str, members: tuple[str, ...], name: str
) -> pd.DataFrame:
    """Return the ECI of the region's country's units with their rank in Europe."""
    from clusterlib.reference.nuts import nuts_table, region_countries, region_country

    country = region_country(members[0])
    ranked = eci.dropna().sort_values(ascending=False)
    in_country = ranked[region_countries(ranked.index) == country]
    names = nuts_table([r for r in in_country.index if r != region])["name"]
    return pd.DataFrame({
        "name": [name if r == region else names[r] for r in in_country.index],
        "eci": in_country,
        "rank_in_europe": [int(ranked.index.get_loc(r)) + 1 for r in in_country.index],
    }).rename_axis("region")  # fmt: skip


def entry_evidence(panel: pd.DataFrame, *, start: int, end: int):
    """Return the entry table, the AMEs of the entry model and the warnings worth a note."""
    from clusterlib.relatedness.entry import entry_model, entry_table

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        entry = entry_table(panel, start=start, end=end)
        _, ame = entry_model(entry)
    notes = sorted({str(w.message) for w in caught
                    if not issubclass(w.category, (DeprecationWarning, FutureWarning))})  # fmt: skip
    return entry, ame, notes


def io_evidence(
    wide: pd.DataFrame,
    corr: pd.DataFrame,
    codes: list[str],
    *,
    cut: float,
    n_boot: int,
    seed: int,
    io_weight: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the definition with input-output links and the cluster's links by source.

    The links are those of Poland's 2011 WIOD table by NACE division
    (:func:`clusterlib.linkages.division_link_strength`). The pairs table has one row per other
    division: its mean co-location, input-output link and combined measure with the cluster's
    divisions (``codes``), strongest combined first.
    """
    from clusterlib.io.io_tables import load_wiod_poland
    from clusterlib.linkages import division_link_strength
    from clusterlib.relatedness.clusters import define_clusters
    from clusterlib.relatedness.combined import link_sources

    links = division_link_strength(load_wiod_poland().flows, divisions=wide.columns)
    definition = define_clusters(wide, cut=cut, n_boot=n_boot, seed=seed, io_links=links,
                                 io_weight=io_weight)  # fmt: skip
    pairs = link_sources(corr, links, io_weight=io_weight).reset_index()
    both = pd.concat([pairs, pairs.rename(columns={"industry": "with", "with": "industry"})])
    mine = both[both["with"].isin(codes) & ~both["industry"].isin(codes)]
    mean = mine.groupby("industry")[["colocation", "io_link", "combined"]].mean()
    mean.insert(0, "division", _labels(mean.index))
    return definition, mean.rename_axis("code").sort_values("combined", ascending=False)
