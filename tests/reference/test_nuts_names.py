"""Region names: the bundled maps first, Eurostat's change lists for the regions not on them."""

from __future__ import annotations

from clusterlib.reference.nuts import nuts_table


def test_outermost_regions_are_named_from_the_change_lists():
    # not on the 1:60M GISCO maps; named in Eurostat's NUTS 2013-2016 change list
    t = nuts_table(["FRA1", "FRA2", "FRA3", "FRA4", "ES70"])
    assert t["name"].tolist() == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Canarias"]


def test_map_names_keep_precedence_and_unknown_codes_stay_unnamed():
    t = nuts_table(["BE34", "PL22", "PL", "XX99"])
    assert t.loc["BE34", "name"] == "Prov. Luxembourg (BE)"  # the map's own spelling
    assert t.loc["PL22", "name"] != ""
    assert t.loc["XX99", "name"] == ""


def test_every_nuts2_region_of_the_bundled_data_has_a_name():
    from clusterlib.cli.commands import _data_regions

    t = nuts_table(_data_regions(None))
    assert (t["name"] != "").all(), t.index[t["name"] == ""].tolist()
