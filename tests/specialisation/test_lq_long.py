"""The blocked long-form LQ kernel against a plain pandas groupby on random long tables.

The reference is what a user would write: ``groupby(...).transform("sum")`` for the region-year,
industry-year and year totals, then the formula of ``location_quotient_ci``. With integer counts
every sum is exact whatever the order of the additions, so the kernel's LQ must equal the
reference's product in the kernel's order bit for bit; with real-valued counts the totals may
differ in the last bits (pandas adds with compensation), hence a relative tolerance of 1e-12.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import clusterlib.specialisation.lq_long as L
from clusterlib.errors import DataValueError
from clusterlib.specialisation import location_quotient_long
from clusterlib.specialisation.lq import lq_interval_arrays


def random_long(seed: int, *, integer: bool = True) -> pd.DataFrame:
    """A shuffled long table with missing cells, zero counts, several years and unused labels."""
    rng = np.random.default_rng(seed)
    nr, ni, years = rng.integers(2, 30), rng.integers(2, 20), rng.integers(1, 5)
    grid = pd.MultiIndex.from_product(
        [[f"R{k}" for k in range(nr)], [f"I{k}" for k in range(ni)], 2008 + 3 * np.arange(years)],
        names=["region", "industry", "year"],
    ).to_frame(index=False)
    d = grid.sample(frac=rng.uniform(0.3, 1.0), random_state=seed)  # missing cells, shuffled
    d["value"] = (
        rng.integers(0, 40, len(d)).astype(float) if integer else rng.gamma(0.7, 50.0, len(d))
    )
    if seed % 2:  # categorical keys, with a category no row uses
        d["region"] = pd.Categorical(d["region"], categories=[*sorted(set(d["region"])), "none"])
    d.index = rng.permutation(len(d)) * 5 + 3  # an index of its own, not a range
    return d


def reference(d: pd.DataFrame) -> pd.DataFrame:
    """LQ and interval per row from pandas groupby totals."""
    xr = d.groupby(["year", "region"], observed=True)["value"].transform("sum").to_numpy()
    xi = d.groupby(["year", "industry"], observed=True)["value"].transform("sum").to_numpy()
    xt = d.groupby("year")["value"].transform("sum").to_numpy()
    cols = lq_interval_arrays(d["value"].to_numpy(), xr, xi, xt, level=0.95)
    with np.errstate(divide="ignore", invalid="ignore"):
        # the kernel's order: (1 / x_r.) (1 / (x_.i / x_..)) x, undefined where a total is 0
        ordered = (1.0 / xr) * (1.0 / (xi / xt)) * d["value"].to_numpy()
    ordered[(xr == 0) | (xi == 0)] = np.nan
    return pd.DataFrame({**cols, "ordered": ordered}, index=d.index)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("block", [7, 1 << 16])
def test_fast_path_equals_a_pandas_groupby(seed, block, monkeypatch):
    # block=7 runs every table through many blocks, with a short last one
    monkeypatch.setattr(L, "BLOCK", block)
    d = random_long(seed)
    want = reference(d)
    got = location_quotient_long(d)
    lq_only = location_quotient_long(d, level=None)
    assert got.index.equals(d.index) and lq_only.index.equals(d.index)
    # integer counts: exact totals, the same LQ to the last bit
    np.testing.assert_array_equal(lq_only["lq"].to_numpy(), want["ordered"].to_numpy())
    np.testing.assert_array_equal(got["lq"].to_numpy(), want["ordered"].to_numpy())
    for k in ("se_log", "lq_low", "lq_high"):
        np.testing.assert_allclose(got[k].to_numpy(), want[k].to_numpy(), rtol=1e-12)
    assert got["significant"].tolist() == want["significant"].tolist()


@pytest.mark.parametrize("seed", range(6))
def test_real_valued_counts_within_rounding_of_pandas(seed, monkeypatch):
    monkeypatch.setattr(L, "BLOCK", 5)
    d = random_long(100 + seed, integer=False)
    want, got = reference(d), location_quotient_long(d)
    for k in ("lq", "se_log", "lq_low", "lq_high"):
        np.testing.assert_allclose(got[k].to_numpy(), want[k].to_numpy(), rtol=1e-12)
    assert got["significant"].tolist() == want["significant"].tolist()


def test_block_size_does_not_change_a_bit(monkeypatch):
    d = random_long(3, integer=False)
    whole = location_quotient_long(d)
    monkeypatch.setattr(L, "BLOCK", 3)
    pd.testing.assert_frame_equal(location_quotient_long(d), whole, check_exact=True)


def test_key_codes_of_every_kind_agree():
    # the same table with years as integers (one- and two-byte offset codes), strings
    # (factorised) and categoricals, regions as categoricals and as text: the same LQs
    d = random_long(4)
    want = location_quotient_long(d)
    as_text = d.astype({"year": str, "region": str})
    as_cat = d.astype({"year": "category", "industry": "category"})
    far = d.assign(year=d["year"] * 1_000_003)  # a range too wide for offsets: factorised
    wide = d.assign(year=(d["year"] - 2008) * 100 - 50)  # negative, two-byte offsets
    for other in (as_text, as_cat, far, wide):
        pd.testing.assert_frame_equal(location_quotient_long(other), want, check_exact=True)


def test_a_duplicate_across_blocks_is_named_at_its_first_row(monkeypatch):
    monkeypatch.setattr(L, "BLOCK", 4)
    d = random_long(6)
    d = pd.concat([d, d.iloc[[2]]])  # the third row again, in the last block
    with pytest.raises(DataValueError) as err:
        location_quotient_long(d)
    r = d.iloc[2]
    assert str(err.value) == (
        f"row 3 (index {d.index[2]}): the key (region, industry, year) = ('{r['region']}', "
        f"'{r['industry']}', {r['year']}) appears more than once; its count would be "
        "double-counted. Aggregate first."
    )


@pytest.mark.parametrize("column", ["region", "industry", "year"])
def test_a_missing_key_is_named(column):
    d = random_long(8).astype({"year": float})
    d.iloc[4, d.columns.get_loc(column)] = np.nan
    with pytest.raises(DataValueError) as err:
        location_quotient_long(d)
    assert str(err.value) == (
        f"row 5 (index {d.index[4]}), field '{column}': the key is missing. Drop the row or "
        f"fill in its {column}."
    )


def test_an_infinite_count_is_named_after_the_totals_show_it():
    d = random_long(9)
    d.iloc[6, d.columns.get_loc("value")] = np.inf
    with pytest.raises(DataValueError) as err:
        location_quotient_long(d)
    assert str(err.value).startswith(
        f"row 7 (index {d.index[6]}), field 'value': counts cannot be negative, missing or "
        "infinite, found inf."
    )


# --- cases found by the mutation run (make mutation ONLY="clusterlib.specialisation.lq_long*") ---


def grid_table(years, *, seed: int = 0, regions: int = 5, industries: int = 4) -> pd.DataFrame:
    """Every (region, industry, year) once, shuffled, with integer counts (some zero)."""
    rng = np.random.default_rng(seed)
    d = pd.MultiIndex.from_product(
        [[f"R{k}" for k in range(regions)], [f"I{k}" for k in range(industries)], list(years)],
        names=["region", "industry", "year"],
    ).to_frame(index=False)
    d = d.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    d["value"] = rng.integers(0, 40, len(d)).astype(float)
    return d


@pytest.mark.parametrize(
    "years",
    [
        [-3, -2, -1],  # negative integer keys: the offset is taken modulo 256 in one byte
        [0, 256, 512],  # two-byte offsets: keys 256 apart must not share a one-byte code
        [7, 7 + 65536],  # four-byte offsets
    ],
)
def test_integer_keys_are_coded_without_collisions(years):
    d = grid_table(years, seed=len(years))
    want = reference(d)
    got = location_quotient_long(d)
    np.testing.assert_array_equal(got["lq"].to_numpy(), want["ordered"].to_numpy())
    np.testing.assert_allclose(got["lq_high"].to_numpy(), want["lq_high"].to_numpy(), rtol=1e-12)
    # and the same numbers with the years as text (factorised codes)
    as_text = location_quotient_long(d.astype({"year": str}))
    pd.testing.assert_frame_equal(as_text, got, check_exact=True)


def test_categorical_keys_with_more_cells_than_their_codes_type_holds():
    # 30 regions and 10 years as categoricals have one-byte codes (int8, up to 127), but their
    # 300 region-year cells do not fit in one byte: the cell index must be wider
    d = grid_table(range(2000, 2010), seed=11, regions=30, industries=6)
    want = reference(d)
    cats = d.astype({"region": "category", "industry": "category", "year": "category"})
    assert cats["region"].cat.codes.dtype == np.int8
    got = location_quotient_long(cats)
    np.testing.assert_array_equal(got["lq"].to_numpy(), want["ordered"].to_numpy())
    np.testing.assert_allclose(got["se_log"].to_numpy(), want["se_log"].to_numpy(), rtol=1e-12)


def test_one_row_with_an_integer_year():
    # one row: x = x_r. = x_.i = x_.. = 5, so LQ = (5/5)/(5/5) = 1 and
    # Var(ln LQ) = 1/5 - 1/5 - 1/5 + 1/5 = 0: the interval is [1, 1], not significant
    d = pd.DataFrame({"region": ["A"], "industry": ["a"], "year": [2014], "value": [5.0]})
    out = location_quotient_long(d)
    assert out.iloc[0].tolist() == [1.0, 0.0, 1.0, 1.0, False]
    assert location_quotient_long(d, level=None)["lq"].tolist() == [1.0]


def test_an_empty_table_keeps_its_index():
    d = random_long(2).iloc[:0]
    d.index = pd.Index([], dtype=object, name="row")
    for level in (None, 0.95):
        out = location_quotient_long(d, level=level)
        pd.testing.assert_index_equal(out.index, d.index, exact=True)


def test_a_year_of_zero_counts_gives_nan_and_no_warning():
    # 2010: A = (a 10, b 30), B = (a 30, b 30); A 40, B 60, a 40, b 60, all 100:
    #   LQ(A,a) = (10/40)/(40/100) = 0.625, LQ(A,b) = (30/40)/(60/100) = 1.25,
    #   LQ(B,a) = (30/60)/(40/100) = 1.25,  LQ(B,b) = (30/60)/(60/100) = 5/6
    # 2011: every count 0, so every total is 0 and nothing is defined (0/0), without a warning
    d = pd.DataFrame({
        "region": ["A", "A", "B", "B"] * 2, "industry": ["a", "b"] * 4,
        "year": [2010] * 4 + [2011] * 4, "value": [10, 30, 30, 30, 0, 0, 0, 0.0],
    })  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = location_quotient_long(d)
        lq_only = location_quotient_long(d, level=None)
    np.testing.assert_allclose(out["lq"].iloc[:4], [0.625, 1.25, 1.25, 5 / 6], rtol=1e-15)
    np.testing.assert_array_equal(lq_only["lq"].to_numpy(), out["lq"].to_numpy())
    later = out.iloc[4:]
    assert later[["lq", "se_log", "lq_low", "lq_high"]].isna().all().all()
    assert not later["significant"].any()


def test_float32_counts_give_the_float64_result():
    # every float32 is a float64 exactly, so the same counts must give the same bits (the
    # kernel computes in float64, not 1/x in single precision)
    d32 = random_long(7, integer=False).astype({"value": np.float32})
    d64 = d32.astype({"value": float})
    pd.testing.assert_frame_equal(
        location_quotient_long(d32), location_quotient_long(d64), check_exact=True
    )


def test_scatter_totals_by_hand():
    # rows (region-time cell, industry cell, industry, count):
    #   (0, 0, 0, 1), (0, 1, 1, 2), (1, 0, 0, 3), (1, 1, 1, 4)
    # region-time totals 1 + 2 = 3 and 3 + 4 = 7; industry totals 1 + 3 = 4 and 2 + 4 = 6;
    # the four (region-time, industry) keys are distinct: no repeat
    x = np.array([1.0, 2.0, 3.0, 4.0])
    rt = np.array([0, 0, 1, 1], dtype=np.int8)
    it = np.array([0, 1, 0, 1], dtype=np.int8)
    i = np.array([0, 1, 0, 1], dtype=np.int8)
    xr, xi, repeats = L.scatter_totals(x, rt, it, i, 2, 2, 2)
    assert xr.tolist() == [3.0, 7.0] and xi.tolist() == [4.0, 6.0] and repeats is False
    # without the marks (a sparse key space) nothing is claimed about repeats
    assert L.scatter_totals(x, rt, it, None, 2, 2, 2)[2] is False
    # the last row repeats the first key (0, 0): three marks for four rows
    rt2 = np.array([0, 0, 1, 0], dtype=np.int8)
    it2 = i2 = np.array([0, 1, 0, 0], dtype=np.int8)
    xr, xi, repeats = L.scatter_totals(x, rt2, it2, i2, 2, 2, 2)
    # region-time 1 + 2 + 4 = 7 and 3; industry 1 + 3 + 4 = 8 and 2
    assert xr.tolist() == [7.0, 3.0] and xi.tolist() == [8.0, 2.0] and repeats is True


def test_the_pandas_duplicate_search_runs_only_when_the_marks_ask_for_it(monkeypatch):
    # the first pass marks every key in a boolean array when the key space is small; the
    # pandas search for the repeated row (slow on millions of rows) is then needed only when
    # a key was marked twice
    calls = []
    real = L._first_repeat
    monkeypatch.setattr(L, "_first_repeat", lambda *a: calls.append(1) or real(*a))
    small = pd.DataFrame({"region": ["r1", "r1", "r2", "r2"], "industry": ["A", "B", "A", "B"],
                          "value": [10.0, 90.0, 30.0, 70.0]})  # fmt: skip
    full = grid_table(range(10), seed=3, regions=11, industries=10)  # 1100 keys, each once
    location_quotient_long(small, time=None)
    location_quotient_long(full)
    assert calls == []
    with pytest.raises(DataValueError):
        location_quotient_long(pd.concat([full, full.iloc[[5]]]))
    assert calls == [1]


def test_a_sparse_key_space_is_not_marked_key_by_key():
    # a million categories each for regions and industries (codes of a classification, most
    # unused): a mark per possible key would be 10**12 booleans, so repeats are searched for
    # in the rows instead. Three rows, by hand: x_r. = (10, 30, 60), x_.i = (40, 60), x_.. = 100
    #   LQ = (10/10)/(40/100) = 2.5, (30/30)/(40/100) = 2.5, (60/60)/(60/100) = 5/3
    many = np.arange(10**6)
    d = pd.DataFrame({
        "region": pd.Categorical.from_codes([0, 999_999, 5], categories=many),
        "industry": pd.Categorical.from_codes([0, 0, 999_999], categories=many),
        "value": [10.0, 30.0, 60.0],
    })  # fmt: skip
    out = location_quotient_long(d, time=None, level=None)
    np.testing.assert_allclose(out["lq"], [2.5, 2.5, 5 / 3], rtol=1e-15)
