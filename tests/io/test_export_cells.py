"""clusterlib.io.export cell by cell: which text is prefixed, and what stays exactly as it was.

Written against the mutation run of issue 23 (``make mutation ONLY="clusterlib.io.export*"``): every
expectation is worked out by hand from the OWASP rule (a cell starting with ``= + - @``, tab, CR
or LF is a formula unless it is a plain number) and the CSV format (RFC 4180 quoting).
"""

import io

import openpyxl
import pandas as pd
import pytest

from clusterlib.io.export import csv_rows, csv_text, neutralise_formulas, safe_cell, xlsx_export


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a\r\nb", "a\nb"),  # CRLF is one line break, not two
        ("a\rb", "a\nb"),  # a bare CR becomes a LF
        ("\r\n=1", "'\n=1"),  # CRLF first, then the LF start is a formula start
        ("1e5", "1e5"),  # no formula start: untouched even though it is a number
        ("-1.", "-1."),  # "1." is a number (digits, point, no decimals)
        ("-.5e-3", "-.5e-3"),
        ("+1E+2", "+1E+2"),
        ("-1-1", "'-1-1"),  # a number followed by more: an expression
        ("- 1", "'- 1"),
        ("-e3", "'-e3"),
        ("-", "'-"),
        ("-1e", "'-1e"),
        ("=1", "'=1"),  # "=1" is not a plain number: the sign set is + and - only
    ],
)
def test_safe_cell_by_hand(value, expected):
    assert safe_cell(value) == expected


def test_safe_cell_leaves_non_text_alone():
    nan = float("nan")
    assert safe_cell(nan) is nan and safe_cell(b"=1") == b"=1" and safe_cell(True) is True


def test_text_and_categorical_columns_neutralised_numbers_untouched():
    df = pd.DataFrame(
        {
            "obj": pd.Series(["=a", "b"], dtype=object),
            "cat": pd.Categorical(["@x", "y"]),
            "str": pd.Series(["+s", "-2"], dtype="string"),
            "num": [-1.5, 2.0],
        }
    )
    out = neutralise_formulas(df)
    assert out["obj"].tolist() == ["'=a", "b"]
    assert out["cat"].tolist() == ["'@x", "y"]
    assert out["str"].tolist() == ["'+s", "-2"]
    assert out["num"].dtype == "float64" and out["num"].tolist() == [-1.5, 2.0]
    assert df["obj"].tolist() == ["=a", "b"]  # the input is not changed


def test_a_series_becomes_a_one_column_frame():
    s = pd.Series(["=1", "ok"], name="=name", index=pd.Index(["-r", "s"], name="@i"))
    out = neutralise_formulas(s)
    assert list(out.columns) == ["'=name"] and out.iloc[:, 0].tolist() == ["'=1", "ok"]
    assert list(out.index) == ["'-r", "s"] and out.index.name == "'@i"


def test_index_and_header_kinds():
    # a numeric index keeps its numbers; only its name is text
    num = neutralise_formulas(pd.DataFrame({"x": [1]}, index=pd.Index([-3], name="=n")))
    assert num.index.tolist() == [-3] and num.index.dtype == "int64" and num.index.name == "'=n"
    # a categorical and a string-dtype index are text
    cat = pd.DataFrame({"x": [1, 2]}, index=pd.CategoricalIndex(["=c", "d"], name="k"))
    assert neutralise_formulas(cat).index.tolist() == ["'=c", "d"]
    st = pd.DataFrame({"x": [1]}, index=pd.Index(["@s"], dtype="string"))
    assert neutralise_formulas(st).index.tolist() == ["'@s"]
    # headers: the columns are an index like any other
    cols = neutralise_formulas(pd.DataFrame({"=h": [1], "-1": [2], "ok": [3]}))
    assert list(cols.columns) == ["'=h", "-1", "ok"]


def test_multiindex_rows_columns_and_names():
    idx = pd.MultiIndex.from_tuples([("=a", 1), ("b", -2)], names=["@lvl", "n"])
    out = neutralise_formulas(pd.DataFrame({"x": [1, 2]}, index=idx))
    assert list(out.index) == [("'=a", 1), ("b", -2)]
    assert list(out.index.names) == ["'@lvl", "n"]
    cols = pd.MultiIndex.from_tuples([("=top", "+sub")], names=["-c", None])
    out = neutralise_formulas(pd.DataFrame([[1]], columns=cols))
    assert list(out.columns) == [("'=top", "'+sub")] and list(out.columns.names) == ["'-c", None]
    # an empty MultiIndex keeps its (neutralised) names
    empty = pd.MultiIndex.from_tuples([], names=["=e", "f"])
    out = neutralise_formulas(pd.DataFrame({"x": []}, index=empty))
    assert len(out) == 0 and list(out.index.names) == ["'=e", "f"]


def test_csv_text_exact():
    df = pd.DataFrame({"name": ["=1+1", "a\r\nb"], "x": [-1, 2]})
    # LF line ends; the text with a line break is quoted; options reach to_csv
    assert csv_text(df, index=False) == 'name,x\n\'=1+1,-1\n"a\nb",2\n'
    assert csv_text(df.set_index("name")) == 'name,x\n\'=1+1,-1\n"a\nb",2\n'


def test_csv_rows_exact():
    rows = [["cluster", "lq"], ["=cmd", -0.5], ["x\ry", None]]
    # csv.writer writes None as an empty field; the CR became a LF, which forces quotes
    assert csv_rows(rows) == 'cluster,lq\n\'=cmd,-0.5\n"x\ny",\n'
    assert csv_rows([]) == ""


def _sheet(data: bytes, name: str) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[c.value for c in row] for row in book[name].iter_rows()]


def test_xlsx_export_sheets_index_and_no_formulas():
    tables = {
        "one": pd.DataFrame({"t": ["=1", "b"], "v": [-1.5, 2.0]}, index=pd.Index(["@r", "s"])),
        "two": pd.DataFrame({"u": ["+x"]}),
    }
    data = xlsx_export(tables)
    assert _sheet(data, "one") == [[None, "t", "v"], ["'@r", "'=1", -1.5], ["s", "b", 2.0]]
    assert _sheet(data, "two") == [[None, "u"], [0, "'+x"]]
    assert _sheet(xlsx_export(tables, index=False), "one") == [["t", "v"], ["'=1", -1.5],
                                                                 ["b", 2.0]]  # fmt: skip
    assert xlsx_export(tables) == data  # same bytes each run
    assert tables["one"]["t"].tolist() == ["=1", "b"]  # the tables are not changed


def test_xlsx_bytes_writes_text_as_text_with_fixed_dates(monkeypatch):
    """Text that looks like a formula, a URL or a number stays a string cell (no hyperlink, no
    formula), and the bytes do not depend on the clock: the document and zip dates are fixed."""
    import datetime as dt
    import zipfile

    import xlsxwriter.core

    from clusterlib.io.files import xlsx_bytes

    tables = {"a" * 40: pd.DataFrame({"t": ["=1+1", "http://x.pl", "12", "b"]})}
    data = xlsx_bytes(tables, index=False)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["a" * 31]  # Excel's limit
    cells = [c for row in book["a" * 31].iter_rows(min_row=2) for c in row]
    assert [(c.value, c.data_type, c.hyperlink) for c in cells] == [
        ("=1+1", "s", None), ("http://x.pl", "s", None), ("12", "s", None), ("b", "s", None)
    ]  # fmt: skip
    assert book.properties.created == dt.datetime(2017, 7, 31)
    stamps = {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert len(stamps) == 1 and next(iter(stamps))[0] == 1980  # one fixed date, not the clock

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=tz)

    monkeypatch.setattr(xlsxwriter.core, "datetime", Later)  # the writer's own clock
    assert xlsx_bytes(tables, index=False) == data


def test_xlsx_bytes_refuses_two_tables_with_one_sheet_name():
    from clusterlib.errors import DataFormatError
    from clusterlib.io.files import xlsx_bytes

    one = pd.DataFrame({"x": [1]})
    for a, b in (("a" * 31 + "_first", "a" * 31 + "_second"), ("Peers", "peers")):
        with pytest.raises(DataFormatError, match=rf"tables '{a}' and '{b}': the same sheet name"):
            xlsx_bytes({a: one, b: one})
