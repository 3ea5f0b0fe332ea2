"""Run parameters: region files in ``params/``, validated against the notebooks before any kernel starts."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from clusterlib import config
from clusterlib.batch.param_values import (
    brief_parameters,
    check_relations,
    check_value,
    data_region,
    resolve_paths,
)
from clusterlib.errors import ClusterlibError, MissingFileError, ParameterError
from clusterlib.reference.nuts import is_nuts_code, is_nuts_region
from clusterlib.yamlfile import load_yaml as _load_yaml

NOTEBOOKS = (
    "01_specialisation", "02_innovation_drivers", "03_firm_segments", "04_related_industries",
    "05_value_chains", "06_innovation_context",
)  # fmt: skip
#: Notebooks that accept a cluster area of params/areas.yaml (e.g. PL-NE) as their region.
AREA_NOTEBOOKS = NOTEBOOKS  # every notebook; kept so that a new one can say it does not yet
#: Parameters the runner sets itself.
RUNNER_KEYS = {"output_dir"}
#: Parameters of the strategy brief (not of the notebooks): its language and the qualitative
#: evidence it triangulates (files relative to the params file's folder, like ``survey_path``).
BRIEF_KEYS = {"language": str, "evidence": str, "expert_scores": str}
_TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": list, "dict": dict}


@dataclass(frozen=True)
class Job:
    """One notebook run for one region."""

    region: str
    notebook: str
    parameters: dict = field(hash=False)
    name: str = ""
    #: The region's brief parameters (:data:`BRIEF_KEYS`), for the brief written after the run.
    brief: dict = field(default_factory=dict, hash=False, compare=False)


def load_yaml(path: Path) -> dict:
    """Load a YAML mapping safely; errors name the file."""
    try:
        data = _load_yaml(path, error=ParameterError)
    except MissingFileError as exc:
        raise ParameterError(str(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(
            f"{path}: expected a mapping of keys to values, found {type(data).__name__}."
        )
    return data


@cache
def notebook_parameters(notebook: str) -> dict[str, dict]:
    """Return the parameters of a notebook's ``parameters`` cell (papermill.inspect_notebook).

    The answer is kept in the data cache (``params-<notebook>-<digest>.json``, keyed by the
    notebook file's SHA-256 and papermill's version), so a kernel that checks its parameters
    (:func:`check_parameters`) does not import papermill, nbformat and jsonschema, about a second
    of CPU per kernel; the batch fills the cache before any kernel starts.
    """
    path = config.notebooks_dir() / f"{notebook}.ipynb"
    if not path.exists():
        raise ParameterError(f"notebook {notebook!r}: no file {path}. Known: {list(NOTEBOOKS)}.")
    from importlib.metadata import version

    from clusterlib.io.cache import cache_dir
    from clusterlib.io.files import file_sha256, write_atomic

    key = f"{file_sha256(path)}-{version('papermill')}"
    cached = cache_dir() / f"params-{notebook}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # no cache yet, or a damaged one: inspect the notebook
    import papermill

    found = {k: dict(v) for k, v in papermill.inspect_notebook(str(path)).items()}
    try:
        write_atomic(cached, json.dumps(found, indent=1))  # in the notebook's order
    except OSError:
        pass  # a read-only cache folder: inspect again next time
    return found


def check_region_code(code: str, *, known: set[str] | None = None, source: str = "regions") -> str:
    """Validate a region code before it becomes part of a path."""
    if not is_nuts_region(code):  # a region, not a country, before it is a path
        raise ParameterError(
            f"{source}: {code!r} is not a NUTS code (two capital letters and one to three letters or "
            "digits, e.g. PL22)."
        )
    if known is not None and code not in known:
        raise ParameterError(f"{source}: unknown region {code!r}; known: {sorted(known)[:20]}...")
    return code


def validate_parameters(params: dict, *, source: Path | str, notebooks: tuple[str, ...]) -> None:
    """Reject unknown keys and wrong types, naming the file and the key.

    A key is known if one of ``notebooks`` declares it; its value must have the type that
    papermill infers from the notebook's default (an ``int`` is accepted for a ``float``).
    """
    declared: dict[str, tuple[str, str]] = {}
    for nb in notebooks:
        for name, spec in notebook_parameters(nb).items():
            declared.setdefault(name, (spec["inferred_type_name"], nb))
    for key, value in params.items():
        if key in RUNNER_KEYS:
            raise ParameterError(f"{source}, key {key!r}: set by the runner; remove it.")
        if key in BRIEF_KEYS and key not in declared:
            if not isinstance(value, BRIEF_KEYS[key]):
                raise ParameterError(
                    f"{source}, key {key!r}: expected text (a brief parameter), found "
                    f"{type(value).__name__} {value!r}."
                )
            continue
        if key not in declared:
            raise ParameterError(
                f"{source}, key {key!r}: not a parameter of the notebooks {list(notebooks)}; "
                f"known keys: {sorted(declared)}."
            )
        type_name, nb = declared[key]
        expected = _TYPES.get(type_name)
        if expected is not None and (
            not isinstance(value, expected) or (expected is not bool and isinstance(value, bool))
        ):
            raise ParameterError(
                f"{source}, key {key!r}: expected {type_name} (as in {nb}.ipynb), found "
                f"{type(value).__name__} {value!r}."
            )


def check_parameters(notebook: str, values: dict, *, source: str | None = None) -> dict:
    """Validate a notebook's parameters: names, types and meaning, with the runner's errors.

    Every notebook calls this in its first cell after the parameters cell, so a run through plain
    papermill, JupyterLab or nbval gets the same clear error as ``clusterlib run``.

    Parameters
    ----------
    notebook : str
        Notebook name, e.g. ``"01_specialisation"``.
    values : dict
        The parameter values, e.g. the notebook's ``globals()``; only the notebook's declared
        parameters are read.
    source : str, optional
        Where the values come from, for messages (default: the notebook's parameters).

    Returns
    -------
    dict
        The declared parameters and their values.

    Raises
    ------
    ParameterError
        A wrong type, an unknown region (e.g. PL99), cluster, option value or year, a start year
        not before the year, an empty k range, a survey file that does not exist.
    """
    declared = notebook_parameters(notebook)
    params = {k: values[k] for k in declared if k in values and k not in RUNNER_KEYS}
    src = source or f"notebook {notebook} parameters"
    validate_parameters(params, source=src, notebooks=(notebook,))
    for key, value in params.items():
        check_value(key, value, params, src)
    region = params.get("region")
    if isinstance(region, str) and not is_nuts_code(region) and notebook not in AREA_NOTEBOOKS:
        raise ParameterError(
            f"{src}, key 'region': {region!r} is a cluster area; notebook {notebook} analyses one "
            f"NUTS2 region at a time so far. Run it for each member region, or use the notebooks "
            f"that take an area: {list(AREA_NOTEBOOKS)}."
        )
    check_relations(params, src)
    return params


#: Files in ``params/`` that are not a region's parameters.
NOT_REGIONS = ("defaults", "clusters", "actions", "areas")


def region_files(params_dir: Path | None = None) -> dict[str, Path]:
    """Region code to its YAML file in ``params/`` (every file but :data:`NOT_REGIONS`)."""
    d = params_dir or config.params_dir()
    out = {}
    for p in sorted(d.glob("*.yaml")):
        if p.stem in NOT_REGIONS:
            continue
        out[check_region_code(p.stem, source=str(p))] = p
    return out


def merged_parameters(
    code: str, *, params_dir: Path | None = None, generated: bool = False
) -> dict:
    """Return the checked parameters of one region: ``defaults.yaml`` overlaid by its own file.

    Both files are flat mappings of notebook parameters, so each works directly with
    ``papermill -f params/defaults.yaml -f params/PL21.yaml``. Relative file paths
    (``survey_path``, ``mapping_path``, ``weights``) are taken from the folder of the file that
    gives them (:func:`resolve_paths`) and returned absolute, so the check here and the kernel
    read the same file; a ``survey_path`` is read once here, as the notebooks will read it. With ``generated`` the region needs
    no file (``--nuts2 all``): its parameters are the defaults plus ``region``.

    Raises
    ------
    ParameterError, OptionError
        Naming the file and key: an unknown key, a wrong type, a value without meaning (unknown
        region or cluster, a year not in the data, ...), a ``region`` that does not match the
        file name.
    """
    d = params_dir or config.params_dir()
    if not is_nuts_code(code):  # a cluster area: the defaults and its id
        check_area_code(code, params_dir=d)
        generated = True
    defaults_path = d / "defaults.yaml"
    base = load_yaml(defaults_path) if defaults_path.exists() else {}
    validate_parameters(base, source=defaults_path, notebooks=NOTEBOOKS)
    base = resolve_paths(base, defaults_path.parent)
    for key, value in base.items():
        check_value(key, value, base, str(defaults_path))
    own: dict = {}
    source = f"region {code}"
    if not generated:
        files = region_files(d)
        check_region_code(code, known=set(files), source="regions")
        path = files[code]
        source = str(path)
        own = load_yaml(path)
        validate_parameters(own, source=path, notebooks=NOTEBOOKS)
        own = resolve_paths(own, path.parent)
        if own.get("region", code) != code:
            raise ParameterError(
                f"{path}, key 'region': {own['region']!r} does not match the file name {code}."
            )
    elif is_nuts_code(code):
        check_region_code(code, source="regions")
    merged = {**base, **own, "region": code}
    for key, value in merged.items():
        check_value(key, value, merged, source)
    check_relations(merged, source)
    return merged


def check_area_code(code: str, *, params_dir: Path | None = None, source: str = "regions") -> str:
    """Validate a cluster area id before it becomes part of a path: defined, and path-safe.

    Raises
    ------
    ParameterError
        An id that is not an area of ``areas.yaml``, or that holds characters other than letters,
        digits, ``-`` and ``_``.
    """
    import re

    from clusterlib.reference.areas import check_unit

    path = Path(params_dir or config.params_dir()) / "areas.yaml"
    try:
        check_unit(code, source=source, path=path)
    except ClusterlibError as exc:
        raise ParameterError(str(exc)) from None
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", code):
        raise ParameterError(
            f"{path}, area {code!r}: an area id that names an output folder may hold only "
            "letters, digits, '-' and '_' (e.g. PL-NE); rename it."
        )
    return code


def unit_name(code: str, *, params_dir: Path | None = None) -> str:
    """Return the display name of a NUTS2 region or of a cluster area."""
    from clusterlib.reference.areas import load_areas
    from clusterlib.reference.nuts import nuts_table

    if is_nuts_code(code):
        from clusterlib.reference.nuts_versions import nuts_codes

        name = str(nuts_table([code])["name"].iloc[0])  # a NUTS 2016/2021 code: its own name
        return name or str(nuts_codes()["name"].get(code, ""))
    return load_areas(Path(params_dir or config.params_dir()) / "areas.yaml")[code]["name"]


def build_jobs(
    regions: list[str],
    *,
    notebooks: tuple[str, ...] = NOTEBOOKS,
    params_dir: Path | None = None,
    generated: bool = False,
) -> list[Job]:
    """Build validated jobs for ``regions`` x ``notebooks``, before any kernel starts.

    Parameters come from :func:`merged_parameters`; each selected notebook receives only the
    keys it declares (a region of NUTS ``nuts`` other than 2013 is given as its NUTS 2013 code to
    the notebooks that do not declare ``nuts``). The display name of a region comes from the NUTS
    reference. A cluster area
    of ``areas.yaml`` (e.g. PL-NE) runs the notebooks of :data:`AREA_NOTEBOOKS` only.

    Raises
    ------
    ParameterError
        Besides the checks of :func:`merged_parameters`: an area for which none of the selected
        notebooks accepts an area.
    """
    for nb in notebooks:
        notebook_parameters(nb)
    jobs = []
    for code in regions:
        merged = merged_parameters(code, params_dir=params_dir, generated=generated)
        name = unit_name(code, params_dir=params_dir)
        selected = notebooks
        if not is_nuts_code(code):
            selected = tuple(nb for nb in notebooks if nb in AREA_NOTEBOOKS)
            if not selected:
                raise ParameterError(
                    f"regions: {code!r} is a cluster area; none of the notebooks {list(notebooks)} "
                    f"takes an area. Those that do: {list(AREA_NOTEBOOKS)}."
                )
        for nb in selected:
            own = notebook_parameters(nb)
            kept = {k: v for k, v in merged.items() if k in own}
            if "nuts" not in own and str(merged.get("nuts", 2013)) != "2013":
                # a notebook without the `nuts` parameter (the survey's, the context's) gets
                # the NUTS 2013 code of the data, as the notebooks that take it analyse it
                kept["region"] = data_region(code, merged) if is_nuts_code(code) else code
            jobs.append(Job(code, nb, kept, name=name, brief=brief_parameters(merged)))
    return jobs
