"""Specialisation summary of one region: the headline tables of a cluster strategy's first chapter."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clusterlib.errors import UnknownCodeError
from clusterlib.reference import cluster_codes, nace_table, nuts_table
from clusterlib.specialisation import (
    cluster_stars,
    employment_matrix,
    herfindahl,
    krugman_index,
    shannon_entropy,
    shift_share,
    specialisation_table,
)

CREDIT = "Source: Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31"


@dataclass
class SpecialisationSummary:
    """Headline specialisation results of one region (all tables are pandas objects)."""

    region: str
    name: str
    cluster: str
    year: int
    start_year: int
    policy: str
    cluster_row: pd.Series
    stars: pd.Series
    top_divisions: pd.DataFrame
    indices: pd.Series
    shift: pd.Series
    imputed: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_markdown(self) -> str:
        """Render the summary as Markdown, every number taken from the tables above."""
        c, s, i, sh = self.cluster_row, self.stars, self.indices, self.shift
        lines = [
            f"# Specialisation summary: {self.region} {self.name}, {self.year}",
            "",
            f"Cluster **{self.cluster}**, persons employed (V16110), reference area: "
            f"{self.region[:2]} NUTS2 regions; missing-cell policy `{self.policy}`.",
            "",
            "## Cluster",
            "",
            f"- Employment: {c['count']:,.0f} of {c['region_total']:,.0f} "
            f"({100 * c['count'] / c['region_total']:.1f}%)",
            f"- Location quotient: {c['lq']:.2f} (95% CI {c['lq_low']:.2f}-{c['lq_high']:.2f})",
            f"- Stars: {int(s['stars'])} of 3 (size {_yes(s['size_star'])}, specialisation "
            f"{_yes(s['specialisation_star'])}, focus {_yes(s['focus_star'])})",
            f"- Shift-share {self.start_year}-{self.year}: change {sh['change']:+,.0f} = national "
            f"share {sh['national_share']:+,.0f} + industry mix {sh['industry_mix']:+,.0f} + "
            f"regional shift {sh['regional_shift']:+,.0f}",
            "",
            "## Most specialised divisions",
            "",
            _table(self.top_divisions),
            "",
            "## Specialisation indices (sections of the business economy)",
            "",
            f"- Krugman dissimilarity index: {i['krugman']:.3f} (0 = national structure, 2 = none "
            "in common)",
            f"- Herfindahl: {i['herfindahl']:.3f}; Shannon entropy: {i['shannon_entropy']:.2f} bits",
            "",
        ]
        if not self.imputed.empty:
            lines += ["## Imputed cells used", "", _table(self.imputed), ""]
        lines += [CREDIT]
        return "\n".join(lines) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    rows = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for rec in df.itertuples(index=False):
        rows.append(
            "| " + " | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in rec) + " |"
        )
    return "\n".join(rows)


def specialisation_summary(
    data: pd.DataFrame,
    *,
    region: str = "PL22",
    cluster: str = "metal processing",
    year: int = 2014,
    start_year: int = 2009,
    policy: str = "fill",
    top: int = 10,
) -> SpecialisationSummary:
    """Compute the headline specialisation results of one NUTS2 region against its country.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy Eurostat table (:func:`clusterlib.read_eurostat_tsv`).
    region : str
        NUTS2 code, e.g. ``"PL22"`` (Śląskie).
    cluster : str
        Name of a cluster in ``params/clusters.yaml``.
    year, start_year : int
        Year of the LQs and start year of the shift-share.
    policy : str
        Missing-cell policy (see :func:`clusterlib.specialisation_table`).
    top : int
        Number of divisions listed.

    Returns
    -------
    SpecialisationSummary
    """
    codes = cluster_codes(cluster)
    country = region[:2]
    table = specialisation_table(
        data, years=[start_year, year], countries=country, clusters={cluster: codes}, policy=policy
    )
    if region not in set(table["region"]):
        raise UnknownCodeError(
            f"region {region!r} is not a NUTS2 region of {country} in the data; available: "
            f"{sorted(set(table['region']))}."
        )
    now = table[table["year"] == year]
    mine = now[now["region"] == region].set_index("industry")
    cl = now[now["industry"] == cluster].set_index("region")
    stars = cluster_stars(cl["count"], cl["region_total"]).loc[region]
    labels = nace_table()["label"]
    divs = mine.drop(index=cluster).dropna(subset=["lq"]).nlargest(top, "lq")
    top_divisions = pd.DataFrame(
        {
            "division": divs.index,
            "label": divs.index.map(labels),
            "employment": divs["count"].round().astype(int).to_numpy(),
            "lq": divs["lq"].to_numpy(),
            "lq_low": divs["lq_low"].to_numpy(),
            "lq_high": divs["lq_high"].to_numpy(),
        }
    )
    sections = employment_matrix(data, year=year, country=country, policy=policy)
    indices = pd.Series(
        {
            "krugman": krugman_index(sections.dropna())[region],
            "herfindahl": herfindahl(sections.dropna())[region],
            "shannon_entropy": shannon_entropy(sections.dropna())[region],
        }
    )
    first = table[(table["year"] == start_year) & (table["industry"] == cluster)].set_index(
        "region"
    )
    ss = (
        shift_share(
            first[["count"]].rename(columns={"count": cluster}),
            cl[["count"]].rename(columns={"count": cluster}).reindex(first.index),
            region_total_start=first["region_total"],
            region_total_end=cl["region_total"].reindex(first.index),
        )
        .xs(region, level="region")
        .iloc[0]
    )
    imputed = now[now["imputed"] & (now["region"] == region)][["industry", "count"]]
    return SpecialisationSummary(
        region=region,
        name=nuts_table([region])["name"].iloc[0],
        cluster=cluster,
        year=year,
        start_year=start_year,
        policy=policy,
        cluster_row=mine.loc[cluster],
        stars=stars,
        top_divisions=top_divisions,
        indices=indices,
        shift=ss,
        imputed=imputed,
    )
