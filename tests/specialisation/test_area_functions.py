"""The public functions that take region= take a cluster area's id too (issue 25 §1)."""

import pandas as pd
import pytest

from clusterlib.errors import OptionError
from clusterlib.io.cache import cached_table, load_eurostat
from clusterlib.specialisation.areas import collapse_wide
from clusterlib.specialisation.peers import division_shares, peer_regions, structure_distances
from clusterlib.specialisation.series import cluster_series

NE = ("PL34", "PL62", "PL31")


@pytest.fixture(scope="module")
def data():
    return load_eurostat()


def test_peer_regions_of_an_area_compare_its_summed_structure_with_other_regions(data):
    peers = peer_regions(data, region="PL-NE", year=2014, n=5)
    assert not set(NE) & set(peers["region"])  # a member is never its own area's peer
    # by hand: the area's row is its members' sum in place of theirs, then the same distance
    wide = cached_table(division_shares, year=2014, policy="fill")
    d = structure_distances(collapse_wide(wide, "PL-NE", NE), region="PL-NE").drop("PL-NE")
    expected = d.dropna().sort_values(kind="stable").head(5)
    pd.testing.assert_series_equal(
        peers.set_index("region")["distance"], expected.rename("distance"), check_names=False
    )


def test_peer_regions_of_an_area_refuse_a_size_ratio(data):
    with pytest.raises(OptionError, match=r"size_ratio: not defined for the cluster area 'PL-NE'"):
        peer_regions(data, region="PL-NE", year=2014, size_ratio=2.0)


def test_cluster_series_finds_an_areas_members(data):
    given = cluster_series(data, region="PL-NE", cluster="metal and machinery", members=NE)
    found = cluster_series(data, region="PL-NE", cluster="metal and machinery")
    pd.testing.assert_frame_equal(found, given)
    pl34 = cluster_series(data, region="PL34", cluster="metal and machinery")
    assert "PL-NE" in found.index.get_level_values("area") and "PL34" not in set(
        found.index.get_level_values("area")
    )
    assert "PL34" in set(pl34.index.get_level_values("area"))
