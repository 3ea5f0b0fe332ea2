"""Chapter 6, notebook 06: the region's innovation and economic context from official statistics.

The survey of chapter 2 says what the cluster's firms report; this chapter sets the region (or a
cluster area of several regions) against its country and the other regions on Eurostat's
official indicators: GDP per inhabitant and its growth (2000-2023), R&D personnel per 1,000
inhabitants (2009 and 2018) and EPO patent applications per million inhabitants (2000-2012).
Counts are converted to one NUTS version before any rate is computed
(:mod:`clusterlib.context`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from clusterlib.chapters.base import Chapter, Finding, View
from clusterlib.chapters.metrics import ContextMetrics, Estimate
from clusterlib.context.indicators import INDICATORS, growth_rate, indicator_values, percentile
from clusterlib.reference.nuts import is_nuts2, region_countries

SOURCE = "Eurostat (nama_10r_2gdp, rd_p_persreg, pat_ep_rtot); JRC NUTS converter"
REPORT = "06_innovation_context.html"
VERSION = "2021"
#: Readers' names of the indicators.
LABELS = {
    "gdp_per_inhabitant": "GDP per inhabitant (EUR)",
    "rd_per_1000": "R&D personnel per 1,000 inhabitants (FTE)",
    "patents_per_million": "EPO patent applications per million inhabitants",
}


def members_in_version(regions: list[str], *, version: str = VERSION) -> list[str]:
    """Return the NUTS ``version`` codes that hold ``regions`` (codes of any version).

    Examples
    --------
    >>> members_in_version(["PL34", "PL12", "PL84"])
    ['PL84', 'PL91', 'PL92']
    """
    from clusterlib.reference.nuts_convert import conversion_shares
    from clusterlib.reference.nuts_versions import code_versions, version_error

    out = set()
    for code in regions:
        have = code_versions(code)
        if not have:
            raise version_error(code, version)
        if version in have:
            out.add(code)
            continue
        shares = conversion_shares(have[-1], version, regions=[code])
        out.update(shares.loc[shares["share"] > 1e-3, "region"])
    return sorted(out)


@dataclass(frozen=True)
class ContextChapter(Chapter):
    """The official context indicators of a region or area, computed once by :meth:`build`.

    ``values`` holds every indicator of every unit and year (units: the focal one, its country
    and each NUTS2 region of the data); ``summary`` one row per indicator at its latest year with
    the focal value, the country's, the index (country = 100), the rank and percentile among the
    country's regions and, where the data cover several countries, among Europe's.
    """

    TITLE = "The region's innovation and economic context"
    EXPORT = "context_tables"

    unit: str
    members: list[str]
    country: str
    counts: pd.DataFrame
    values: pd.DataFrame
    summary: pd.DataFrame

    @classmethod
    def build(cls, *, region: str, members: list[str] | None = None) -> ContextChapter:
        """Compute the chapter for ``region`` (a NUTS2 code, or an area id with ``members``)."""
        from clusterlib.context.counts import context_counts
        from clusterlib.reference.areas import unit_regions
        from clusterlib.reference.nuts import region_country

        mine = members_in_version(list(members or unit_regions(region)))
        country = region_country(mine[0])
        counts = context_counts(version=VERSION)
        found = pd.Series(counts["region"].unique())
        regions = sorted(found[is_nuts2(found)])
        units = {region: mine, country: [country], **{r: [r] for r in regions if r not in mine}}
        values = indicator_values(counts, units=units)
        return cls(unit=region, members=mine, country=country, counts=counts, values=values,
                   summary=_summary(values, unit=region, country=country))  # fmt: skip

    def series(self, indicator: str) -> pd.DataFrame:
        """Return one indicator by year: the focal unit and its country side by side."""
        v = self.values.xs(indicator, level="indicator")["value"].unstack("unit")
        return v[[self.unit, self.country]].dropna(how="all")

    @property
    def growth(self) -> pd.Series:
        """Compound annual growth of GDP per inhabitant (current EUR), focal unit and country."""
        s = self.series("gdp_per_inhabitant")
        return pd.Series({u: growth_rate(s[u]) for u in s.columns})

    # ------------------------------------------------------------------ views
    def show_summary(self) -> View:
        """Show the indicators at their latest year against the country and the other regions."""
        members = ", ".join(self.members)
        return View().table(
            self.summary.drop(columns=["indicator"]).astype({"year": str})
            .set_index("label").rename_axis("indicator"),
            digits=1, caption=f"{self.unit} ({members}, NUTS {VERSION}) against {self.country} "
            f"and the other regions: index {self.country} = 100; percentile 0-100 among the "
            "regions with data (higher = more)",
        )  # fmt: skip

    def show_gdp(self) -> View:
        """Show GDP per inhabitant 2000-2023 as an index of the country (= 100), and its growth."""
        from clusterlib.figures.charts import indexed_chart

        s = self.series("gdp_per_inhabitant")
        rel = (100 * s[self.unit] / s[self.country]).rename(self.unit).to_frame()
        rel[self.country] = 100.0
        g = self.growth
        fig = indexed_chart(rel, title=f"GDP per inhabitant of {self.unit}, {self.country} = 100",
                            source=SOURCE, ylabel=f"{self.country} = 100")  # fmt: skip
        return (
            View()
            .figure(fig, alt=f"Line chart of {self.unit}'s GDP per inhabitant as a percentage of "
                    f"{self.country}'s, {s.index.min()}-{s.index.max()}; the country is the line "
                    "at 100.")
            .table(s, digits=0, caption="GDP per inhabitant, EUR at current prices")
            .markdown(f"GDP per inhabitant grew by **{100 * g[self.unit]:.1f}% a year** in "
                      f"{self.unit} and {100 * g[self.country]:.1f}% in {self.country} "
                      f"({s.index.min()}-{s.index.max()}, current prices in EUR: inflation and "
                      "the exchange rate included).")
        )  # fmt: skip

    def show_innovation(self) -> View:
        """Show R&D personnel and patent applications by year, focal unit and country."""
        v = View()
        for name in ("rd_per_1000", "patents_per_million"):
            v.table(self.series(name), digits=2, caption=LABELS[name])
        c = self.counts[self.counts["region"].str.startswith(self.country)]
        split = sorted(c.loc[c["conversion_weight"] != "", "region"].unique())
        recoded = sorted(c.loc[c["converted"] & (c["conversion_weight"] == ""), "region"].unique())
        return v.note(
            f"R&D personnel of 2009 (NUTS 2013) and patent applications (NUTS 2013) are converted "
            f"to NUTS {VERSION} before the rates are computed: recoded regions keep their counts "
            f"({', '.join(recoded) or 'none'}); the counts of a split region are divided by 2011 "
            f"population ({', '.join(split) or 'none'}; JRC NUTS converter). Population is "
            "Eurostat's GDP divided by GDP per inhabitant (exact to about 1%)."
        )

    # --------------------------------------------------------- what it says
    def findings(self) -> list[Finding]:
        """Return the key findings, each with the number it rests on."""
        from clusterlib.i18n.phrases import phrase

        out, say = [], Finding.said
        for r in self.summary.itertuples():
            label = phrase(str(r.label))
            if pd.isna(r.value):
                out.append(say(r.indicator, "{label}: no value for {unit} in {year}.",
                               label=label, unit=self.unit, year=str(r.year)))  # fmt: skip
                continue
            peers = (phrase("European NUTS2 regions") if r.peers == "European NUTS2 regions"
                     else phrase("NUTS2 regions of {country}", country=self.country))  # fmt: skip
            out.append(say(
                r.indicator, "{label}, {year}: **{value:,.1f}** in {unit}, {where} {country} "
                "({country_value:,.1f}; index {index:.0f}); percentile {percentile:.0f} among the "
                "{n} other {peers}.", float(r.value), label=label, year=str(r.year),
                value=float(r.value), unit=self.unit,
                where=phrase("above" if r.index > 100 else "below"), country=self.country,
                country_value=float(r.country), index=float(r.index),
                percentile=float(r.percentile), n=int(r.n_regions), peers=peers,
            ))  # fmt: skip
        g = self.growth
        out.append(say("gdp_growth", "GDP per inhabitant grew {rate:.1f}% a year in {unit} "
                       "({country_rate:.1f}% in {country}), at current prices.",
                       float(g[self.unit]), rate=100 * float(g[self.unit]), unit=self.unit,
                       country_rate=100 * float(g[self.country]), country=self.country))  # fmt: skip
        return out

    def metrics(self) -> ContextMetrics:
        """Return the typed record of ``metrics.json``."""
        g, years = self.growth, self.series("gdp_per_inhabitant").index

        def est(x, area):
            return Estimate(value=None if pd.isna(x) else float(x), unit="growth a year",
                            source=SOURCE, year=int(years.max()),
                            report=f"{REPORT}#GDP-per-inhabitant" if area else "")  # fmt: skip

        rows = self.summary.assign(source=SOURCE, nuts_version=VERSION)
        return ContextMetrics(
            unit=self.unit, members=list(self.members), nuts_version=VERSION, country=self.country,
            indicators=rows.to_dict(orient="records"),
            gdp_growth=est(g[self.unit], True), gdp_growth_country=est(g[self.country], False),
        )  # fmt: skip

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the chapter's tables for export, by file name."""
        return {
            "context_summary": self.summary.set_index("indicator"),
            "context_values": self.values,
            "context_counts": self.counts.set_index(["region", "year", "measure"]),
        }


def _summary(values: pd.DataFrame, *, unit: str, country: str) -> pd.DataFrame:
    """One row per indicator at the latest year with a focal value."""
    rows = []
    units = values.index.get_level_values("unit").unique()
    regions = list(units[is_nuts2(units)])
    have = set(values.index.get_level_values("indicator"))
    for name in [n for n in INDICATORS if n in have]:
        v = values.xs(name, level="indicator")["value"].unstack("unit")
        known = v[unit].dropna() if unit in v.columns else pd.Series(dtype=float)
        year = int(known.index.max()) if len(known) else int(v.index.max())
        row = v.loc[year]
        peers = row.reindex([r for r in regions if r != unit]).dropna()
        same = peers[peers.index.str.startswith(country)]
        europe = region_countries(peers.index).nunique() > 1
        pool = peers if europe else same
        value = row.get(unit, float("nan"))
        rows.append({
            "indicator": name, "label": LABELS[name], "year": year, "value": value,
            "country": row.get(country, float("nan")),
            "index": 100 * value / row.get(country, float("nan")),
            "rank": int((same > value).sum() + 1) if pd.notna(value) else None,
            "percentile": percentile(pool, value), "n_regions": len(pool),
            "peers": "European NUTS2 regions" if europe else f"NUTS2 regions of {country}",
        })  # fmt: skip
    return pd.DataFrame(rows)
