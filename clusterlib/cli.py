"""The ``clusterlib`` command."""

from __future__ import annotations

import argparse
import sys
import time

from clusterlib import config


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``clusterlib`` command; returns the exit code."""
    parser = argparse.ArgumentParser(prog="clusterlib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("summary", help="write the specialisation summary of one region")
    p.add_argument("--region", default="PL22", help="NUTS2 code (default PL22, Śląskie)")
    p.add_argument("--cluster", default="metal processing", help="cluster in params/clusters.yaml")
    p.add_argument("--year", type=int, default=2014)
    p.add_argument(
        "--start-year",
        type=int,
        default=2009,
        help="shift-share start (2008 lacks section F for PL)",
    )
    p.add_argument("--policy", default="fill", choices=["fill", "complete-sections", "missing"])
    p.add_argument("--out", default=None, help="output folder (default reports/)")
    s = sub.add_parser("survey", help="write the synthetic survey and its truth to data/survey/")
    s.add_argument("--n", type=int, default=3000, help="number of firms (default 3000)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--separation", type=float, default=1.0, help="segment separation")
    s.add_argument("--out", default=None, help="output folder (default data/survey/)")
    args = parser.parse_args(argv)
    if args.command == "summary":
        return _summary(args)
    if args.command == "survey":
        return _survey(args)
    return 2  # pragma: no cover


def _summary(args: argparse.Namespace) -> int:
    from pathlib import Path

    from clusterlib.errors import ClusterlibError
    from clusterlib.io import read_eurostat_tsv
    from clusterlib.summary import specialisation_summary, write_atomic

    t0 = time.perf_counter()
    try:
        data = read_eurostat_tsv(config.eurostat_path())
        summary = specialisation_summary(
            data,
            region=args.region,
            cluster=args.cluster,
            year=args.year,
            start_year=args.start_year,
            policy=args.policy,
        )
    except (ClusterlibError, FileNotFoundError) as exc:
        print(f"clusterlib: error: {exc}", file=sys.stderr)
        return 1
    text = summary.to_markdown()
    out = Path(args.out) if args.out else config.reports_dir()
    path = write_atomic(out / f"{args.region}_specialisation_{args.year}.md", text)
    print(text)
    print(f"Written to {path} in {time.perf_counter() - t0:.1f} s")
    return 0


def _survey(args: argparse.Namespace) -> int:
    from pathlib import Path

    from clusterlib.innovation.synthetic import write_survey

    out = Path(args.out) if args.out else config.survey_dir()
    csv, js = write_survey(out, n=args.n, seed=args.seed, separation=args.separation)
    print(f"Synthetic survey (not real firms) written to {csv}; true parameters in {js}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
