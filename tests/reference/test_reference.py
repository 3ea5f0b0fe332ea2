import json

import pytest

from clusterlib import DataFormatError, UnknownCodeError, cluster_codes, load_clusters, nace_table
from clusterlib.config import raw_dir
from clusterlib.reference import pl_voivodeships


def test_nace_labels_cover_every_code_in_the_file(eurostat):
    nace = nace_table()
    assert set(eurostat.industry.unique()) <= set(nace.index)
    assert nace.loc["C24", "label"] == "Manufacture of basic metals"
    assert nace.loc["C24", "parent"] == "C" and nace.loc["G451", "parent"] == "G45"


def test_voivodeship_join_to_geojson():
    with open(raw_dir() / "pl_voivodeships.geojson", encoding="utf-8") as f:
        names = {feat["properties"]["nazwa"] for feat in json.load(f)["features"]}
    pl = pl_voivodeships()
    assert len(pl) == 16 and set(pl["nazwa"]) == names
    assert pl.loc["PL22", "nazwa"] == "śląskie"


def test_default_clusters():
    assert cluster_codes("metal processing") == ("C24", "C25")
    assert cluster_codes("metal processing (extended)") == ("C24", "C25", "C28", "C33")
    with pytest.raises(UnknownCodeError, match="unknown cluster 'metal'"):
        cluster_codes("metal")


@pytest.mark.parametrize(
    ("body", "pattern"),
    [
        (
            "x:\n  industries: [C24, C99]\n",
            r"cluster 'x', field 'industries': unknown NACE code\(s\) \['C99'\]",
        ),
        ("x:\n  industries: [C, C24]\n", r"would be counted twice"),
        ("x:\n  industries: C24\n", r"expected a non-empty list"),
    ],
)
def test_cluster_file_errors(tmp_path, body, pattern):
    p = tmp_path / "clusters.yaml"
    p.write_text(body)
    with pytest.raises(DataFormatError, match=pattern):
        load_clusters(p)


def test_known_nuts2_list_is_current(eurostat):
    # the package's list of NUTS2 codes must be the union of the data's and the boundaries'
    from importlib import resources

    from clusterlib.reference.nuts import known_nuts2_codes, nuts2_regions

    text = resources.files("clusterlib.reference").joinpath("nuts2_2013.txt").read_text("utf-8")
    listed = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert listed == known_nuts2_codes(eurostat)
    assert {"ES70", "DE41", "PL22"} <= nuts2_regions() and "PL99" not in nuts2_regions()
