"""The blocked long-form LQ kernel against a plain pandas groupby on random long tables.

The reference is what a user would write: ``groupby(...).transform("sum")`` for the region-year,
industry-year and year totals, then the formula of ``location_quotient_ci``. With integer counts
every sum is exact whatever the order of the additions, so the kernel's LQ must equal the
reference's product in the kernel's order bit for bit; with real-valued counts the totals may
differ in the last bits (pandas adds with compensation), hence a relative tolerance of 1e-12.
"""

from __future__ import annotations

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
