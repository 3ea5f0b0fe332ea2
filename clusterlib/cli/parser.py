"""The ``clusterlib`` command line: its subcommands and their options."""

from __future__ import annotations

import argparse

#: The command's description (``clusterlib --help``).
DESCRIPTION = "The clusterlib command: batch runs, summaries, surveys, evidence and data."


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``clusterlib`` command and its subcommands."""
    parser = argparse.ArgumentParser(prog="clusterlib", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_summary, _survey, _evidence, _params, _run, _fetch):
        add(sub)
    return parser


def _summary(sub) -> None:
    """``clusterlib summary``: a region's or an area's chapters in Markdown."""
    p = sub.add_parser(
        "summary",
        help="print the Markdown summary of a region's chapters",
        description="clusterlib summary [REGION] [--chapters all]: build the chapters the "
        "notebooks show, with the region's parameters (params/defaults.yaml and its own file), "
        "and print and write their Markdown summaries (key findings).",
    )
    p.add_argument("region_code", nargs="?", default=None, metavar="REGION",
                   help="NUTS2 code or cluster area (default PL-NE, the north-east Poland area)")  # fmt: skip
    p.add_argument("--region", default=None, help="the same as REGION")
    p.add_argument("--chapters", default=None,
                   help="notebooks whose chapters to summarise, comma-separated, or 'all' "
                   "(default 01_specialisation)")  # fmt: skip
    p.add_argument("--cluster", default=None, help="cluster in params/clusters.yaml")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--start-year", type=int, default=None,
                   help="shift-share start (2008 lacks section F for PL)")  # fmt: skip
    p.add_argument("--policy", default=None, choices=["fill", "complete-sections", "missing"])
    p.add_argument("--out", default=None, help="output folder (default reports/)")


def _survey(sub) -> None:
    """``clusterlib survey``: the synthetic survey, the example questionnaire, checks."""
    s = sub.add_parser(
        "survey",
        help="write the synthetic survey (default), 'example' questionnaire, or 'check' a file",
        description="clusterlib survey [write]: the synthetic survey and its truth; clusterlib "
        "survey example: the synthetic example questionnaire (CSV, XLSX, mapping, margins); "
        "clusterlib survey check FILE --mapping M: list every problem of a questionnaire.",
    )
    s.add_argument("action", nargs="?", default="write", choices=["write", "example", "check"])
    s.add_argument(
        "file", nargs="?", default=None, help="questionnaire to check (CSV, XLSX, SAV, DTA)"
    )
    s.add_argument("--mapping", default=None, help="mapping YAML of the questionnaire (check)")
    s.add_argument("--encoding", default=None, help="CSV encoding (default: detected)")
    s.add_argument("--region", default="PL22", help="region of the example questionnaire")
    s.add_argument(
        "--n", type=int, default=None, help="number of firms (default 3000; 60 for 'example')"
    )
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--separation", type=float, default=1.0, help="segment separation")
    s.add_argument(
        "--out",
        default=None,
        help="output folder (default data/survey/, or data/survey/example/ for 'example')",
    )


def _evidence(sub) -> None:
    """``clusterlib evidence``: check a register or scoring file; the example."""
    ev = sub.add_parser(
        "evidence",
        help="'check' an evidence register or 'check-scores' an expert scoring file; 'example'",
        description="clusterlib evidence check FILE: list every problem of an evidence register "
        "(data/evidence/FORMAT.md); clusterlib evidence check-scores FILE: the same for an expert "
        "scoring file; clusterlib evidence example: write the SYNTHETIC example register and "
        "scores of the north-east Poland cluster.",
    )
    ev.add_argument("action", choices=["check", "check-scores", "example"])
    ev.add_argument("file", nargs="?", default=None, help="register or scoring file (CSV, XLSX)")
    ev.add_argument("--encoding", default=None, help="CSV encoding (default: detected)")
    ev.add_argument("--seed", type=int, default=0, help="seed of the example")
    ev.add_argument("--out", default=None, help="output folder (default data/evidence/example/)")


def _params(sub) -> None:
    """``clusterlib params``: a region's merged parameters."""
    pp = sub.add_parser("params", help="print a region's merged parameters (defaults + its file)")
    pp.add_argument("region", help="NUTS2 code with a file in params/, e.g. PL21")
    pp.add_argument("--params", default=None, help="parameter folder (default params/)")


def _run(sub) -> None:
    """``clusterlib run``: the papermill batch."""
    r = sub.add_parser("run", help="run the notebooks for many regions (papermill batch)")
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--regions",
        help="comma-separated NUTS2 codes with a file in params/, or cluster areas of "
        "params/areas.yaml, e.g. PL-NE,PL22",
    )
    which.add_argument("--all", action="store_true",
                       help="the cluster areas of params/areas.yaml and every region in params/")  # fmt: skip
    which.add_argument(
        "--nuts2",
        choices=["all"],
        help="the specialisation notebook for every NUTS2 region in the data",
    )
    which.add_argument(
        "--country", help="the specialisation notebook for every NUTS2 region of a country"
    )
    r.add_argument(
        "--notebooks",
        default=None,
        help="comma-separated notebook names (default: all six; with --nuts2 or --country: "
        "01_specialisation)",
    )
    r.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: number of cores)"
    )
    r.add_argument("--out", default=None, help="output folder (default reports/)")
    r.add_argument("--resume", action="store_true", help="skip runs complete with the same inputs")
    r.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    r.add_argument("--dask", default=None, metavar="ADDRESS", help="run on this Dask scheduler")
    r.add_argument("--params", default=None, help="parameter folder (default params/)")
    r.add_argument("--data", default=None, metavar="FILE",
                   help="Eurostat SBS regional file (default the bundled 2008-2015 extract)")  # fmt: skip
    r.add_argument("--no-progress", action="store_true", help="no progress bar")


def _fetch(sub) -> None:
    """``clusterlib fetch``: a current Eurostat dataset into the data cache."""
    f = sub.add_parser(
        "fetch",
        help="download a current Eurostat dataset into the data cache (needs the internet)",
        description="clusterlib fetch DATASET [--geo PL]: download Eurostat's bulk TSV of a "
        "dataset (e.g. nama_10r_2gdp, sbs_r_nuts2021) into data/cache/eurostat/, with its "
        "download date and SHA-256 beside it.",
    )
    f.add_argument("dataset", help="Eurostat dataset code, e.g. nama_10r_2gdp")
    f.add_argument("--geo", default=None, help="keep the rows of this NUTS code and below, e.g. PL")
    f.add_argument("--out", default=None, help="folder (default data/cache/eurostat/)")
