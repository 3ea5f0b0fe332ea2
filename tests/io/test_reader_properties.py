"""Property-based tests of the readers (hypothesis).

Random valid files round-trip exactly; random corruptions of them raise a ClusterlibError, never
another exception and never a silently different table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clusterlib as cl
from clusterlib.errors import ClusterlibError

REGIONS = ["PL22", "PL21", "PL41", "DE11", "CZ08", "PL", "PL2"]
INDUSTRIES = ["C", "C24", "C25", "F", "G46", "B05"]
YEARS = list(range(2008, 2016))
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def tidy_tables(draw):
    keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(REGIONS), st.sampled_from(INDUSTRIES), st.sampled_from(YEARS)
            ),
            min_size=1,
            max_size=25,
            unique=True,
        )
    )
    values = draw(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(0, 10**9).map(float),
                st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
            ),
            min_size=len(keys),
            max_size=len(keys),
        )
    )
    return pd.DataFrame(
        {
            "region": [k[0] for k in keys],
            "industry": [k[1] for k in keys],
            "year": [k[2] for k in keys],
            "value": [np.nan if v is None else v for v in values],
        }
    )


@st.composite
def formats(draw):
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    decimal = draw(st.sampled_from([".", ","])) if sep != "," else "."
    return {
        "sep": sep,
        "decimal": decimal,
        "encoding": draw(st.sampled_from(["utf-8", "cp1250", "iso-8859-2"])),
        "bom": draw(st.booleans()),
        "crlf": draw(st.booleans()),
    }


def render(df: pd.DataFrame, fmt: dict) -> bytes:
    """Write ``df`` as a user's export would: given separator, decimal mark and encoding."""
    nl = "\r\n" if fmt["crlf"] else "\n"
    lines = [fmt["sep"].join(["region", "industry", "year", "value", "nazwa"])]
    for r in df.itertuples():
        v = "" if np.isnan(r.value) else repr(r.value).replace(".", fmt["decimal"])
        lines.append(fmt["sep"].join([r.region, r.industry, str(r.year), v, "Śląsk"]))
    raw = (nl.join(lines) + nl).encode(fmt["encoding"])
    return (b"\xef\xbb\xbf" + raw) if fmt["bom"] and fmt["encoding"] == "utf-8" else raw


def read(path, fmt):
    return cl.read_table(path, decimal=fmt["decimal"], encoding=fmt["encoding"])


@SETTINGS
@given(df=tidy_tables(), fmt=formats())
def test_read_table_round_trips_exactly(tmp_path, df, fmt):
    p = tmp_path / "t.csv"
    p.write_bytes(render(df, fmt))
    out = read(p, fmt)  # the separator is detected
    assert out[["region", "industry"]].values.tolist() == df[["region", "industry"]].values.tolist()
    assert out["year"].tolist() == df["year"].tolist()
    np.testing.assert_array_equal(out["value"].to_numpy(), df["value"].to_numpy())
    assert (out["indicator"] == "V16110").all() and (out["flag"] == "").all()


BAD_TOKENS = ["abc", "1e400", "inf", "-5", "NaNa", "1..2", "--1", "0x1A", "1,2,3", "12%"]


KINDS = ["token", "drop-field", "extra-field", "dup-row", "byte", "empty"]


def corrupt(raw: bytes, fmt: dict, kind: str, pick: int, token: str) -> bytes:
    text = raw.decode(fmt["encoding"])
    nl = "\r\n" if fmt["crlf"] else "\n"
    lines = text.split(nl)[:-1]
    i = 1 + pick % (len(lines) - 1)
    cells = lines[i].split(fmt["sep"])
    if kind == "token":
        cells[3] = token if token != "1,2,3" or fmt["sep"] != "," else "1;2;3"
        if fmt["sep"] in token or (token == "1,2,3" and fmt["decimal"] == ","):
            cells[3] = "abc"
    elif kind == "drop-field":
        del cells[pick % len(cells)]
    elif kind == "extra-field":
        cells.append("9")
    elif kind == "dup-row":
        lines.append(lines[i])
    elif kind == "empty":
        lines = lines[:1]
    lines[i if kind not in ("dup-row", "empty") else 0] = (
        fmt["sep"].join(cells) if kind in ("token", "drop-field", "extra-field") else lines[0]
    )
    out = (nl.join(lines) + nl).encode(fmt["encoding"])
    if kind == "byte":
        enc = fmt["encoding"]
        out = out.replace(
            "Śląsk".encode(enc), "Śląsk".encode("cp1250" if enc == "utf-8" else "utf-8"), 1
        )
        if enc != "utf-8":
            out = out.replace("Śl".encode(), b"\x81\x98", 1)  # undefined in cp1250
            out = out if enc == "cp1250" else None
    return out


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(
    df=tidy_tables(), fmt=formats(), pick=st.integers(0, 10**6), token=st.sampled_from(BAD_TOKENS)
)
def test_read_table_corruptions_are_errors(tmp_path, kind, df, fmt, pick, token):
    raw = corrupt(render(df, fmt), fmt, kind, pick, token)
    if raw is None:  # ISO-8859-2 decodes every byte: no invalid byte exists to plant
        return
    p = tmp_path / "t.csv"
    p.write_bytes(raw)
    try:
        out = read(p, fmt)
    except ClusterlibError:
        return
    # Only a corruption that leaves a valid, different-but-honest table may pass: none of ours.
    raise AssertionError(f"{kind} {token!r} was accepted:\n{out}")


@st.composite
def eurostat_tables(draw):
    years = sorted(draw(st.sets(st.sampled_from(YEARS), min_size=1, max_size=4)), reverse=True)
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(INDUSTRIES), st.sampled_from(["V16110", "V11210"]),
                      st.sampled_from(REGIONS)),
            min_size=1, max_size=12, unique=True,
        )
    )  # fmt: skip
    cells = draw(
        st.lists(
            st.tuples(
                st.one_of(st.none(), st.integers(0, 10**7)),
                st.sampled_from(["", "c", "p", "b", "cd"]),
            ),
            min_size=len(keys) * len(years),
            max_size=len(keys) * len(years),
        )
    )
    return years, keys, cells


def render_tsv(years, keys, cells) -> str:
    head = "nace_r2,indic_sb,geo\\time\t" + "\t".join(f"{y} " for y in years)
    rows = [head]
    for r, key in enumerate(keys):
        out = []
        for c in range(len(years)):
            v, f = cells[r * len(years) + c]
            num = ":" if v is None else str(v)
            out.append(f"{num} {f}" if f else (num if v is None else f"{num} "))
        rows.append(",".join(key) + "\t" + "\t".join(out))
    return "\n".join(rows) + "\n"


@SETTINGS
@given(table=eurostat_tables(), bom=st.booleans())
def test_eurostat_round_trips_exactly(tmp_path, table, bom):
    years, keys, cells = table
    p = tmp_path / "e.tsv"
    p.write_text(("\ufeff" if bom else "") + render_tsv(years, keys, cells), encoding="utf-8")
    df = cl.read_eurostat_tsv(p)
    asc = sorted(years)
    expect = []
    for r, key in enumerate(keys):
        for y in asc:
            v, f = cells[r * len(years) + years.index(y)]
            expect.append((key[2], key[0], key[1], y, np.nan if v is None else float(v), f))
    got = list(
        df[["region", "industry", "indicator", "year", "value", "flag"]]
        .astype({"region": str, "industry": str, "indicator": str, "flag": str})
        .itertuples(index=False, name=None)
    )
    assert len(got) == len(expect)
    for g, e in zip(got, expect, strict=True):
        assert g[:4] == e[:4] and g[5] == e[5]
        assert (np.isnan(g[4]) and np.isnan(e[4])) or g[4] == e[4]


@SETTINGS
@given(table=eurostat_tables(), pick=st.integers(0, 10**6), token=st.sampled_from(
    ["nan", "inf", "-inf", "1e400", "12x", "1 2", ": C", "-3", "1,5"]))  # fmt: skip
def test_eurostat_corrupt_cells_are_errors(tmp_path, table, pick, token):
    years, keys, cells = table
    lines = render_tsv(years, keys, cells).splitlines()
    i = 1 + pick % (len(lines) - 1)
    parts = lines[i].split("\t")
    j = 1 + pick % (len(parts) - 1)
    parts[j] = token
    if token == "-3" and ",V11210," not in parts[0] and ",V16110," not in parts[0]:
        return
    lines[i] = "\t".join(parts)
    p = tmp_path / "e.tsv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        cl.read_eurostat_tsv(p)
    except ClusterlibError:
        return
    raise AssertionError(f"corrupt cell {token!r} on line {i + 1} was accepted")
