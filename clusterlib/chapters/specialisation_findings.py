"""The key findings of notebook 01: the region among its country's regions, and across Europe.

Each finding is a :class:`~clusterlib.chapters.metrics.Finding` made with
:meth:`~clusterlib.chapters.metrics.Finding.said`: its English template (a message id of the
catalogue) and the values that fill it, so that the brief says it in the reader's language.
Used by :class:`~clusterlib.chapters.specialisation.SpecialisationChapter` and
:class:`~clusterlib.chapters.europe.EuropeBenchmark`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.chapters.metrics import Finding
from clusterlib.chapters.specialisation_show import has_data
from clusterlib.reference.nuts import region_country

__all__ = ["europe_findings", "region_findings"]


def region_findings(ch) -> list[Finding]:
    """Return the key findings of a :class:`SpecialisationChapter` among its country's regions."""
    from clusterlib.chapters.wording import nace_name, nuts_finding, region_name, term
    from clusterlib.i18n.phrases import listing, phrase

    c, st, k = ch.row, ch.stars.loc[ch.region], ch.country
    say = Finding.said
    verdict = phrase(("significantly " if c["significant"] else "")
                     + ("above" if c["lq"] > 1 else "below") + " "
                     + ("the national average" if ch.reference == "country"
                        else "the EU average"))  # fmt: skip
    among = phrase(" (the area in place of its members)") if ch.is_area else ""
    n_units = ch.n_units if ch.is_area else len(ch.by_region)
    out = [nuts_finding(ch.nuts_note)] if ch.nuts_note else []
    out += [
        say("employment", "**{cluster}** employs {count:,.0f} people in {region} {name} in "
            "{year}, {share:.1f}% of the business economy.", float(c["count"]),
            cluster=term(ch.cluster), count=float(c["count"]), region=ch.region,
            name=region_name(ch.region, ch.name), year=str(ch.year),
            share=100 * c["count"] / c["region_total"]),
        say("lq", "Its location quotient is **{lq:.2f}** (95% CI {low:.2f}–{high:.2f}): "
            "{verdict}; rank {rank} of {n} regions in {country}{among}.", float(c["lq"]),
            lq=float(c["lq"]), low=float(c["lq_low"]), high=float(c["lq_high"]),
            verdict=verdict, rank=int(ch.rank), n=int(n_units), country=k, among=among),
    ]  # fmt: skip
    if ch.is_area:
        out += ch.area_findings()
    eu_lq = ch.eu["lq"].get(ch.region, np.nan)
    if pd.notna(eu_lq):
        out.append(say("eu_lq", "Against all EU regions in the data the cluster's LQ is "
                       "{lq:.2f}.", float(eu_lq), lq=float(eu_lq)))  # fmt: skip
    yes = {True: phrase("yes"), False: phrase("no")}
    if pd.isna(st["stars"]):
        out.append(say("stars", "Star rating among the regions of {country}: **not rated** "
                       "(the cluster's employment or the region's total is unknown).",
                       country=k))  # fmt: skip
    else:
        size = phrase("not rated for an area") if ch.is_area else yes[bool(st["size_star"])]
        out.append(say("stars", "Star rating among the regions of {country}: **{stars} of "
                       "{of}** (size: {size}, specialisation: {spec}, focus: {focus}).",
                       float(st["stars"]), country=k, stars=int(st["stars"]),
                       of=2 if ch.is_area else 3, size=size,
                       spec=yes[bool(st["specialisation_star"])],
                       focus=yes[bool(st["focus_star"])]))  # fmt: skip
    period = f"{ch.start_year}–{ch.year}"
    if ch.shift is None:
        out.append(say("shift", "No shift-share for {period}: {note}", period=period,
                       note=_shift_reason(ch)))  # fmt: skip
    else:
        sh = ch.shift.loc[ch.cluster]
        out.append(say("shift", "{period}: employment changed by {change:+,.0f}; the regional "
                       "(competitive) shift was {regional:+,.0f} and the industry mix "
                       "{mix:+,.0f}.", float(sh["change"]), period=period,
                       change=float(sh["change"]), regional=float(sh["regional_shift"]),
                       mix=float(sh["industry_mix"])))  # fmt: skip
    top = ch.top_divisions()
    out.append(say("top_divisions", "Most specialised divisions: {divisions}.",
                   float(top["lq"].iloc[0]) if len(top) else None,
                   divisions=listing([phrase("{code} {label} (LQ {lq:.2f})", code=r.division,
                                             label=nace_name(r.division, r.label),
                                             lq=float(r.lq))
                                      for r in top.itertuples()], sep="; ")))  # fmt: skip
    if len(ch.imputed):
        out.append(say("imputed", "{n} confidential or missing cells of this region were "
                       "imputed (European Cluster Observatory fill-in); they are listed above.",
                       float(len(ch.imputed)), n=len(ch.imputed)))  # fmt: skip
    return out


def _shift_reason(ch) -> dict:
    """Why there is no shift-share: no data in the start year, or the computation's error."""
    from clusterlib.chapters.display import md_text
    from clusterlib.i18n.phrases import names, phrase

    if not has_data(ch.table, region=ch.region, year=ch.start_year):
        return phrase("{region} has no data in {year} (its NUTS code was introduced later)",
                      region=ch.region, year=str(ch.start_year))  # fmt: skip
    from clusterlib.i18n.messages import gettext

    pl = gettext("it could not be computed; the reason is given in the report", lang="pl")
    return names(en=md_text(ch.shift_note), pl=pl)


def europe_findings(b) -> list[Finding]:
    """Return the key findings of a :class:`EuropeBenchmark`, each with the number it rests on."""
    from clusterlib.chapters.wording import region_name
    from clusterlib.i18n.phrases import listing, phrase

    r, g, tr, say = b.row, b.growth, b.trend, Finding.said
    yes = {True: phrase("yes"), False: phrase("no")}
    mine, country = b.region, region_country(b.region)
    if pd.isna(r["stars"]):
        out = [
            say(
                "eu_stars",
                "Across all European regions, the cluster in {region} is "
                "**not rated**: its employment or the region's total is unknown "
                "(confidential or missing), and an unknown is not 0 stars.",
                region=mine,
            )
        ]
    else:
        size = phrase(
            "size not rated for an area: {n:,.0f} persons, the cut of single regions is {cut:,.0f}"
            if b.members
            else "size {star}: {n:,.0f} persons against a cut of {cut:,.0f}",
            n=float(r["employment"]),
            cut=float(r["size_cut"]),
            **({} if b.members else {"star": yes[bool(r["size_star"])]}),
        )
        out = [say("eu_stars", "Across all European regions, the cluster in {region} has "
                   "**{stars} of {of}** Observatory stars ({size}; specialisation {spec}: LQ "
                   "{lq:.2f} against 2; focus {focus}: {share:.1f}% against {cut:.1f}%) and "
                   "{perf} of 2 performance stars.", float(r["stars"]), region=mine,
                   stars=int(r["stars"]), of=2 if b.members else 3, size=size,
                   spec=yes[bool(r["specialisation_star"])], lq=float(r["lq"]),
                   focus=yes[bool(r["focus_star"])], share=100 * float(r["focus"]),
                   cut=100 * float(r["focus_cut"]),
                   perf=int(r["performance_stars"]))]  # fmt: skip
    rk = b.ranks
    among = (phrase(" (the area ranked among single regions, its members included)")
             if b.members else "")  # fmt: skip
    out.append(say("eu_rank", "Rank by cluster employment: {europe} of {n_europe} in Europe "
                   "and {rank} of {n} in {country}{among}.",
                   None if rk["europe"] is None else float(rk["europe"]),
                   europe=str(rk["europe"]), n_europe=rk["n_europe"], rank=str(rk["country"]),
                   n=rk["n_country"], country=country, among=among))  # fmt: skip
    if mine in g.index and pd.notna(g.at[mine, "cagr"]):
        parts = [phrase("{area} {rate:+.1f}%", area=phrase(a) if a == "EU" else a,
                        rate=100 * float(g.at[a, "cagr"]))
                 for a in (mine, country, "EU")
                 if a in g.index and pd.notna(g.at[a, "cagr"])]  # fmt: skip
        imputed = (
            phrase(" (an end year uses an imputed cell)") if g.at[mine, "from_imputed"] else ""
        )
        out.append(say("growth", "Employment growth a year, {start}–{end}: {parts}{imputed}.",
                       float(g.at[mine, "cagr"]), start=str(int(g.at[mine, "start"])),
                       end=str(int(g.at[mine, "end"])), parts=listing(parts),
                       imputed=imputed))  # fmt: skip
    if tr is not None:
        seen = tr.index[tr["observed"].notna()]
        out.append(say("trend", "The {first}–{last} trend, extrapolated (not a forecast), "
                       "gives {trend:,.0f} persons in {horizon} (95% prediction interval "
                       "{low:,.0f}–{high:,.0f}).", float(tr["trend"].iloc[-1]),
                       first=str(seen.min()), last=str(seen.max()),
                       trend=float(tr["trend"].iloc[-1]), horizon=str(b.horizon),
                       low=float(tr["low"].iloc[-1]),
                       high=float(tr["high"].iloc[-1])))  # fmt: skip
    else:
        out.append(say("trend", "No trend: fewer than 3 years with data for the region."))
    top = b.peers.head(5)
    out.append(say("peers", "Regions with the most similar economic structure: {peers}.",
                   float(top["distance"].iloc[0]) if len(top) else None,
                   peers=listing(phrase("{code} {name}", code=p.region,
                                        name=region_name(p.region, p.name))
                                 for p in top.itertuples())))  # fmt: skip
    return out
