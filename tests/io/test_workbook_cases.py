"""clusterlib.io.workbook case by case: every refusal in full, and the sheet read as it is (issue 23).

Workbooks are written with ``clusterlib.io.files.xlsx_bytes``; damaged ones are made by hand (an
OLE2 header, plain text, a zip whose sheet XML is cut off).
"""

import io
import re
import zipfile

import pandas as pd
import pytest

from clusterlib.errors import DataFormatError
from clusterlib.io.files import xlsx_bytes
from clusterlib.io.workbook import read_workbook, sheet_hint

TABLE_A = pd.DataFrame({"x": [1, 2], "t": ["a", None], "f": [1.5, -3.25]})


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "two.xlsx"
    path.write_bytes(xlsx_bytes({"A": TABLE_A, "B": pd.DataFrame({"y": ["zz"]})}, index=False))
    return path


def test_first_sheet_by_default_cells_as_read(book):
    got = read_workbook(book)
    assert list(got.columns) == ["x", "t", "f"]
    assert [str(d) for d in got.dtypes] == ["object"] * 3  # cells as read: none converted
    assert got["x"].tolist() == [1, 2] and got["f"].tolist() == [1.5, -3.25]
    assert got["t"].iloc[0] == "a" and pd.isna(got["t"].iloc[1])
    assert got.attrs == {"sheets": ["A", "B"], "sheet": "A"}


@pytest.mark.parametrize("sheet", [1, "B"])
def test_a_sheet_by_position_or_name(book, sheet):
    got = read_workbook(book, sheet=sheet)
    assert got["y"].tolist() == ["zz"] and got.attrs == {"sheets": ["A", "B"], "sheet": "B"}


def test_sheet_zero_is_the_first(book):
    assert read_workbook(book, sheet=0).attrs["sheet"] == "A"


@pytest.mark.parametrize("sheet", [2, -1, 10])
def test_a_sheet_number_outside_the_workbook(book, sheet):
    expected = (
        f"{book}: cannot read sheet {sheet} of the register: the workbook has 2 sheet(s) "
        "['A', 'B'] (0 is the first). Pass sheet= with one of those names."
    )
    with pytest.raises(DataFormatError, match=f"^{re.escape(expected)}$"):
        read_workbook(book, sheet=sheet, what="register")


def test_a_sheet_name_not_in_the_workbook(book):
    expected = (
        f"{book}: cannot read sheet 'a' of the table: no such sheet; the workbook's sheets are "
        "['A', 'B']. Pass sheet= with one of those names."
    )
    with pytest.raises(DataFormatError, match=f"^{re.escape(expected)}$"):
        read_workbook(book, sheet="a")


@pytest.mark.parametrize(("sheet", "shown"), [(True, "True"), (1.0, "1.0"), (None, "None")])
def test_a_sheet_that_is_neither_name_nor_number(book, sheet, shown):
    expected = f"sheet: expected a sheet name or a 0-based number, got {shown}."
    with pytest.raises(DataFormatError, match=f"^{re.escape(expected)}$"):
        read_workbook(book, sheet=sheet)


def _refusal(path, what="questionnaire") -> str:
    with pytest.raises(DataFormatError) as info:
        read_workbook(path, what=what)
    return str(info.value)


def test_encrypted_or_old_xls(tmp_path):
    path = tmp_path / "enc.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    msg = _refusal(path)
    start = (
        f"{path}: cannot read the questionnaire as XLSX: it is password-protected (encrypted) or "
        "an old-format .xls saved under an .xlsx name. Remove the password (or open it and save "
        "it as .xlsx) and try again. ("
    )
    assert msg.startswith(start) and msg.endswith(")")
    # the reader's own error is named after the explanation, by its class
    assert re.fullmatch(r"\w+: .+", msg[len(start) : -1])


@pytest.mark.parametrize("data", [b"", b"just text", b"\xd0\xcf\x11"])
def test_not_a_workbook_at_all(tmp_path, data):
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    msg = _refusal(path, what="evidence register")
    start = (
        f"{path}: cannot read the evidence register as XLSX: it is not an XLSX workbook at all "
        "(an XLSX file is a zip archive). Check the file. ("
    )
    assert msg.startswith(start) and msg.endswith(")")


def _damaged_text(path):
    return (
        f"{path}: cannot read the table as XLSX: the workbook is damaged or incomplete (a "
        "truncated download or copy?). Open it in Excel or LibreOffice and save it again, or "
        "export the sheet as CSV. ("
    )


def test_a_truncated_workbook(tmp_path, book):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(book.read_bytes()[:300])
    msg = _refusal(path, what="table")
    assert msg.startswith(_damaged_text(path)) and msg.endswith(")")


def test_a_damaged_sheet_inside_a_readable_workbook(tmp_path, book):
    """The sheet list reads; the first sheet's XML is cut off: refused when that sheet is read."""
    src = zipfile.ZipFile(io.BytesIO(book.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[:40] if name == "xl/worksheets/sheet1.xml" else data)
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(buf.getvalue())
    msg = _refusal(path, what="table")
    assert msg.startswith(_damaged_text(path)) and msg.endswith(")")
    assert read_workbook(path, sheet="B")["y"].tolist() == ["zz"]  # the other sheet is fine


def test_sheet_hint_cases():
    assert sheet_hint({"sheets": ["Info", "Data"], "sheet": "Info"}) == (
        "; the workbook has sheets ['Info', 'Data'] and sheet 'Info' was read: if the answers "
        "are on another sheet, pass sheet= (or read: {sheet: ...} in the mapping)"
    )
    three = sheet_hint({"sheets": ("a", "b", "c"), "sheet": "b"})
    assert three.startswith("; the workbook has sheets ['a', 'b', 'c'] and sheet 'b' was read")
    assert sheet_hint({"sheets": ["Only"], "sheet": "Only"}) == ""
    assert sheet_hint({"sheets": None}) == "" and sheet_hint({}) == ""  # a CSV: no sheets


def test_the_readers_own_error_is_named_by_its_class(tmp_path, book, monkeypatch):
    """A sheet the reader fails on: its exception's class and text close the message."""

    def fail(*args, **kwargs):
        raise ValueError("bad cell B7")

    monkeypatch.setattr("clusterlib.io.workbook.pd.read_excel", fail)
    assert _refusal(book, what="table") == _damaged_text(book) + "ValueError: bad cell B7)"


def test_an_unopenable_workbook_names_the_readers_error(tmp_path, book, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr("clusterlib.io.workbook.pd.ExcelFile", fail)
    assert _refusal(book, what="table") == _damaged_text(book) + "OSError: disk gone)"


def test_a_missing_workbook_is_named(tmp_path):
    from clusterlib.errors import MissingFileError
    from clusterlib.io.workbook import read_workbook

    with pytest.raises(MissingFileError, match=r"nothing\.xlsx: no such file; expected the "
                       r"questionnaire as an \.xlsx workbook"):  # fmt: skip
        read_workbook(tmp_path / "nothing.xlsx", what="questionnaire")
    with pytest.raises(MissingFileError, match=r": a folder; expected the table"):
        read_workbook(tmp_path)
