"""Eurostat observation flags: which letters a bulk TSV cell may carry, and what they mean.

The flags of the current dissemination database are Eurostat's observation-status code list,
shipped unchanged beside this module (``codelist_obs_flag.tsv``, 42 flags such as ``b``, ``p`` or
the combined ``bep``). Three more letters appear in files: ``c`` (confidential, which the current
database keeps in a separate confidentiality attribute and still prints as a flag), and ``r``
(revised), ``s`` (Eurostat estimate) and ``z`` (not applicable) of the files published before 2023,
such as the bundled ``sbs_r_nuts06_r2`` extract (its cells carry ``bc``, ``cd``, ``ci``, ``r``...).
A flag is accepted when each of its letters is one of these and none repeats.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

#: Letters used outside the current code list, with their meanings (Eurostat, *Bulk download
#: guide*, 2017: the flags of the files published before the 2023 migration).
OTHER_LETTERS = {
    "c": "confidential",
    "r": "revised",
    "s": "Eurostat estimate",
    "z": "not applicable",
}


@cache
def flag_code_list() -> pd.DataFrame:
    """Return Eurostat's observation-status code list: one row per flag with its ``meaning``.

    Returns
    -------
    pandas.DataFrame
        Columns ``flag`` (e.g. ``"bep"``) and ``meaning`` (``"break in time series, estimated,
        provisional"``), in the order of the code list.

    Examples
    --------
    >>> flags = flag_code_list()
    >>> flags.set_index("flag").loc["bep", "meaning"]
    'break in time series, estimated, provisional'
    """
    with (
        resources.files("clusterlib.io")
        .joinpath("codelist_obs_flag.tsv")
        .open(encoding="utf-8") as f
    ):
        return pd.read_csv(
            f, sep="\t", header=None, names=["flag", "meaning"], dtype=str, keep_default_na=False
        )


@cache
def flag_letters() -> dict[str, str]:
    """Return every letter a flag may hold, with its meaning (single-letter flags of the list)."""
    listed = flag_code_list()
    single = listed[listed["flag"].str.len() == 1]
    return {**dict(zip(single["flag"], single["meaning"], strict=True)), **OTHER_LETTERS}


def is_known_flag(flag: str) -> bool:
    """Tell whether ``flag`` is ``""`` or made of known, distinct flag letters."""
    letters = flag_letters()
    return len(set(flag)) == len(flag) and all(ch in letters for ch in flag)


def flag_meaning(flag: str) -> str:
    """Describe a flag in words, as Eurostat's code list does.

    The meaning of a flag is the meanings of its letters, in its order, joined by commas: every
    combined flag of the code list reads exactly so (``bep``: "break in time series, estimated,
    provisional"; the tests check all 42), and so do the combinations of the 2017 files (``cd``).

    Parameters
    ----------
    flag : str
        The flag letters of a cell, e.g. ``"bep"``; ``""`` for none.

    Returns
    -------
    str
        ``""`` for no flag.

    Raises
    ------
    ValueError
        A letter that no Eurostat flag uses, or a letter used twice.

    Examples
    --------
    >>> flag_meaning("cd")
    'confidential, definition differs (see metadata)'
    """
    if not is_known_flag(flag):
        raise ValueError(
            f"{flag!r} is not a Eurostat flag: each letter must be one of "
            f"{''.join(sorted(flag_letters()))}, used once."
        )
    letters = flag_letters()
    return ", ".join(letters[ch] for ch in flag)
