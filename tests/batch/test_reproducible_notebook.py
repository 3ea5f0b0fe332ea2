"""clusterlib.batch.reproducible on hand-made executed notebooks, no kernel (issue 23 §1).

What papermill adds to an executed notebook is written here by hand: run times in the notebook's
and the cells' metadata, a random id for the injected parameters cell, and the kernel's private
temporary folder in the parameters and in printed output. Cell ids are
``cell-<position>-<first 8 hex digits of sha256(source)>``; the digests were computed with
``printf '<source>' | sha256sum``.
"""

import json

import nbformat
import pytest

from clusterlib.batch.reproducible import normalise_notebook, stable_cell_id

#: printf 'x = 1' | sha256sum -> 8ff436de...; printf 'output_dir = "."' | sha256sum -> c554c16c...
X1 = "8ff436de"
OUTPUT_DIR = "c554c16c"
#: printf 'y = 2' | sha256sum
Y2 = "9067770c"


def _source(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title", id="intro"),
        nbformat.v4.new_code_cell("print(1)", id="calc"),
    ]
    nbformat.write(nb, path)
    return path


def _executed(path, tmp: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "2026-01-01T10:00:00", "duration": 1.5}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "py"}
    injected = nbformat.v4.new_code_cell(f'output_dir = "{tmp}"', id="f3a9c2e1-random")
    injected.metadata = {"tags": ["injected-parameters"], "papermill": {"duration": 0.1}}
    calc = nbformat.v4.new_code_cell("print(1)", id="calc", execution_count=2)
    calc.metadata = {
        "tags": ["keep"],
        "papermill": {"status": "completed"},
        "execution": {"iopub.execute_input": "2026-01-01T10:00:01"},
        "collapsed": False,
        "scrolled": True,
    }
    calc.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"saved {tmp}/a.csv\n")]
    copy = nbformat.v4.new_code_cell("x = 1", id="9d1e-random")  # a cell not in the source
    nb.cells = [nbformat.v4.new_markdown_cell("# Title", id="intro"), injected, calc, copy]
    nbformat.write(nb, path)
    return path


def test_stable_cell_id_by_hand():
    assert stable_cell_id(0, "x = 1") == f"cell-0-{X1}"
    assert stable_cell_id(12, "x = 1") == f"cell-12-{X1}"


def test_executed_notebook_loses_times_random_ids_and_the_temporary_folder(tmp_path):
    tmp = "/tmp/pm-7q2x/run"
    path = _executed(tmp_path / "run.ipynb", tmp)
    nb = normalise_notebook(path, source=_source(tmp_path / "src.ipynb"), temporary=tmp)
    assert dict(nb.metadata) == {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "py"}
    }
    ids = [c["id"] for c in nb.cells]
    # the source's cells keep their ids; the injected cell and the one not in the source get stable
    # ids
    assert ids == ["intro", f"cell-1-{OUTPUT_DIR}", "calc", f"cell-3-{X1}"]
    assert nb.cells[1].source == 'output_dir = "."'
    assert dict(nb.cells[1].metadata) == {"tags": ["injected-parameters"]}
    assert dict(nb.cells[2].metadata) == {"tags": ["keep"]}
    assert nb.cells[2].outputs[0]["text"] == "saved ./a.csv\n"
    text = path.read_text(encoding="utf-8")
    assert tmp not in text and "papermill" not in text and "2026-01-01" not in text
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert nbformat.reads(text, as_version=4) == nb  # the notebook returned is the one written


def test_same_inputs_same_bytes_whatever_the_temporary_folder(tmp_path):
    src = _source(tmp_path / "src.ipynb")
    a = _executed(tmp_path / "a.ipynb", "/tmp/pm-first")
    b = _executed(tmp_path / "b.ipynb", "/tmp/other-folder-9")
    normalise_notebook(a, source=src, temporary="/tmp/pm-first")
    normalise_notebook(b, source=src, temporary="/tmp/other-folder-9")
    assert a.read_bytes() == b.read_bytes()
    normalise_notebook(a, source=src, temporary="/tmp/pm-first")  # a second pass changes nothing
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("name", ['we"ird', "back\\slash"])
def test_a_temporary_path_that_json_escapes_is_replaced_too(tmp_path, name):
    """In the notebook file a quote or backslash of the path is escaped (\\" or \\\\)."""
    tmp = f"/tmp/{name}/x"
    path = _executed(tmp_path / "run.ipynb", tmp)
    assert json.dumps(tmp)[1:-1] in path.read_text(encoding="utf-8")  # the escaped form is there
    nb = normalise_notebook(path, source=_source(tmp_path / "src.ipynb"), temporary=tmp)
    assert nb.cells[1].source == 'output_dir = "."'
    assert nb.cells[2].outputs[0]["text"] == "saved ./a.csv\n"
    assert nb.cells[1]["id"] == f"cell-1-{OUTPUT_DIR}"


def test_without_source_or_temporary(tmp_path):
    """No source notebook: every cell gets a stable id; no temporary: paths are left alone."""
    tmp = "/tmp/pm-keep"
    path = _executed(tmp_path / "run.ipynb", tmp)
    nb = normalise_notebook(path)
    assert [c["id"] for c in nb.cells][2:] == [
        "cell-2-d287bb7f",  # printf 'print(1)' | sha256sum -> d287bb7f...
        f"cell-3-{X1}",
    ]
    assert nb.cells[2].outputs[0]["text"] == f"saved {tmp}/a.csv\n"
    assert "papermill" not in nb.metadata and "execution" not in nb.cells[2].metadata


def test_a_plain_notebook_passes_unchanged_in_content(tmp_path):
    """No papermill metadata and no volatile keys at all: nothing to remove, no error."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", id="a"), nbformat.v4.new_code_cell("y", id="b")]
    nbformat.write(nb, tmp_path / "p.ipynb")
    out = normalise_notebook(tmp_path / "p.ipynb", source=tmp_path / "p.ipynb")
    assert [c["id"] for c in out.cells] == ["a", "b"] and [c.source for c in out.cells] == [
        "x = 1",
        "y",
    ]


def test_a_stable_id_that_collides_with_a_source_id_is_not_used_twice(tmp_path):
    """The source already has a cell whose id is the stable id of the injected cell before it."""
    src = nbformat.v4.new_notebook()
    src.cells = [nbformat.v4.new_code_cell("y = 2", id=f"cell-0-{X1}")]
    nbformat.write(src, tmp_path / "src.ipynb")
    run = nbformat.v4.new_notebook()
    run.cells = [
        nbformat.v4.new_code_cell("x = 1", id="f3a9-random"),  # injected: becomes cell-0-8ff436de
        nbformat.v4.new_code_cell("y = 2", id=f"cell-0-{X1}"),
    ]
    nbformat.write(run, tmp_path / "run.ipynb")
    nb = normalise_notebook(tmp_path / "run.ipynb", source=tmp_path / "src.ipynb")
    # printf 'y = 2' | sha256sum -> the second cell's id is cell-1-<its first 8 hex digits>
    assert [c["id"] for c in nb.cells] == [f"cell-0-{X1}", f"cell-1-{Y2}"]
