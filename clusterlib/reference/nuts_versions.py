"""NUTS versions 2013, 2016, 2021 and 2024: which codes each has, their names, their counterparts.

Two package tables, built by ``scripts/build_nuts_versions.py`` from Eurostat's official change
lists and the JRC NUTS converter matrices in ``data/raw/nuts/``:

* ``nuts_versions.csv``: every code of the four versions with its level, name and versions. Levels
  0-3 for 2013, 2016 and 2021 (the change lists cover the EU-28 in 2013 and 2016; the EFTA and
  candidate countries' codes of 2021 are taken for those years too); level 2 of the EU for 2024
  (the JRC matrix);
* ``nuts_pieces.csv``: the level-2 pieces that change between consecutive versions, with the JRC
  weights (area, population 2011 and 2021, artificial surface 2012 and 2018, built-up volume).

For Poland the changes are all in 2013 -> 2016: PL11 -> PL71, PL33 -> PL72, PL31 -> PL81,
PL32 -> PL82, PL34 -> PL84 (recoded), and PL12 Mazowieckie split into PL91 Warszawski stołeczny and
PL92 Mazowiecki regionalny. :mod:`clusterlib.reference.nuts_convert` converts data along them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

import pandas as pd

from clusterlib.errors import OptionError, UnknownCodeError

VERSIONS = ("2013", "2016", "2021", "2024")
WEIGHTS = ("pop11", "pop21", "areaKm", "artif_surf12", "artif_surf18", "bu_vol")


def _read(name: str) -> pd.DataFrame:
    with resources.files("clusterlib.reference").joinpath(name).open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype={"code": str, "name": str, "versions": str, "step": str},
                           keep_default_na=False)  # fmt: skip


@cache
def nuts_codes() -> pd.DataFrame:
    """Return every NUTS code of the versions 2013, 2016, 2021 and 2024 known to clusterlib.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``, with ``level`` (0-3), ``name`` (of the latest version that names it)
        and ``versions`` (e.g. ``"2016 2021 2024"``).

    Examples
    --------
    >>> nuts_codes().loc["PL84", ["name", "versions"]].tolist()
    ['Podlaskie', '2016 2021 2024']
    """
    return _read("nuts_versions.csv").set_index("code")


@cache
def nuts_pieces() -> pd.DataFrame:
    """Return the JRC converter pieces that change a level-2 code between consecutive versions."""
    return _read("nuts_pieces.csv")


def check_version(version: object) -> str:
    """Return ``version`` as one of :data:`VERSIONS`, or raise :class:`OptionError`."""
    text = str(version)
    if text not in VERSIONS:
        raise OptionError(
            f"NUTS version {version!r} is not known; expected one of {', '.join(VERSIONS)}."
        )
    return text


def code_versions(code: str) -> list[str]:
    """Return the NUTS versions that have ``code`` (``[]`` for a code of none of them)."""
    table = nuts_codes()
    return table.loc[code, "versions"].split() if code in table.index else []


def in_version(codes: pd.Series | pd.Index, version: str) -> pd.Series:
    """Vectorised: tell for each code whether NUTS ``version`` has it."""
    version = check_version(version)
    versions = pd.Series(codes, dtype=object).astype(str).map(nuts_codes()["versions"])
    return versions.fillna("").str.contains(version, regex=False)


def _main_pieces(a: str, b: str) -> pd.DataFrame:
    """Return the pieces from version ``a`` to the adjacent ``b`` that carry population.

    Columns ``src``, ``dst`` and the 2011 population share of ``src`` in each, without slivers
    (pieces under 0.1% of their source's population, such as the digital boundaries of two versions
    leave along unchanged borders).
    """
    lo, hi = sorted((a, b))
    p = nuts_pieces()
    p = p[p["step"] == f"{lo}-{hi}"]
    src, dst = ("from", "to") if a == lo else ("to", "from")
    out = pd.DataFrame({"src": p[src], "dst": p[dst], "pop11": p["pop11"]})
    out["share"] = out["pop11"] / out.groupby("src")["pop11"].transform("sum")
    return out[out["share"] > 1e-3]


def counterparts(code: str, version: str) -> str:
    """Describe in words what a level-2 ``code`` is in another NUTS ``version``.

    Follows the JRC pieces version by version and names the codes of ``version`` that hold the
    code's territory (slivers of under 0.1% of the population left aside): ``"PL34
    (Podlaskie)"`` for a recode, ``"part of PL12 (Mazowieckie)"`` for a region split off, ``"PL91
    (...) + PL92 (...)"`` for a region split in two. ``""`` when no piece leads there.

    Examples
    --------
    >>> counterparts("PL91", "2013")
    'part of PL12 (Mazowieckie)'
    >>> counterparts("PL12", "2021")
    'PL91 (Warszawski stołeczny) + PL92 (Mazowiecki regionalny)'
    """
    version = check_version(version)
    have = code_versions(code)
    if not have or version in have:
        return code if version in have else ""
    start = min(have, key=lambda v: abs(VERSIONS.index(v) - VERSIONS.index(version)))
    i, j = VERSIONS.index(start), VERSIONS.index(version)
    step = 1 if j > i else -1
    current, whole = {code}, True
    for k in range(i, j, step):
        b = VERSIONS[k + step]
        p = _main_pieces(VERSIONS[k], b)
        moved = p[p["src"].isin(current)]
        kept = {c for c in current if c not in set(p["src"]) and b in code_versions(c)}
        # a destination that also takes pieces of codes outside ours holds more than our territory
        whole = whole and not p[p["dst"].isin(moved["dst"]) & ~p["src"].isin(current)].size
        current = kept | set(moved["dst"])
    names = nuts_codes()["name"]
    text = [f"{c} ({names.get(c, '')})".replace(" ()", "") for c in sorted(current)]
    if len(text) == 1 and not whole:
        return f"part of {text[0]}"
    return " + ".join(text)


def version_error(code: str, version: str, *, source: str = "region") -> UnknownCodeError:
    """Return the error for a ``code`` that NUTS ``version`` lacks, naming where it belongs.

    Examples
    --------
    >>> str(version_error("PL84", "2013"))
    'region: PL84 is a NUTS 2016/2021/2024 code (Podlaskie); in NUTS 2013 it is PL34 (Podlaskie).'
    """
    have = code_versions(code)
    if not have:
        return UnknownCodeError(
            f"{source}: {code!r} is not a code of NUTS {'/'.join(VERSIONS)} (perhaps of an older "
            "version, such as NUTS 2010, or misspelt). Use codes of one NUTS version."
        )
    name = nuts_codes().loc[code, "name"]
    there = counterparts(code, version)  # "" for a code that no piece leads from
    tail = f"in NUTS {version} it is {there}." if there else f"NUTS {version} has no such code."
    return UnknownCodeError(
        f"{source}: {code} is a NUTS {'/'.join(have)} code ({name}); {tail}".replace(" ()", "")
    )


def check_nuts_version(codes: Iterable[str], *, version: str, source: str = "region") -> None:
    """Raise a clear error for the first code that NUTS ``version`` does not have.

    Raises
    ------
    UnknownCodeError
        Naming the code, the versions it belongs to, its name and its counterpart in ``version``,
        e.g. ``"PL84 is a NUTS 2016/2021/2024 code (Podlaskie); in NUTS 2013 it is PL34"``.
    """
    # map(str), not astype(str): pandas 3 keeps a missing code missing under astype, and a NaN
    # among the unknown codes made sorted() raise a TypeError
    codes = pd.Index(pd.unique(pd.Series(list(codes), dtype=object).map(str)))
    bad = codes[~in_version(codes, version).to_numpy()]
    if len(bad):
        raise version_error(sorted(bad)[0], version, source=source)


def detect_version(codes: Iterable[str], *, source: str = "data") -> list[str]:
    """Return the NUTS versions that have every one of ``codes``, latest last.

    Raises
    ------
    UnknownCodeError
        The codes mix versions (no version has them all), naming two codes that no version shares,
        e.g. PL12 (NUTS 2013) beside PL91 (NUTS 2016/2021/2024); or a code of none of the four.

    Examples
    --------
    >>> detect_version(["PL22", "PL84", "PL91"])
    ['2016', '2021', '2024']
    """
    codes = sorted(set(map(str, codes)))
    table = nuts_codes()["versions"]
    unknown = [c for c in codes if c not in table.index]
    if unknown:
        raise version_error(unknown[0], VERSIONS[0], source=source)
    groups = table[codes].groupby(table[codes]).groups  # versions -> codes
    common = [v for v in VERSIONS if all(v in g for g in groups)]
    if not common:
        disjoint = [(a, b) for a in groups for b in groups if not set(a.split()) & set(b.split())]
        a, b = disjoint[0] if disjoint else sorted(groups, key=len)[:2]
        first, other = sorted(groups[a])[0], sorted(groups[b])[0]
        raise UnknownCodeError(
            f"{source}: the codes mix NUTS versions: {first} is a NUTS "
            f"{table[first].replace(' ', '/')} code, {other} a NUTS "
            f"{table[other].replace(' ', '/')} code, and no version has both. Convert the rows "
            "of each version with convert_nuts before putting them together."
        )
    return common
