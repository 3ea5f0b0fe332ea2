"""Measures by name: a regional SBS file of either generation gives the same analysis."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib import DataFormatError, UnknownCodeError, config
from clusterlib.io.eurostat import NON_NEGATIVE_INDICATORS
from clusterlib.reference.measures import (
    ADDITIVE_CODES,
    MEASURES,
    indicator_code,
    measure_of,
    measure_table,
)
from clusterlib.specialisation.series import cluster_series

NEW_CODES = {"V16110": "EMP_LOC_NR", "V11210": "LOC_NR", "V13320": "WAGE_LOC_MEUR"}


def test_the_mapping_table():
    table = measure_table()
    assert table.index.name == "measure"
    assert table.to_dict("index") == {
        "employment": {"sbs_r_nuts06_r2": "V16110", "sbs_r_nuts2021": "EMP_LOC_NR",
                       "label": "persons employed (number)"},
        "local_units": {"sbs_r_nuts06_r2": "V11210", "sbs_r_nuts2021": "LOC_NR",
                        "label": "local units (number)"},
        "wages": {"sbs_r_nuts06_r2": "V13320", "sbs_r_nuts2021": "WAGE_LOC_MEUR",
                  "label": "wages and salaries (million EUR)"},
    }  # fmt: skip
    assert ADDITIVE_CODES == set(NEW_CODES) | set(NEW_CODES.values())
    assert measure_of("EMP_LOC_NR") == "employment" and measure_of("V11210") == "local_units"
    assert measure_of("V91290") is None
    # the reader's head counts are the two count measures of both generations
    heads = {c for m in ("employment", "local_units") for c in MEASURES[m][:2]}
    assert heads == NON_NEGATIVE_INDICATORS


def test_indicator_code_finds_either_generation():
    old = pd.DataFrame({"indicator": pd.Categorical(["V16110", "V11210"])})
    new = pd.DataFrame({"indicator": ["EMP_LOC_NR", "LOC_NR"]})
    assert indicator_code(old, "employment") == "V16110"
    assert indicator_code(new, "local_units") == "LOC_NR"
    assert indicator_code(old, "V91290") == "V91290"  # a code passes; the selection checks it
    assert indicator_code(old, "wages", required=False) is None
    with pytest.raises(UnknownCodeError, match=r"no wages and salaries.*neither V13320.*WAGE_LOC"):
        indicator_code(new, "wages")
    both = pd.DataFrame({"indicator": pd.Categorical(["V16110", "EMP_LOC_NR"])})
    with pytest.raises(DataFormatError, match=r"under both V16110 .* and EMP_LOC_NR"):
        indicator_code(both, "employment")
    # an unused category is not data: a filtered table keeps V16110 among its categories
    filtered = both[both["indicator"] == "EMP_LOC_NR"]
    assert indicator_code(filtered, "employment") == "EMP_LOC_NR"
    with pytest.raises(DataFormatError, match=r"no 'indicator' column"):
        indicator_code(pd.DataFrame({"x": [1]}), "employment")


@pytest.fixture(scope="module")
def both_generations(tmp_path_factory, to_current_generation):
    """The Polish rows of the bundled file, in the 2017 form and in the current one."""
    with gzip.open(config.eurostat_path(), "rt", encoding="utf-8") as f:
        lines = [
            line
            for i, line in enumerate(f)
            if i == 0 or line.split("\t")[0].split(",")[2].startswith("PL")
        ]
    folder = tmp_path_factory.mktemp("sbs")
    (folder / "old.tsv").write_text("".join(lines), encoding="utf-8")
    (folder / "new.tsv").write_text(to_current_generation(lines), encoding="utf-8")
    old = cl.read_eurostat_tsv(folder / "old.tsv")
    new = cl.read_eurostat_tsv(folder / "new.tsv", dimensions=["nace_r2", "indic_sbs", "geo"])
    return old, new


@pytest.mark.slow
def test_either_generation_gives_the_same_specialisation_table(both_generations):
    old, new = both_generations
    assert set(new["indicator"].astype(str)) >= {"EMP_LOC_NR", "LOC_NR", "WAGE_LOC_MEUR"}
    kw = {"years": [2013, 2014], "countries": "PL", "clusters": {"metal": ["C24", "C25"]}}
    a = cl.specialisation_table(old, **kw)
    b = cl.specialisation_table(new, **kw)
    assert len(a) > 1000 and a["imputed"].any()  # the fill-in (with local units) was used
    pd.testing.assert_frame_equal(a, b)
    # ... and the same as naming the old code, as callers did before
    pd.testing.assert_frame_equal(a, cl.specialisation_table(old, indicator="V16110", **kw))
    local = cl.specialisation_table(new, indicator="local_units", **kw)
    assert not np.allclose(local["lq"].fillna(0), a["lq"].fillna(0))  # another measure


@pytest.mark.slow
def test_either_generation_gives_the_same_cluster_series(both_generations):
    old, new = both_generations
    kw = {"region": "PL22", "cluster": "metal processing", "years": range(2009, 2015)}
    a = cluster_series(old, **kw)
    b = cluster_series(new, **kw)
    assert a["wages_per_person"].notna().any() and a["local_units"].notna().any()
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_either_generation_gives_the_same_relatedness_matrix(both_generations):
    from clusterlib.relatedness import industry_matrix

    old, new = both_generations
    a = industry_matrix(old, years=[2013, 2014])
    assert a.shape[0] == 2 * 16 and a.notna().to_numpy().mean() > 0.9
    pd.testing.assert_frame_equal(a, industry_matrix(new, years=[2013, 2014]))
