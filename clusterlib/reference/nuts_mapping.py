"""A region code of a declared NUTS version, mapped to the NUTS version of the data analysed.

A params file may name its region in the codes of NUTS 2016 or 2021 (``region: PL84``,
``nuts: 2021``); the bundled Eurostat SBS file is in NUTS 2013 codes. :func:`map_region` says
what the declared code is in the data's version, along the JRC converter pieces
(:mod:`clusterlib.reference.nuts_versions`, :func:`~clusterlib.reference.nuts_convert.conversion_shares`):

* a code that both versions have is analysed as it is;
* a recoded region (PL84 Podlaskie, NUTS 2016/2021, is PL34 in NUTS 2013) is analysed under its
  counterpart, and a sentence says so ("PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used
  here.") for the report's header, ``metrics.json`` and the brief;
* a region that is only part of a region of the data (PL91 Warszawski stołeczny and PL92
  Mazowiecki regionalny, split from PL12 Mazowieckie in 2018), or that the data split (PL12 on
  NUTS 2021 data), is **refused**, with what to do. It is not estimated: the only weights the JRC
  converter offers (population, area, built-up surface) divide every industry of PL12 by the same
  share, so the estimate of PL91 would have PL12's industry structure, the same location
  quotients, stars and ranks as PL12 — numbers that would look like a finding about Warsaw while
  saying nothing about it;
* a code that is not of the declared version gets an error naming the versions it belongs to
  and its counterpart in the declared version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from clusterlib.errors import UnknownCodeError
from clusterlib.reference.nuts_versions import (
    VERSIONS,
    check_version,
    code_versions,
    counterparts,
    nuts_codes,
    version_error,
)

#: The NUTS version of the bundled Eurostat SBS file (and of every default in params/).
DATA_VERSION = "2013"


def data_versions(codes: Iterable[str], *, country: str) -> list[str]:
    """Return the NUTS versions that have every level-2 code of ``country`` in ``codes``.

    Codes of none of the four versions (e.g. DE41, of NUTS 2010, which the bundled file still
    carries) and extra-regio codes (``PLZZ``) are left aside; without a code left, or when the
    codes mix versions, the answer is ``[DATA_VERSION]``, the version of the bundled file.

    Examples
    --------
    >>> data_versions(["PL", "PL22", "PL34", "DE11"], country="PL")
    ['2013']
    >>> data_versions(["PL22", "PL84", "PL91"], country="PL")
    ['2016', '2021', '2024']
    """
    table = nuts_codes()["versions"]
    found = {str(c) for c in codes}
    mine = [
        c for c in found
        if len(c) == 4 and c[:2] == country and not c.endswith("Z") and c in table.index
    ]  # fmt: skip
    common = [v for v in VERSIONS if mine and all(v in table[c].split() for c in mine)]
    return common or [DATA_VERSION]


def mapping_sentence(code: str, version: str, data_code: str, data_version: str) -> str:
    """Return the sentence that explains a mapped code ("" when nothing was mapped).

    Examples
    --------
    >>> mapping_sentence("PL84", "2021", "PL34", "2013")
    'PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here.'
    """
    if code == data_code and version == data_version:
        return ""
    return f"{code} (NUTS {version}) is {data_code} in the NUTS {data_version} data used here."


def map_region(
    code: str,
    *,
    version: str | int = DATA_VERSION,
    data: Sequence[str] | str = DATA_VERSION,
    source: str = "region",
) -> tuple[str, str]:
    """Return the code of the data for a level-2 ``code`` of NUTS ``version``, and why.

    Parameters
    ----------
    code : str
        A NUTS2 code, e.g. ``"PL84"``.
    version : str or int
        The NUTS version the code is declared in (a params file's ``nuts`` key).
    data : str or sequence of str
        The NUTS version(s) of the data (:func:`data_versions`); default the bundled file's.
    source : str
        Where the code comes from, for messages.

    Returns
    -------
    tuple of str
        The code to analyse, and the sentence of :func:`mapping_sentence` (``""`` if the data
        have the code as declared). With ``version`` equal to the data's, ``code`` is returned
        unchecked: the NUTS 2013 check of :func:`~clusterlib.reference.nuts.check_region` applies.

    Raises
    ------
    UnknownCodeError
        ``code`` is not a code of ``version`` (naming its versions and counterpart); or it is only
        a part of a region of the data, or the data split it (why no estimate, and what to do).

    Examples
    --------
    >>> map_region("PL84", version=2021)
    ('PL34', 'PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here.')
    >>> map_region("PL22", version=2021)
    ('PL22', '')
    """
    version = check_version(version)
    wanted = [check_version(d) for d in ([data] if isinstance(data, str | int) else data)]
    if version in wanted:
        return code, ""
    have = code_versions(code)
    if version not in have:
        raise version_error(code, version, source=source)
    # the codes of 2016, 2021 and 2024 data often coincide: name the data as 2021 (sbs_r_nuts2021)
    target = "2021" if "2021" in wanted else wanted[-1]
    if target in have:  # the same code in both versions
        return code, ""
    there = counterparts(code, target)
    if there.startswith("part of") or "+" in there or not there:
        raise split_error(code, version, there, target, source=source)
    data_code = there.split(" ", 1)[0]
    return data_code, mapping_sentence(code, version, data_code, target)


def split_error(
    code: str, version: str, there: str, target: str, *, source: str = "region"
) -> UnknownCodeError:
    """Return the error for a region that the data hold only as part of another, or split.

    Examples
    --------
    >>> print(split_error("PL91", "2021", "part of PL12 (Mazowieckie)", "2013"))  # doctest: +ELLIPSIS
    region: PL91 (Warszawski stołeczny, NUTS 2021) is part of PL12 (Mazowieckie) in the NUTS 2013 data used here...
    """
    name = nuts_codes()["name"].get(code, "")
    what = f"{code} ({name}, NUTS {version})".replace(" (, ", " (")
    if not there:
        return UnknownCodeError(
            f"{source}: {what} has no counterpart in the NUTS {target} data used here. Give "
            f"data in NUTS {version} codes (data_path, or clusterlib run --data)."
        )
    old = there.removeprefix("part of ").split(" ", 1)[0]
    if there.startswith("part of"):
        why = (
            f"is {there} in the NUTS {target} data used here, which hold {old} only as a whole. "
            f"clusterlib does not estimate {code} from {old}: a split by population or area "
            f"divides every industry of {old} by the same share, so the estimate would have "
            f"{old}'s industry structure, location quotients and stars, and say nothing of "
            f"{code} itself. Analyse {old} (region: {old}, nuts: {target})"
        )
    else:
        why = (
            f"is {there} in the NUTS {target} data used here. clusterlib does not add them up "
            f"for {code} by itself: define a cluster area of them in params/areas.yaml "
            f"(regions: [{', '.join(c.split(' ', 1)[0] for c in there.split(' + '))}], "
            f"nuts: {target})"
        )
    fetch = ", e.g. a download of sbs_r_nuts2021 by 'clusterlib fetch'" if version > "2013" else ""
    return UnknownCodeError(
        f"{source}: {what} {why}, or give data in NUTS {version} codes (data_path, or "
        f"clusterlib run --data{fetch})."
    )


def map_regions(
    codes: Sequence[str],
    *,
    version: str | int = DATA_VERSION,
    data: Sequence[str] | str = DATA_VERSION,
    source: str = "regions",
) -> tuple[tuple[str, ...], str]:
    """Map several codes (an area's members) with :func:`map_region`; one sentence for them all.

    Examples
    --------
    >>> map_regions(["PL84", "PL62", "PL81"], version=2021)
    (('PL34', 'PL62', 'PL31'), 'PL84, PL62, PL81 (NUTS 2021) are PL34, PL62, PL31 in the NUTS 2013 data used here.')
    """
    mapped = tuple(map_region(c, version=version, data=data, source=source)[0] for c in codes)
    if mapped == tuple(codes):
        return mapped, ""
    wanted = [check_version(d) for d in ([data] if isinstance(data, str | int) else data)]
    target = "2021" if "2021" in wanted else wanted[-1]
    return mapped, (
        f"{', '.join(codes)} (NUTS {check_version(version)}) are {', '.join(mapped)} in the "
        f"NUTS {target} data used here."
    )
