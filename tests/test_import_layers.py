"""The layer rule of clusterlib's modules (README, "Layout"), enforced on the source with ``ast``.

Every ``import``/``from ... import`` of a ``clusterlib`` name, at module level or inside a function,
is an edge from the importing module to the imported module (the longest module path that exists:
``from clusterlib.io.cells import prepare_cells`` is an edge to ``clusterlib.io.cells``; the
parent packages Python loads on the way are not edges). Two rules hold on that graph:

1. No cycles between modules.
2. Layers, lowest first (a module may import its own layer's modules and lower layers)::

       errors, options, config, notices,
       yamlfile                                  base
       reference                                 what codes mean (NUTS, NACE, measures)
       io                                        reading, validating and preparing tidy data
       i18n                                      number and text formatting
       specialisation, innovation, segmentation,
       relatedness, linkages, context,
       stakeholders                              analysis packages
       figures
       chapters
       batch
       cli

   Analysis packages are siblings: one may import another only through the other's package
   ``__init__`` (``from clusterlib.innovation import fit_model``), never one of its modules.
   ``from clusterlib import __version__`` is allowed anywhere; nothing else of the lazy root.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import clusterlib

BASE = ("errors", "options", "config", "notices", "yamlfile")
ANALYSIS = (
    "specialisation", "innovation", "segmentation", "relatedness", "linkages", "context",
    "stakeholders",
)  # fmt: skip
#: Top-level module or package of clusterlib -> its layer (higher may import lower).
LAYERS = {
    **dict.fromkeys(BASE, 0),
    "reference": 1,
    "io": 2,
    "i18n": 3,
    **dict.fromkeys(ANALYSIS, 4),
    "figures": 5,
    "chapters": 6,
    "batch": 7,
    "cli": 8,
}
#: Names of the root package a module may import (the root's other names load lazily).
ROOT_NAMES = frozenset({"__version__"})
#: Known cycles (none: the split of innovation/models.py removed the last one, issue 24 §3).
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()


def modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Map the dotted name of every module under the package folder ``root`` to (path, is_package)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if package else parts)] = (path, package)
    return out


def import_graph(root: Path) -> dict[str, dict[str, tuple[int, frozenset[str]]]]:
    """Return ``{module: {imported module: (first line, names imported from the root)}}``."""
    mods = modules(root)
    top = root.name

    def resolve(name: str) -> str:
        while name not in mods and "." in name:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, dict[str, tuple[int, frozenset[str]]]] = {}
    for name, (path, package) in mods.items():
        here = name if package else name.rpartition(".")[0]
        edges: dict[str, tuple[int, frozenset[str]]] = {}
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        typing_only = {  # imports under `if TYPE_CHECKING:` never run: not an edge
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for stmt in node.body
            for sub in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            targets: list[tuple[str, frozenset[str]]] = []
            if isinstance(node, ast.Import):
                targets = [(resolve(a.name), frozenset()) for a in node.names]
                targets = [t for t in targets if t[0].split(".")[0] == top]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                if base.split(".")[0] != top:
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in mods:  # a submodule imported by name
                        targets.append((full, frozenset()))
                    else:
                        target = resolve(base)
                        targets.append(
                            (target, frozenset({alias.name}) if target == top else frozenset())
                        )
            for target, names in targets:
                if target == name:
                    continue
                line, had = edges.get(target, (node.lineno, frozenset()))
                edges[target] = (min(line, node.lineno), had | names)
        graph[name] = edges
    return graph


def find_cycles(graph: dict[str, dict], *, ignore=frozenset()) -> list[list[str]]:
    """Return the import cycles: strongly connected components of more than one module (Tarjan).

    An edge between two modules of a pair in ``ignore`` is left out.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def succ(v):
        return [w for w in graph.get(v, {}) if w in graph and frozenset({v, w}) not in ignore]

    def visit(v):  # recursive: the package has a few hundred modules
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in succ(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def layer_violations(graph: dict[str, dict], *, layers=LAYERS, analysis=ANALYSIS) -> list[str]:
    """Return one line per import that breaks the layer rule (module docstring), sorted."""
    out = []
    for source, edges in sorted(graph.items()):
        parts = source.split(".")
        if len(parts) == 1:  # the lazy root package: it may name anything
            continue
        for target, (line, names) in sorted(edges.items()):
            tparts = target.split(".")
            at = f"{source} line {line} imports {target}"
            if len(tparts) == 1:
                extra = sorted(names - ROOT_NAMES) or ([] if names else ["the package"])
                if extra:
                    out.append(f"{at}: from the root only {sorted(ROOT_NAMES)}, not {extra}")
                continue
            s, t = parts[1], tparts[1]
            if s not in layers or t not in layers:
                out.append(f"{at}: {s if s not in layers else t} has no layer; add it to LAYERS")
            elif layers[t] > layers[s]:
                out.append(f"{at}: upward ({s} is layer {layers[s]}, {t} is {layers[t]})")
            elif s != t and s in analysis and t in analysis and len(tparts) > 2:
                out.append(f"{at}: a sibling's internals; use clusterlib.{t}'s public names")
    return out


ROOT = Path(clusterlib.__file__).parent
GRAPH = import_graph(ROOT)


def test_the_package_has_no_import_cycles():
    assert find_cycles(GRAPH, ignore=KNOWN_CYCLES) == []


def test_every_import_respects_the_layers():
    assert layer_violations(GRAPH) == []


def test_every_top_level_module_has_a_layer():
    tops = {m.split(".")[1] for m in GRAPH if m.count(".") >= 1}
    assert tops == set(LAYERS)


def test_the_graph_sees_imports_inside_functions():
    # io.survey imports the questionnaire reader inside read_survey only
    assert "clusterlib.io.questionnaire" in GRAPH["clusterlib.io.survey"]
    # and module-level imports
    assert "clusterlib.reference.nace" in GRAPH["clusterlib.io.codebook"]


# --- the checker itself, on a tiny fake package ---------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / "fakepkg" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root / "fakepkg"


FAKE_LAYERS = {"errors": 0, "reference": 1, "io": 2, "specialisation": 4, "innovation": 4}
FAKE_ANALYSIS = ("specialisation", "innovation")


def test_checker_finds_a_cycle_hidden_in_a_function(tmp_path):
    root = _write(tmp_path, {
        "__init__.py": "",
        "errors.py": "",
        "io/__init__.py": "",
        "io/a.py": "from fakepkg.io.b import f\n",
        "io/b.py": "def f():\n    from fakepkg.io import a\n    return a\n",
        "io/c.py": "from . import a\n",
    })  # fmt: skip
    graph = import_graph(root)
    assert graph["fakepkg.io.b"] == {"fakepkg.io.a": (2, frozenset())}  # `from pkg import module`
    assert "fakepkg.io.a" in graph["fakepkg.io.c"]  # relative import
    assert find_cycles(graph) == [["fakepkg.io.a", "fakepkg.io.b"]]
    assert find_cycles(graph, ignore={frozenset({"fakepkg.io.a", "fakepkg.io.b"})}) == []


def test_checker_skips_imports_made_for_type_checkers_only(tmp_path):
    """`if TYPE_CHECKING:` imports never run (innovation.margins names results.ModelResult so)."""
    root = _write(tmp_path, {
        "__init__.py": "",
        "io/__init__.py": "",
        "io/a.py": "from fakepkg.io.b import f\n",
        "io/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                   "    from fakepkg.io.a import A\nelse:\n    from fakepkg.io import c\n",
        "io/c.py": "",
    })  # fmt: skip
    graph = import_graph(root)
    assert graph["fakepkg.io.b"] == {"fakepkg.io.c": (5, frozenset())}  # the else branch runs
    assert find_cycles(graph) == []


def test_checker_finds_upward_sibling_and_unplaced_imports(tmp_path):
    root = _write(tmp_path, {
        "__init__.py": "__version__ = '1'\n",
        "errors.py": "",
        "reference/__init__.py": "",
        "reference/nuts.py": "import fakepkg.io.read\n",  # upward: reference -> io
        "io/__init__.py": "",
        "io/read.py": "from fakepkg import __version__\nfrom fakepkg.errors import X\n",  # fine
        "specialisation/__init__.py": "from fakepkg.specialisation.lq import lq\n",
        "specialisation/lq.py": "def lq():\n    from fakepkg.innovation.models import fit\n",
        "innovation/__init__.py": "",
        "innovation/models.py": "from fakepkg.specialisation import LQ\nimport fakepkg\n",
        "figures/__init__.py": "",
    })  # fmt: skip
    problems = layer_violations(import_graph(root), layers=FAKE_LAYERS, analysis=FAKE_ANALYSIS)
    assert problems == [
        "fakepkg.innovation.models line 2 imports fakepkg: from the root only ['__version__'], "
        "not ['the package']",
        "fakepkg.reference.nuts line 1 imports fakepkg.io.read: upward (reference is layer 1, io "
        "is 2)",
        "fakepkg.specialisation.lq line 2 imports fakepkg.innovation.models: a sibling's "
        "internals; use clusterlib.innovation's public names",
    ]


def test_checker_reports_a_module_outside_the_layers(tmp_path):
    root = _write(tmp_path, {
        "__init__.py": "",
        "errors.py": "",
        "plots/__init__.py": "",
        "plots/a.py": "from fakepkg.errors import E\n",
    })  # fmt: skip
    problems = layer_violations(import_graph(root), layers=FAKE_LAYERS, analysis=FAKE_ANALYSIS)
    assert problems == ["fakepkg.plots.a line 1 imports fakepkg.errors: plots has no layer; add "
                        "it to LAYERS"]  # fmt: skip


@pytest.mark.parametrize("name", sorted(clusterlib.__all__))
def test_every_public_name_of_the_root_resolves(name):
    assert getattr(clusterlib, name) is not None


def test_star_import_works():
    namespace: dict = {}
    exec("from clusterlib import *", namespace)  # noqa: S102 - the statement under test
    assert set(clusterlib.__all__) <= set(namespace)
    for sub in ("context", "i18n", "io", "reference"):
        assert sub in namespace


# --- one owner of what a code means --------------------------------------------------------------

#: Hand-written readings of a NUTS code (its country, its level) that belong to reference.nuts.
HAND_CHECKS = re.compile(r"\.str\[:2\]|\.str\.len\(\)\s*==\s*4|len\([A-Za-z_]\w*\)\s*==\s*4")


def private_imports(root: Path) -> list[str]:
    """Imports of an underscore name from another top-level package or module of ``root``."""
    out = []
    for name, (path, _) in sorted(modules(root).items()):
        top = name.split(".")[1] if "." in name else ""
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(root.name + "."):
                theirs = node.module.split(".")[1]
                for alias in node.names:
                    if alias.name.startswith("_") and theirs != top:
                        out.append(f"{name} line {node.lineno}: {alias.name} of {node.module}")
    return out


def test_no_private_name_is_imported_across_packages():
    assert private_imports(ROOT) == []


def test_private_import_checker_sees_one(tmp_path):
    root = _write(tmp_path, {
        "__init__.py": "",
        "reference/__init__.py": "",
        "reference/nace.py": "def _nace():\n    pass\n",
        "reference/clusters.py": "from fakepkg.reference.nace import _nace\n",  # same package
        "io/__init__.py": "",
        "io/survey.py": "def f():\n    from fakepkg.reference.nace import _nace\n",
    })  # fmt: skip
    assert private_imports(root) == ["fakepkg.io.survey line 2: _nace of fakepkg.reference.nace"]


def test_only_reference_reads_the_form_of_a_region_code():
    found = [
        f"{path.relative_to(ROOT.parent)}:{k}: {line.strip()}"
        for path in sorted(ROOT.rglob("*.py"))
        if path.parent.name != "reference"
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAND_CHECKS.search(line)
    ]
    assert found == []
    # the pattern sees the checks this test replaced
    assert HAND_CHECKS.search('cells["region"].str.len() == 4')
    assert HAND_CHECKS.search("sub.regions[r].str[:2],")
    assert HAND_CHECKS.search("if len(c) == 4")
