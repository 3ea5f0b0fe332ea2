"""A params file's region code of a declared NUTS version, mapped to the data's version.

Expected codes read by hand from Eurostat's change list NUTS 2013 -> 2016 (data/raw/nuts/):
PL11 -> PL71, PL33 -> PL72, PL31 -> PL81, PL32 -> PL82, PL34 -> PL84 (recoded; the territory
unchanged), PL12 -> PL91 + PL92 (split); the other Polish codes unchanged.
"""

from __future__ import annotations

import pytest

from clusterlib.errors import OptionError, UnknownCodeError
from clusterlib.reference.nuts_mapping import (
    data_versions,
    map_region,
    map_regions,
    mapping_sentence,
    split_error,
)

RECODED = {"PL71": "PL11", "PL72": "PL33", "PL81": "PL31", "PL82": "PL32", "PL84": "PL34"}
NUTS_2021_DATA = ["2016", "2021", "2024"]


@pytest.mark.parametrize(("new", "old"), sorted(RECODED.items()))
@pytest.mark.parametrize("version", [2016, 2021, "2021"])
def test_every_recoded_polish_region_maps_to_its_2013_code(new, old, version):
    code, note = map_region(new, version=version)
    assert code == old
    assert note == f"{new} (NUTS {version}) is {old} in the NUTS 2013 data used here."
    # and back: a 2013 code on NUTS 2021 data
    assert map_region(old, version=2013, data=NUTS_2021_DATA) == (
        new, f"{old} (NUTS 2013) is {new} in the NUTS 2021 data used here."
    )  # fmt: skip


def test_unchanged_and_same_version_codes_are_kept_without_a_sentence():
    assert map_region("PL22", version=2021) == ("PL22", "")
    assert map_region("PL22") == ("PL22", "")
    assert map_region("PL12", version=2013) == ("PL12", "")
    assert map_region("PL84", version=2021, data=NUTS_2021_DATA) == ("PL84", "")
    # the declared version is the data's: not checked here (check_region's job)
    assert map_region("DE41", version=2013) == ("DE41", "")
    assert mapping_sentence("PL22", "2013", "PL22", "2013") == ""


@pytest.mark.parametrize("code", ["PL91", "PL92"])
def test_the_split_of_mazowieckie_is_refused_with_why_and_what_to_do(code):
    with pytest.raises(UnknownCodeError) as err:
        map_region(code, version=2021, source="params/X.yaml, key 'region'")
    text = str(err.value)
    assert text.startswith(f"params/X.yaml, key 'region': {code} (")
    assert "is part of PL12 (Mazowieckie) in the NUTS 2013 data used here" in text
    assert f"clusterlib does not estimate {code} from PL12" in text
    assert "same share" in text and "Analyse PL12 (region: PL12, nuts: 2013)" in text
    assert "give data in NUTS 2021 codes" in text and "clusterlib fetch" in text


def test_pl12_on_nuts_2021_data_is_refused_and_an_area_proposed():
    with pytest.raises(UnknownCodeError) as err:
        map_region("PL12", version=2013, data=NUTS_2021_DATA)
    text = str(err.value)
    assert "PL12 (Mazowieckie, NUTS 2013) is PL91 (Warszawski stołeczny) + PL92" in text
    assert "regions: [PL91, PL92], nuts: 2021" in text
    assert "clusterlib fetch" not in text  # NUTS 2013 data are not downloaded by fetch
    assert text.endswith("or give data in NUTS 2013 codes (data_path, or clusterlib run --data).")


@pytest.mark.parametrize(
    ("code", "version", "message"),
    [
        ("PL34", 2021, "region: PL34 is a NUTS 2013 code (Podlaskie); in NUTS 2021 it is PL84 "
                       "(Podlaskie)."),
        ("PL12", 2016, "region: PL12 is a NUTS 2013 code (Mazowieckie); in NUTS 2016 it is PL91 "
                       "(Warszawski stołeczny) + PL92 (Mazowiecki regionalny)."),
        ("PL84", 2013, None),  # the data's version: returned as it is, check_region refuses it
        ("XX99", 2021, "region: 'XX99' is not a code of NUTS 2013/2016/2021/2024"),
    ],
)  # fmt: skip
def test_a_code_of_another_version_names_its_version_and_counterpart(code, version, message):
    if message is None:
        assert map_region(code, version=version) == (code, "")
        return
    with pytest.raises(UnknownCodeError) as err:
        map_region(code, version=version)
    assert message in str(err.value)


def test_unknown_versions_are_refused():
    with pytest.raises(OptionError, match=r"NUTS version '2010' is not known"):
        map_region("PL84", version="2010")
    with pytest.raises(OptionError, match=r"NUTS version 2003 is not known"):
        map_region("PL84", version=2021, data=[2003])


def test_data_versions_of_a_country():
    assert data_versions(["PL", "PL1", "PL11", "PL12", "PL34", "PLZZ", "DE41"], country="PL") == [
        "2013"
    ]
    assert data_versions(["PL71", "PL84", "PL91", "PL22"], country="PL") == NUTS_2021_DATA
    # no code of the country, only codes of no version, or mixed versions: the bundled file's
    assert data_versions(["DE11"], country="PL") == ["2013"]
    assert data_versions(["DE41"], country="DE") == ["2013"]  # DE41: NUTS 2010 only
    assert data_versions(["DE41", "DE40"], country="DE") == ["2013", "2016", "2021", "2024"]
    assert data_versions(["PL12", "PL91"], country="PL") == ["2013"]
    assert data_versions(["PL22", "PL21"], country="PL") == ["2013", "2016", "2021", "2024"]


def test_map_regions_of_an_area():
    assert map_regions(["PL84", "PL62", "PL81"], version=2021) == (
        ("PL34", "PL62", "PL31"),
        "PL84, PL62, PL81 (NUTS 2021) are PL34, PL62, PL31 in the NUTS 2013 data used here.",
    )
    assert map_regions(["PL22", "PL62"], version=2021) == (("PL22", "PL62"), "")
    with pytest.raises(UnknownCodeError, match=r"regions: PL92 .* part of PL12"):
        map_regions(["PL84", "PL92"], version=2021)


def test_split_error_without_a_counterpart():
    text = str(split_error("PL84", "2021", "", "2013", source="x"))
    assert text.startswith("x: PL84 (Podlaskie, NUTS 2021) has no counterpart in the NUTS 2013")


def test_the_split_message_in_full():
    with pytest.raises(UnknownCodeError) as err:
        map_region("PL91", version=2021)
    assert str(err.value) == (
        "region: PL91 (Warszawski stołeczny, NUTS 2021) is part of PL12 (Mazowieckie) in the NUTS "
        "2013 data used here, which hold PL12 only as a whole. clusterlib does not estimate PL91 "
        "from PL12: a split by population or area divides every industry of PL12 by the same "
        "share, so the estimate would have PL12's industry structure, location quotients and "
        "stars, and say nothing of PL91 itself. Analyse PL12 (region: PL12, nuts: 2013), or give "
        "data in NUTS 2021 codes (data_path, or clusterlib run --data, e.g. a download of "
        "sbs_r_nuts2021 by 'clusterlib fetch')."
    )
    # no code, no name: the default source and an empty name left out
    assert str(split_error("XX99", "2021", "", "2013")) == (
        "region: XX99 (NUTS 2021) has no counterpart in the NUTS 2013 data used here. Give data "
        "in NUTS 2021 codes (data_path, or clusterlib run --data)."
    )


def test_names_of_several_words_keep_the_code_alone():
    """Irish and French regions, whose names have spaces (Eurostat's NUTS 2016 change list)."""
    assert map_region("FRB0", version=2021) == (
        "FR24", "FRB0 (NUTS 2021) is FR24 in the NUTS 2013 data used here."
    )  # fmt: skip
    with pytest.raises(UnknownCodeError) as err:
        map_region("IE05", version=2021)
    assert "is part of IE02 (Southern and Eastern) in the NUTS 2013" in str(err.value)
    assert "Analyse IE02 (region: IE02, nuts: 2013)" in str(err.value)
    with pytest.raises(UnknownCodeError) as err:
        map_region("IE01", version=2013, data=NUTS_2021_DATA)
    assert "(regions: [IE04, IE06], nuts: 2021)" in str(err.value)


def test_sources_sentences_and_extra_regio_codes():
    with pytest.raises(UnknownCodeError, match=r"^params/X\.yaml: PL34 is a NUTS 2013 code"):
        map_region("PL34", version=2021, source="params/X.yaml")
    # the sentence names any change of code or version
    assert mapping_sentence("PL22", "2021", "PL22", "2013") == (
        "PL22 (NUTS 2021) is PL22 in the NUTS 2013 data used here."
    )
    assert mapping_sentence("PL84", "2021", "PL34", "2021") == (
        "PL84 (NUTS 2021) is PL34 in the NUTS 2021 data used here."
    )
    # PLZZ (extra-regio) is in NUTS 2013-2021 only: it does not narrow the data's versions
    assert data_versions(["PL22", "PLZZ"], country="PL") == ["2013", "2016", "2021", "2024"]


def test_map_regions_on_nuts_2021_data():
    assert map_regions(["PL34", "PL22"], version=2013, data=NUTS_2021_DATA) == (
        ("PL84", "PL22"),
        "PL34, PL22 (NUTS 2013) are PL84, PL22 in the NUTS 2021 data used here.",
    )
    assert map_regions(["PL34"], version=2013, data=["2024"])[1].endswith(
        "NUTS 2024 data used here."
    )
