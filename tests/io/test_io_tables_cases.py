"""Cases of the reader of users' input-output tables (clusterlib/io/io_tables.py), message by message.

Each expected value is worked by hand from the small table written in the test; the messages are
compared whole, so that the line, row, column and advice they name are all checked.
"""

from __future__ import annotations

import pandas as pd
import pytest

from clusterlib.errors import (
    DataFormatError,
    DataValueError,
    EmptyDataError,
    EncodingError,
    MissingFileError,
)
from clusterlib.io.io_tables import load_manual_example, load_wiod_poland, read_io_table


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def refuses(error, path, message, **kwargs):
    """``read_io_table(path)`` raises ``error`` with exactly ``message`` (the path prefixed)."""
    with pytest.raises(error) as info:
        read_io_table(path, **kwargs)
    assert str(info.value) == f"{path}{message}"


# rows CPA_C before CPA_A, columns CPA_A before CPA_C; P52 (inventories) may be negative
GOOD = (
    "label,CPA_A,CPA_C,P3,P52\n"
    "CPA_C,5,6,7,-4\n"  # line 2
    "CPA_A,1,2,3,4\n"  # line 3
    "D1,2,3,,\n"  # line 4
    "B1G,4,12,,\n"  # line 5
    "P1,12,30,,\n"  # line 6
)


def test_good_table_parts_in_the_order_of_the_flow_columns(tmp_path):
    path = write(tmp_path / "io.csv", GOOD)
    t = read_io_table(path)
    # flow rows reordered to the columns: CPA_A's row is (1, 2), CPA_C's (5, 6)
    assert t.flows.index.tolist() == t.flows.columns.tolist() == ["CPA_A", "CPA_C"]
    assert t.flows.to_numpy().tolist() == [[1.0, 2.0], [5.0, 6.0]]
    assert t.output.name == "output" and t.output.to_dict() == {"CPA_A": 12.0, "CPA_C": 30.0}
    assert t.value_added.name == "value_added"
    assert t.value_added.to_dict() == {"CPA_A": 4.0, "CPA_C": 12.0}
    # final demand in the same row order; the negative inventory change is kept
    assert t.final_demand.columns.tolist() == ["P3", "P52"]
    assert t.final_demand.to_numpy().tolist() == [[3.0, 4.0], [7.0, -4.0]]
    # every non-product row, in file order, by the product columns
    assert t.primary.index.tolist() == ["D1", "B1G", "P1"]
    assert t.primary.columns.tolist() == ["CPA_A", "CPA_C"]
    assert t.primary.loc["D1"].tolist() == [2.0, 3.0]
    assert t.source == str(path)


def test_labels_and_column_names_are_stripped(tmp_path):
    text = "label, CPA_A ,CPA_C ,P3\n CPA_A ,1,2,3\nCPA_C  ,5,6,7\n B1G,4,12,\nP1 ,12,30,\n"
    t = read_io_table(write(tmp_path / "io.csv", text))
    assert t.flows.index.tolist() == t.flows.columns.tolist() == ["CPA_A", "CPA_C"]
    assert t.output.tolist() == [12.0, 30.0] and t.value_added.tolist() == [4.0, 12.0]


def test_sep_decimal_thousands_and_encoding_reach_the_parser(tmp_path):
    # "1.000,5" with decimal "," and thousands "." is 1000.5; the label "Löhne" is Latin-1
    text = "label;CPA_A;CPA_C;P3\nCPA_A;1.000,5;2;3\nCPA_C;5;6,25;7\nLöhne;1;1;\nB1G;4;12;\nP1;2.000;30;\n"
    path = write(tmp_path / "io.csv", text, encoding="latin-1")
    t = read_io_table(path, sep=";", decimal=",", thousands=".", encoding="latin-1")
    assert t.flows.to_numpy().tolist() == [[1000.5, 2.0], [5.0, 6.25]]
    assert t.output.tolist() == [2000.0, 30.0]
    assert t.primary.index.tolist() == ["Löhne", "B1G", "P1"]
    with pytest.raises(EncodingError):
        read_io_table(path, sep=";", decimal=",", thousands=".")


def test_explicit_product_list_ignores_other_prefixed_labels(tmp_path):
    # products given as a list: "A" and "C" only; "CPA_X" is then a column of final demand
    text = "label,A,C,CPA_X\nA,1,2,3\nC,5,6,7\nB1G,4,12,\nP1,12,30,\n"
    t = read_io_table(write(tmp_path / "io.csv", text), products=("A", "C"))
    assert t.flows.columns.tolist() == ["A", "C"]
    assert t.final_demand.columns.tolist() == ["CPA_X"]


def test_no_product_columns_names_the_first_eight(tmp_path):
    cols = [f"K{i}" for i in range(1, 11)]  # ten columns, none starting with CPA_
    path = write(tmp_path / "io.csv", "label," + ",".join(cols) + "\nK1" + ",1" * 10 + "\n")
    first8 = "['K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'K7', 'K8']"
    refuses(DataFormatError, path,
            f", line 1: no product columns (labels starting with 'CPA_'); the columns are {first8}. "
            "Pass products= with the prefix or the list of product labels.")  # fmt: skip
    refuses(DataFormatError, path,
            f", line 1: no product columns (the labels given in products=); the columns are "
            f"{first8}. Pass products= with the prefix or the list of product labels.",
            products=["A"])  # fmt: skip


def test_rows_and_columns_that_do_not_match_both_named_five_at_most(tmp_path):
    # columns CPA_A, CPA_X1..X6; rows CPA_A, CPA_R1..R6: six each way, five shown; CPA_R1 on line 3
    xs = [f"CPA_X{i}" for i in range(1, 7)]
    rows = ["CPA_A"] + [f"CPA_R{i}" for i in range(1, 7)] + ["B1G", "P1"]
    text = "label,CPA_A," + ",".join(xs) + "\n" + "".join(f"{r}" + ",1" * 7 + "\n" for r in rows)
    path = write(tmp_path / "io.csv", text)
    refuses(DataFormatError, path,
            ": the product labels of the rows and the columns do not match: row(s) ['CPA_R1', "
            "'CPA_R2', 'CPA_R3', 'CPA_R4', 'CPA_R5'] (first on line 3) have no column; column(s) "
            "['CPA_X1', 'CPA_X2', 'CPA_X3', 'CPA_X4', 'CPA_X5'] on line 1 have no row. The flow "
            "block must be square, the same products both ways.")  # fmt: skip


def test_missing_value_added_row_lists_ten_other_rows(tmp_path):
    # non-product rows D1..D11 and P1 (in that order): the first ten are D1..D10
    rows = ["CPA_A"] + [f"D{i}" for i in range(1, 12)] + ["P1"]
    path = write(tmp_path / "io.csv", "label,CPA_A\n" + "".join(f"{r},1\n" for r in rows))
    shown = [f"D{i}" for i in range(1, 11)]
    refuses(DataFormatError, path,
            f", column 'label': no row 'B1G' (value_added); the non-product rows are {shown}. "
            "Pass value_added= with its label.")  # fmt: skip
    # with value_added= naming D5 the table reads
    assert read_io_table(path, value_added="D5").value_added.tolist() == [1.0]


def test_empty_final_demand_cell(tmp_path):
    path = write(tmp_path / "io.csv", GOOD.replace("CPA_A,1,2,3,4", "CPA_A,1,2,3,"))
    refuses(DataValueError, path,
            ", line 3 (row 'CPA_A'), column 'P52': empty cell; flows and final demand need a "
            "number (write 0 for none).")  # fmt: skip


def test_negative_output_and_its_number(tmp_path):
    path = write(tmp_path / "io.csv", GOOD.replace("P1,12,30", "P1,12,-2.5"))
    refuses(DataValueError, path,
            ", line 6 (row 'P1'), column 'CPA_C': expected an output > 0, found -2.5. A product "
            "with no output has no coefficients: remove its row and column.")  # fmt: skip


def test_negative_flow_names_row_and_column_in_file_order(tmp_path):
    # CPA_C's row (line 2) buying from CPA_A's column: -1.5
    path = write(tmp_path / "io.csv", GOOD.replace("CPA_C,5,6", "CPA_C,-1.5,6"))
    refuses(DataValueError, path,
            ", line 2 (row 'CPA_C'), column 'CPA_A': expected a flow >= 0, found -1.5.")  # fmt: skip


def test_empty_value_added(tmp_path):
    path = write(tmp_path / "io.csv", GOOD.replace("B1G,4,12", "B1G,4,"))
    refuses(DataValueError, path,
            ", line 5 (row 'B1G'), column 'CPA_C': empty value added; expected a number.")  # fmt: skip


def test_missing_csv_says_what_was_expected(tmp_path):
    # the reader says what it expected; "a"/"an" is text.py's wording
    with pytest.raises(
        MissingFileError,
        match=r"nope.csv: no such file \(expected an? input-output table\)\. Check",
    ):
        read_io_table(tmp_path / "nope.csv")


def _xlsx(path, frame, sheets=("io",)):
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        for s in sheets:
            frame.to_excel(w, sheet_name=s, index=False)
    return path


TABLE = pd.DataFrame(
    {
        "label": [" CPA_A ", "CPA_C", "B1G", "P1"],
        "CPA_A": [1, 5, 4, 12],
        "CPA_C": [2, 6, 12, 30],
        " P3": [3, 7, None, None],
    }
)


def test_xlsx_upper_case_suffix_sheet_name_and_xlsm(tmp_path):
    notes = pd.DataFrame({"x": ["not the table"]})
    path = tmp_path / "IO.XLSX"
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        notes.to_excel(w, sheet_name="notes", index=False)
        TABLE.to_excel(w, sheet_name="io", index=False)
    t = read_io_table(path, sheet="io")
    assert t.flows.to_numpy().tolist() == [[1.0, 2.0], [5.0, 6.0]]
    assert t.final_demand.columns.tolist() == ["P3"] and t.final_demand["P3"].tolist() == [3.0, 7.0]
    assert t.output.tolist() == [12.0, 30.0]
    assert read_io_table(path, sheet=1).output.tolist() == [12.0, 30.0]
    # the default is the first sheet, here the notes: no product columns
    with pytest.raises(DataFormatError, match=r"no product columns"):
        read_io_table(path)
    xlsm = tmp_path / "io.xlsm"
    xlsm.write_bytes(_xlsx(tmp_path / "tmp.xlsx", TABLE).read_bytes())
    assert read_io_table(xlsm).value_added.tolist() == [4.0, 12.0]


def test_xlsx_empty_cell_is_reported_as_empty(tmp_path):
    # a blank final-demand cell reads as NaN and must become "", not the text "nan"
    frame = TABLE.copy()
    frame.loc[1, " P3"] = None
    path = _xlsx(tmp_path / "io.xlsx", frame)
    refuses(DataValueError, path,
            ", line 3 (row 'CPA_C'), column 'P3': empty cell; flows and final demand need a "
            "number (write 0 for none).")  # fmt: skip


def test_xlsx_missing_sheet_empty_sheet_and_missing_file(tmp_path):
    path = _xlsx(tmp_path / "io.xlsx", TABLE)
    with pytest.raises(DataFormatError) as info:
        read_io_table(path, sheet="nope")
    assert str(info.value).startswith(f"{path}: cannot read sheet 'nope' (")
    empty = _xlsx(tmp_path / "empty.xlsx", TABLE.iloc[:0])
    refuses(EmptyDataError, empty, ", sheet 0: no data rows below the header.")
    refuses(MissingFileError, tmp_path / "nope.xlsx",
            ": no such file (expected an input-output table).")  # fmt: skip
    refuses(DataFormatError, write(tmp_path / "bad.xlsx", "not a zip"),
            ": not a readable XLSX workbook (BadZipFile). Save it again as .xlsx or export CSV.")  # fmt: skip


def test_bundled_tables_labels_and_sources():
    w = load_wiod_poland()
    assert w.flows.index.tolist() == [f"c{i}" for i in range(1, 36)]
    assert w.final_demand.columns.tolist() == [
        "CONS_h",
        "CONS_np",
        "CONS_g",
        "GFCF",
        "INVEN",
        "EXP",
    ]
    assert w.primary.index.tolist() == ["imported_intermediates", "domestic_intermediates"]
    assert w.output.name == "output" and w.value_added.name == "value_added"
    assert w.source.startswith("WIOD 2013 release, Poland 2011")
    m = load_manual_example()
    assert m.flows.index.name is None and m.final_demand.index.name is None
    assert m.final_demand.columns.tolist() == [
        "consumption_expenditure_household", "consumption_expenditure_government",
        "gross_capital_formation", "inventory_change", "export_goods_services",
    ]  # fmt: skip
    assert m.primary.index.tolist() == [
        "P7", "D21_M_D31", "D1", "D29_M_D39", "K1", "B2N_B3N", "EMP-WS", "EMP-FTE", "EMP",
    ]  # fmt: skip
    assert m.primary.index.name is None
    assert m.output.name == "output" and m.value_added.name == "value_added"
    assert m.source.startswith("Eurostat Manual of Supply, Use and Input-Output Tables (2008)")


def test_zero_and_fractional_flows_and_outputs_below_one_are_read(tmp_path):
    # a table in billions: flows of 0 and 0.25 are valid (>= 0), outputs 0.75 and 1 are > 0
    text = "label,CPA_A,CPA_C,P3\nCPA_A,0,0.25,0.25\nCPA_C,0.5,0,1\nB1G,0.25,0.75,\nP1,0.75,1,\n"
    t = read_io_table(write(tmp_path / "io.csv", text))
    assert t.flows.to_numpy().tolist() == [[0.0, 0.25], [0.5, 0.0]]
    assert t.output.tolist() == [0.75, 1.0]


def test_tiny_negative_output_is_written_in_g_format(tmp_path):
    # format(-1e-05, "g") is "-1e-05" (lower-case e)
    path = write(tmp_path / "io.csv", GOOD.replace("P1,12,30", "P1,-0.00001,30"))
    refuses(DataValueError, path,
            ", line 6 (row 'P1'), column 'CPA_A': expected an output > 0, found -1e-05. A product "
            "with no output has no coefficients: remove its row and column.")  # fmt: skip


def test_sep_given_is_used_not_sniffed(tmp_path):
    # the header splits into 4 fields on "|" but 5 on ";": sniffing would choose ";"
    text = "label|CPA_A|CPA_C|P3;P51G;P52;P53;P6\nCPA_A|1|2|3\nCPA_C|5|6|7\nB1G|4|12|\nP1|12|30|\n"
    t = read_io_table(write(tmp_path / "io.csv", text), sep="|")
    assert t.final_demand.columns.tolist() == ["P3;P51G;P52;P53;P6"]
    assert t.final_demand.iloc[:, 0].tolist() == [3.0, 7.0]


def test_xlsx_blank_row_label_reads_as_in_csv(tmp_path):
    # a memo row with no label: CSV reads its label as "", and so must XLSX (not the text "nan")
    text = "label,CPA_A,CPA_C,P3\nCPA_A,1,2,3\nCPA_C,5,6,7\n,9,9,\nB1G,4,12,\nP1,12,30,\n"
    csv = read_io_table(write(tmp_path / "io.csv", text))
    frame = pd.DataFrame(
        {
            "label": ["CPA_A", "CPA_C", None, "B1G", "P1"],
            "CPA_A": [1, 5, 9, 4, 12],
            "CPA_C": [2, 6, 9, 12, 30],
            "P3": [3, 7, None, None, None],
        }
    )
    xlsx = read_io_table(_xlsx(tmp_path / "io.xlsx", frame))
    assert csv.primary.index.tolist() == xlsx.primary.index.tolist() == ["", "B1G", "P1"]
    pd.testing.assert_frame_equal(csv.primary, xlsx.primary)
