"""The batch against a serial loop of the papermill CLI, alone (``make bench-batch``).

``python -m benchmarks.batch_ratio [REGION ...]`` runs ``clusterlib run --jobs 2`` and a serial
shell loop of ``papermill`` over the same jobs, in this one process, and writes
``benchmarks/BATCH.md`` with the two wall times and their ratio (the full ``make bench`` runs the
same comparison on all 16 regions). Both routes start from a warm data cache.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

from benchmarks.run import batch, overhead


def main(argv: list[str]) -> None:
    regions = argv or ["PL22", "PL21", "PL12", "PL51"]
    t0 = time.perf_counter()
    b = batch(regions)
    o = overhead()
    ratio = b["runner"] / b["serial_loop"]
    text = "\n".join(
        [
            "# Batch against a serial papermill loop",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}. Written by `python -m benchmarks.batch_ratio` in "
            f"{time.perf_counter() - t0:.0f} s; both timings from this run.",
            "",
            f"- {b['runs']} runs ({len(regions)} regions x 3 notebooks: {', '.join(regions)}): "
            f"`clusterlib run --jobs 2` **{b['runner']:.0f} s** vs a serial shell loop of the "
            f"`papermill` CLI **{b['serial_loop']:.0f} s**: ratio **{ratio:.2f}** (target <= 0.4).",
            f"- One notebook run: kernel start + imports {o['kernel_and_imports']:.1f} s; full runs "
            + ", ".join(f"{k} {v:.1f} s" for k, v in o["full"].items())
            + ".",
            "",
        ]
    )
    Path(__file__).with_name("BATCH.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
