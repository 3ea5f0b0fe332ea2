"""The tables behind the value-chain chapter (notebook 05): employment by division, multipliers.

Used by :mod:`clusterlib.chapters.value_chains`; the analysis itself is in
:mod:`clusterlib.linkages.value_chain`.
"""

from __future__ import annotations

import pandas as pd

from clusterlib import config
from clusterlib.errors import DataValueError, EmptySelectionError
from clusterlib.linkages import value_chain as vc

#: Readers' names of WIOD's final demand columns.
FINAL_DEMAND = {
    "CONS_h": "Households' consumption", "CONS_np": "Non-profit institutions' consumption",
    "CONS_g": "Government consumption", "GFCF": "Investment (fixed capital)",
    "INVEN": "Changes in inventories", "EXP": "Exports",
}  # fmt: skip


def scope(delta: float) -> str:
    """Return the name of the regional estimates at ``delta`` (the ``scope`` of the multipliers).

    Examples
    --------
    >>> scope(0.3)
    'regional δ 0.3'
    """
    return f"regional δ {delta:g}"


def io_labels(lang: str = "en") -> pd.Series:
    """WIOD industry code -> its label (e.g. ``c12`` -> ``Basic Metals and Fabricated Metal``).

    ``lang="pl"``: the Polish names (``wiod_label_pl`` of the bridge table).
    """
    from clusterlib.linkages import wiod_nace_bridge

    column = "wiod_label" if lang == "en" else f"wiod_label_{lang}"
    return wiod_nace_bridge().groupby("industry", sort=False)[column].first()


def link_label(record: dict, *, lang: str) -> str:
    """Return the label of a supplier or customer of ``metrics.json`` in ``lang``.

    An industry (a WIOD code) gets the bridge table's name, a final demand column (households'
    consumption, exports...) the message catalogue's.

    >>> link_label({"industry": "c20", "label": "Wholesale trade"}, lang="pl")
    'Handel hurtowy i komisowy, z wyłączeniem pojazdów samochodowych'
    >>> link_label({"name": "EXP", "label": "Exports", "kind": "final demand"}, lang="pl")
    'Eksport'
    """
    from clusterlib.i18n.messages import gettext

    code = record.get("industry") or record.get("name")
    if lang == "en":
        return str(record["label"])
    if code in FINAL_DEMAND:
        return gettext(FINAL_DEMAND[code], lang=lang)
    return str(io_labels(lang).get(code) or record["label"])


def counts_by_division(region: str, *, year: int, policy: str) -> pd.DataFrame:
    """Persons employed by NACE division: the region's (or area's) and the nation's."""
    from clusterlib.io.cache import cached_table
    from clusterlib.reference.areas import area_regions, check_unit
    from clusterlib.reference.nuts import is_nuts_code
    from clusterlib.specialisation.table import specialisation_table

    check_unit(region)
    country = region[:2] if is_nuts_code(region) else area_regions()[region][0][:2]
    if country != "PL":
        raise DataValueError(
            f"region {region!r}: the bundled input-output table is Poland's (WIOD 2011); a region "
            f"of {country} needs its country's table (clusterlib.io.io_tables.read_io_table)."
        )
    s = cached_table(specialisation_table, years=year, countries=country, policy=policy)
    mine = s[(s["region"] == region) & (s["industry"].str.len() == 3)]
    if mine.empty:
        raise EmptySelectionError(
            f"region {region!r}: no employment for {year} in the Eurostat data "
            f"({config.eurostat_path()}); choose a year and region with data."
        )
    return pd.DataFrame({"regional": mine["count"].to_numpy(),
                         "national": mine["industry_total"].to_numpy()},
                        index=mine["industry"].to_numpy())  # fmt: skip


def partial_industries(divisions: pd.Index) -> list[str]:
    """Return the WIOD industries that hold divisions both with and without employment data."""
    from clusterlib.linkages import wiod_nace_bridge

    b = wiod_nace_bridge()
    has = b["nace"].isin(divisions)
    g = has.groupby(b["industry"])
    return list(g.any().index[(g.any() & ~g.all()).to_numpy()])


def cluster_multipliers(
    A: pd.DataFrame,
    R: pd.DataFrame,
    *,
    jobs: pd.Series,
    value_added: pd.Series,
    industries: list[str],
    output: pd.Series,
    jobs_weights: pd.Series,
) -> pd.DataFrame:
    """Multipliers of the cluster's industries and of the cluster, national and by δ.

    Rows (scope, industry), scope ``national`` or ``regional δ 0.3`` (from ``R`` stacked by δ),
    industry each of ``industries`` and ``cluster``; columns ``output``, ``jobs_type_i``,
    ``gva_type_i`` and ``jobs_per_100``. The cluster's output multiplier is the mean weighted by
    its ``output`` in each industry, its type I multipliers the means weighted by its jobs
    (``jobs_weights``) and its value added (output x ``value_added``): each is the effect of final
    demand spread over the industries like the cluster's output.
    """
    from clusterlib.linkages import multipliers

    def one(table):
        m = vc.employment_multipliers(table, jobs, industries=industries)
        gva = multipliers(table, value_added=value_added)["value_added_type_i"]
        return m.join(gva.rename("gva_type_i"))

    reg = one(R)
    reg.index = reg.index.set_levels([scope(d) for d in reg.index.levels[0]], level=0)
    frame = pd.concat([pd.concat({"national": one(A)}), reg])
    frame.index.names = ["scope", "industry"]
    agg = pd.concat([vc.weighted(frame[["output"]], output),
                     vc.weighted(frame[["jobs_type_i"]], jobs_weights),
                     vc.weighted(frame[["gva_type_i"]], output * value_added[industries])],
                    axis=1)  # fmt: skip
    agg["jobs_per_100"] = 100 * (agg["jobs_type_i"] - 1)
    agg.index = pd.MultiIndex.from_product([agg.index, ["cluster"]], names=frame.index.names)
    out = pd.concat([frame, agg])[["output", "jobs_type_i", "gva_type_i", "jobs_per_100"]]
    return out.sort_index(level="scope", sort_remaining=False)


def regional_customers(
    t,
    R: pd.DataFrame,
    *,
    regional: pd.Series,
    national: pd.Series,
    cluster: list[str],
    delta: float,
    region: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the region's customers at ``delta`` and where the cluster's sales go, by δ.

    ``t`` is the national :class:`~clusterlib.io.io_tables.IOTable`, ``R`` the regional tables
    stacked by δ (:func:`~clusterlib.linkages.value_chain.regional_tables`). The destinations
    table has one row per destination (industries in the region, industries elsewhere in the
    country, exports, final demand in the country) and one column per δ; each column sums to 1.
    """
    by_delta = {
        float(d): vc.regional_customer_shares(
            t.flows, t.final_demand, R=R.xs(d, level="delta"), output=t.output,
            regional=regional, national=national, cluster=cluster)
        for d in R.index.get_level_values("delta").unique()
    }  # fmt: skip
    dest = pd.DataFrame({
        d: {f"Industries in {region}": c["in_region"].sum(),
            "Industries elsewhere in Poland": c.loc[c["kind"] == "industry", "outside_region"].sum(),
            "Exports": c.loc[c["kind"] == "exports", "share"].sum(),
            "Final demand in Poland (region unknown)": c["unplaced"].sum()}
        for d, c in by_delta.items()
    }).rename_axis(columns="FLQ δ")  # fmt: skip
    cus = by_delta[float(delta)]
    cus.insert(0, "label", io_labels().reindex(cus.index).fillna(pd.Series(FINAL_DEMAND)))
    return cus, dest
