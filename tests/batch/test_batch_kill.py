"""kill -9 of ``clusterlib run`` and byte-reproducible outputs, on tiny notebooks (issue 23 §1-2).

The runner is a real ``clusterlib run`` process on notebooks of the test's own: the real
parameters cell of each notebook, then a cell that writes metrics, an export, prints its output
folder, shows math, and sleeps a little. Every process it starts inherits a marker variable, so
the test finds every descendant (workers, kernels, the resource tracker) through /proc.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from clusterlib import config
from clusterlib.batch.params import NOTEBOOKS as BATCH_NOTEBOOKS

pytestmark = [pytest.mark.slow, pytest.mark.kernel]

CLI = [sys.executable, "-m", "clusterlib.cli"]
NOTEBOOKS = BATCH_NOTEBOOKS  # every notebook of the batch, each as a tiny one
BODY = """import json, pathlib, time
out = pathlib.Path(output_dir)
(out / "exports").mkdir(exist_ok=True)
(out / "exports" / f"{{region}}_{name}.csv").write_text("region,value\\n" + region + ",1.5\\n")
(out / "metrics.json").write_text(json.dumps({{"tiny_{name}": {{"region": region, "x": 0.1 + 0.2}}}}))
print("outputs written to", out)
time.sleep({seconds})"""


def _notebooks(folder: Path, seconds: float) -> Path:
    folder.mkdir()
    for name in NOTEBOOKS:
        real = nbformat.read(config.PROJECT_ROOT / "notebooks" / f"{name}.ipynb", 4)
        params = next(c for c in real.cells if "parameters" in c.metadata.get("tags", []))
        nb = nbformat.v4.new_notebook(metadata=real.metadata)
        nb.cells = [
            params,
            nbformat.v4.new_markdown_cell("# Tiny\nThe formula $x^2$ and $$\\frac{a}{b}$$."),
            nbformat.v4.new_code_cell(BODY.format(name=name, seconds=seconds)),
        ]
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


@pytest.fixture
def short_tmp():
    folder = Path(tempfile.mkdtemp(prefix="clk-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _tagged(tag: str) -> list[int]:
    """Process ids (not zombies) whose environment holds ``CLUSTERLIB_TEST_TAG=tag``."""
    found = []
    needle = f"CLUSTERLIB_TEST_TAG={tag}".encode()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if needle in (d / "environ").read_bytes().split(b"\0"):
                state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(d.name))
        except OSError:
            continue
    return found


def _argv(out: Path, notebooks: str, *extra: str) -> list[str]:
    return [*CLI, "run", "--regions", "PL22,PL21", "--notebooks", notebooks, "--jobs", "2",
            "--out", str(out), "--no-progress", *extra]  # fmt: skip


def _no_partial_output(out: Path, tmp: Path) -> None:
    """No temporary folder or file, no kernel folder; every written file whole."""
    assert list(tmp.glob("clusterlib-kernel-*")) == []
    assert list(out.glob("*/.tmp-*")) == []
    assert [p for p in out.rglob("*.tmp")] == []
    for marker in out.glob("*/.*.done.json"):
        info = json.loads(marker.read_text(encoding="utf-8"))
        assert all((marker.parent / f).is_file() for f in info["files"]), marker
    for nb in out.rglob("*.ipynb"):
        nbformat.read(nb, as_version=4)  # whole JSON
    for js in out.rglob("*.json"):
        json.loads(js.read_text(encoding="utf-8"))


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_kill_9_at_random_moments_leaves_no_process_and_no_partial_output(tmp_path, short_tmp):
    rng = random.Random(23)  # the seed of the kill moments
    tag = uuid.uuid4().hex
    env = {**os.environ, "CLUSTERLIB_NOTEBOOKS": str(_notebooks(tmp_path / "nb", 1.5)),
           "TMPDIR": str(short_tmp), "CLUSTERLIB_TEST_TAG": tag}  # fmt: skip
    out = tmp_path / "out"
    argv = _argv(out, "01_specialisation,03_firm_segments", "--resume")
    try:
        for _ in range(5):
            runner = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)  # fmt: skip
            time.sleep(rng.uniform(0.5, 7.0))
            runner.send_signal(signal.SIGKILL)
            runner.wait()
            deadline = time.monotonic() + 20
            while _tagged(tag) and time.monotonic() < deadline:
                time.sleep(0.2)
            left = _tagged(tag)
            info = []
            for p in left:
                try:
                    cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")[:150]
                    st = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                    info.append((p, st[0], st[1], cmd))
                except OSError:
                    pass
            assert left == [], f"processes of the killed run live on: {info}"
            _no_partial_output(out, short_tmp)
        # a last run takes the dead run's lock over and completes; it leaves nothing behind
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    finally:
        for pid in _tagged(tag):
            os.kill(pid, signal.SIGKILL)
    assert _tagged(tag) == []
    _no_partial_output(out, short_tmp)
    assert not (out / ".clusterlib-run.lock").exists()
    for region in ("PL22", "PL21"):
        for nb in ("01_specialisation", "03_firm_segments"):
            assert (out / region / f".{nb}.done.json").exists()
            assert (out / region / f"{nb}.html").exists()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


def test_same_inputs_give_the_same_bytes_in_every_file(tmp_path, short_tmp):
    """Two runs into two folders (other temporary folders, other times): a diff -r is empty."""
    env = {**os.environ, "CLUSTERLIB_NOTEBOOKS": str(_notebooks(tmp_path / "nb", 0)),
           "TMPDIR": str(short_tmp)}  # fmt: skip
    trees = []
    for name in ("first", "second-folder"):
        out = tmp_path / name
        done = subprocess.run(_argv(out, "01_specialisation,03_firm_segments"), env=env,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr
        trees.append(_tree(out))
    first, second = trees
    assert sorted(first) == sorted(second)
    assert {"index.html", "manifest.json", "headline.csv", "PL22/brief.html",
            "PL22/metrics.json", "PL22/01_specialisation.ipynb", "PL22/01_specialisation.html",
            "PL21/exports/PL21_03_firm_segments.csv"} <= set(first)  # fmt: skip
    differ = [f for f in first if first[f] != second[f]]
    assert differ == []
    text = "\n".join(v.decode("utf-8", "replace") for v in first.values())
    # no temporary path: neither the kernels' TMPDIR nor the output folder itself
    assert str(short_tmp) not in text and str(tmp_path / "first") not in text
    assert "start_time" not in text and "duration" not in text  # no papermill timestamps
    nb = json.loads(first["PL22/01_specialisation.ipynb"])
    assert "outputs written to ." in json.dumps(nb)
