"""The counts behind the region's official context indicators, in one NUTS version.

Eurostat publishes the three context indicators of a cluster strategy (GDP per inhabitant, R&D
personnel, patent applications) in files of different ages and NUTS versions. Rates cannot be
converted between versions (a split region's rate is not divided), so this module keeps the
**counts** (GDP in million EUR, population, R&D personnel in full-time equivalents, patent
applications) and converts them to one NUTS version with the JRC converter
(:func:`clusterlib.reference.convert_nuts`); the rates are then computed from converted counts by
:mod:`clusterlib.context.indicators`, for a region or a cluster area alike.

The bundled files (``data/raw/``, see ``SOURCES.md``): ``nama_10r_2gdp_PL_MIO_EUR.tsv`` and
``nama_10r_2gdp_PL_EUR_HAB.tsv`` (GDP, NUTS 2021, 2000-2023, current bulk format),
``rd_p_persreg_2009_2018.csv`` (R&D personnel, 2009 in NUTS 2013, 2018 in NUTS 2016, every EU
region) and ``pat_ep_rtot_PL.csv`` (EPO patent applications, NUTS 2013, Polish regions).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib import config
from clusterlib.errors import DataFormatError

#: The measures of :func:`context_counts`: name -> (unit, source).
MEASURES = {
    "gdp": ("million EUR (current prices)", "Eurostat (nama_10r_2gdp)"),
    "population": ("persons", "Eurostat (nama_10r_2gdp): MIO_EUR / EUR_HAB"),
    "rd_personnel": ("full-time equivalents", "Eurostat (rd_p_persreg)"),
    "patents": ("applications", "Eurostat (pat_ep_rtot)"),
}
COLUMNS = ["region", "year", "measure", "value", "flag", "converted", "conversion_weight"]


@dataclass(frozen=True)
class ContextFiles:
    """Where the context data are read from (default: the bundled files in ``data/raw/``)."""

    gdp_total: Path
    gdp_per_head: Path
    rd: Path
    patents: Path

    @classmethod
    def bundled(cls) -> ContextFiles:
        """Return the bundled files."""
        raw = config.data_dir() / "raw"
        return cls(
            gdp_total=raw / "nama_10r_2gdp_PL_MIO_EUR.tsv",
            gdp_per_head=raw / "nama_10r_2gdp_PL_EUR_HAB.tsv",
            rd=raw / "rd_p_persreg_2009_2018.csv",
            patents=raw / "pat_ep_rtot_PL.csv",
        )


def _levels(frame: pd.DataFrame, version: str) -> pd.DataFrame:
    """Keep countries and the level-2 regions of NUTS ``version`` (no aggregates, no NUTS 1/3)."""
    from clusterlib.reference.nuts import is_nuts2
    from clusterlib.reference.nuts_versions import in_version

    region = frame["region"].astype(str)
    country = region.str.fullmatch(r"[A-Z]{2}")
    level2 = is_nuts2(region) & in_version(region, version).to_numpy()
    return frame[(country | level2).to_numpy()].assign(region=region)


def _unit(frame: pd.DataFrame, unit: str, path: Path) -> pd.DataFrame:
    if "unit" not in frame.columns or unit not in set(frame["unit"].astype(str)):
        have = sorted(set(frame["unit"].astype(str))) if "unit" in frame.columns else []
        raise DataFormatError(
            f"{path}: no rows of unit {unit!r} (units in the file: {have}). Give the file of "
            f"{unit} (see data/raw/SOURCES.md)."
        )
    return frame[frame["unit"].astype(str) == unit].drop(columns="unit")


def _text(flags: pd.Series) -> pd.Series:
    """Return flags as strings, ``""`` where there is none (never the letters of ``"nan"``)."""
    return flags.astype(object).fillna("").astype(str)


def _tidy(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    out = frame[["region", "year", "value", "flag"]].assign(measure=measure)
    out["flag"] = _text(out["flag"])
    for c, default in (("converted", False), ("conversion_weight", "")):
        out[c] = frame[c].to_numpy() if c in frame.columns else default
    return out[COLUMNS]


def gdp_counts(total: pd.DataFrame, per_head: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    r"""GDP (million EUR) and population of every region, from the two units of nama_10r_2gdp.

    .. math:: \text{population}_{rt} = 10^6\,\text{GDP}^{\text{MIO\_EUR}}_{rt} /
              \text{GDP}^{\text{EUR\_HAB}}_{rt}

    Eurostat rounds GDP per inhabitant to 100 EUR, so the derived population is exact to about
    1% (enough for the rates of a strategy; use demo_r_pjangroup for exact counts).

    Examples
    --------
    >>> total = pd.DataFrame({"region": ["PL84"], "year": [2020], "value": [13.0], "flag": [""]})
    >>> head = total.assign(value=[11000.0])
    >>> gdp_counts(total, head)[["measure", "value"]].round(0).to_numpy().tolist()
    [['gdp', 13.0], ['population', 1182.0]]
    """
    keys = ["region", "year"]
    try:
        merged = total.merge(per_head, on=keys, how="outer", suffixes=("", "_head"),
                             validate="1:1")  # fmt: skip
    except pd.errors.MergeError:
        raise DataFormatError(
            f"{source or 'GDP'}: a region and year appears twice in one of the two GDP units; "
            "give each region and year once."
        ) from None
    # files of different regions or years would give no population at all, silently
    if len(merged) and not (merged["value"].notna() & merged["value_head"].notna()).any():
        raise DataFormatError(
            f"{source or 'GDP'}: the two GDP units share no region and year with a figure in "
            "both, so no population can be derived. Give MIO_EUR and EUR_HAB of the same "
            "regions and years."
        )
    population = (1e6 * merged["value"] / merged["value_head"]).where(merged["value_head"] > 0)
    flags = _text(merged["flag"]) + _text(merged["flag_head"])
    pop = merged[keys].assign(value=population, flag=flags.map(lambda f: "".join(sorted(set(f)))))
    return pd.concat([_tidy(merged, "gdp"), _tidy(pop, "population")], ignore_index=True)


def context_counts(files: ContextFiles | None = None, *, version: str = "2021") -> pd.DataFrame:
    """Read the context files and return their counts in NUTS ``version``.

    Parameters
    ----------
    files : ContextFiles, optional
        The files (default: the bundled ones).
    version : str
        The NUTS version of the result (``"2021"``: the codes in use since 2018 in Poland).

    Returns
    -------
    pandas.DataFrame
        ``region``, ``year``, ``measure`` (:data:`MEASURES`), ``value``, ``flag``, ``converted``
        (True where the JRC converter moved or divided the count) and ``conversion_weight``
        (the JRC weight used to divide a split region, else ``""``). Countries and NUTS2 regions
        only. ``attrs["versions"]`` names each file's NUTS version.

    Examples
    --------
    >>> c = context_counts()
    >>> c[(c.region == "PL91") & (c.year == 2009) & (c.measure == "rd_personnel")][
    ...     ["value", "converted", "conversion_weight"]].round(1).to_numpy().tolist()
    [[13377.1, True, 'pop11']]
    """
    from clusterlib.io import read_eurostat_csv, read_eurostat_tsv
    from clusterlib.reference.nuts_convert import convert_nuts

    f = files or ContextFiles.bundled()
    total = _unit(read_eurostat_tsv(f.gdp_total), "MIO_EUR", f.gdp_total)
    head = _unit(read_eurostat_tsv(f.gdp_per_head), "EUR_HAB", f.gdp_per_head)
    gdp = gdp_counts(_levels(total, "2021"), _levels(head, "2021"), source=str(f.gdp_total))
    rd = read_eurostat_csv(f.rd)
    keep = np.ones(len(rd), dtype=bool)
    for col, value in (("prof_pos", "TOTAL"), ("sex", "T"), ("sectperf", "TOTAL")):
        if col in rd.columns:
            keep &= (rd[col].astype(str) == value).to_numpy()
    rd = _unit(rd[keep], "FTE", f.rd)[["region", "year", "value", "flag"]]
    pat = _unit(read_eurostat_csv(f.patents), "NR", f.patents)[["region", "year", "value", "flag"]]
    parts = [gdp if version == "2021" else _convert(gdp, "2021", version)]
    for frame, measure, src in ((rd[rd["year"] < 2016], "rd_personnel", "2013"),
                                (rd[rd["year"] >= 2016], "rd_personnel", "2016"),
                                (pat, "patents", "2013")):  # fmt: skip
        frame = _levels(frame, src).assign(unit="NR")
        if len(frame):
            converted = convert_nuts(frame, source=src, target=version)
            parts.append(_tidy(converted, measure))
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["measure", "region", "year"], kind="stable").reset_index(drop=True)
    out.attrs["versions"] = {"gdp": "2021", "rd_personnel": "2013 (2009), 2016 (2018)",
                             "patents": "2013", "result": version}  # fmt: skip
    return out


def _convert(frame: pd.DataFrame, source: str, target: str) -> pd.DataFrame:
    from clusterlib.reference.nuts_convert import convert_nuts

    parts = [
        _tidy(convert_nuts(g.drop(columns=["measure", "converted", "conversion_weight"])
                           .assign(unit="NR"), source=source, target=target), m)
        for m, g in frame.groupby("measure", sort=True)
    ]  # fmt: skip
    return pd.concat(parts, ignore_index=True)
