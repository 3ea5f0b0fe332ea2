"""Europe-wide benchmarking from the cached data (``make bench-europe``; issue target < 2 s).

Times, as medians of 3 in one process after one warm-up: the star tables of every cluster x
NUTS2 region for every year, the cluster series of a region, and the structure distances of
every European region to every other. Writes ``benchmarks/EUROPE.md``.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

import clusterlib as cl
from benchmarks.timing import timed
from clusterlib.specialisation.europe import star_table
from clusterlib.specialisation.peers import division_shares, structure_distances
from clusterlib.specialisation.series import cluster_series


def main() -> None:
    from clusterlib.reference.clusters import load_clusters
    from clusterlib.specialisation.table import specialisation_table

    data = cl.load_eurostat()
    years = sorted(data["year"].unique().tolist())
    clusters = load_clusters()
    codes = sorted({c for cs in clusters.values() for c in cs})
    box = {}

    def table():
        box["t"] = specialisation_table(
            data, years=years, industries=codes, clusters=clusters, reference="eu"
        )

    shared = timed(table)
    stars = timed(lambda: star_table(data, year=years, table=box["t"]))
    series = timed(
        lambda: cluster_series(data, region="PL22", cluster="metal processing", table=box["t"])
    )
    wide = division_shares(data, year=2014)

    def all_pairs():
        return [structure_distances(wide, region=r) for r in wide.index]

    peers = timed(all_pairs)
    total = shared + stars + series + peers
    text = "\n".join(
        [
            "# Europe-wide benchmarking from the cached data",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores. Written by "
            "`python -m benchmarks.europe`; medians in one process.",
            "",
            "| what | seconds |",
            "|---|---|",
            f"| the Europe-reference employment table of every cluster, all {len(years)} years (shared) | {shared:.2f} |",
            f"| star tables from it, every cluster x NUTS2 region x year | {stars:.2f} |",
            f"| cluster series of PL22 from it (region, country, Europe; every year) | {series:.2f} |",
            f"| structure distances, every one of {len(wide)} regions to every other | {peers:.2f} |",
            f"| **all together** (target < 2 s) | **{total:.2f}** |",
            "",
        ]
    )
    Path(__file__).with_name("EUROPE.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
