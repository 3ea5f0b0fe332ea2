"""What each run parameter must mean: values, files and the relations between them.

:mod:`clusterlib.batch.params` checks the names and types of a params file against the notebooks'
parameters cells; the checks here read what the values say (a known cluster, a region or area,
a survey file that can be read, a year in the data, a language whose rules are translated), so
a bad value is refused before any kernel starts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from clusterlib import config
from clusterlib.errors import ClusterlibError, ParameterError
from clusterlib.options import OPTIONS, check_option


def check_value(key: str, value, params: dict, source: str) -> None:
    """Check the meaning of one parameter value (types are checked by validate_parameters)."""
    at = f"{source}, key {key!r}"
    if key in OPTIONS:
        check_option(key, value, source=source)
    elif key == "region":
        if "nuts" in params:  # the version first: the region is read in it
            check_value("nuts", params["nuts"], params, source)
        check_region_value(value, params, at)
    elif key == "nuts":
        from clusterlib.reference.nuts_versions import check_version

        try:
            check_version(value)
        except ClusterlibError as exc:
            raise ParameterError(
                f"{at}: {exc} It is the NUTS version of the region's code (2013 by default)."
            ) from None
    elif key == "data_path" and value:
        _check_data_file(value, at)
    elif key == "cluster":
        from clusterlib.reference.clusters import load_clusters

        known = load_clusters()
        if value not in known:
            raise ParameterError(
                f"{at}: unknown cluster {value!r}; defined in params/clusters.yaml: "
                f"{sorted(known)}. Add it there as a list of NACE codes."
            )
    elif key in ("year", "start_year"):
        years = _data_years(str(params.get("data_path") or config.eurostat_path()))
        if years and value not in years:
            raise ParameterError(
                f"{at}: {value} is not a year of the data; available: {years[0]}-{years[-1]}."
            )
    elif key in ("n_boot", "k_min", "k_max") and value < (2 if key.startswith("k_") else 1):
        least = 2 if key.startswith("k_") else 1
        raise ParameterError(f"{at}: expected a whole number >= {least}, found {value!r}.")
    elif key == "cut" and not 0 < value < 2:
        raise ParameterError(
            f"{at}: expected a height between 0 and 2 (1 - correlation), found {value!r}."
        )
    elif key == "io_weight" and not 0 <= value <= 1:
        raise ParameterError(
            f"{at}: expected the weight of the input-output links, from 0 (co-location only) to 1 "
            f"(links only), found {value!r}."
        )
    elif key == "n_top" and value < 1:
        raise ParameterError(f"{at}: expected a whole number >= 1, found {value!r}.")
    elif key == "delta" and not 0 <= value < 1:
        raise ParameterError(
            f"{at}: expected an FLQ delta with 0 <= delta < 1 (the literature uses 0.1-0.4), "
            f"found {value!r}."
        )
    elif key == "seed" and value < 0:
        raise ParameterError(f"{at}: expected a seed >= 0, found {value!r}.")
    elif key == "survey_path" and value and not Path(value).expanduser().is_file():
        raise ParameterError(
            f"{at}: no file {value!r}; give the path of a survey CSV, or leave it empty for the "
            f"bundled synthetic survey. {PATH_RULE}"
        )
    elif key == "language":
        from clusterlib.i18n.numbers import LOCALES

        if value not in LOCALES:
            raise ParameterError(
                f"{at}: expected the language of the brief, one of {sorted(LOCALES)}, found "
                f"{value!r}; the English brief is always written, 'pl' adds the Polish one."
            )
        from clusterlib.batch.brief import load_rules, untranslated

        missing = untranslated(load_rules(), value)
        if missing:
            raise ParameterError(
                f"{at}: the brief in {value!r} needs every rule of "
                f"{config.params_dir() / 'actions.yaml'} in that language; rule(s) {missing} have "
                f"no finding_{value}. Translate them (and their action_{value}), or use "
                "language: en."
            )
    elif key in ("evidence", "expert_scores") and value:
        _check_evidence_file(key, value, at)
    elif key in ("mapping_path", "weights") and value and not Path(value).expanduser().is_file():
        what = "mapping YAML of the questionnaire" if key == "mapping_path" else "margins YAML"
        raise ParameterError(
            f"{at}: no file {value!r}; give the path of the {what}, or leave it empty. {PATH_RULE}"
        )


#: Parameters that name files.
PATH_KEYS = ("survey_path", "mapping_path", "weights", "evidence", "expert_scores", "data_path")
PATH_RULE = (
    "A relative path in a parameter file is taken from that file's folder (so "
    "'../data/survey/x.csv' in params/PL22.yaml is data/survey/x.csv); a relative path given to a "
    "notebook directly (papermill -p) is taken from the notebook's working directory."
)


def resolve_paths(params: dict, folder: Path) -> dict:
    """Return ``params`` with relative file paths (:data:`PATH_KEYS`) made absolute from ``folder``.

    This is the one rule for paths in parameter files: a relative path is relative to the folder
    of the file that gives it (``params/``), whatever the working directory of the command or of
    the kernel, so the check before the run and the notebook read the same file.

    Examples
    --------
    >>> resolve_paths({"survey_path": "../data/s.csv", "seed": 0}, Path("/p/params"))
    {'survey_path': '/p/data/s.csv', 'seed': 0}
    """
    import os

    out = dict(params)
    for key in PATH_KEYS:
        value = out.get(key)
        if isinstance(value, str) and value and not Path(value).expanduser().is_absolute():
            out[key] = os.path.normpath(Path(folder).absolute() / value)
        elif isinstance(value, str) and value:
            out[key] = str(Path(value).expanduser())
    return out


def _check_evidence_file(key: str, value: str, at: str) -> None:
    """Read the evidence register or the expert scores a brief parameter names, before any kernel."""
    from clusterlib.io.evidence import read_evidence
    from clusterlib.io.expert_scores import read_expert_scores

    what = "evidence register" if key == "evidence" else "expert scores"
    if not Path(value).expanduser().is_file():
        raise ParameterError(
            f"{at}: no file {value!r}; give the path of the {what} (CSV or XLSX, see "
            f"data/evidence/FORMAT.md), or leave the key out. {PATH_RULE}"
        )
    try:
        (read_evidence if key == "evidence" else read_expert_scores)(value)
    except ClusterlibError as exc:
        raise ParameterError(
            f"{at}: {value!r} is not a readable {what}: {exc} Check it with "
            f"'clusterlib evidence check{'' if key == 'evidence' else '-scores'} {value}'."
        ) from None


def brief_parameters(params: dict) -> dict:
    """Return the brief's parameters of checked ``params`` (:data:`clusterlib.batch.params.BRIEF_KEYS`), language first.

    Examples
    --------
    >>> brief_parameters({"seed": 0, "evidence": "/p/e.csv"})
    {'language': 'en', 'evidence': '/p/e.csv'}
    """
    out = {"language": params.get("language") or "en"}
    return out | {k: params[k] for k in ("evidence", "expert_scores") if params.get(k)}


def _check_survey(params: dict, source: str) -> None:
    """Read the questionnaire ``survey_path`` names (with ``mapping_path``) before any kernel."""
    path = params.get("survey_path")
    if not path or not Path(path).expanduser().is_file():
        return
    mapping = params.get("mapping_path") or ""
    if mapping and not Path(mapping).expanduser().is_file():
        return
    try:
        _read_survey_once(*_stamp(path), *_stamp(mapping))
    except ClusterlibError as exc:
        raise ParameterError(
            f"{source}, key 'survey_path': {path!r} is not a survey the notebooks can read: {exc}"
        ) from None
    except Exception as exc:  # noqa: BLE001 - a reader's own error, worded with the file and key
        raise ParameterError(
            f"{source}, key 'survey_path': {path!r} is not a survey the notebooks can read "
            f"({type(exc).__name__}: {exc}); give a survey CSV in codebook form, or a "
            "questionnaire export (CSV, XLSX, SAV, DTA) with its mapping_path."
        ) from None


def _stamp(path: str) -> tuple[str, int, int]:
    if not path:
        return "", 0, 0
    p = Path(path).expanduser().resolve()
    st = p.stat()
    return str(p), st.st_mtime_ns, st.st_size


@cache
def _read_survey_once(path, _mtime, _size, mapping, _mmtime, _msize) -> None:
    """Read a survey file as the notebooks do (cached per file version); raise if it cannot be."""
    from clusterlib.io.survey import read_survey

    read_survey(path, mapping=mapping or None)


def check_relations(params: dict, source: str) -> None:
    """Check what the values say together: start before end year, a mapping with its survey, ...

    >>> check_relations({"year": 2014, "start_year": 2014}, "defaults.yaml")
    Traceback (most recent call last):
    ...
    clusterlib.errors.ParameterError: defaults.yaml, key 'start_year': 2014 must be before year 2014.
    """
    if "year" in params and "start_year" in params and params["start_year"] >= params["year"]:
        raise ParameterError(
            f"{source}, key 'start_year': {params['start_year']} must be before year "
            f"{params['year']}."
        )
    if params.get("mapping_path") and not params.get("survey_path"):
        raise ParameterError(
            f"{source}, key 'mapping_path': a mapping needs the questionnaire it maps; set "
            "survey_path too."
        )
    if "k_min" in params and "k_max" in params and params["k_min"] > params["k_max"]:
        raise ParameterError(
            f"{source}, key 'k_min': {params['k_min']} is above k_max {params['k_max']}."
        )
    _check_survey(params, source)


@cache
def _data_years(path: str) -> list[int]:
    from clusterlib.io.eurostat import file_years

    return file_years(path) if Path(path).is_file() else []


def check_region_value(value, params: dict, at: str) -> None:
    """Check a ``region``: a region or area of the data, its code of the declared ``nuts`` version.

    A code of NUTS ``nuts`` (default 2013) is mapped to the version of the Eurostat file in use
    (``data_path``, else the file of ``--data`` or the bundled one) as the chapters map it
    (:func:`clusterlib.chapters.areas.analysed_unit`): PL84 with ``nuts: 2021`` is PL34 of the
    bundled data; a code of another version, or a region the data hold only as part of another
    (PL91 in the NUTS 2013 data), is refused before any kernel starts.
    """
    from clusterlib.reference.areas import check_unit
    from clusterlib.reference.nuts import is_nuts_code

    if params.get("data_path"):
        _check_data_file(params["data_path"], at.replace("'region'", "'data_path'"))
    if str(params.get("nuts", 2013)) != "2013" or params.get("data_path"):
        try:  # checked against the data's version there (a NUTS 2021 file has PL84)
            value = data_region(value, params)
        except ClusterlibError as exc:
            raise ParameterError(f"{at}: {str(exc).removeprefix('region: ')}") from None
        if is_nuts_code(value):
            return
    try:
        check_unit(value, source=at)
    except ClusterlibError as exc:
        raise ParameterError(str(exc)) from None


def data_region(region: str, params: dict) -> str:
    """Return the code of the data analysed for ``params``' ``region`` (its ``nuts``, ``data_path``)."""
    from clusterlib.chapters.areas import analysed_unit

    with config.using_data(params.get("data_path") or None):
        return analysed_unit(region, nuts=params.get("nuts", 2013))[0]


@cache
def _read_data_once(path, _mtime, _size) -> None:
    """Read a Eurostat file as the chapters do (cached per file version); raise if it cannot be."""
    from clusterlib.io.cache import load_eurostat

    load_eurostat(path)


def _check_data_file(value: str, at: str) -> None:
    """Check a ``data_path``: an existing Eurostat SBS file that the reader accepts."""
    if not Path(value).expanduser().is_file():
        what = "a folder" if Path(value).expanduser().is_dir() else "no file"
        raise ParameterError(
            f"{at}: {value!r} is {what}; give a Eurostat SBS regional file (bulk TSV of either "
            "generation, e.g. sbs_r_nuts06_r2.tsv.gz or a download by 'clusterlib fetch "
            f"sbs_r_nuts2021'), or leave it empty for the bundled file. {PATH_RULE}"
        )
    try:
        _read_data_once(*_stamp(value))  # read and checked once, through the cache
    except ClusterlibError as exc:
        raise ParameterError(
            f"{at}: {value!r} is not a Eurostat file clusterlib reads: {exc}"
        ) from None
