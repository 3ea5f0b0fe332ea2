"""Convert tidy regional counts between NUTS versions with the JRC converter matrices.

A region that was only recoded keeps its value under its new code. A region that was split has its
count divided over the new regions in proportion to a weight of the pieces (population 2011 by
default); regions that were merged have their counts summed. Rates and shares are never divided:
convert their numerator and denominator, then divide again.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from clusterlib.errors import DataFormatError, DataValueError, OptionError
from clusterlib.reference.measures import ADDITIVE_CODES
from clusterlib.reference.nuts_versions import (
    VERSIONS,
    WEIGHTS,
    check_version,
    detect_version,
    in_version,
    nuts_codes,
    nuts_pieces,
    version_error,
)

#: Eurostat unit codes of counts and sums, which may be divided and added over regions.
COUNT_UNITS = frozenset(
    {"NR", "FTE", "HC", "PER", "THS", "THS_PER", "THS_HW", "EUR", "THS_EUR", "MIO_EUR",
     "MIO_NAC", "MIO_PPS", "MIO_PPS_EU27_2020", "MIO_EUR_CLV2015"}
)  # fmt: skip
_RATE_UNIT = re.compile(r"^(PC|P_|I\d|RT|PPS_|EUR_|GDP_)|_HAB$|_ACT$|_POP$")
#: Columns added to every converted table.
CONVERSION_COLUMNS = ["converted", "conversion", "conversion_weight"]


def conversion_shares(
    source: str, target: str, *, weight: str = "pop11", regions: list[str] | None = None
) -> pd.DataFrame:
    r"""Share of each level-2 region of ``source`` that goes to each region of ``target``.

    .. math:: s_{ab} = \frac{w_{ab}}{\sum_{b'} w_{ab'}}

    for the JRC pieces :math:`(a, b)` of consecutive versions, with :math:`w` the weight named
    by ``weight``, composed along the versions between ``source`` and ``target``
    (:math:`s_{ac} = \sum_b s_{ab} s_{bc}`); backwards, the same pieces are read from their new
    side. A region without a piece in a step keeps its code with share 1.

    Parameters
    ----------
    source, target : str
        NUTS versions, ``"2013"``, ``"2016"``, ``"2021"`` or ``"2024"``.
    weight : str
        A JRC weight: ``"pop11"`` (population 2011), ``"pop21"``, ``"areaKm"``,
        ``"artif_surf12"``, ``"artif_surf18"`` or ``"bu_vol"`` (built-up volume).
    regions : list of str, optional
        Level-2 codes of ``source``; default: every one of them.

    Returns
    -------
    pandas.DataFrame
        ``origin`` (code in ``source``), ``region`` (code in ``target``) and ``share``, sorted.

    References
    ----------
    Joint Research Centre (2022). *NUTS converter*, https://urban.jrc.ec.europa.eu/nutsconverter.

    Examples
    --------
    >>> s = conversion_shares("2013", "2021", regions=["PL12"])
    >>> s.round(4).to_numpy().tolist()
    [['PL12', 'PL91', 0.5481], ['PL12', 'PL92', 0.4519]]
    """
    source, target = check_version(source), check_version(target)
    if weight not in WEIGHTS:
        raise OptionError(
            f"weight={weight!r}: expected one of the JRC weights {', '.join(WEIGHTS)}."
        )
    if regions is None:
        table = nuts_codes()
        regions = sorted(
            table.index[(table["level"] == 2) & in_version(table.index, source).to_numpy()]
        )
    shares = pd.DataFrame({"origin": regions, "region": regions, "share": 1.0})
    i, j = VERSIONS.index(source), VERSIONS.index(target)
    step = 1 if j >= i else -1
    for k in range(i, j, step):
        lo, hi = sorted((VERSIONS[k], VERSIONS[k + step]))
        p = nuts_pieces()
        p = p[p["step"] == f"{lo}-{hi}"]
        src, dst = ("from", "to") if step == 1 else ("to", "from")
        total = p.groupby(src)[weight].transform("sum")
        if (total <= 0).any():
            bad = p.loc[(total <= 0).to_numpy(), src].iloc[0]
            raise DataValueError(
                f"the JRC weight {weight} of {bad} is zero in every piece ({lo}-{hi}); choose "
                "weight='areaKm'."
            )
        piece = pd.DataFrame({"region": p[src], "to": p[dst], "s": p[weight] / total})
        nxt = shares.merge(piece, on="region", how="left")
        nxt["share"] = nxt["share"] * nxt["s"].fillna(1.0)
        nxt["region"] = nxt["to"].fillna(nxt["region"])
        shares = nxt.groupby(["origin", "region"], as_index=False)["share"].sum()
    return shares.sort_values(["origin", "region"], ignore_index=True)


def convert_nuts(
    frame: pd.DataFrame,
    *,
    source: str,
    target: str,
    weight: str = "pop11",
    additive: bool | None = None,
) -> pd.DataFrame:
    r"""Convert a tidy table of regional counts from one NUTS version to another.

    .. math:: x_b = \sum_a s_{ab}\, x_a

    with :math:`s_{ab}` the share of region :math:`a` (``source``) that lies in region :math:`b`
    (``target``), by the JRC weight ``weight`` (:func:`conversion_shares`). A recoded region keeps
    its value under its new code; a split region's count is divided by the shares; merged regions'
    counts are summed; the total over the regions is preserved. A target region that takes any part
    of an unknown (NaN) count is NaN, never a partial sum.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy: ``region``, ``value`` and any key columns (``year``, ``unit``, ``industry``...),
        optionally ``flag``. Country rows (level 0) pass through; level-2 rows are converted;
        level 1 and 3 rows are refused (the JRC matrices are at level 2: aggregate the converted
        regions). Level-2 rows of a code that ``source`` does not have are refused, unless their
        value is unknown (NaN), as Eurostat files carry for every code of every version: those
        are dropped.
    source, target : str
        NUTS versions: ``"2013"``, ``"2016"``, ``"2021"`` or ``"2024"``.
    weight : str
        The JRC weight that divides split regions: ``"pop11"`` (population 2011, default),
        ``"pop21"``, ``"areaKm"``, ``"artif_surf12"``, ``"artif_surf18"``, ``"bu_vol"``.
    additive : bool, optional
        Whether ``value`` is a count or a sum. By default it is decided from a ``unit`` column
        (:data:`COUNT_UNITS`: ``NR``, ``FTE``, ``MIO_EUR``...) or an ``indicator`` column
        (persons employed, local units, wages); a table with neither must say ``additive=True``.
        Rates and shares (``EUR_HAB``, ``P_MHAB``, ``PC_...``) are refused whatever it says.

    Returns
    -------
    pandas.DataFrame
        The same columns (``region`` as plain strings), sorted by region and the other keys,
        plus ``converted`` (True where the code or the value changed), ``conversion``
        (``"unchanged"``, ``"recoded"``, ``"split"``, ``"merged"`` or ``"split and merged"``)
        and ``conversion_weight`` (``weight`` where a count was divided, else ``""``). A merged
        row's ``flag`` joins its sources' flag letters.

    Raises
    ------
    UnknownCodeError
        A level-2 code with a value that ``source`` does not have, naming its version and its
        counterpart in ``source``.
    DataValueError
        Rates or shares, or values that are not known to be counts.
    DataFormatError
        Missing columns, level 1 or 3 codes, or a key that appears twice.

    References
    ----------
    Joint Research Centre (2022). *NUTS converter*, https://urban.jrc.ec.europa.eu/nutsconverter;
    Eurostat (2018). *NUTS 2013 - NUTS 2016 changes*.

    Examples
    --------
    >>> rd = pd.DataFrame({"region": ["PL", "PL12", "PL22"], "year": 2009,
    ...                    "value": [73581.0, 24408.0, 6940.0], "unit": "FTE"})
    >>> out = convert_nuts(rd, source="2013", target="2021")
    >>> out[["region", "value", "conversion"]].round(1).to_numpy().tolist()
    [['PL', 73581.0, 'unchanged'], ['PL22', 6940.0, 'unchanged'], ['PL91', 13377.1, 'split'], ['PL92', 11030.9, 'split']]
    """
    source, target = check_version(source), check_version(target)
    _check_frame(frame, additive)
    keys = [c for c in frame.columns if c not in ("region", "value", "flag", *CONVERSION_COLUMNS)]
    work = frame.drop(columns=[c for c in CONVERSION_COLUMNS if c in frame.columns])
    work = work.astype({"region": str}).reset_index(drop=True)
    level = work["region"].str.len() - 2
    odd = work.loc[~level.isin([0, 2]), "region"]
    if len(odd):
        raise DataFormatError(
            f"convert_nuts converts NUTS2 regions (the JRC matrices are at level 2), but the table "
            f"holds level-{len(odd.iloc[0]) - 2} codes such as {odd.iloc[0]}; keep the country and "
            "NUTS2 rows (region codes of 2 or 4 characters) and add converted regions up."
        )
    countries = work[level == 0].assign(
        converted=False, conversion="unchanged", conversion_weight=""
    )
    regions = work[level == 2]
    foreign = ~in_version(regions["region"], source).to_numpy()
    known = regions["value"].notna().to_numpy()
    if (foreign & known).any():
        raise version_error(regions["region"].to_numpy()[foreign & known][0], source)
    regions = regions[~foreign]
    shares = conversion_shares(
        source, target, weight=weight, regions=sorted(regions["region"].unique())
    )
    moved = regions.rename(columns={"region": "origin"}).merge(shares, on="origin")
    moved["value"] = moved["value"] * moved["share"]
    out = _combine(moved, keys, weight)[[*work.columns, *CONVERSION_COLUMNS]]
    table = pd.concat([countries, out], ignore_index=True)
    return table.sort_values(["region", *keys], ignore_index=True, kind="stable")


def _combine(moved: pd.DataFrame, keys: list[str], weight: str) -> pd.DataFrame:
    """Sum the moved pieces per target region and key, and say how each row came about."""
    moved["nan"] = moved["value"].isna()
    moved["divided"] = moved["share"] < 1.0
    moved["same"] = moved["origin"] == moved["region"]
    group = moved.groupby([*keys, "region"], sort=False, observed=True, dropna=False)
    out = group.agg(
        value=("value", "sum"),
        nan=("nan", "any"),
        n=("origin", "size"),
        divided=("divided", "any"),
        same=("same", "all"),
    ).reset_index()
    out.loc[out["nan"], "value"] = np.nan
    dup = moved.duplicated([*keys, "origin", "region"])
    if dup.any():
        row = moved[dup].iloc[0]
        raise DataFormatError(
            f"region {row['origin']} appears twice with the same keys "
            f"({', '.join(f'{k}={row[k]!r}' for k in keys)}); give each region once per key."
        )
    merged, divided = out["n"] > 1, out["divided"]
    out["conversion"] = np.select(
        [merged & divided, merged, divided, ~out["same"]],
        ["split and merged", "merged", "split", "recoded"],
        "unchanged",
    )
    out["converted"] = out["conversion"] != "unchanged"
    out["conversion_weight"] = np.where(divided, weight, "")
    if "flag" in moved.columns:
        letters = (
            moved.assign(flag=moved["flag"].astype(str))
            .groupby([*keys, "region"], sort=False, observed=True, dropna=False)["flag"]
            .agg(lambda f: "".join(sorted(set("".join(f)))))
        )
        out["flag"] = letters.to_numpy()
    return out


def _check_frame(frame: pd.DataFrame, additive: bool | None) -> None:
    """Refuse missing columns, rates and shares, and values not known to be counts."""
    missing = [c for c in ("region", "value") if c not in frame.columns]
    if missing:
        raise DataFormatError(
            f"convert_nuts: missing column(s) {missing}; expected a tidy table with region, "
            "value and key columns such as year."
        )
    if "unit" in frame.columns:
        units = sorted(map(str, pd.unique(frame["unit"])))
        rates = [
            u for u in units if _RATE_UNIT.search(u) or (u not in COUNT_UNITS and not additive)
        ]
        if rates:
            raise DataValueError(
                f"convert_nuts: unit {rates[0]!r} is {'a rate or share' if _RATE_UNIT.search(rates[0]) else 'not known to be a count'}"
                "; a rate is never divided between regions. Convert its numerator and denominator "
                "(e.g. MIO_EUR and the population), then divide again."
            )
    elif "indicator" in frame.columns:
        codes = sorted(map(str, pd.unique(frame["indicator"])))
        other = [c for c in codes if c not in ADDITIVE_CODES]
        if other and not additive:
            raise DataValueError(
                f"convert_nuts: indicator {other[0]!r} is not known to be a count (persons "
                "employed, local units and wages are); rates and shares are never divided "
                "between regions. Pass additive=True only if it is a count or a sum."
            )
    elif not additive:
        raise DataValueError(
            "convert_nuts: the table has no unit or indicator column, so nothing says that value "
            "is a count; pass additive=True if it is a count or a sum (persons, euros). Rates "
            "and shares are never divided between regions."
        )


def harmonise_nuts(
    frame: pd.DataFrame, *, target: str, weight: str = "pop11", additive: bool | None = None
) -> pd.DataFrame:
    """Bring every year of a table to one NUTS version, finding each year's version from its codes.

    Eurostat files give each year in the NUTS version of its time (``rd_p_persreg``: 2009 in NUTS
    2013, 2018 in NUTS 2016). For each year, the version is the one that has every level-2 code
    with a value (:func:`~clusterlib.reference.nuts_versions.detect_version`; ``target`` itself
    when it has them all), and the year is converted by :func:`convert_nuts`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy, with ``region``, ``year`` and ``value``; see :func:`convert_nuts`.
    target, weight, additive
        As for :func:`convert_nuts`.

    Returns
    -------
    pandas.DataFrame
        :func:`convert_nuts`'s table for every year, plus ``source_version``, sorted by region and
        the other keys.

    Raises
    ------
    UnknownCodeError
        A year whose codes mix NUTS versions (e.g. values for both PL12 and PL91).

    Examples
    --------
    >>> rd = pd.DataFrame({"region": ["PL12", "PL91", "PL12", "PL91"], "year": [2009, 2009, 2018, 2018],
    ...                    "value": [24408.0, None, None, 20000.0], "unit": "FTE"})
    >>> out = harmonise_nuts(rd, target="2021")
    >>> out[["region", "year", "source_version", "conversion"]].to_numpy().tolist()
    [['PL91', 2009, '2013', 'split'], ['PL91', 2018, '2021', 'unchanged'], ['PL92', 2009, '2013', 'split']]
    """
    target = check_version(target)
    if "year" not in frame.columns:
        raise DataFormatError("harmonise_nuts: the table has no 'year' column; use convert_nuts.")
    parts = []
    for year, rows in frame.groupby("year", sort=True):
        with_value = rows.loc[rows["value"].notna().to_numpy(), "region"].astype(str)
        versions = detect_version(with_value[with_value.str.len() == 4], source=f"year {year}")
        source = target if target in versions else versions[-1]
        out = convert_nuts(rows, source=source, target=target, weight=weight, additive=additive)
        parts.append(out.assign(source_version=source))
    keys = [c for c in frame.columns if c not in ("region", "value", "flag", *CONVERSION_COLUMNS)]
    return pd.concat(parts, ignore_index=True).sort_values(
        ["region", *keys], ignore_index=True, kind="stable"
    )
