"""NUTS versions: the reference tables, the errors that name a code's version, convert_nuts.

Hand calculations use the JRC matrix in data/raw/nuts/jrc_converter (read here with csv) and the
R&D personnel file data/raw/rd_p_persreg_2009_2018.csv.
"""

from __future__ import annotations

import csv
import importlib.util
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import clusterlib as cl
from clusterlib import DataFormatError, DataValueError, UnknownCodeError, config
from clusterlib.errors import OptionError
from clusterlib.reference.nuts import check_region
from clusterlib.reference.nuts_convert import conversion_shares, convert_nuts, harmonise_nuts
from clusterlib.reference.nuts_versions import (
    check_nuts_version,
    code_versions,
    counterparts,
    detect_version,
    nuts_codes,
    version_error,
)

JRC = config.raw_dir() / "nuts" / "jrc_converter"


def jrc_rows(name):
    with open(JRC / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def rd_2009():
    """The 2009 FTE of the Polish NUTS2 regions, read with csv (NUTS 2013 codes)."""
    with open(config.raw_dir() / "rd_p_persreg_2009_2018.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["time"] == "2009" and r["values"]]
    return {
        r["geo"]: float(r["values"])
        for r in rows
        if r["geo"].startswith("PL") and len(r["geo"]) == 4
    }


# ------------------------------------------------------------------ the reference tables -------
@pytest.mark.slow
def test_package_tables_are_built_by_the_committed_script():
    spec = importlib.util.spec_from_file_location("build", "scripts/build_nuts_versions.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name, data in build.render().items():
        assert resources.files("clusterlib.reference").joinpath(name).read_bytes() == data, name


def test_polish_codes_by_version():
    # SOURCES.md: PL11->PL71, PL33->PL72, PL31->PL81, PL32->PL82, PL34->PL84, PL12 -> PL91+PL92
    old = ["PL11", "PL12", "PL31", "PL32", "PL33", "PL34"]
    new = ["PL71", "PL72", "PL81", "PL82", "PL84", "PL91", "PL92"]
    same = ["PL21", "PL22", "PL41", "PL42", "PL43", "PL51", "PL52", "PL61", "PL62", "PL63"]
    assert all(code_versions(c) == ["2013"] for c in old)
    assert all(code_versions(c) == ["2016", "2021", "2024"] for c in new)
    assert all(code_versions(c) == ["2013", "2016", "2021", "2024"] for c in same)
    names = nuts_codes()["name"]
    assert names["PL84"] == "Podlaskie" and names["PL12"] == "Mazowieckie"
    assert names["PL91"] == "Warszawski stołeczny" and names["PL92"] == "Mazowiecki regionalny"
    assert code_versions("PL1") == ["2013"] and code_versions("PL9") == ["2016", "2021"]
    assert code_versions("DE41") == [] and code_versions("XX99") == []


def test_every_region_of_the_bundled_data_is_known():
    gdp = cl.read_eurostat_tsv(config.raw_dir() / "nama_10r_2gdp_PL_MIO_EUR.tsv")
    check_nuts_version(gdp["region"].astype(str), version="2021")
    pat = cl.read_eurostat_csv(config.raw_dir() / "pat_ep_rtot_PL.csv")
    codes = pd.Series(pat["region"].astype(str).unique())
    unknown = sorted(codes[~codes.map(lambda c: "2013" in code_versions(c))])
    # the patent file's only codes outside NUTS 2013: NUTS 2010 level-3 codes of the regions that
    # the 2013 revision renamed, and PLX/PLXX/PLXXX ("not regionalised")
    assert unknown == ["PL121", "PL122", "PL215", "PL216", "PL422", "PL423", "PL425", "PL521",
                       "PL522", "PL614", "PL615", "PL631", "PL635", "PLX", "PLXX", "PLXXX"]  # fmt: skip
    check_nuts_version(codes[~codes.isin(unknown)], version="2013")
    rd = cl.read_eurostat_csv(config.raw_dir() / "rd_p_persreg_2009_2018.csv")
    have = rd[rd["value"].notna()].astype({"region": str})
    # besides NUTS codes, the file holds aggregates and other countries
    other = {"CN_X_HK", "EA19", "EU27_2020", "EU28", "JP", "KR", "RU"}
    assert {c for c in have["region"] if not code_versions(c)} == other
    have = have[(have["region"].str.len() == 4) & ~have["region"].isin(other)]  # level 2
    # a real mixed-version case: in 2009 HR02 is the NUTS 2010 code of Panonska Hrvatska (its
    # 835 FTE are outside the total: HR03 2008 + HR04 9007 = HR 11015), which NUTS 2021 reuses
    # for another territory; the check catches it
    y2009 = have.loc[have.year == 2009, "region"]
    with pytest.raises(UnknownCodeError, match=r"mix NUTS versions: .* HR02 a NUTS 2021/2024"):
        detect_version(y2009)
    assert detect_version(y2009[y2009 != "HR02"]) == ["2013"]
    assert detect_version(have.loc[have.year == 2018, "region"]) == ["2016"]


@pytest.mark.parametrize(
    "code,version,expect",
    [
        ("PL84", "2013", "PL84 is a NUTS 2016/2021/2024 code (Podlaskie); in NUTS 2013 it is PL34"),
        ("PL34", "2021", "PL34 is a NUTS 2013 code (Podlaskie); in NUTS 2021 it is PL84"),
        ("PL91", "2013", "in NUTS 2013 it is part of PL12 (Mazowieckie)"),
        ("PL12", "2016", "in NUTS 2016 it is PL91 (Warszawski stołeczny) + PL92 (Mazowiecki"),
        ("PL1", "2021", "PL1 is a NUTS 2013 code (REGION CENTRALNY); NUTS 2021 has no such code"),
        ("HR05", "2016", "in NUTS 2016 it is part of HR04 (Kontinentalna Hrvatska)"),
        ("DE41", "2013", "'DE41' is not a code of NUTS 2013/2016/2021/2024"),
    ],
)
def test_a_code_of_another_version_names_its_version_and_counterpart(code, version, expect):
    assert expect in str(version_error(code, version))
    with pytest.raises(UnknownCodeError, match=r"^region: "):
        check_nuts_version(["PL22", code], version=version)


def test_counterparts_ignore_slivers_and_follow_several_versions():
    assert counterparts("PL22", "2013") == "PL22"
    assert counterparts("PL11", "2024") == "PL71 (Łódzkie)"
    assert counterparts("PL92", "2013") == "part of PL12 (Mazowieckie)"
    # FRF2 took 51 inhabitants of FR22 (a sliver of the digital boundaries): still FR21
    assert counterparts("FRF2", "2013") == "FR21 (Champagne-Ardenne)"
    assert counterparts("HR04", "2024").count("+") == 2
    assert counterparts("XX99", "2013") == ""


def test_check_region_explains_later_codes():
    with pytest.raises(UnknownCodeError, match=r"params, key 'region': PL84 is a NUTS 2016/2021"):
        check_region("PL84", source="params, key 'region'")
    with pytest.raises(UnknownCodeError, match=r"unknown region 'PL99'"):
        check_region("PL99")
    assert check_region("PL34") == "PL34"


def test_detect_version_refuses_mixed_codes():
    assert detect_version(["PL22", "PL34", "PL12"]) == ["2013"]
    assert detect_version(["PL22"]) == ["2013", "2016", "2021", "2024"]
    with pytest.raises(
        UnknownCodeError, match=r"mix NUTS versions: PL12 is a NUTS 2013 code, PL91"
    ):
        detect_version(["PL12", "PL22", "PL91"])
    with pytest.raises(UnknownCodeError, match=r"'XX99' is not a code"):
        detect_version(["PL22", "XX99"])
    with pytest.raises(OptionError, match=r"NUTS version '2010' is not known"):
        check_nuts_version(["PL22"], version="2010")


# ------------------------------------------------------------------ convert_nuts ---------------
def pl_2009_frame():
    values = rd_2009()
    return pd.DataFrame(
        {"region": list(values), "year": 2009, "unit": "FTE", "value": list(values.values())}
    )


def test_pl12_2009_split_by_population_against_a_hand_calculation():
    pieces = {r["code_v2016"]: float(r["pop11"]) for r in jrc_rows("n2_cm_v2013_v2016.csv")
              if r["code_v2013"] == "PL12"}  # fmt: skip
    # the JRC matrix: PL12 -> PL91 2,891,572.78 and PL92 2,384,428.52 inhabitants in 2011
    assert pieces == {"PL91": 2891572.777386215, "PL92": 2384428.5171821453}
    pl12 = rd_2009()["PL12"]
    assert pl12 == 24408  # TOTAL,T,TOTAL,FTE,PL12,2009,24408
    # hand: 24408 x 2891572.777386215 / (2891572.777386215 + 2384428.5171821453)
    #     = 24408 x 0.5480615... = 13376.9...; PL92 = 24408 - PL91
    pl91 = 24408 * 2891572.777386215 / (2891572.777386215 + 2384428.5171821453)
    out = convert_nuts(pl_2009_frame(), source="2013", target="2021").set_index("region")
    assert out.loc["PL91", "value"] == pytest.approx(pl91, rel=1e-12)
    assert out.loc["PL91", "value"] == pytest.approx(13377.08, abs=0.01)
    assert out.loc["PL92", "value"] == pytest.approx(24408 - pl91, rel=1e-12)
    assert (
        out.loc["PL91", "conversion"] == "split" and out.loc["PL91", "conversion_weight"] == "pop11"
    )
    assert bool(out.loc["PL92", "converted"])
    # the sum is preserved
    assert out["value"].sum() == pytest.approx(sum(rd_2009().values()), rel=1e-13)
    # recoded regions keep their values; unchanged regions are not flagged
    for old, new in [("PL11", "PL71"), ("PL33", "PL72"), ("PL31", "PL81"), ("PL32", "PL82"),
                     ("PL34", "PL84")]:  # fmt: skip
        assert out.loc[new, "value"] == rd_2009()[old]
        assert out.loc[new, "conversion"] == "recoded" and out.loc[new, "conversion_weight"] == ""
    assert out.loc["PL22", "value"] == 6940 and not out.loc["PL22", "converted"]
    assert "PL12" not in out.index and len(out) == 18  # 17 regions and PLZZ (extra-regio, 0)


def test_area_weight_and_the_way_back():
    area = convert_nuts(pl_2009_frame(), source="2013", target="2016", weight="areaKm")
    pl91 = area.set_index("region").loc["PL91"]
    # 6104.060675329863 km2 of 6104.06 + 29454.38 (JRC areaKm)
    assert pl91["value"] == pytest.approx(
        24408 * 6104.060675329863 / (6104.060675329863 + 29454.382889755565)
    )
    assert pl91["conversion_weight"] == "areaKm"
    back = convert_nuts(area, source="2016", target="2013").set_index("region")
    assert back.loc["PL12", "value"] == pytest.approx(24408)
    assert (
        back.loc["PL12", "conversion"] == "merged" and back.loc["PL12", "conversion_weight"] == ""
    )
    assert back.loc["PL34", "value"] == 1555 and back.loc["PL34", "conversion"] == "recoded"


def test_three_way_split_and_merge_preserve_totals():
    hr = pd.DataFrame({"region": ["HR03", "HR04"], "year": [2018, 2018], "unit": "NR",
                       "value": [100.0, 900.0], "flag": ["", "p"]})  # fmt: skip
    out = convert_nuts(hr, source="2016", target="2021").set_index("region")
    shares = {r["code_v2021"]: float(r["pop11"]) for r in jrc_rows("n2_cm_v2016_v2021.csv")
              if r["code_v2016"] == "HR04"}  # fmt: skip
    for code, pop in shares.items():
        assert out.loc[code, "value"] == pytest.approx(900 * pop / sum(shares.values()))
        assert out.loc[code, "flag"] == "p"
    assert out["value"].sum() == pytest.approx(1000)
    back = convert_nuts(out.reset_index(), source="2021", target="2016").set_index("region")
    assert (
        back.loc["HR04", "value"] == pytest.approx(900)
        and back.loc["HR04", "conversion"] == "merged"
    )


def test_unknown_counts_stay_unknown_and_flags_join():
    frame = pd.DataFrame({"region": ["PL91", "PL92", "PL21"], "year": 2018, "unit": "NR",
                          "value": [np.nan, 5.0, 7.0], "flag": ["c", "p", ""]})  # fmt: skip
    out = convert_nuts(frame, source="2021", target="2013").set_index("region")
    assert np.isnan(out.loc["PL12", "value"])  # never the partial sum 5
    assert out.loc["PL12", "flag"] == "cp" and out.loc["PL21", "value"] == 7


def test_foreign_codes_without_values_are_dropped_with_values_refused():
    frame = pl_2009_frame()
    extra = pd.DataFrame({"region": ["PL91"], "year": 2009, "unit": "FTE", "value": [np.nan]})
    out = convert_nuts(pd.concat([frame, extra]), source="2013", target="2021")
    assert out["value"].sum() == pytest.approx(sum(rd_2009().values()))
    extra["value"] = 1.0
    with pytest.raises(UnknownCodeError, match=r"PL91 is a NUTS 2016/2021/2024 code.*part of PL12"):
        convert_nuts(pd.concat([frame, extra]), source="2013", target="2021")


@pytest.mark.parametrize(
    "frame,kwargs,exc,pattern",
    [
        ({"unit": "EUR_HAB"}, {}, DataValueError, r"unit 'EUR_HAB' is a rate or share"),
        ({"unit": "P_MHAB"}, {"additive": True}, DataValueError, r"'P_MHAB' is a rate"),
        ({"unit": "PC_GDP"}, {}, DataValueError, r"'PC_GDP' is a rate"),
        ({"unit": "XYZ"}, {}, DataValueError, r"'XYZ' is not known to be a count"),
        ({"indicator": "V91290"}, {}, DataValueError, r"indicator 'V91290' is not known"),
        ({}, {}, DataValueError, r"no unit or indicator column.*additive=True"),
        ({"unit": "NR"}, {"weight": "people"}, OptionError, r"weight='people'"),
        ({"unit": "NR"}, {"target": "2020"}, OptionError, r"NUTS version '2020'"),
        ({"unit": "NR", "region": "PL1"}, {}, DataFormatError, r"level-1 codes such as PL1"),
    ],
)
def test_rates_and_bad_options_are_refused(frame, kwargs, exc, pattern):
    table = pd.DataFrame({"region": "PL12", "year": 2009, "value": [10.0], **frame})
    with pytest.raises(exc, match=pattern):
        convert_nuts(table, **{"source": "2013", "target": "2021", **kwargs})


def test_counts_by_indicator_or_by_word():
    table = pd.DataFrame({"region": ["PL12"], "year": 2014, "value": [10.0]})
    assert convert_nuts(table, source="2013", target="2021", additive=True)["value"].sum() == 10
    sbs = table.assign(indicator="V16110", industry="C25")
    out = convert_nuts(sbs, source="2013", target="2021")
    assert list(out.columns) == ["region", "year", "value", "indicator", "industry",
                                 "converted", "conversion", "conversion_weight"]  # fmt: skip
    with pytest.raises(DataFormatError, match=r"PL12 appears twice"):
        convert_nuts(pd.concat([sbs, sbs]), source="2013", target="2021")


def test_conversion_shares_compose_versions():
    s = conversion_shares("2013", "2024", regions=["PL12", "PL22"])
    assert s.to_dict("list")["region"] == ["PL91", "PL92", "PL22"]
    assert s["share"].iloc[:2].sum() == pytest.approx(1.0)
    # every source region's shares add up to 1 along any path
    everything = conversion_shares("2013", "2024")
    assert np.allclose(everything.groupby("origin")["share"].sum(), 1.0)


def test_harmonise_the_rd_file_to_nuts_2021():
    rd = cl.read_eurostat_csv(config.raw_dir() / "rd_p_persreg_2009_2018.csv")
    pl = rd[rd["region"].astype(str).str.match(r"^PL(\d\d)?$")]
    out = harmonise_nuts(pl, target="2021").set_index(["region", "year"])
    assert out.loc[("PL84", 2009), "value"] == 1555 and out.loc[("PL84", 2018), "value"] == 2528
    assert out.loc[("PL84", 2009), "source_version"] == "2013"
    assert out.loc[("PL84", 2018), "source_version"] == "2021"
    assert out.loc[("PL91", 2009), "value"] == pytest.approx(13377.08, abs=0.01)
    assert np.isnan(out.loc[("PL91", 2018), "value"])  # empty in the file: only PL9 has 2018
    mixed = pl.copy()
    mixed.loc[(mixed.region == "PL91") & (mixed.year == 2009), "value"] = 1.0
    with pytest.raises(UnknownCodeError, match=r"year 2009: the codes mix NUTS versions"):
        harmonise_nuts(mixed, target="2021")
    with pytest.raises(DataFormatError, match=r"no 'year' column"):
        harmonise_nuts(pl.drop(columns="year"), target="2021")


# ------------------------------------------------------------------ exact tables and messages --
def test_the_package_tables_read_fresh():
    from clusterlib.reference import nuts_versions as nv

    nv.nuts_codes.cache_clear()
    nv.nuts_pieces.cache_clear()
    codes, pieces = nv.nuts_codes(), nv.nuts_pieces()
    assert codes.index.name == "code" and list(codes.columns) == ["level", "name", "versions"]
    assert codes.loc["PL72", "name"] == "Świętokrzyskie"  # UTF-8
    assert codes.loc["NO01", "name"] == "" and codes.loc["NO01", "versions"] == "2013 2016"
    assert codes.loc["PL", "level"] == 0 and codes.loc["PL113", "level"] == 3
    assert list(pieces.columns) == ["step", "from", "to", *sorted(nv.WEIGHTS, key=["areaKm",
        "pop11", "pop21", "artif_surf12", "artif_surf18", "bu_vol"].index)]  # fmt: skip
    pl12 = pieces[pieces["from"] == "PL12"]
    assert pl12[["step", "to", "pop11"]].to_numpy().tolist() == [
        ["2013-2016", "PL91", 2891572.777386215], ["2013-2016", "PL92", 2384428.5171821453]
    ]  # fmt: skip


@pytest.mark.parametrize(
    "code,version,message",
    [
        ("PL84", "2013", "region: PL84 is a NUTS 2016/2021/2024 code (Podlaskie); in NUTS 2013 it "
                         "is PL34 (Podlaskie)."),
        ("NO01", "2021", "region: NO01 is a NUTS 2013/2016 code; in NUTS 2021 it is part of NO08 (Oslo og "
                         "Viken)."),
        ("PL113", "2021", "region: PL113 is a NUTS 2013 code (Miasto Łódź); NUTS 2021 has no such "
                          "code."),
        ("DE41", "2013", "region: 'DE41' is not a code of NUTS 2013/2016/2021/2024 (perhaps of an "
                         "older version, such as NUTS 2010, or misspelt). Use codes of one NUTS "
                         "version."),
    ],
)  # fmt: skip
def test_version_errors_in_full(code, version, message):
    assert str(version_error(code, version)) == message


def test_detect_version_message_in_full():
    with pytest.raises(UnknownCodeError) as err:
        detect_version(["PL22", "PL91", "PL12"], source="year 2009")
    assert str(err.value) == (
        "year 2009: the codes mix NUTS versions: PL12 is a NUTS 2013 code, PL91 a NUTS "
        "2016/2021/2024 code, and no version has both. Convert the rows of each version with "
        "convert_nuts before putting them together."
    )
    # no two codes are disjoint, yet no version has all three: the two narrowest are named
    with pytest.raises(UnknownCodeError, match=r"mix NUTS versions: NO01 is a NUTS 2013/2016"):
        detect_version(["NO01", "PL22", "NO08"])


def test_harmonise_order_weight_and_additive():
    frame = pd.DataFrame({"region": ["PL91", "PL12", "PL22", "PL22", "PL91"],
                          "year": [2018, 2009, 2018, 2009, 2009],
                          "value": [100.0, 24408.0, 7.0, 6.0, np.nan]})  # fmt: skip
    with pytest.raises(DataValueError, match=r"no unit or indicator column"):
        harmonise_nuts(frame, target="2021")
    out = harmonise_nuts(frame, target="2021", weight="areaKm", additive=True)
    share = 6104.060675329863 / (6104.060675329863 + 29454.382889755565)  # JRC areaKm
    expect = pd.DataFrame({
        "region": ["PL22", "PL22", "PL91", "PL91", "PL92"],
        "year": [2009, 2018, 2009, 2018, 2009],
        "value": [6.0, 7.0, 24408 * share, 100.0, 24408 * (1 - share)],
        "converted": [False, False, True, False, True],
        "conversion": ["unchanged", "unchanged", "split", "unchanged", "split"],
        "conversion_weight": ["", "", "areaKm", "", "areaKm"],
        "source_version": ["2013", "2021", "2013", "2021", "2013"],
    })  # fmt: skip
    pd.testing.assert_frame_equal(out, expect, check_dtype=False)
    assert isinstance(out.index, pd.RangeIndex)


def test_categorical_and_missing_keys_keep_their_rows():
    frame = pd.DataFrame({
        "region": ["PL12", "PL12", "PL22"],
        "industry": pd.Categorical(["C24", None, "C24"], categories=["C24", "C25", "C26"]),
        "unit": "NR",
        "value": [10.0, 20.0, 5.0],
        "flag": ["", "p", ""],
    })  # fmt: skip
    out = convert_nuts(frame, source="2013", target="2021")
    assert len(out) == 5  # PL91 and PL92 for each industry key (one missing), and PL22
    assert out["value"].sum() == pytest.approx(35)
    missing = out[out["industry"].isna()]
    assert missing["region"].tolist() == ["PL91", "PL92"] and missing["flag"].tolist() == ["p", "p"]
    with pytest.raises(DataFormatError) as err:
        convert_nuts(pd.concat([frame, frame.iloc[[2]].assign(value=9.0)]), source="2013",
                     target="2021")  # fmt: skip
    assert str(err.value) == (
        "region PL22 appears twice with the same keys (industry='C24', unit='NR'); give each "
        "region once per key."
    )


def test_split_and_merged_at_once():
    # NUTS 2016 -> 2024 by population: NL33 goes mostly to NL36 and a little to NL35, which also
    # takes NL31: NL35 is split and merged
    frame = pd.DataFrame({"region": ["NL31", "NL33"], "unit": "NR", "value": [10.0, 20.0]})
    out = convert_nuts(frame, source="2016", target="2024").set_index("region")
    assert out.loc["NL35", "conversion"] == "split and merged"
    assert out.loc["NL36", "conversion"] == "split"
    assert out["value"].sum() == pytest.approx(30)


def test_convert_nuts_exact_table():
    frame = pd.DataFrame({"region": ["PL12", "PL", "PL34"], "year": [2009, 2009, 2009],
                          "unit": "FTE", "value": [24408.0, 73581.0, 1555.0],
                          "flag": ["", "e", "p"]})  # fmt: skip
    out = convert_nuts(frame, source="2013", target="2016")
    share = 2891572.777386215 / (2891572.777386215 + 2384428.5171821453)  # JRC pop11
    expect = pd.DataFrame({
        "region": ["PL", "PL84", "PL91", "PL92"],
        "year": [2009] * 4,
        "unit": ["FTE"] * 4,
        "value": [73581.0, 1555.0, 24408 * share, 24408 * (1 - share)],
        "flag": ["e", "p", "", ""],
        "converted": [False, True, True, True],
        "conversion": ["unchanged", "recoded", "split", "split"],
        "conversion_weight": ["", "", "pop11", "pop11"],
    })  # fmt: skip
    pd.testing.assert_frame_equal(out, expect, check_dtype=False)
    assert isinstance(out.index, pd.RangeIndex)
    with pytest.raises(DataFormatError) as err:
        convert_nuts(frame.assign(region=["PL12", "PL", "PL3"]), source="2013", target="2016")
    assert str(err.value) == (
        "convert_nuts converts NUTS2 regions (the JRC matrices are at level 2), but the table holds "
        "level-1 codes such as PL3; keep the country and NUTS2 rows (region codes of 2 or 4 "
        "characters) and add converted regions up."
    )
    with pytest.raises(DataFormatError) as err:
        convert_nuts(frame.drop(columns="value"), source="2013", target="2016")
    assert str(err.value) == (
        "convert_nuts: missing column(s) ['value']; expected a tidy table with region, value and "
        "key columns such as year."
    )


def test_conversion_shares_in_full(monkeypatch):
    every = conversion_shares("2013", "2016")
    level2 = nuts_codes()[(nuts_codes()["level"] == 2)]
    expected = sorted(c for c, v in level2["versions"].items() if "2013" in v)
    assert sorted(every["origin"].unique()) == expected
    assert isinstance(every.index, pd.RangeIndex) and list(every.columns) == ["origin", "region",
                                                                              "share"]  # fmt: skip
    back = conversion_shares("2016", "2013", regions=["PL91", "PL92", "PL22"])
    assert back.to_numpy().tolist() == [["PL22", "PL22", 1.0], ["PL91", "PL12", 1.0],
                                        ["PL92", "PL12", 1.0]]  # fmt: skip
    same = conversion_shares("2021", "2021", regions=["PL22"])
    assert same.to_numpy().tolist() == [["PL22", "PL22", 1.0]]
    with pytest.raises(OptionError) as err:
        conversion_shares("2013", "2016", weight="pop")
    assert str(err.value) == (
        "weight='pop': expected one of the JRC weights pop11, pop21, areaKm, artif_surf12, "
        "artif_surf18, bu_vol."
    )
    # a source whose every piece weighs 0 cannot be divided: said, not turned into NaN
    from clusterlib.reference import nuts_convert, nuts_versions

    pieces = nuts_versions.nuts_pieces().copy()
    pieces.loc[pieces["from"] == "PL12", "pop11"] = 0.0
    monkeypatch.setattr(nuts_convert, "nuts_pieces", lambda: pieces)
    with pytest.raises(DataValueError) as err:
        conversion_shares("2013", "2016", regions=["PL12"])
    assert str(err.value) == (
        "the JRC weight pop11 of PL12 is zero in every piece (2013-2016); choose weight='areaKm'."
    )
    pieces.loc[pieces["from"] == "PL12", "pop11"] = [1.0, 0.0]
    assert conversion_shares("2013", "2016", regions=["PL12"])["share"].tolist() == [1.0, 0.0]
