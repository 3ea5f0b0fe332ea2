"""fetch helpers case by case (issue 26, mutation testing): the address and the geo filter."""

from __future__ import annotations

import re

import pytest

from clusterlib.errors import DownloadError
from clusterlib.io.fetch import _keep_geo, dataset_url


def test_dataset_url_strips_only_slashes():
    # a base ending in X keeps it; only the trailing slashes go
    assert dataset_url("abc", base="https://example.org/APIX//") == (
        "https://example.org/APIX/sdmx/2.1/data/abc?format=TSV&compressed=true"
    )


def test_keep_geo_keeps_the_first_data_row_and_the_header():
    text = "freq,unit,geo\\TIME_PERIOD\t2020 \nA,NR,PL21\t5 \nA,NR,DE11\t6 \nA,NR,PL22\t7 p\n"
    assert _keep_geo(text, "PL") == (
        "freq,unit,geo\\TIME_PERIOD\t2020 \nA,NR,PL21\t5 \nA,NR,PL22\t7 p\n"
    )
    assert _keep_geo(text, "PL22") == "freq,unit,geo\\TIME_PERIOD\t2020 \nA,NR,PL22\t7 p\n"
    with pytest.raises(
        DownloadError, match=r"^the dataset holds no rows for geo 'FR'; nothing was written\.$"
    ):
        _keep_geo(text, "FR")


def test_keep_geo_names_the_first_60_characters_of_a_header_without_geo():
    header = "freq,unit,nace_r2,indic_sbs,sizeclas,country\\TIME_PERIOD\t2020 \t2021 "
    assert len(header) > 61
    with pytest.raises(
        DownloadError,
        match="^" + re.escape(f"the downloaded file has no geo dimension ({header[:60]!r}).") + "$",
    ):
        _keep_geo(header + "\nA,NR,C,X,T,PL\t1 \t2 \n", "PL")
