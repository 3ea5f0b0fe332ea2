"""Build clusterlib/reference/nuts_versions.csv and nuts_pieces.csv from the official files.

Run from the project root: ``.venv/bin/python scripts/build_nuts_versions.py`` (``make
nuts-reference``). Inputs, all in ``data/raw/nuts/`` unchanged (see data/README.md):

* ``NUTS2013-NUTS2016.xlsx`` (Eurostat's change list, sheet "NUTS2013-NUTS2016"): every code of
  NUTS 2013 and 2016 at levels 0-3 of the EU-28, with labels (2016, or 2013 for discontinued
  codes); the other countries' codes of 2021 are taken for 2013 and 2016 too;
* ``NUTS2016-NUTS2021.xlsx`` (sheet "NUTS & SR 2021"): every code of NUTS 2021 with its label;
* ``jrc_converter/n2_cm_v2013_v2016.csv``, ``n2_cm_v2016_v2021.csv``, ``n2_cm_v2021_v2024.csv``:
  the JRC converter matrices at level 2, one row per piece (old code, new code) with its area,
  population 2011 and 2021, artificial surface 2012 and 2018 and built-up volume. Their codes are
  level-2 codes of their versions too (the change lists leave out Norway in 2013 and 2016); they
  give the only NUTS 2024 codes (no official 2024 list is bundled, so levels 0, 1 and 3 are known
  up to 2021 only).

Outputs:

* ``nuts_versions.csv``: ``code, level, name, versions`` (versions joined by spaces, e.g.
  ``"2013 2016"``), one row per code of any of the four versions, sorted by code;
* ``nuts_pieces.csv``: the pieces of the JRC matrices that change anything (a code that differs,
  or a code with more than one piece on either side), ``step`` (``2013-2016``...), ``from``,
  ``to`` and the six weights. A level-2 code of both versions of a step that has no row here maps
  onto itself whole.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "nuts"
OUT = ROOT / "clusterlib" / "reference"
STEPS = [("2013", "2016"), ("2016", "2021"), ("2021", "2024")]
WEIGHTS = ["areaKm", "pop11", "pop21", "artif_surf12", "artif_surf18", "bu_vol"]


def _labels(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Return the first non-empty label across the per-level label columns."""
    return df[columns].bfill(axis=1).iloc[:, 0].fillna("").astype(str).str.strip()


def versions_table() -> pd.DataFrame:
    """Return every code with its level, latest name and versions."""
    a = pd.read_excel(RAW / "NUTS2013-NUTS2016.xlsx", sheet_name="NUTS2013-NUTS2016",
                      header=1, engine="openpyxl")  # fmt: skip
    a = a[a["level"].isin([0, 1, 2, 3])]
    a_name = _labels(a, ["Country", "NUTS level 1", "NUTS level 2", "NUTS level 3"])
    b = pd.read_excel(RAW / "NUTS2016-NUTS2021.xlsx", sheet_name="NUTS & SR 2021",
                      engine="openpyxl")  # fmt: skip
    b = b[b["NUTS level"].isin([0, 1, 2, 3])]
    b_name = _labels(b, ["Country", "NUTS level 1", "NUTS level 2", "NUTS level 3"])
    rows = []
    for col, version in (("Code 2013", "2013"), ("Code 2016", "2016")):
        ok = a[col].notna()
        rows.append(pd.DataFrame({"code": a.loc[ok, col].str.strip(), "level": a.loc[ok, "level"],
                                  "name": a_name[ok], "version": version}))  # fmt: skip
    rows.append(pd.DataFrame({"code": b["Code 2021"].str.strip(), "level": b["NUTS level"],
                              "name": b_name, "version": "2021"}))  # fmt: skip
    for old, new in STEPS:  # the matrices' level-2 codes (they also cover Norway in 2013/2016)
        m = pd.read_csv(RAW / "jrc_converter" / f"n2_cm_v{old}_v{new}.csv")
        for version in (old, new):
            rows.append(pd.DataFrame({"code": sorted(set(m[f"code_v{version}"])), "level": 2,
                                      "name": "", "version": version}))  # fmt: skip
    long = pd.concat(rows, ignore_index=True)
    long["level"] = long["level"].astype(int)
    # The 2013-2016 change list covers the EU-28 only. The codes of the countries it leaves out
    # (EFTA and candidate countries, e.g. CH, IS, MK, TR), as listed for 2021, are taken for 2013
    # and 2016 too: the bundled Eurostat files use them in those years.
    country = long["code"].str[:2]
    listed = set(country[long["version"] == "2013"])
    later = long[(long["version"] == "2021") & ~country.isin(listed)]
    long = pd.concat([long] + [later.assign(version=v) for v in ("2013", "2016")],
                     ignore_index=True)  # fmt: skip
    # the name of the latest version that names the code
    named = long[long["name"] != ""].drop_duplicates("code", keep="last").set_index("code")
    out = long.groupby("code", sort=True).agg(
        level=("level", "first"), versions=("version", lambda v: " ".join(sorted(set(v))))
    )
    out["name"] = named["name"].reindex(out.index).fillna("")
    return out.reset_index()[["code", "level", "name", "versions"]]


def pieces_table() -> pd.DataFrame:
    """Return the JRC pieces that change a code between consecutive versions."""
    parts = []
    for old, new in STEPS:
        m = pd.read_csv(RAW / "jrc_converter" / f"n2_cm_v{old}_v{new}.csv")
        a, b = f"code_v{old}", f"code_v{new}"
        n_from = m.groupby(a)[b].transform("size")
        n_to = m.groupby(b)[a].transform("size")
        ch = m[(m[a] != m[b]) | (n_from > 1) | (n_to > 1)]
        parts.append(pd.DataFrame({"step": f"{old}-{new}", "from": ch[a], "to": ch[b],
                                   **{w: ch[w] for w in WEIGHTS}}))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def render() -> dict[str, bytes]:
    """Return the bytes of both package tables (the test compares them with the package)."""
    out = {}
    for name, table in (
        ("nuts_versions.csv", versions_table()),
        ("nuts_pieces.csv", pieces_table()),
    ):
        buf = io.StringIO()
        table.to_csv(buf, index=False, lineterminator="\n")
        out[name] = buf.getvalue().encode("utf-8")
    return out


def main() -> int:
    """Write both tables into clusterlib/reference/."""
    for name, data in render().items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
