r"""Reader for Eurostat bulk TSV files (``*.tsv`` or ``*.tsv.gz``).

The bulk format packs the dimensions into the first column, ``nace_r2,indic_sb,geo\\time``, and has one
column per year whose header may carry a trailing space. A cell holds a number, ``:`` (not available),
or either of them followed by a space and one or more flag letters, e.g. ``1234 p`` or ``: c``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from clusterlib.errors import DataFormatError, DataValueError, EmptyDataError, where
from clusterlib.io.text import decode, read_bytes

_BOM = b"\xef\xbb\xbf"

TIDY_COLUMNS = ["region", "industry", "indicator", "year", "value", "flag"]

#: Eurostat dimension names mapped to the tidy column names.
DIMENSIONS = {"geo": "region", "nace_r2": "industry", "indic_sb": "indicator"}

#: Indicators that are head counts and can never be negative. Growth rates (V91290) can, and the
#: bundled file holds a negative wage sum (V13320, NO06 B06 2014), so wages are not checked.
NON_NEGATIVE_INDICATORS = frozenset({"V11210", "V16110"})

_CELL_RE = r"^(?P<num>[^ ]*)(?: +(?P<flag>[a-z]+))?$"
_CELL_FORM = (
    "a number or ':', optionally followed by a space and flag letters (e.g. '1234 p', ': c')"
)


def read_eurostat_tsv(path: str | Path) -> pd.DataFrame:
    r"""Read a Eurostat bulk TSV (gzip or plain) into a tidy long table.

    Parameters
    ----------
    path : str or Path
        The file, e.g. ``data/raw/sbs_r_nuts06_r2.tsv.gz``. Gzip is recognised by the ``.gz`` suffix.

    Returns
    -------
    pandas.DataFrame
        One row per (region, industry, indicator, year) with columns ``region``, ``industry``,
        ``indicator`` (categorical), ``year`` (int64), ``value`` (float64, NaN where Eurostat has
        ``:``) and ``flag`` (categorical: the flag letters, e.g. ``"c"`` for confidential, else
        ``""``). Rows keep the file's order; years ascend within a file row.

    Raises
    ------
    DataFormatError
        The header is not ``<dims>\time`` followed by years, a row has the wrong number of fields,
        or a packed key has not one code per dimension.
    DataValueError
        A cell is not of the form above, a head count is negative, or a (region, industry,
        indicator) key appears twice.

    Notes
    -----
    Parsing is vectorised with Arrow compute kernels: plain numbers are cast in one pass and only
    cells holding ``:`` or a flag go through a regular expression. Error messages give 1-based file
    lines (the header is line 1). The bundled 11 MB file reads in about 0.6 s.

    References
    ----------
    Eurostat (2017). *Bulk download: TSV format of the dissemination database.*

    Examples
    --------
    >>> from clusterlib import config
    >>> df = read_eurostat_tsv(config.eurostat_path())
    >>> list(df.columns)
    ['region', 'industry', 'indicator', 'year', 'value', 'flag']
    """
    path = Path(path)
    raw = read_bytes(path, what="Eurostat bulk .tsv or .tsv.gz file")
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    header = _read_header(path, raw)
    if len(header) < 2:
        raise DataFormatError(
            f"{where(path, 1)}: expected a tab-separated header such as "
            f"'nace_r2,indic_sb,geo\\time<TAB>2015 <TAB>2014 ...', found {header[0]!r}. "
            "Is this a Eurostat bulk TSV?"
        )
    key_header, *year_headers = header
    dims = _parse_key_header(path, key_header)
    years = _parse_years(path, year_headers)

    invalid: list[int] = []

    def _on_invalid(row: pcsv.InvalidRow) -> str:
        invalid.append(row.actual_columns)
        return "error" if len(invalid) > 1 else "skip"

    try:
        table = pcsv.read_csv(
            pa.BufferReader(raw),
            parse_options=pcsv.ParseOptions(
                delimiter="\t", quote_char=False, invalid_row_handler=_on_invalid
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={h: pa.string() for h in header}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        table = None
    if invalid or table is None:
        _check_utf8(path, raw)  # Arrow refuses invalid UTF-8 too: name the line first
        _raise_malformed_row(path, raw, len(header))

    n_rows, n_years = table.num_rows, len(year_headers)
    if n_rows == 0:
        raise EmptyDataError(
            f"{path}: the file holds a header but no data rows. Download the file again."
        )
    keys = pc.split_pattern(table.column(0), ",")
    n_parts = pc.list_value_length(keys).to_numpy()
    if (n_parts != len(dims)).any():
        bad = int(np.flatnonzero(n_parts != len(dims))[0])
        raise DataFormatError(
            f"{where(path, bad + 2, key_header)}: expected {len(dims)} comma-separated codes "
            f"({','.join(dims)}), found {table.column(0)[bad].as_py()!r}. Repair that line."
        )

    # Cells in file order (row-major), years ascending within a row.
    order = np.argsort(years, kind="stable")
    cells = pa.concat_arrays([table.column(int(j) + 1).combine_chunks() for j in order])
    cells = pc.utf8_trim_whitespace(cells.take(_row_major(n_rows, n_years)))
    values, flags = _parse_cells(path, cells, n_years, [year_headers[j] for j in order])

    out = pd.DataFrame(
        {
            DIMENSIONS[dim]: _repeat_categorical(pc.list_element(keys, k), n_years)
            for k, dim in enumerate(dims)
        }
    )[["region", "industry", "indicator"]]
    out["year"] = np.tile(np.asarray(years, dtype=np.int64)[order], n_rows)
    out["value"] = values
    out["flag"] = flags
    _check_duplicates(path, out, n_years)
    _check_non_negative(path, out, n_years)
    out.attrs["source"] = str(path)
    return out


def _check_utf8(path: Path, raw: bytes) -> None:
    """Raise an EncodingError naming the line of the first byte that is not UTF-8, if any."""
    decode(
        raw,
        encoding="utf-8",
        source=path,
        advice="Eurostat bulk files are UTF-8: this one was re-saved or damaged; download it again.",
    )


def _read_header(path: Path, raw: bytes) -> list[str]:
    if not raw.strip():
        raise EmptyDataError(f"{path}: the file is empty. Download it again.")
    end = raw.find(b"\n")
    first = raw if end < 0 else raw[:end]
    _check_utf8(path, first)  # the rest of the file is checked by Arrow as it parses
    return first.decode("utf-8").rstrip("\r").split("\t")


def _raise_malformed_row(path: Path, raw: bytes, expected: int) -> None:
    """Find the first row with the wrong field count (error path only) and report it."""
    text = raw.decode("utf-8", errors="replace")
    for line_no, line in enumerate(text.splitlines(), start=1):
        found = line.count("\t") + 1
        if found != expected:
            raise DataFormatError(
                f"{where(path, line_no)}: malformed row: expected {expected} tab-separated "
                f"fields (the packed key and one per year of the header), found {found}: "
                f"{line.strip()[:80]!r}. Repair or remove that line."
            )
    raise DataFormatError(f"{path}: malformed rows; expected {expected} tab-separated fields.")


def _parse_key_header(path: Path, header: str) -> list[str]:
    if "\\" not in header:
        raise DataFormatError(
            f"{where(path, 1, header)}: expected the packed key header "
            "'nace_r2,indic_sb,geo\\time'. Is this a Eurostat bulk TSV?"
        )
    dims = header.split("\\", 1)[0].split(",")
    if sorted(dims) != sorted(DIMENSIONS):
        raise DataFormatError(
            f"{where(path, 1, header)}: expected the dimensions {sorted(DIMENSIONS)}, found {dims}. "
            "clusterlib reads regional SBS files such as sbs_r_nuts06_r2."
        )
    return dims


def _parse_years(path: Path, headers: list[str]) -> list[int]:
    years = []
    for h in headers:
        text = h.strip()
        if not text.isdigit():
            raise DataFormatError(
                f"{where(path, 1, h)}: expected a year such as '2014 ' as a column header. "
                "Repair the header line."
            )
        years.append(int(text))
    if len(set(years)) != len(years):
        raise DataFormatError(f"{where(path, 1)}: a year appears twice in the header {headers}.")
    return years


def _row_major(n_rows: int, n_years: int) -> pa.Array:
    """Return indices that turn year-major concatenated columns into row-major order."""
    return pa.array((np.arange(n_rows)[:, None] + np.arange(n_years)[None, :] * n_rows).ravel())


def _parse_cells(
    path: Path, cells: pa.Array, n_years: int, headers: list[str]
) -> tuple[np.ndarray, pd.Categorical]:
    """Split every cell into a float value and a flag, vectorised over all cells."""
    values = np.full(len(cells), np.nan)
    # a plain number has neither a flag (after a space) nor ':'; two substring scans are about
    # twice as fast as one regular expression
    plain = pc.invert(pc.or_(pc.match_substring(cells, " "), pc.match_substring(cells, ":")))
    plain_np = plain.to_numpy(zero_copy_only=False)
    try:
        values[plain_np] = pc.cast(cells.filter(plain), pa.float64()).to_numpy()
        bad_plain = None
    except pa.ArrowInvalid:
        bad_plain = _first_unparseable(cells.filter(plain))
    if bad_plain is not None:
        _raise_bad_cell(path, np.flatnonzero(plain_np)[bad_plain], cells, n_years, headers)

    rest_idx = np.flatnonzero(~plain_np)
    parts = pc.extract_regex(cells.filter(pc.invert(plain)), _CELL_RE)
    num, flag = parts.field("num"), parts.field("flag")
    if parts.null_count:
        _raise_bad_cell(
            path,
            rest_idx[np.flatnonzero(parts.is_null().to_numpy(False))[0]],
            cells,
            n_years,
            headers,
        )
    is_na = pc.equal(num, ":").to_numpy(zero_copy_only=False)
    try:
        values[rest_idx[~is_na]] = pc.cast(num.filter(pc.invert(pc.equal(num, ":"))), pa.float64())
    except pa.ArrowInvalid:
        bad = _first_unparseable(num.filter(pc.invert(pc.equal(num, ":"))))
        _raise_bad_cell(path, rest_idx[~is_na][bad], cells, n_years, headers)
    known = np.ones(len(cells), bool)
    known[rest_idx[is_na]] = False
    bad = known & ~np.isfinite(values)
    if bad.any():  # 'nan', 'inf', '1e400': Arrow casts them, Eurostat never writes them
        _raise_bad_cell(path, int(np.flatnonzero(bad)[0]), cells, n_years, headers)
    return values, _flag_categorical(len(cells), rest_idx, flag)


def _flag_categorical(n: int, rest_idx: np.ndarray, flag: pa.Array) -> pd.Categorical:
    """Return the flags as a categorical with sorted categories (``""`` for plain cells).

    Built from Arrow's dictionary codes, so no Python string is made per cell.
    """
    enc = pc.dictionary_encode(flag)
    letters = [str(x) for x in enc.dictionary.to_pylist()]
    categories = sorted({"", *letters})
    codes = np.zeros(n, dtype=np.int8)
    where_ = np.asarray([categories.index(x) for x in letters], dtype=np.int8)
    codes[rest_idx] = where_[enc.indices.to_numpy(zero_copy_only=False)]
    used = np.bincount(codes, minlength=len(categories)) > 0
    remap = np.cumsum(used) - 1
    return pd.Categorical.from_codes(
        remap[codes].astype(np.int8),
        categories=[c for c, u in zip(categories, used, strict=True) if u],
    )


def _first_unparseable(strings: pa.Array) -> int:
    ok = pc.match_substring_regex(strings, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
    return int(np.flatnonzero(~ok.to_numpy(zero_copy_only=False))[0])


def _raise_bad_cell(path: Path, i: int, cells: pa.Array, n_years: int, headers: list[str]) -> None:
    row, col = divmod(int(i), n_years)
    raise DataValueError(
        f"{where(path, row + 2, headers[col].strip())}: expected {_CELL_FORM}, found "
        f"{cells[int(i)].as_py()!r}. Repair that cell."
    )


def _repeat_categorical(strings: pa.ChunkedArray | pa.Array, n: int) -> pd.Categorical:
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    enc = pc.dictionary_encode(strings)
    return pd.Categorical.from_codes(
        np.repeat(enc.indices.to_numpy(), n), categories=pd.Index(enc.dictionary.to_pylist())
    )


def _check_duplicates(path: Path, tidy: pd.DataFrame, n_years: int) -> None:
    keys = tidy.iloc[::n_years][["region", "industry", "indicator"]]
    dup = keys.duplicated(keep="first").to_numpy()
    if dup.any():
        second = int(np.flatnonzero(dup)[0])
        key = tuple(keys.iloc[second])
        same = (keys == pd.Series(key, index=keys.columns)).all(axis=1).to_numpy()
        first = int(np.flatnonzero(same)[0])
        raise DataValueError(
            f"{where(path, second + 2)}: duplicate key (region, industry, indicator) = {key}, "
            f"first seen on line {first + 2}. Each key may appear once; remove one of the lines."
        )


def _check_non_negative(path: Path, tidy: pd.DataFrame, n_years: int) -> None:
    neg = (tidy["value"].to_numpy() < 0) & tidy["indicator"].isin(
        NON_NEGATIVE_INDICATORS
    ).to_numpy()
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        row = tidy.iloc[i]
        raise DataValueError(
            f"{where(path, i // n_years + 2, str(row['year']))}: {row['indicator']} is a head count "
            f"and cannot be negative, found {row['value']:g} for ({row['region']}, "
            f"{row['industry']}). Check the sign in the source."
        )


def file_years(path: str | Path) -> list[int]:
    """Return the years of a Eurostat bulk file's header, ascending, reading only its first line."""
    import gzip

    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as fh:
            header = fh.readline().rstrip("\r\n").split("\t")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"{where(path, 1)}: cannot read the header ({exc}).") from None
    return sorted(int(h) for h in (x.strip() for x in header[1:]) if h.isdigit())
