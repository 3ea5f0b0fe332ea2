"""The mapping file of a questionnaire export: its columns and answer labels onto the codebook.

A strategy team exports its survey tool's answers with its own column names and answer labels
(``Tak``/``Nie``, ``zdecydowanie się zgadzam``). A **mapping file** (YAML) translates them::

    read: {encoding: cp1250, sep: ";", decimal: ","}    # optional; CSV only
    columns:                                            # questionnaire column: codebook column
      ID ankiety: firm_id
      Liczba pracowników: employees
      Prowadzimy własne prace B+R: rd_inhouse
    constants:                                          # codebook columns the file does not have
      region: PL22
    answers:                                            # named answer sets: label -> code
      tak_nie: {Tak: 1, Nie: 0}
      zgoda: {zdecydowanie się nie zgadzam: 1, raczej się nie zgadzam: 2, ni tak, ni nie: 3,
              raczej się zgadzam: 4, zdecydowanie się zgadzam: 5}
    apply:                                              # which codebook columns use which set
      tak_nie: [rd_inhouse, exporter]
      zgoda: [sc1, sc2, sc3]
    no_answer: ["", nie wiem, odmowa]                   # read as no answer (Likert items only)
    synthetic: false                                    # true: the answers are synthetic

Labels match without regard to case, surrounding blanks and repeated spaces. A cell that already
holds one of its set's codes (``1``) is accepted too.

:func:`load_mapping` checks such a file; :mod:`clusterlib.io.questionnaire` reads the answers
through it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clusterlib.errors import DataFormatError
from clusterlib.io.codebook import codebook
from clusterlib.yamlfile import load_yaml


def normalise_label(label: object) -> str:
    """Return an answer label as it is matched: blanks collapsed and trimmed, case folded.

    Examples
    --------
    >>> normalise_label("  Raczej   się  ZGADZAM ")
    'raczej się zgadzam'
    """
    return re.sub(r"\s+", " ", str(label)).strip().casefold()


@dataclass(frozen=True)
class SurveyMapping:
    """A checked mapping file (see the module docstring)."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, object] = field(default_factory=dict)
    answers: dict[str, dict[str, float]] = field(default_factory=dict)
    apply: dict[str, str] = field(default_factory=dict)  # codebook column -> answer set
    no_answer: tuple[str, ...] = ("",)
    read: dict[str, str] = field(default_factory=dict)
    source: str = "mapping"
    labels: dict[str, list[str]] = field(default_factory=dict)  # answer set -> labels as written
    synthetic: bool = False  # the file says its answers are synthetic


def load_mapping(path: str | Path | Mapping | None) -> SurveyMapping:
    """Read and check a mapping file (or a dict of the same shape); None maps nothing.

    Raises
    ------
    DataFormatError
        An unknown section or codebook column, an answer set that is not label: number, a column
        mapped twice or given two answer sets, an ``apply`` naming an unknown set; each names
        the file and the key.
    """
    if path is None:
        return SurveyMapping()
    spec = path if isinstance(path, Mapping) else load_yaml(path)
    src = "mapping" if isinstance(path, Mapping) else str(path)
    if not isinstance(spec, Mapping):
        raise DataFormatError(f"{src}: expected a mapping with columns, answers, apply, ...")
    known = {"columns", "constants", "answers", "apply", "no_answer", "read", "synthetic"}
    unknown = sorted(set(spec) - known)
    if unknown:
        raise DataFormatError(f"{src}: unknown section(s) {unknown}; expected {sorted(known)}.")
    names = set(codebook().index)
    columns = _columns(spec, src, names)
    constants = dict(spec.get("constants") or {})
    for c in constants:
        if c not in names:
            raise DataFormatError(f"{src}, constants, key {c!r}: not a codebook column.")
    answers = {
        str(name): _answer_set(name, labels, src)
        for name, labels in (spec.get("answers") or {}).items()
    }
    apply = _apply(spec, src, answers, names)
    no_answer = tuple(normalise_label(v) for v in (spec.get("no_answer") or [""]))
    for name, table in answers.items():
        both = [v for v in no_answer if v in table]
        if both:
            raise DataFormatError(
                f"{src}: {both[0]!r} is both in no_answer and a label of answers.{name} (code "
                f"{table[both[0]]:g}); an answer cannot be both. Remove it from one of them."
            )
    read = {str(k): str(v) for k, v in (spec.get("read") or {}).items()}
    bad = sorted(set(read) - {"encoding", "sep", "decimal", "sheet"})
    if bad:
        raise DataFormatError(f"{src}, read: unknown option(s) {bad}.")
    labels = {str(k): [str(x) for x in v] for k, v in (spec.get("answers") or {}).items()}
    synthetic = spec.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise DataFormatError(f"{src}, synthetic: expected true or false, found {synthetic!r}.")
    return SurveyMapping(
        columns, constants, answers, apply, no_answer, read, src, labels, synthetic
    )


def _columns(spec: Mapping, src: str, names: set[str]) -> dict[str, str]:
    """Check the ``columns`` section: questionnaire column -> codebook column, each used once."""
    columns = {str(k): str(v) for k, v in (spec.get("columns") or {}).items()}
    for q, c in columns.items():
        if c not in names:
            raise DataFormatError(
                f"{src}, columns, key {q!r}: {c!r} is not a codebook column; see "
                "data/survey/CODEBOOK.md for the names."
            )
    twice = pd.Series(list(columns.values()))
    if twice.duplicated().any():
        raise DataFormatError(
            f"{src}, columns: codebook column {twice[twice.duplicated()].iloc[0]!r} is mapped from "
            "two questionnaire columns; keep one."
        )
    return columns


def _answer_set(name: object, labels: object, src: str) -> dict[str, float]:
    """Check one set of ``answers``: normalised label -> number code, no label given two codes."""
    if not isinstance(labels, Mapping) or not labels:
        raise DataFormatError(f"{src}, answers, key {name!r}: expected label: code pairs.")
    table: dict[str, float] = {}
    written: dict[str, object] = {}
    for label, code in labels.items():
        if isinstance(code, bool) or not isinstance(code, int | float):
            raise DataFormatError(
                f"{src}, answers, {name!r}, label {label!r}: expected a number code, found "
                f"{code!r}."
            )
        key = normalise_label(label)
        if key in table and table[key] != float(code):
            raise DataFormatError(
                f"{src}, answers, {name!r}: labels {written[key]!r} (code {table[key]:g}) and "
                f"{label!r} (code {float(code):g}) are the same answer once case and blanks "
                "are ignored, but have different codes; keep one of them."
            )
        table[key], written[key] = float(code), label
    return table


def _apply(spec: Mapping, src: str, answers: dict, names: set[str]) -> dict[str, str]:
    """Check the ``apply`` section: codebook column -> the one answer set it uses."""
    apply: dict[str, str] = {}
    for name, cols in (spec.get("apply") or {}).items():
        if name not in answers:
            raise DataFormatError(
                f"{src}, apply, key {name!r}: no such answer set; defined: {sorted(answers)}."
            )
        for c in [cols] if isinstance(cols, str) else cols or []:
            if c not in names:
                raise DataFormatError(f"{src}, apply, {name!r}: {c!r} is not a codebook column.")
            if c in apply:
                raise DataFormatError(
                    f"{src}, apply: {c!r} has two answer sets ({apply[c]!r}, {name!r})."
                )
            apply[c] = name
    return apply
