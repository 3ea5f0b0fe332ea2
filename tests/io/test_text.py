"""Errors of the text readers name what was expected, with its article."""

from __future__ import annotations

import pytest

from clusterlib.errors import MissingFileError
from clusterlib.io.text import read_bytes, read_parquet


@pytest.mark.parametrize(
    ("what", "expected"),
    [("input-output table", "an input-output table"), ("table", "a table"),
     ("evidence register", "an evidence register"), ("Eurostat CSV file", "a Eurostat CSV file"),
     ("user table", "a user table"), ("unit table", "a unit table")],
)  # fmt: skip
@pytest.mark.parametrize("reader", [read_bytes, read_parquet])
def test_a_missing_file_names_what_was_expected(tmp_path, reader, what, expected):
    with pytest.raises(MissingFileError, match=f"expected {expected}\\)"):
        reader(tmp_path / "absent.csv", what=what)
    with pytest.raises(
        MissingFileError, match=f"is a folder, not a file \\(expected {expected}\\)"
    ):
        reader(tmp_path, what=what)


def test_an_empty_noun_gets_a():
    from clusterlib.io.text import _a

    assert _a("") == "a "
