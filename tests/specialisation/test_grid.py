"""The dense grid behind the specialisation table: any key encoding and any set of years.

The table is computed on integer codes (clusterlib/specialisation/grid.py). Categorical keys use
their categories' codes, plain strings are factorised and years are an offset (consecutive) or a
search (with gaps); each route must give the same table.
"""

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib.errors import DataFormatError, DataValueError
from clusterlib.io.grid import CodedTable, group_sums, labels_at


@pytest.fixture(scope="module")
def two_countries(eurostat):
    keep = eurostat["region"].astype(str).str[:2].isin(["PL", "CZ"]).to_numpy()
    return eurostat[keep].reset_index(drop=True)


def test_plain_string_keys_give_the_same_table(two_countries):
    cat = cl.specialisation_table(two_countries, years=[2013, 2014])
    plain = two_countries.astype({"region": str, "industry": str, "indicator": str})
    pd.testing.assert_frame_equal(cl.specialisation_table(plain, years=[2013, 2014]), cat)


def test_years_with_a_gap_give_the_same_cells(two_countries):
    # without 2010 the years 2008, 2009, 2011, ... are coded by a search, not an offset; the
    # fill-in and the totals never cross years, so every other year's rows are unchanged
    full = cl.specialisation_table(two_countries)
    gap = cl.specialisation_table(two_countries[two_countries["year"] != 2010])
    assert CodedTable(two_countries[two_countries["year"] != 2010]).years.tolist() == [
        2008, 2009, 2011, 2012, 2013, 2014, 2015,
    ]  # fmt: skip
    pd.testing.assert_frame_equal(
        gap.reset_index(drop=True),
        full[full["year"] != 2010].reset_index(drop=True),
    )


def test_row_order_does_not_matter(two_countries):
    shuffled = two_countries.sample(frac=1, random_state=0)
    pd.testing.assert_frame_equal(
        cl.specialisation_table(shuffled, years=2014),
        cl.specialisation_table(two_countries, years=2014),
    )


# --- the grid's own pieces, on tables small enough to check by hand ---------------------------


def tidy(rows):
    return pd.DataFrame(rows, columns=["region", "industry", "indicator", "year", "value"])


SMALL = tidy(
    [
        ("PL11", "C24", "V16110", 2014, 5.0),
        ("PL12", "C24", "V16110", 2014, 0.0),
        ("PL12", "C25", "V16110", 2014, 0.0),
        ("PL11", "C25", "V16110", 2015, 1.0),
        ("PL11", "C24", "V11210", 2014, 2.0),
    ]
)


def test_coded_table_axes_and_grid_by_hand():
    coded = CodedTable(SMALL)
    assert coded.years.tolist() == [2014, 2015] and coded.years.dtype == np.int64
    assert coded.regions.tolist() == ["PL11", "PL12"]
    assert coded.industries.tolist() == ["C24", "C25"]
    grid = coded.grid(coded.rows("V16110"))
    assert grid.present.tolist() == [
        [[True, False], [True, True]],
        [[False, True], [False, False]],
    ]
    np.testing.assert_array_equal(
        grid.value, [[[5.0, np.nan], [0.0, 0.0]], [[np.nan, 1.0], [np.nan, np.nan]]]
    )
    assert coded.rows("V16110", [2015]).tolist() == [False, False, False, True, False]
    assert not coded.rows("V99999").any()  # an indicator not in the table selects nothing


def test_keep_active_and_keep_regions():
    # PL12 in 2014 holds only zeros: not in use that year, dropped; PL11 in 2015 holds 1 (> 0)
    coded = CodedTable(SMALL)
    grid = coded.grid(coded.rows("V16110"))
    grid.keep_active()
    assert grid.present.any(axis=2).tolist() == [[True, False], [True, False]]
    assert np.isnan(grid.value[0, 1]).all() and grid.value[1, 0, 1] == 1.0
    grid.keep_regions(np.array([False, True]))
    assert not grid.present.any() and np.isnan(grid.value).all()


def test_years_far_apart_and_an_empty_table():
    # years 10,000 apart are found by a sort, not an offset array of 10,000 entries
    wide = SMALL.assign(year=[1, 1, 1, 20001, 1])
    coded = CodedTable(wide)
    assert coded.years.tolist() == [1, 20001] and coded.year.tolist() == [0, 0, 0, 1, 0]
    assert coded.year.dtype.kind in "iu"  # integer codes, whichever route found them
    gap = CodedTable(SMALL.assign(year=[2014, 2014, 2014, 2016, 2014]))  # 2015 missing
    assert gap.years.tolist() == [2014, 2016] and gap.year.tolist() == [0, 0, 0, 1, 0]
    assert gap.year.dtype.kind in "iu"
    empty = CodedTable(SMALL.iloc[:0])
    assert empty.years.tolist() == [] and not empty.rows("V16110").any()


def test_project_places_the_other_table_and_skips_unknown_keys():
    coded = CodedTable(SMALL)
    other = pd.DataFrame(
        {
            "region": ["PL11", "PL12", "PL99", "PL11"],
            "industry": ["C24", "C25", "C24", "C99"],
            "year": [2014, 2015, 2014, 2014],
            "value": [7.0, 8.0, 9.0, 10.0],
        }
    )
    got = coded.project(other)
    want = np.full((2, 2, 2), np.nan)
    want[0, 0, 0], want[1, 1, 1] = 7.0, 8.0  # PL99 and C99 are not on the axes
    np.testing.assert_array_equal(got, want)


def test_missing_code_and_later_duplicate_are_named():
    with pytest.raises(DataFormatError) as err:
        CodedTable(SMALL.assign(region=["PL11", None, "PL12", "PL11", "PL11"]))
    assert str(err.value) == (
        "data: row 1, column 'region': expected a code, found a missing value. "
        "Drop or repair that row."
    )
    dup = pd.concat([SMALL, SMALL.iloc[[2]]], ignore_index=True)
    coded = CodedTable(dup)
    with pytest.raises(DataValueError, match=r"^data: the key \(region='PL12'"):
        coded.grid(coded.rows("V16110"))  # the default name of the table
    with pytest.raises(DataValueError) as err:
        coded.grid(coded.rows("V16110"), what="my.csv")
    assert str(err.value) == (
        "my.csv: the key (region='PL12', industry='C25', year=2014) appears more than once for "
        "one indicator; expected one row per key. Remove the duplicate rows."
    )


def test_group_sums_and_labels_by_hand():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(
        group_sums(a, np.array([1, 0, 1]), 3), [[3.0, 4.0], [6.0, 8.0], [0.0, 0.0]]
    )
    np.testing.assert_array_equal(group_sums(a[:0], np.array([], int), 2), np.zeros((2, 2)))
    got = labels_at(np.array(["a", "bb"], dtype=object), np.array([1, 0, 1]))
    assert str(got.dtype) == "str" and got.tolist() == ["bb", "a", "bb"]


# --- the whole table against a plain pandas reference -------------------------------------------
#
# reference_table below recomputes specialisation_table from prepare_cells's output with string
# keys and pandas groupbys only, following the definitions in region_base's and
# specialisation_table's docstrings (business-economy base of the sections B-N (no K) plus S95,
# reference sums over the comparison group's NUTS2 regions, Moineddin et al. intervals). Every
# option is compared on the Polish and Czech rows of the bundled file, where real confidential
# cells exercise the three policies; one run adds hand-made gaps so that complete-sections drops
# a section and a cluster has an unknown member.

SECTIONS = ["B", "C", "D", "E", "F", "G", "H", "I", "J", "L", "M", "N", "S95"]


def _all_known(s):
    return s.sum() if s.notna().all() else np.nan


def reference_base(cells, group, policy):
    """(region, year) -> total and imputed, and the dropped sections (group, year -> text)."""
    sec = cells[cells["industry"].isin(SECTIONS) & cells["region"].isin(group.index)].copy()
    sec["group"] = sec["region"].map(group)
    dropped = pd.Series(dtype=object)
    if policy == "complete-sections":
        gaps = sec[sec["value"].isna()]
        dropped = gaps.groupby(["group", "year"])["industry"].agg(
            lambda s: ", ".join(sorted(set(s)))
        )
        bad = set(zip(gaps["group"], gaps["year"], gaps["industry"], strict=True))
        keys = zip(sec["group"], sec["year"], sec["industry"], strict=True)
        sec = sec[[k not in bad for k in keys]]
    base = sec.groupby(["region", "year"]).agg(
        total=("value", _all_known), imputed=("imputed", "any")
    )
    return base, dropped


def reference_table(data, *, years, industries=None, clusters=None, reference="country",
                    countries=None, policy="fill", level=0.95):  # fmt: skip
    work = countries if reference == "country" else None
    cells = cl.specialisation.prepare_cells(data, years=years, policy=policy, countries=work)
    geo = cl.nuts_table(cells["region"].unique())
    nuts2 = geo.index[(geo["level"] == 2) & ~geo["extra_regio"]]
    cells = cells[cells["region"].isin(nuts2)]
    group = pd.Series(
        [r[:2] if reference == "country" else "EU" for r in nuts2], index=nuts2, dtype=object
    )
    base, dropped = reference_base(cells, group, policy)
    if industries is None:
        industries = sorted(
            i for i in cells["industry"].unique()
            if len(i) == 3 and i[1:].isdigit() and i not in SECTIONS
        )  # fmt: skip
    cols = cells[cells["industry"].isin(industries)]
    for name, codes in (clusters or {}).items():
        member = cells[cells["industry"].isin(codes)]
        summed = member.groupby(["region", "year"]).agg(
            value=("value", "sum"), known=("value", "count"), imputed=("imputed", "any")
        )
        summed["value"] = summed["value"].where(summed.pop("known") == len(codes))
        cols = pd.concat([cols, summed.reset_index().assign(industry=name)])
    t = cols[["region", "industry", "year", "value", "imputed"]].rename(columns={"value": "count"})
    t["group"] = t["region"].map(group)
    t = t.join(base.rename(columns={"total": "region_total", "imputed": "base_imp"}),
               on=["region", "year"])  # fmt: skip
    strict = policy == "missing"
    member = t["region_total"].notna() | strict
    t["x_in"] = t["count"].where(member, 0.0)
    ind = t.groupby(["group", "year", "industry"])["x_in"].agg(_all_known if strict else "sum")
    t = t.join(ind.rename("industry_total"), on=["group", "year", "industry"])
    b = base.reset_index()
    b["group"] = b["region"].map(group)
    grand = b.groupby(["group", "year"])["total"].agg(_all_known if strict else "sum")
    t = t.join(grand.rename("grand_total"), on=["group", "year"])
    if countries is not None:
        t = t[t["region"].str[:2].isin([countries] if isinstance(countries, str) else countries)]
    t = t.sort_values(["year", "region", "industry"]).reset_index(drop=True)
    lq = (t["count"] / t["region_total"]) / (t["industry_total"] / t["grand_total"])
    t["imputed"] = t["imputed"] | t["base_imp"].fillna(False).astype(bool)
    unknown = t[["count", "region_total", "industry_total", "grand_total"]].isna().any(axis=1)
    t["status"] = np.select(
        [unknown, t["region_total"] == 0, t["industry_total"] == 0],
        ["missing input", "zero region total", "zero industry total"], default="ok",
    )  # fmt: skip
    excluded = b[b["total"].isna()].sort_values(["region", "year"])
    attrs = {
        "dropped_sections": [
            {"group": g, "year": int(y), "dropped": d} for (g, y), d in dropped.items()
        ],
        "excluded_regions": [
            {"region": r, "year": int(y)}
            for r, y in zip(excluded["region"], excluded["year"], strict=True)
        ],  # fmt: skip
    }
    return t, lq, attrs


def _gapped(data):
    """The PL/CZ rows with hand-made gaps.

    PL22's F and CZ01's C24 are unknown in 2014 (employment), CZ01 has no section rows at all
    in 2013 (no base: left out of the reference sums, which must not count it), and PL41's
    sections are all 0 in 2013 (status "zero region total").
    """
    sections = data["industry"].isin(SECTIONS) & (data["indicator"] == "V16110")
    out = data[~(sections & (data["region"] == "CZ01") & (data["year"] == 2013)).to_numpy()]
    out = out.reset_index(drop=True)
    # PL41's sections all 0 in 2013 while its divisions employ people: a zero region total
    zero = (out["industry"].isin(SECTIONS) & (out["indicator"] == "V16110")
            & (out["region"] == "PL41") & (out["year"] == 2013))  # fmt: skip
    out.loc[zero.to_numpy(), "value"] = 0.0
    for region, industry in [("PL22", "F"), ("CZ01", "C24")]:
        at = ((out["region"] == region) & (out["industry"] == industry)
              & (out["indicator"] == "V16110") & (out["year"] == 2014))  # fmt: skip
        assert at.sum() == 1
        out.loc[at, "value"] = np.nan
        out.loc[at, "flag"] = "c"
    return out


CLUSTERS = {"metal": ["C24", "C25"], "wood": ["C16", "C31"]}
TABLE_CASES = [
    dict(),
    dict(policy="missing"),
    dict(policy="complete-sections"),
    dict(reference="eu", level=0.9),
    dict(reference="eu", policy="missing", countries="CZ"),
    dict(reference="eu", policy="complete-sections", countries=["PL"]),
    dict(countries="PL", industries=["C25", "C24", "C24"], clusters=CLUSTERS),
    dict(policy="missing", clusters=CLUSTERS, industries=["B05"]),
    dict(policy="complete-sections", reference="eu", clusters=CLUSTERS, level=0.5),
]


@pytest.mark.parametrize("gaps", [False, True], ids=["as read", "with gaps"])
@pytest.mark.parametrize("case", TABLE_CASES, ids=lambda c: repr(c)[:60])
def test_table_equals_the_pandas_reference(two_countries, case, gaps):
    data = _gapped(two_countries) if gaps else two_countries
    got = cl.specialisation_table(data, years=[2013, 2014], areas={}, **case)
    want, lq, attrs = reference_table(data, years=[2013, 2014], **case)
    for col in ["region", "industry", "year", "status", "imputed"]:
        assert got[col].tolist() == want[col].tolist(), col
    assert got["country"].tolist() == want["region"].str[:2].tolist()
    for col in ["count", "region_total", "industry_total", "grand_total"]:
        np.testing.assert_allclose(got[col], want[col], rtol=1e-12, err_msg=col)
    np.testing.assert_allclose(got["lq"], lq.where(want["status"] == "ok"), rtol=1e-12)
    ok = got["status"].eq("ok") & got["count"].gt(0)
    var = (1 / want["count"] - 1 / want["region_total"] - 1 / want["industry_total"]
           + 1 / want["grand_total"])[ok]  # fmt: skip
    se = np.sqrt(var.clip(lower=0))  # a region that is the whole industry: variance 0, not < 0
    np.testing.assert_allclose(got.loc[ok, "se_log"], se, rtol=1e-10)
    z = {0.95: 1.959963984540054, 0.9: 1.6448536269514722, 0.5: 0.6744897501960817}[
        case.get("level", 0.95)
    ]  # normal quantiles from R: qnorm(c(0.975, 0.95, 0.75))
    np.testing.assert_allclose(got.loc[ok, "lq_low"], lq[ok] * np.exp(-z * se), rtol=1e-10)
    np.testing.assert_allclose(got.loc[ok, "lq_high"], lq[ok] * np.exp(z * se), rtol=1e-10)
    sig = (got.loc[ok, "lq_low"] > 1) | (got.loc[ok, "lq_high"] < 1)
    assert got.loc[ok, "significant"].tolist() == sig.tolist()
    assert got.attrs["dropped_sections"] == attrs["dropped_sections"]
    assert got.attrs["excluded_regions"] == attrs["excluded_regions"]
    assert got.attrs["policy"] == case.get("policy", "fill")
    assert got.attrs["reference"] == case.get("reference", "country")
    if gaps and case.get("policy") == "complete-sections":
        group = "PL" if case.get("reference") != "eu" else "EU"
        (d,) = [
            d for d in got.attrs["dropped_sections"] if (d["group"], d["year"]) == (group, 2014)
        ]
        assert "F" in d["dropped"].split(", ")  # the hand-made gap drops F for the whole group


def test_prepare_cells_takes_one_country_as_a_string(two_countries):
    # a bare "PL" once selected the countries "P" and "L": an empty table, silently
    one = cl.specialisation.prepare_cells(two_countries, years=2014, countries="PL")
    listed = cl.specialisation.prepare_cells(two_countries, years=2014, countries=["PL"])
    pd.testing.assert_frame_equal(one, listed)
    # the fill-in never crosses a border: the same rows as the Polish part of the whole table
    whole = cl.specialisation.prepare_cells(two_countries, years=2014)
    pd.testing.assert_frame_equal(
        one, whole[whole["region"].str[:2] == "PL"].reset_index(drop=True)
    )


@pytest.mark.parametrize("policy", ["fill", "missing", "complete-sections"])
def test_region_base_equals_the_pandas_reference(two_countries, policy):
    data = _gapped(two_countries)
    cells = cl.specialisation.prepare_cells(data, years=[2013, 2014], policy=policy)
    # groups: Polish regions by macro-region (first three characters), Czech ones all in one, and
    # PL21 in none (left out)
    regions = sorted(r for r in cells["region"].unique() if len(r) == 4 and r != "PL21")
    groups = pd.Series([r[:3] if r.startswith("PL") else "CZ" for r in regions], index=regions)
    got, dropped = cl.specialisation.region_base(cells, groups=groups, policy=policy)
    base, want_dropped = reference_base(cells, groups, policy)
    base = base.reset_index()
    assert got["region"].tolist() == base["region"].tolist()
    assert got["year"].tolist() == base["year"].tolist()
    np.testing.assert_allclose(got["region_total"], base["total"], rtol=1e-12)
    assert got["base_imputed"].tolist() == base["imputed"].tolist()
    assert "PL21" not in set(got["region"])
    records = [{"group": g, "year": y, "dropped": d} for (g, y), d in want_dropped.items()]
    assert dropped.to_dict("records") == records
    assert (len(records) > 0) == (policy == "complete-sections")


def test_employment_matrix_is_the_filled_cells_pivoted(two_countries):
    cells = cl.specialisation.prepare_cells(two_countries, years=2014, countries=["CZ"])
    got = cl.employment_matrix(two_countries, year=2014, country="CZ", industries=["C25", "B", "C"])
    cz2 = sorted(r for r in cells["region"].unique() if len(r) == 4)
    want = cells[cells["region"].isin(cz2)].pivot(index="region", columns="industry",
                                                  values="value")  # fmt: skip
    pd.testing.assert_frame_equal(got, want[["C25", "B", "C"]], check_names=False)
    assert got.index.tolist() == cz2 and len(cz2) == 8  # the eight Czech NUTS2 regions
    default = cl.employment_matrix(two_countries, year=2014, country="CZ", policy="missing")
    assert default.columns.tolist() == SECTIONS
    raw = two_countries[(two_countries["indicator"] == "V16110") & (two_countries["year"] == 2014)
                        & two_countries["region"].isin(cz2)]  # fmt: skip
    raw = raw.astype({"region": str, "industry": str}).pivot(index="region", columns="industry",
                                                             values="value")  # fmt: skip
    pd.testing.assert_frame_equal(default, raw[SECTIONS], check_names=False)


def test_table_selection_errors_name_what_was_asked(two_countries):
    from clusterlib.errors import EmptySelectionError, UnknownCodeError

    with pytest.raises(UnknownCodeError) as err:
        cl.specialisation_table(two_countries, years=2014, countries=["PL", "XX", "AT"])
    assert str(err.value) == (
        "countries ['AT', 'XX'] have no NUTS2 regions in the data; available: ['CZ', 'PL']."
    )
    with pytest.raises(UnknownCodeError, match=r"unknown NACE code\(s\): 'C99' \(did you mean"):
        cl.specialisation_table(two_countries, years=2014, industries=["C24", "C99"])
    with pytest.raises(EmptySelectionError) as err:
        cl.specialisation_table(two_countries[two_countries["region"].str.len() < 4], years=2014)
    assert str(err.value) == (
        "no NUTS2 region has data for this selection; the table needs NUTS2 rows (codes of four "
        "characters such as PL22)."
    )
    with pytest.raises(DataFormatError) as err:
        cl.specialisation_table(two_countries, years=2014, clusters={"m": ["C24", "C99"]})
    assert str(err.value).startswith("clusters, cluster 'm', field 'codes': unknown NACE code")
    # one industry as a bare string is that industry, not its letters (C, 2, 4)
    pd.testing.assert_frame_equal(
        cl.specialisation_table(two_countries, years=2014, industries="C24"),
        cl.specialisation_table(two_countries, years=2014, industries=["C24"]),
    )
    only_2014 = two_countries[(two_countries["year"] == 2014)
                              & ~two_countries["industry"].isin(["B05"])]  # fmt: skip
    with pytest.raises(EmptySelectionError) as err:
        cl.specialisation_table(only_2014, industries=["B05"])
    assert str(err.value).startswith(
        "no cells for industries ['B05'] in the selected NUTS2 regions and years; the data hold "
        "['B', 'B06',"
    )


def test_region_base_checks_its_policy_and_names_duplicate_cells(two_countries):
    from clusterlib.errors import OptionError

    cells = cl.specialisation.prepare_cells(two_countries, years=2014, countries=["CZ"])
    groups = pd.Series("CZ", index=["CZ01", "CZ02"])
    with pytest.raises(OptionError, match=r"option 'policy': expected one of"):
        cl.specialisation.region_base(cells, groups=groups, policy="fil")
    default, _ = cl.specialisation.region_base(cells, groups=groups)
    filled, _ = cl.specialisation.region_base(cells, groups=groups, policy="fill")
    pd.testing.assert_frame_equal(default, filled)
    twice = pd.concat([cells, cells.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataValueError, match=r"^cells: the key \(region='CZ'"):
        cl.specialisation.region_base(twice, groups=groups)


def test_employment_matrix_of_another_indicator(two_countries):
    units = cl.employment_matrix(two_countries, year=2014, country="CZ", indicator="V11210",
                                 industries=["C24"], policy="missing")  # fmt: skip
    raw = two_countries[(two_countries["indicator"] == "V11210") & (two_countries["year"] == 2014)
                        & (two_countries["industry"] == "C24")
                        & (two_countries["region"].str.len() == 4)
                        & two_countries["region"].str.startswith("CZ")
                        & ~two_countries["region"].str.endswith("ZZ")]  # fmt: skip
    np.testing.assert_allclose(units["C24"], raw.sort_values("region")["value"])  # local units


def test_prepare_cells_marks_filled_cells(two_countries):
    cells = cl.specialisation.prepare_cells(two_countries, years=2014)
    assert cells.columns.tolist() == ["region", "industry", "year", "value", "flag", "imputed"]
    assert isinstance(cells.index, pd.RangeIndex) and cells["imputed"].any()
    assert (cells.loc[cells["imputed"], "flag"] == "imputed").all()
    raw = cl.specialisation.prepare_cells(two_countries, years=2014, policy="missing")
    assert not raw["imputed"].any() and (raw["flag"] != "imputed").all()
    # the filled cells are exactly those unknown before, and every other cell keeps its flag
    both = cells.merge(raw, on=["region", "industry", "year"], suffixes=("", "_raw"))
    assert (both["imputed"] == both["value_raw"].isna() & both["value"].notna()).all()
    kept = ~both["imputed"]
    assert (both.loc[kept, "flag"] == both.loc[kept, "flag_raw"]).all()


def test_a_country_of_one_region_is_its_own_reference(eurostat):
    # Luxembourg is one NUTS2 region (LU00): under the country reference its industry totals
    # are its own counts, its grand total its own base, and every known LQ is 1
    lu = eurostat[eurostat["region"].astype(str).str.startswith("LU").to_numpy()]
    t = cl.specialisation_table(lu, years=2014, industries=["C25", "F41", "M70"])
    assert set(t["region"]) == {"LU00"}
    ok = t[t["status"] == "ok"]
    assert len(ok) >= 2
    np.testing.assert_allclose(ok["industry_total"], ok["count"])
    np.testing.assert_allclose(ok["grand_total"], ok["region_total"])
    np.testing.assert_allclose(ok["lq"], 1.0, rtol=1e-12)
    np.testing.assert_allclose(ok["se_log"], 0.0, atol=1e-9)  # the region is the whole reference


def test_default_columns_are_the_divisions_of_nuts2_regions(two_countries):
    # B05 reported only for countries and NUTS1 regions: no B05 column; the first industry on the
    # grid (the section B) can be asked for, alone or in a cluster
    no_b05 = two_countries[~((two_countries["industry"] == "B05")
                             & (two_countries["region"].str.len() == 4)).to_numpy()]  # fmt: skip
    t = cl.specialisation_table(no_b05, years=2014)
    assert "B05" not in set(t["industry"]) and "B06" in set(t["industry"])
    b = cl.specialisation_table(two_countries, years=2014, industries=["B"],
                                clusters={"first": ["B", "C"]})  # fmt: skip
    assert set(b["industry"]) == {"B", "first"}
    wide = b.pivot(index="region", columns="industry", values="count")
    c = cl.specialisation_table(two_countries, years=2014, industries=["C"])
    np.testing.assert_allclose(wide["first"], wide["B"] + c.set_index("region")["count"])


def test_prepare_cells_fills_with_local_units_when_the_data_hold_them(two_countries):
    # prepare_cells(policy="fill") is fill_missing on the raw cells, with the local units
    # (V11210) of the same years as the auxiliary weights; without V11210, or for V11210 itself,
    # there are no weights
    from clusterlib.io.select import select
    from clusterlib.specialisation import fill_missing

    years = [2013, 2014]
    raw = cl.specialisation.prepare_cells(two_countries, years=years, policy="missing")
    units = select(two_countries, indicator="V11210", years=years)
    filled = cl.specialisation.prepare_cells(two_countries, years=years)
    want = fill_missing(raw.drop(columns="imputed"), auxiliary=units)
    np.testing.assert_allclose(filled["value"], want["value"], rtol=1e-12)
    assert filled["imputed"].tolist() == want["imputed"].tolist()
    no_weights = fill_missing(raw.drop(columns="imputed"))
    assert not np.allclose(no_weights["value"], want["value"], equal_nan=True)  # they matter
    without = two_countries[(two_countries["indicator"] != "V11210").to_numpy()]
    np.testing.assert_allclose(
        cl.specialisation.prepare_cells(without, years=years)["value"], no_weights["value"],
        rtol=1e-12,
    )  # fmt: skip
    raw_u = cl.specialisation.prepare_cells(two_countries, years=years, indicator="V11210",
                                            policy="missing")  # fmt: skip
    np.testing.assert_allclose(
        cl.specialisation.prepare_cells(two_countries, years=years, indicator="V11210")["value"],
        fill_missing(raw_u.drop(columns="imputed"))["value"], rtol=1e-12,
    )  # fmt: skip
    # local units are checked for the years asked: a year without them is named
    gap = two_countries[~((two_countries["indicator"] == "V11210")
                          & (two_countries["year"] == 2014)).to_numpy()]  # fmt: skip
    with pytest.raises(
        cl.errors.UnknownCodeError, match=r"year\(s\) \[2014\] not in the data for V11210"
    ):
        cl.specialisation.prepare_cells(gap, years=years)


def test_region_base_reports_no_dropped_sections_outside_complete_sections(two_countries):
    cells = cl.specialisation.prepare_cells(two_countries, years=2014, countries=["CZ"])
    groups = pd.Series("CZ", index=["CZ01", "CZ02"])
    for policy in ("fill", "missing"):
        _, dropped = cl.specialisation.region_base(cells, groups=groups, policy=policy)
        assert dropped.empty and dropped.columns.tolist() == ["group", "year", "dropped"]


def test_one_region_country_under_the_missing_policy(eurostat):
    lu = eurostat[eurostat["region"].astype(str).str.startswith("LU").to_numpy()]
    t = cl.specialisation_table(lu, years=2014, industries=["C25", "F41"], policy="missing")
    ok = t[t["status"] == "ok"]
    assert len(ok) == 2  # every section of LU00 is known in 2014: the grand total is known
    np.testing.assert_allclose(ok["grand_total"], ok["region_total"])
    np.testing.assert_allclose(ok["lq"], 1.0, rtol=1e-12)


def test_gapped_data_reach_every_status(two_countries):
    t = cl.specialisation_table(_gapped(two_countries), years=[2013, 2014])
    assert set(t["status"]) >= {"ok", "missing input", "zero region total"}
    assert (t.loc[(t["region"] == "PL41") & (t["year"] == 2013), "status"]
            == "zero region total").all()  # fmt: skip


def test_country_checks_count_nuts2_regions_only(two_countries):
    from clusterlib.errors import EmptySelectionError, UnknownCodeError

    region = two_countries["region"].astype(str)
    pl_above = two_countries[~(region.str.startswith("PL") & (region.str.len() == 4)).to_numpy()]
    with pytest.raises(UnknownCodeError, match=r"^countries \['PL'\] have no NUTS2 regions"):
        cl.specialisation_table(pl_above, years=2014, countries="PL")
    cz_only_nuts2 = two_countries[
        (region.str.startswith("CZ") & (region.str.len() == 4)).to_numpy()
    ]
    t = cl.specialisation_table(cz_only_nuts2, years=2014, countries="CZ", industries=["C25"])
    assert set(t["country"]) == {"CZ"} and len(t) == 8
    sections_only = two_countries[two_countries["industry"].isin(SECTIONS).to_numpy()]
    with pytest.raises(EmptySelectionError, match=r"^no cells for the divisions in the selected"):
        cl.specialisation_table(sections_only, years=2014)
