"""Chapter 1, notebook 01: where the industry is concentrated, built once for every reader.

:class:`SpecialisationChapter` computes the views of notebook 01 for one region and cluster; the
notebook shows them, ``clusterlib summary`` prints :meth:`SpecialisationChapter.to_markdown`, and
the batch's brief reads :meth:`SpecialisationChapter.metrics` from ``metrics.json``. The functions
below it are the views themselves (DataFrame in, DataFrame out).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterlib.chapters.base import Chapter, Finding, View, findings_markdown
from clusterlib.chapters.europe import EuropeBenchmark, EuropeViews
from clusterlib.chapters.metrics import Estimate, SpecialisationMetrics
from clusterlib.chapters.specialisation_show import (
    SOURCE,
    SpecialisationViews,
    cluster_by_region,
    has_data,
    lq_matrix,
    region_lq,
    region_portfolio,
    region_shift_share,
)
from clusterlib.errors import ClusterlibError, EmptySelectionError
from clusterlib.reference.nuts import region_country

REPORT = "01_specialisation.html"


def manufacturing_divisions(table: pd.DataFrame) -> list[str]:
    """Return the manufacturing divisions (C10-C33) present in a table."""
    return [i for i in sorted(table["industry"].unique()) if i.startswith("C") and len(i) == 3]


@dataclass(frozen=True)
class SpecialisationChapter(SpecialisationViews, EuropeViews, Chapter):
    """Everything notebook 01 shows for one region and cluster, computed once.

    Build it with :meth:`build`. Attributes are pandas objects: ``lq_region`` (every industry of
    the region), ``by_region`` (the cluster in every region of the country), ``eu`` (the cluster
    across Europe), ``heatmap`` (region x manufacturing division LQs), ``indices``, ``shift``
    (None when the region has no data in the start year), ``stars``, ``portfolio`` and
    ``imputed``; ``europe`` is the Europe-wide benchmarking (:class:`EuropeBenchmark`, built with
    a ``horizon``).
    """

    TITLE = "Where the industry is concentrated"

    region: str
    name: str
    cluster: str
    codes: list[str]
    year: int
    start_year: int
    reference: str
    policy: str
    table: pd.DataFrame
    lq_region: pd.DataFrame
    by_region: pd.DataFrame
    eu: pd.DataFrame
    heatmap: pd.DataFrame
    indices: pd.DataFrame
    shift: pd.DataFrame | None
    stars: pd.DataFrame
    portfolio: pd.DataFrame | None
    imputed: pd.DataFrame
    shift_note: str = ""
    europe: EuropeBenchmark | None = None  # Europe-wide benchmarking (the notebook's 2nd half)
    members: tuple[str, ...] = ()  # the member regions of a cluster area (empty for a region)
    members_share: pd.DataFrame | None = None  # each member's share of the area's cluster and LQ
    collapsed_rank: pd.Series | None = None  # LQs of the country's units, the area for its members
    nuts_note: str = ""  # how a code of another NUTS version maps to the data's ("" if none)
    data_note: str = ""  # the Eurostat file in use when it is not the bundled one

    @property
    def is_area(self) -> bool:
        """True when the unit of analysis is a cluster area of params/areas.yaml."""
        return bool(self.members)

    @property
    def country(self) -> str:
        """The region's (or the area's) country code."""
        return region_country(self.members[0] if self.members else self.region)

    @classmethod
    def build(
        cls,
        *,
        region: str,
        cluster: str,
        year: int,
        start_year: int,
        reference: str = "country",
        policy: str = "fill",
        horizon: int | None = None,
        data_path: str = "",
        nuts: int = 2013,
    ) -> SpecialisationChapter:
        """Compute the chapter from the bundled data, through clusterlib's Parquet cache.

        ``data_path``: another Eurostat SBS file (``""``: the bundled one or that of ``--data``).
        ``nuts``: the NUTS version of ``region``, mapped to the data's with :attr:`nuts_note`
        saying so (:func:`~clusterlib.chapters.areas.analysed_unit`).

        With ``horizon`` (the year of the trend extrapolation) the Europe-wide benchmarking of
        the notebook's second half is built too (:class:`~clusterlib.chapters.europe.EuropeBenchmark`).

        ``region`` may be a cluster area of ``params/areas.yaml`` (e.g. ``"PL-NE"``): it is
        analysed as one region with its members beside it (:mod:`clusterlib.chapters.areas`
        says where it replaces its members and why it has no size star).
        """
        from clusterlib import config
        from clusterlib.chapters import areas as au

        with config.using_data(data_path):
            code, note = au.analysed_unit(region, nuts=nuts)
            out = cls._compute(region=code, cluster=cluster, year=year, start_year=start_year,
                               reference=reference, policy=policy, horizon=horizon)  # fmt: skip
            return dataclasses.replace(out, nuts_note=note, data_note=au.data_note())

    @classmethod
    def _compute(cls, *, region, cluster, year, start_year, reference, policy, horizon):
        """Compute the chapter for a region or area of the data (see :meth:`build`)."""
        from clusterlib.chapters import areas as au
        from clusterlib.io.cache import cached_table
        from clusterlib.reference.clusters import cluster_codes
        from clusterlib.specialisation.stars import cluster_stars
        from clusterlib.specialisation.table import employment_matrix, specialisation_table

        codes = list(cluster_codes(cluster))
        members, name = au.unit(region)
        area = au.is_area(region, members)
        country = region_country(members[0])
        if area and len({region_country(m) for m in members}) > 1 and reference == "country":
            from clusterlib.errors import OptionError

            raise OptionError(
                f"region {region!r}: the area spans several countries; the country reference is "
                "undefined for it. Use reference='eu' for a cross-border area."
            )
        table = cached_table(
            specialisation_table, years=[start_year, year], countries=country,
            clusters={cluster: codes}, reference=reference, policy=policy, areas={},
        )  # fmt: skip
        absent = sorted(set(members) - set(table["region"]))
        if absent:
            raise EmptySelectionError(
                f"region {', '.join(absent)!s} has no data in the Eurostat file for {year}; "
                f"regions of {country} with data: {sorted(set(table['region']))}."
            )
        eu = cached_table(
            specialisation_table, years=year, reference="eu", industries=codes,
            clusters={cluster: codes}, policy=policy, areas={},
        )  # fmt: skip
        eu = eu[eu["industry"] == cluster]
        sections = cached_table(employment_matrix, year=year, country=country, policy=policy)
        manufacturing = manufacturing_divisions(table)
        by_reg = cluster_by_region(table, cluster=cluster, year=year)
        unit = au.unit_tables(table, eu, sections, by_reg, region=region, members=members,
                            name=name, cluster=cluster, year=year, reference=reference,
                            area=area)  # fmt: skip
        table, unit_table, eu, by_reg = (
            unit["table"],
            unit["unit_table"],
            unit["eu"],
            unit["by_reg"],
        )
        stars, members_share, ranked = unit["stars"], unit["members_share"], unit["ranked"]
        indices = unit["indices"]
        eu = eu.set_index("region")
        lq_reg = region_lq(unit_table, region=region, year=year)
        shift, portfolio, shift_note = _shift(table, region, start_year, year, manufacturing,
                                              cluster)  # fmt: skip
        return cls(
            region=region,
            name=name,
            cluster=cluster,
            codes=codes,
            year=year,
            start_year=start_year,
            reference=reference,
            policy=policy,
            table=table,
            lq_region=lq_reg,
            by_region=by_reg,
            eu=eu,
            heatmap=lq_matrix(unit_table, year=year, industries=manufacturing),
            indices=indices,
            shift=shift,
            stars=stars if stars is not None else cluster_stars(by_reg["count"], by_reg["region_total"]),
            portfolio=portfolio,
            imputed=lq_reg[lq_reg["imputed"]][["label", "count"]],
            shift_note=shift_note,
            europe=None if horizon is None else EuropeBenchmark.build(
                region=region, cluster=cluster, year=year, start_year=start_year,
                horizon=horizon, policy=policy,
            ),
            members=members if area else (),
            members_share=members_share,
            collapsed_rank=ranked,
        )  # fmt: skip

    @property
    def EXPORT(self) -> str:  # noqa: N802 - the name of Chapter's class attribute
        """The workbook's name: ``<region>_tables`` (the batch index links it)."""
        return f"{self.region}_tables"

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the chapter's tables for export, by file name (with the European ones)."""
        own = {"lq_region": self.lq_region, "cluster_by_region": self.by_region,
               "indices": self.indices, "stars_national": self.stars}  # fmt: skip
        if self.members:
            own["area_members"] = self.members_share
        return {**own, **(self.europe.tables() if self.europe is not None else {})}

    @property
    def row(self) -> pd.Series:
        """The cluster's row in the region (count, LQ and interval, totals)."""
        return self.by_region.loc[self.region]

    @property
    def rank(self) -> int:
        """The region's rank by cluster LQ among the regions of its country (1 = highest).

        An area is ranked among the country's units with the area in place of its members.
        """
        lq = self.collapsed_rank if self.collapsed_rank is not None else self.by_region["lq"]
        return int(lq.rank(ascending=False, method="min").loc[self.region])

    @property
    def n_units(self) -> int:
        """The number of units ranked (regions; for an area, with it in place of its members)."""
        lq = self.collapsed_rank if self.collapsed_rank is not None else self.by_region["lq"]
        return int(lq.notna().sum())

    def top_divisions(self, n: int = 3) -> pd.DataFrame:
        """Return the region's ``n`` most specialised divisions (the cluster row excluded)."""
        top = self.lq_region.drop(index=self.cluster).dropna(subset=["lq"]).head(n)
        return top.reset_index().rename(columns={"industry": "division"})

    def metrics(self) -> SpecialisationMetrics:
        """Return the typed metrics of ``metrics.json`` (every number of the brief comes from here).

        With :attr:`europe`, its typed metrics (the Europe-wide stars, thresholds, growth and
        peers: :class:`~clusterlib.chapters.metrics.EuropeMetrics`) fill the same fields.
        """
        c, st = self.row, self.stars.loc[self.region]
        eu_lq = self.eu["lq"].get(self.region, np.nan)
        sh = self.shift.loc[self.cluster] if self.shift is not None else None

        def est(value, unit, anchor, low=None, high=None, year=None):
            return Estimate(
                value=None if value is None or pd.isna(value) else float(value),
                low=None if low is None or pd.isna(low) else float(low),
                high=None if high is None or pd.isna(high) else float(high),
                unit=unit, source=SOURCE, year=year or self.year, report=f"{REPORT}#{anchor}",
            )  # fmt: skip

        period = f"{self.start_year}–{self.year}"
        return SpecialisationMetrics(
            region_name=self.name,
            cluster=self.cluster,
            codes=list(self.codes),
            year=self.year,
            start_year=self.start_year,
            reference=self.reference,
            policy=self.policy,
            employment=est(c["count"], "persons employed", "The-cluster-in-every-region-of-the-country"),
            share=est(c["count"] / c["region_total"], "share of the business economy",
                      "The-cluster-in-every-region-of-the-country"),
            lq=est(c["lq"], f"LQ, {self.country} reference", "The-cluster-in-every-region-of-the-country",
                   c["lq_low"], c["lq_high"]),
            lq_significant=bool(c["significant"]),
            rank=self.rank,
            n_regions=self.n_units,
            eu_lq=est(eu_lq, "LQ, EU reference", "The-cluster-across-Europe"),
            stars=None if pd.isna(st["stars"]) else int(st["stars"]),
            size_star=bool(st["size_star"]),
            specialisation_star=bool(st["specialisation_star"]),
            focus_star=bool(st["focus_star"]),
            change=est(None if sh is None else sh["change"], f"persons, {period}", "Shift-share"),
            national_share=est(None if sh is None else sh["national_share"], f"persons, {period}", "Shift-share"),
            industry_mix=est(None if sh is None else sh["industry_mix"], f"persons, {period}", "Shift-share"),
            regional_shift=est(None if sh is None else sh["regional_shift"], f"persons, {period}", "Shift-share"),
            top_divisions=[
                {"code": r.division, "label": r.label, "lq": float(r.lq)}
                for r in self.top_divisions().itertuples()
            ],
            n_imputed=len(self.imputed),
            nuts_note=self.nuts_note,
            **(_fields(self.europe.metrics()) if self.europe is not None else {}),
        )  # fmt: skip

    def findings(self) -> list[Finding]:
        """Key findings of the region and, with :attr:`europe`, of the European benchmarking."""
        return self.region_findings() + (self.europe.findings() if self.europe is not None else [])

    def region_findings(self) -> list[Finding]:
        """Key findings among the regions of the country, every number taken from the chapter."""
        from clusterlib.chapters.specialisation_findings import region_findings

        return region_findings(self)

    def show_findings(self) -> View:
        """Show the key findings of the region and of the European benchmarking."""
        v = View().markdown(findings_markdown(self.region_findings()))
        if self.europe is not None:
            v.markdown(findings_markdown(self.europe.findings(),
                                         heading="### Key findings: Europe and growth"))  # fmt: skip
        return v

    def area_findings(self) -> list[Finding]:
        """Return the findings that say how a cluster area is analysed and what its members add."""
        from clusterlib.chapters.areas import area_findings

        return area_findings(self.region, self.members, self.members_share)


def _shift(table, region, start_year, year, manufacturing, cluster):
    """Return the shift-share, the portfolio and, when they cannot be computed, why."""
    has_start = has_data(table, region=region, year=start_year)
    shift = portfolio = None
    shift_note = (
        ""
        if has_start
        else f"{region} has no data in {start_year} (its NUTS code was introduced later)"
    )
    if has_start:
        try:
            shift = region_shift_share(
                table, region=region, start_year=start_year, end_year=year,
                industries=manufacturing + [cluster],
            )  # fmt: skip
            portfolio = region_portfolio(
                table, region=region, start_year=start_year, end_year=year,
                industries=manufacturing,
            )  # fmt: skip
        except ClusterlibError as exc:  # e.g. a region of the country without a total
            shift_note = str(exc)
    return shift, portfolio, shift_note


def _fields(record) -> dict:
    """Return a dataclass record's fields by name (not deep-copied, unlike dataclasses.asdict)."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
