"""Same inputs, same bytes: executed notebooks without timestamps, random ids or temporary paths.

papermill stamps every executed notebook with start and end times and durations (notebook and cell
metadata), the injected parameters cell gets a random cell id, and the kernel writes into a
private temporary folder whose path ends up in the injected ``output_dir`` and in any output that
prints it. :func:`normalise_notebook` removes all three, so two runs of a batch on the same inputs
give byte-identical notebooks, and so reports rendered from them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat

#: Cell metadata written by papermill (times, status) and by Jupyter's timing (``execution``).
VOLATILE_CELL_KEYS = ("papermill", "execution", "collapsed", "scrolled")
#: What the temporary output folder is replaced by: the folder the outputs are moved to.
OUTPUT_PLACEHOLDER = "."


def stable_cell_id(index: int, source: str) -> str:
    """Return a cell id made of the cell's position and source (nbformat ids: 1-64 of ``[a-zA-Z0-9-_]``).

    >>> stable_cell_id(0, "x = 1")
    'cell-0-8ff436de'
    """
    return f"cell-{index}-{hashlib.sha256(source.encode()).hexdigest()[:8]}"


def normalise_notebook(
    path: Path, *, source: Path | None = None, temporary: Path | str | None = None
) -> nbformat.NotebookNode:
    """Rewrite an executed notebook so that it depends only on its inputs; return it.

    Parameters
    ----------
    path : Path
        The executed notebook; rewritten in place.
    source : Path, optional
        The notebook that was executed: cells keep the ids they have there, every other cell
        (papermill's injected parameters) gets :func:`stable_cell_id`.
    temporary : Path or str, optional
        The private folder the kernel wrote into; every occurrence of its path (the injected
        ``output_dir``, printed paths) becomes :data:`OUTPUT_PLACEHOLDER`.

    Notes
    -----
    Removed: the notebook's ``papermill`` metadata (start and end time, duration, input and output
    paths, environment), and each cell's ``papermill`` and ``execution`` metadata.
    """
    text = Path(path).read_text(encoding="utf-8")
    if temporary is not None:  # first, so that the cell ids below do not depend on it
        tmp = str(temporary)
        escaped = json.dumps(tmp)[1:-1]  # as it appears inside a JSON string
        for form in dict.fromkeys((escaped, tmp)):
            text = text.replace(form, OUTPUT_PLACEHOLDER)
    nb = nbformat.reads(text, as_version=4)
    known = set()
    if source is not None:
        known = {c.get("id") for c in nbformat.read(source, as_version=4).cells}
    nb.metadata.pop("papermill", None)
    seen: set[str] = set()
    for i, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.get("id") not in known or cell.get("id") in seen:
            cell["id"] = stable_cell_id(i, cell.source)
        seen.add(cell["id"])
    # nbformat.writes is json.dumps of the notebook: it ends with "}", never with a line feed
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return nb
