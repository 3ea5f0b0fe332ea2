"""Safe YAML loading that refuses duplicate keys and alias bombs, naming the file and line.

Every YAML file clusterlib reads (parameters, cluster and area definitions, action rules,
questionnaire mappings, margins) goes through :func:`load_yaml`. Besides safe types only and no
duplicate keys, it bounds aliases: a file may refer back to anchors (``*name``) at most
:data:`MAX_ALIASES` times, and the document those aliases expand to may hold at most
:data:`MAX_NODES` values, so a "billion laughs" file (anchors of anchors) is refused before it is
built instead of exhausting memory when it is used.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import yaml

from clusterlib.errors import DataFormatError, MissingFileError

#: Most aliases (``*name``) one YAML file may use.
MAX_ALIASES = 100
#: Most values (scalars, lists, mappings) a YAML document may expand to, aliases counted in full.
MAX_NODES = 1_000_000


class _StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises on a key given twice in one mapping and on alias bombs."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases = getattr(self, "_aliases", 0) + 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"more than {MAX_ALIASES} aliases (*{event.anchor} is one too many); "
                    "a file that refers back to anchors this often is refused as a possible "
                    "YAML bomb: write the values out",
                    event.start_mark,
                )
        return super().compose_node(parent, index)

    def compose_document(self):
        node = super().compose_document()
        _expanded_size(node)
        return node


def _expanded_size(root: yaml.Node) -> int:
    """Count the values ``root`` expands to (aliases in full); refuse cycles and huge documents."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            open_.discard(key)
            if sizes[key] > MAX_NODES:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"its aliases expand to more than {MAX_NODES:,} values (anchors of anchors, "
                    "a 'billion laughs' YAML bomb?); write the values out",
                    node.start_mark,
                )
            continue
        if key in sizes:
            continue
        if key in open_:
            raise yaml.composer.ComposerError(
                None,
                None,
                "an alias refers to the list or mapping that contains it (a recursive anchor); "
                "write the values out",
                node.start_mark,
            )
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)] if root is not None else 0


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


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
        return copy.deepcopy(_parsed(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{source}{line}: not valid YAML: {problem}. Fix the file.") from None


@lru_cache(maxsize=64)
def _parsed(text: str):
    """Parse ``text`` once per text.

    A batch reads ``defaults.yaml``, the cluster definitions and the action rules again for each
    of its regions (hundreds with ``--nuts2 all``). The key is the text itself, so a changed file
    is parsed anew; callers get a deep copy. A document that fails raises every time (exceptions
    are not cached).
    """
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def read_yaml_text(path: str | Path, *, error: type[Exception] = DataFormatError) -> str:
    """Read a YAML file's text (UTF-8, a byte-order mark dropped).

    Raises
    ------
    MissingFileError, error (default DataFormatError)
        Naming the file: it does not exist, or it is not UTF-8 text.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file.")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"{path}: not UTF-8 text (byte {exc.start}); save the YAML file as UTF-8."
        ) from None


def load_yaml(path: str | Path, *, error: type[Exception] = DataFormatError):
    """Read and parse a YAML file strictly; see :func:`load_yaml_text`."""
    return load_yaml_text(read_yaml_text(path, error=error), source=Path(path), error=error)
