"""Run parameters: region files in ``params/``, validated against the notebooks before any kernel starts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import papermill
import yaml

from clusterlib import config
from clusterlib.errors import ClusterlibError

REGION_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,3}$")
NOTEBOOKS = ("01_specialisation", "02_innovation_drivers", "03_firm_segments")
#: Keys a region file may hold besides ``parameters``.
REGION_KEYS = {"region", "name", "parameters"}
#: Parameters the runner sets itself.
RUNNER_KEYS = {"output_dir"}
_TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": list, "dict": dict}


class ParameterError(ClusterlibError):
    """A parameter file has an unknown key, a wrong type or a bad region code."""


@dataclass(frozen=True)
class Job:
    """One notebook run for one region."""

    region: str
    notebook: str
    parameters: dict = field(hash=False)
    name: str = ""


def load_yaml(path: Path) -> dict:
    """Load a YAML mapping safely; errors name the file."""
    try:
        with path.open(encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc}).") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(
            f"{path}: expected a mapping of keys to values, found {type(data).__name__}."
        )
    return data


@cache
def notebook_parameters(notebook: str) -> dict[str, dict]:
    """Return the parameters of a notebook's ``parameters`` cell (papermill.inspect_notebook)."""
    path = config.notebooks_dir() / f"{notebook}.ipynb"
    if not path.exists():
        raise ParameterError(f"notebook {notebook!r}: no file {path}. Known: {list(NOTEBOOKS)}.")
    return papermill.inspect_notebook(str(path))


def check_region_code(code: str, *, known: set[str] | None = None, source: str = "regions") -> str:
    """Validate a region code before it becomes part of a path."""
    if not isinstance(code, str) or not REGION_RE.match(code):
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


def region_files(params_dir: Path | None = None) -> dict[str, Path]:
    """Region code to its YAML file in ``params/`` (every file but defaults.yaml and clusters.yaml)."""
    d = params_dir or config.params_dir()
    out = {}
    for p in sorted(d.glob("*.yaml")):
        if p.stem in ("defaults", "clusters"):
            continue
        out[check_region_code(p.stem, source=str(p))] = p
    return out


def build_jobs(
    regions: list[str],
    *,
    notebooks: tuple[str, ...] = NOTEBOOKS,
    params_dir: Path | None = None,
    generated: bool = False,
) -> list[Job]:
    """Build validated jobs for ``regions`` x ``notebooks``.

    Parameter files are checked against all notebooks (a key must belong to one of them); each
    selected notebook then receives only the keys it declares. With ``generated`` the regions
    need no file in ``params/``: their parameters are the defaults
    plus ``region`` (used for ``--nuts2 all``).
    """
    d = params_dir or config.params_dir()
    for nb in notebooks:
        notebook_parameters(nb)
    defaults_path = d / "defaults.yaml"
    defaults = load_yaml(defaults_path) if defaults_path.exists() else {}
    unknown = set(defaults) - {"parameters"}
    if unknown:
        raise ParameterError(
            f"{defaults_path}: unknown key(s) {sorted(unknown)}; expected 'parameters'."
        )
    base = defaults.get("parameters") or {}
    validate_parameters(base, source=defaults_path, notebooks=NOTEBOOKS)
    files = {} if generated else region_files(d)
    jobs = []
    for code in regions:
        check_region_code(code, known=None if generated else set(files), source="regions")
        spec: dict = {"region": code, "name": "", "parameters": {}}
        if not generated:
            path = files[code]
            spec.update(load_yaml(path))
            extra = set(spec) - REGION_KEYS
            if extra:
                raise ParameterError(
                    f"{path}, key {sorted(extra)[0]!r}: unknown; a region file holds only "
                    f"{sorted(REGION_KEYS)} (notebook parameters go under 'parameters')."
                )
            if spec["region"] != code:
                raise ParameterError(
                    f"{path}, key 'region': {spec['region']!r} does not match the file name."
                )
            overrides = spec.get("parameters") or {}
            if not isinstance(overrides, dict):
                raise ParameterError(f"{path}, key 'parameters': expected a mapping.")
            validate_parameters(overrides, source=path, notebooks=NOTEBOOKS)
        merged = {**base, **(spec.get("parameters") or {}), "region": code}
        for nb in notebooks:
            own = notebook_parameters(nb)
            jobs.append(
                Job(
                    code,
                    nb,
                    {k: v for k, v in merged.items() if k in own},
                    name=str(spec.get("name") or ""),
                )
            )
    return jobs
