"""``make bench-generations``: the reader of both Eurostat file generations alone (issue 26).

Runs only the ``generations`` item of :mod:`benchmarks.items` (in its own process, as ``make
bench`` does) and writes its section of RESULTS.md in place; ``make bench`` writes the same
section with every other one.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

from benchmarks.run import HERE, fmt_ratio, item, ok


def generations_lines(gen: dict, *, note: str = "") -> list[str]:
    """The section of issue 26: the current-format reader per cell against the 2017 one."""

    def per_cell(key: str) -> str:
        return f"{gen['by_read_csv'][key]['seconds'] / gen['cells'] * 1e9:.0f}"

    lines = [
        "## Issue 26: one reader for both generations of the bulk TSV",
        "",
        f"The bundled 2017 file ({gen['cells']:,} cells) and the same cells written in the current "
        "format (`freq` first, `\\TIME_PERIOD`, years ascending; the two tables are checked "
        "equal first), read in interleaved rounds in one process (`benchmarks.items.generations`):",
        "",
        "| what | median (s) | median ns per cell, each side | median ratio of the rounds (range) | target | |",
        "|---|---|---|---|---|---|",
        f"| the current format against the 2017 format, per cell (same cells) | "
        f"{gen['current_vs_2017']['seconds']:.3f} | {per_cell('read_current')} vs "
        f"{per_cell('read_2017')} | {fmt_ratio(gen['current_vs_2017'])} | "
        f"no slower: <= 1.05x (the rounds' noise) | {ok(gen['current_vs_2017']['ratio'] <= 1.05)} |",
    ]
    if "now_vs_before" in gen:
        lines.append(
            f"| this reader on the 2017 file against the reader before issue 26 (5a87c23) | "
            f"{gen['now_vs_before']['seconds']:.3f} | {per_cell('read_2017')} vs "
            f"{per_cell('before')} | {fmt_ratio(gen['now_vs_before'])} | "
            f"kept: <= 1.05x | {ok(gen['now_vs_before']['ratio'] <= 1.05)} |"
        )
    lines.append(
        f"| `read_eurostat_tsv` of the 2017 file against `pandas.read_csv` of it | "
        f"{gen['by_read_csv']['read_2017']['seconds']:.3f} | {per_cell('read_2017')} vs "
        f"{per_cell('read_csv')} | {fmt_ratio(gen['by_read_csv']['read_2017'])} | | |"
    )
    return lines + (["", note] if note else [])


def refresh_generations(path: Path = HERE / "RESULTS.md") -> list[str]:
    """Measure only the generations item and put its section into RESULTS.md in place.

    ``python -m benchmarks.generations`` (``make bench-generations``): the other sections
    keep the numbers of the last full ``make bench``.
    """
    gen = item("generations")
    if "error" in gen:
        raise SystemExit(f"benchmark item generations failed: {gen['error']}")
    note = (
        f"This section alone was measured on {time.strftime('%Y-%m-%d', time.gmtime())} by "
        f"`make bench-generations` ({platform.machine()}, {os.cpu_count()} cores shared with other "
        f"jobs: load average {os.getloadavg()[0]:.1f} at the end; the ratio compares rounds "
        "interleaved in one process, so a shared machine slows both sides alike, but single "
        "timings are noisier than in a full quiet run). The other sections are from the last "
        "full `make bench`."
    )
    lines = generations_lines(gen, note=note)
    text = path.read_text(encoding="utf-8")
    heading = "## Issue 26: one reader for both generations of the bulk TSV"
    if heading in text:
        head, rest = text.split(heading, 1)
        tail = rest[rest.index("\n## ") + 1 :] if "\n## " in rest else ""
    else:
        head, tail = text.split("## Reading and the full LQ table", 1)
        tail = "## Reading and the full LQ table" + tail
    path.write_text(head + "\n".join(lines) + "\n\n" + tail, encoding="utf-8")
    return lines


if __name__ == "__main__":
    print("\n".join(refresh_generations()))
