"""Benchmarks: medians of repeated runs and ratios against baselines measured in the same process.

Run with ``make bench``; writes ``benchmarks/RESULTS.md``. Speed is measured here, never asserted
in tests.
"""

from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

import pandas as pd

import clusterlib as cl
from clusterlib import config

REPEATS = 5


def median_time(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    path = config.eurostat_path()
    baseline_read = median_time(lambda: pd.read_csv(path, sep="\t", dtype=str))
    read = median_time(lambda: cl.read_eurostat_tsv(path))
    data = cl.read_eurostat_tsv(path)
    table_country = median_time(lambda: cl.specialisation_table(data), repeats=3)
    table_eu = median_time(lambda: cl.specialisation_table(data, reference="eu"), repeats=3)
    survey = cl.synthetic_survey(100_000, seed=0, separation=2.0)
    features = cl.build_features(survey)[0]
    t0 = time.perf_counter()
    table = cl.choose_k(features, k_range=range(2, 9), method="minibatch", sample_size=5000)
    segmentation = time.perf_counter() - t0
    rows = [
        ("pandas.read_csv of the raw file (baseline, strings only)", baseline_read, 1.0),
        ("read_eurostat_tsv (parsed, validated, tidy)", read, read / baseline_read),
        (
            "specialisation_table, all regions x divisions x years, country reference",
            table_country,
            table_country / baseline_read,
        ),
        (
            "specialisation_table, all regions x divisions x years, EU reference",
            table_eu,
            table_eu / baseline_read,
        ),
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, pandas {pd.__version__}, clusterlib {cl.__version__}. "
        f"Medians of {REPEATS} (tables: 3) runs; ratio = time / baseline time in the same process.",
        "",
        "| what | median (s) | ratio to read_csv |",
        "|---|---|---|",
    ]
    lines += [f"| {w} | {t:.3f} | {r:.2f} |" for w, t, r in rows]
    lines += [
        "",
        "## Segmentation",
        "",
        f"choose_k on 100,000 synthetic firms, k = 2..8 (MiniBatchKMeans, silhouette on a 5,000 "
        f"sample, GMM BIC and gap on a 20,000 subsample): **{segmentation:.1f} s** (one run; "
        f"target under 60 s). Recommended k = {table.attrs['recommended_k']}, votes "
        f"{table.attrs['votes']}.",
    ]
    out = Path(__file__).with_name("RESULTS.md")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nWritten to {out}")


if __name__ == "__main__":
    main()
