"""The subcommands of ``clusterlib``: each takes the parsed arguments and returns the exit code."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from clusterlib import config


def _fail(message: object) -> int:
    """Print a one-line error (no traceback) and return the exit code 2.

    Line breaks become spaces; blanks inside the message are kept, so a quoted name such as
    ``'metal  processing'`` is shown exactly as it is in the file.
    """
    text = " ".join(line.strip() for line in str(message).splitlines() if line.strip())
    print(f"clusterlib: error: {text}", file=sys.stderr)
    return 2


def _check_rules(params_dir: Path | None) -> None:
    """Load and check the action rules of the run's parameter folder (all fields, templates)."""
    from clusterlib.batch.brief import load_rules

    folder = params_dir if params_dir is not None else config.params_dir()
    path = folder / "actions.yaml"
    load_rules(path if path.exists() else config.params_dir() / "actions.yaml")


def _positive(name: str, value: int | None, *, allow_none: bool = True) -> None:
    from clusterlib.errors import ParameterError

    if value is None and allow_none:
        return
    if value is None or value < 1:
        raise ParameterError(f"{name}: expected a whole number >= 1, got {value}.")


def _output_dir(value: str | None, default: Path) -> Path:
    """Return a writable output folder, creating it; refuse a file or an unwritable place."""
    from clusterlib.errors import OutputError

    out = Path(value).expanduser() if value else default
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out: {out} is a file, not a folder; give a folder path.")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".clusterlib-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(
            f"--out: cannot write to {out} ({exc.strerror or exc}); choose a folder you can write."
        ) from None
    return out


def _summary(args: argparse.Namespace) -> int:
    import ast

    from clusterlib.batch.params import (
        NOTEBOOKS,
        check_parameters,
        merged_parameters,
        notebook_parameters,
        region_files,
    )
    from clusterlib.chapters.registry import build_chapter
    from clusterlib.io.files import write_atomic
    from clusterlib.reference.areas import check_unit

    t0 = time.perf_counter()
    region = args.region_code or args.region or "PL-NE"
    check_unit(region, source="--region")  # a NUTS2 region or a cluster area
    if args.chapters == "all":
        chosen = NOTEBOOKS
    else:
        chosen = _notebook_selection(args.chapters) or ("01_specialisation",)
    out = _output_dir(args.out, config.reports_dir())
    # the region's parameters as the batch gives them, then the options given here
    params = merged_parameters(region, generated=region not in region_files())
    given = dict(cluster=args.cluster, year=args.year, start_year=args.start_year,
                 policy=args.policy)  # fmt: skip
    params.update({k: v for k, v in given.items() if v is not None}, region=region)
    params.setdefault("reference", "country")
    texts = []
    for nb in chosen:
        declared = notebook_parameters(nb)  # the notebook's own defaults, then the region's
        own = {k: ast.literal_eval(spec["default"]) for k, spec in declared.items()}
        own.update({k: v for k, v in params.items() if k in declared})
        check_parameters(nb, own, source="clusterlib summary")
        # the same chapter object as the notebook, so the numbers are the notebook's
        texts.append(build_chapter(nb, own).to_markdown())
    text = "\n".join(texts)
    name = "specialisation" if chosen == ("01_specialisation",) else "summary"
    path = write_atomic(out / f"{region}_{name}_{params.get('year', 2014)}.md", text)
    print(text)
    print(f"Written to {path} in {time.perf_counter() - t0:.1f} s")
    return 0


def _notebook_selection(value: str | None) -> tuple[str, ...] | None:
    """Parse ``--notebooks``: None when not given; an empty selection or item is an error."""
    from clusterlib.batch.params import NOTEBOOKS, ParameterError

    if value is None:
        return None
    notebooks = tuple(n.strip() for n in value.split(","))
    if not any(notebooks):
        raise ParameterError(
            f"--notebooks: the selection {value!r} is empty; give one or more of "
            f"{list(NOTEBOOKS)} separated by commas, or leave the option out to run all."
        )
    if "" in notebooks:
        raise ParameterError(
            f"--notebooks: {value!r} has an empty name between commas; list the notebooks as "
            "e.g. 01_specialisation,03_firm_segments."
        )
    unknown = set(notebooks) - set(NOTEBOOKS)
    if unknown:
        raise ParameterError(f"--notebooks: unknown {sorted(unknown)}; known: {list(NOTEBOOKS)}.")
    twice = sorted({n for n in notebooks if notebooks.count(n) > 1})
    if twice:
        raise ParameterError(f"--notebooks: {twice} listed more than once; list each once.")
    return notebooks


def _params_folder(value: str | None) -> Path | None:
    """Check ``--params DIR``: a folder with its own ``clusters.yaml`` and ``actions.yaml``."""
    from clusterlib.batch.params import ParameterError

    if value is None:
        return None
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise ParameterError(f"--params: {folder} is not a folder of parameter files.")
    missing = [n for n in ("clusters.yaml", "actions.yaml") if not (folder / n).is_file()]
    if missing:
        raise ParameterError(
            f"--params: {folder} has no {' and no '.join(missing)}; a run reads the cluster "
            "definitions and action rules from its parameter folder: copy them there from "
            f"{config.PROJECT_ROOT / 'params'} and edit them."
        )
    return folder.resolve()


def _run(args: argparse.Namespace) -> int:
    _positive("--jobs", args.jobs)
    _positive("--timeout", args.timeout)
    params_dir = _params_folder(args.params)
    selected = _notebook_selection(args.notebooks)
    data = _data_file(args.data)
    # the whole run, its workers and kernels read clusters.yaml and actions.yaml of --params
    # and the Eurostat file of --data
    with config.using_params(params_dir), config.using_data(data):
        if data is not None:
            from clusterlib.io.cache import load_eurostat

            load_eurostat(data)  # read and checked once, before any kernel starts
        return _run_in(args, params_dir, selected)


def _data_file(value: str | None) -> Path | None:
    """Check ``--data``: an existing Eurostat TSV file (the kernels read it through the cache)."""
    from clusterlib.errors import ParameterError

    if value is None:
        return None
    path = Path(value)
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no such file"
        raise ParameterError(
            f"--data: {value!r} is {what}; give a Eurostat SBS regional file (bulk TSV, e.g. "
            "sbs_r_nuts06_r2.tsv.gz or a download by 'clusterlib fetch sbs_r_nuts2021')."
        )
    return path.resolve()


def _run_in(args: argparse.Namespace, params_dir: Path | None, selected) -> int:
    from clusterlib.batch.params import NOTEBOOKS, ParameterError, build_jobs, region_files
    from clusterlib.batch.runner import run_batch

    notebooks = selected or NOTEBOOKS
    if args.nuts2 or args.country:
        regions = _data_regions(args.country)
        notebooks = selected or ("01_specialisation",)
        jobs = build_jobs(regions, notebooks=notebooks, params_dir=params_dir, generated=True)
    else:
        if args.all:  # the cluster areas first, then every region with a file
            from clusterlib.reference.areas import load_areas

            regions = [*load_areas(), *region_files(params_dir)]
        else:
            regions = args.regions.split(",")
        twice = sorted({r for r in regions if regions.count(r) > 1})
        if twice:
            raise ParameterError(f"--regions: {twice} listed more than once; list each once.")
        jobs = build_jobs(regions, notebooks=notebooks, params_dir=params_dir)
    _check_rules(params_dir)  # the brief's rules, before any kernel starts
    out = _output_dir(args.out, config.reports_dir())
    t0 = time.perf_counter()
    from clusterlib.figures.maps import index_map

    results = run_batch(
        jobs,
        index_figure=index_map,
        out=out,
        n_jobs=args.jobs,
        resume=args.resume,
        timeout=args.timeout,
        dask=args.dask,
        progress=not args.no_progress,
    )
    failed = [r for r in results if r["status"] == "failed"]
    print(
        f"{len(results)} runs ({len(failed)} failed, "
        f"{sum(r['status'] == 'skipped' for r in results)} skipped) in "
        f"{time.perf_counter() - t0:.0f} s. Index: {(out / 'index.html').resolve()}"
    )
    return 1 if failed else 0


def _params(args: argparse.Namespace) -> int:
    import yaml

    from clusterlib.batch.params import merged_parameters

    params_dir = Path(args.params) if args.params else None
    merged = merged_parameters(args.region, params_dir=params_dir)
    from clusterlib.reference.nuts import is_nuts_code

    folder = params_dir if params_dir else Path("params")
    own = f"{folder / args.region}.yaml" if is_nuts_code(args.region) else "its id (a cluster area)"
    print(f"# {args.region}: {folder / 'defaults.yaml'} overlaid by {own}")
    print(yaml.safe_dump(merged, allow_unicode=True, sort_keys=True).rstrip())
    return 0


def _data_regions(country: str | None) -> list[str]:
    """NUTS2 regions with employment data in the default year (for --nuts2 all / --country)."""
    from clusterlib.batch.params import load_yaml
    from clusterlib.io.cache import load_eurostat
    from clusterlib.reference.nuts import nuts_table
    from clusterlib.specialisation.table import specialisation_table

    path = config.params_dir() / "defaults.yaml"
    defaults = load_yaml(path) if path.exists() else {}
    year = (defaults or {}).get("year", 2014)
    data = load_eurostat(config.eurostat_path())  # the Parquet cache the runs read too
    t = specialisation_table(
        data, years=year, industries=["C24"], countries=country, reference="country", areas={}
    )
    regions = sorted(t.loc[t["status"] == "ok", "region"].unique())
    names = nuts_table(regions)
    out = [r for r in regions if not names.at[r, "extra_regio"]]
    if not out:
        from clusterlib.errors import ParameterError

        source = f"year {year} from {path}" if "year" in (defaults or {}) else f"year {year}"
        what = f"--country {country}: no NUTS2 region of {country}" if country else (
            "--nuts2 all: no NUTS2 region"
        )  # fmt: skip
        raise ParameterError(
            f"{what} has the employment cells of the specialisation chapter ({source}) in "
            f"{config.eurostat_path()}; choose another country or another year in defaults.yaml."
        )
    return out


def _survey(args: argparse.Namespace) -> int:
    from clusterlib.errors import ParameterError
    from clusterlib.innovation.synthetic import write_survey

    if args.action == "check":
        return _survey_check(args)
    if args.action == "example":
        from clusterlib.innovation.example import write_example_questionnaire

        out = _output_dir(args.out, config.survey_dir() / "example")
        n = 60 if args.n is None else args.n
        paths = write_example_questionnaire(out, region=args.region, n=n, seed=args.seed)
        print(
            "SYNTHETIC example questionnaire (not real firms): "
            + ", ".join(map(str, paths.values()))
        )
        return 0

    n = 3000 if args.n is None else args.n
    _positive("--n", n, allow_none=False)
    if args.seed < 0:
        raise ParameterError(f"--seed: expected a whole number >= 0, got {args.seed}.")
    out = _output_dir(args.out, config.survey_dir())
    csv, js = write_survey(out, n=n, seed=args.seed, separation=args.separation)
    print(f"Synthetic survey (not real firms) written to {csv}; true parameters in {js}")
    return 0


def _survey_check(args: argparse.Namespace) -> int:
    from clusterlib.errors import ParameterError
    from clusterlib.io.questionnaire import check_questionnaire

    if not args.file:
        raise ParameterError(
            "survey check: give the questionnaire file, e.g. survey check a.csv --mapping m.yaml"
        )
    options = {"encoding": args.encoding} if args.encoding else {}
    problems = check_questionnaire(args.file, mapping=args.mapping, **options)
    return _print_problems(args.file, problems, ok="it can be imported with this mapping")


def _print_problems(file: str, problems, *, ok: str) -> int:
    """Print a check's problem table, one line per problem; return the exit code (1 if any)."""
    if problems.empty:
        print(f"{file}: no problems; {ok}.")
        return 0
    print(f"{file}: {len(problems)} problem(s):")
    for r in problems.itertuples():
        found = f" (found {r.value!r})" if r.value != "" else ""
        print(f"  row {r.row}, column {r.column!r}: {r.problem}{found}; {r.fix}.")
    return 1


def _evidence(args: argparse.Namespace) -> int:
    from clusterlib.errors import ParameterError

    if args.action == "example":
        from clusterlib.stakeholders.example import write_evidence_example

        if args.seed < 0:
            raise ParameterError(f"--seed: expected a whole number >= 0, got {args.seed}.")
        out = _output_dir(args.out, config.data_dir() / "evidence" / "example")
        paths = write_evidence_example(out, seed=args.seed)
        print("SYNTHETIC example (invented statements and scores, not real ones): "
              + ", ".join(map(str, paths.values())))  # fmt: skip
        return 0
    if not args.file:
        raise ParameterError(f"evidence {args.action}: give the file, e.g. evidence {args.action} "
                             "register.csv")  # fmt: skip
    if args.action == "check":
        from clusterlib.io.evidence import check_evidence as check

        what = "register"
    else:
        from clusterlib.io.expert_scores import check_expert_scores as check

        what = "scoring file"
    options = {"encoding": args.encoding} if args.encoding else {}
    problems = check(args.file, **options)
    return _print_problems(args.file, problems, ok=f"the {what} can be read")


def _fetch(args: argparse.Namespace) -> int:
    from clusterlib.io.fetch import fetch_eurostat

    path = fetch_eurostat(args.dataset, geo=args.geo, folder=args.out)
    record = path.with_name(path.name.removesuffix(".tsv.gz") + ".json")
    print(f"{path}\n{record}")
    return 0
