import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib.io import cache


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Exact equality, comparing categoricals by codes and categories (assert_frame_equal boxes
    every element of an Arrow-backed categorical, which takes minutes on 1.5 million rows)."""
    assert list(a.columns) == list(b.columns) and a.index.equals(b.index)
    for c in a.columns:
        if isinstance(a[c].dtype, pd.CategoricalDtype):
            assert list(a[c].cat.categories) == list(b[c].cat.categories)
            np.testing.assert_array_equal(a[c].cat.codes.to_numpy(), b[c].cat.codes.to_numpy())
        else:
            pd.testing.assert_series_equal(a[c], b[c])


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERLIB_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.slow
def test_cached_data_and_tables_equal_fresh(cache_dir, eurostat):
    assert_same(cl.load_eurostat(), eurostat)  # miss: parses and writes
    assert_same(cl.load_eurostat(), eurostat)  # hit: reads Parquet
    kw = {"years": 2014, "countries": "PL", "policy": "complete-sections"}
    fresh = cl.specialisation_table(eurostat, **kw)
    for _ in range(2):
        got = cl.cached_table(cl.specialisation_table, **kw)
        pd.testing.assert_frame_equal(got, fresh)
        assert got.attrs["dropped_sections"] == fresh.attrs["dropped_sections"]
    wide = cl.cached_table(cl.employment_matrix, year=2014, country="PL")
    pd.testing.assert_frame_equal(
        cl.cached_table(cl.employment_matrix, year=2014, country="PL"),
        cl.employment_matrix(eurostat, year=2014, country="PL"),
    )
    assert list(wide.index[:2]) == ["PL11", "PL12"]
    # a different argument is a different key, never a stale hit
    other = cl.cached_table(cl.specialisation_table, years=2013, countries="PL")
    assert set(other["year"]) == {2013}
    assert len(list(cache_dir.glob("*.parquet"))) == 4


def test_damaged_cache_file_is_recomputed(cache_dir, tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"a": [1, 2]})

    first = cache._read_or_compute("t", {"k": 1}, compute)
    (path,) = cache_dir.glob("t-*.parquet")
    path.write_bytes(b"not parquet")
    again = cache._read_or_compute("t", {"k": 1}, compute)
    pd.testing.assert_frame_equal(first, again)
    assert len(calls) == 2 and not list(cache_dir.glob("*.tmp"))
