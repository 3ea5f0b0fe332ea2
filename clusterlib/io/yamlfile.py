"""Safe YAML loading that refuses duplicate keys and names the file and line of every problem."""

from __future__ import annotations

from pathlib import Path

import yaml

from clusterlib.errors import DataFormatError, MissingFileError


class _StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises on a key given twice in one mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[object, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {seen[key]}, again on line {line}); "
                "a key may appear once in a mapping, remove one of them",
                key_node.start_mark,
            )
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_text(text: str, *, source: str | Path, error: type[Exception] = DataFormatError):
    """Parse YAML ``text`` strictly (safe types only, no duplicate keys).

    Raises
    ------
    error (default DataFormatError)
        Naming ``source``, the line and what is wrong.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{source}{line}: not valid YAML: {problem}. Fix the file.") from None


def load_yaml(path: str | Path, *, error: type[Exception] = DataFormatError):
    """Read and parse a YAML file strictly; see :func:`load_yaml_text`."""
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"{path}: not UTF-8 text (byte {exc.start}); save the YAML file as UTF-8."
        ) from None
    return load_yaml_text(text, source=path, error=error)
