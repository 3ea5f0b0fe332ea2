"""Kernels forked from the worker's zygote (clusterlib.batch.zygote): fresh, isolated, identical.

Each check runs in a process of its own (the zygote makes its process a child subreaper, which
pytest's process should not become), as a batch worker would: the zygote is enabled, then
notebooks are executed one after the other with :func:`clusterlib.batch.runner.execute`.
"""

import json
import os
import subprocess
import sys

import nbformat
import pytest

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl"),
]

SCRIPT = """
import json, sys
import nbformat
from clusterlib.batch import zygote
from clusterlib.batch.runner import execute
zygote.enable()  # not with CLUSTERLIB_ZYGOTE=0
out = []
for src in sys.argv[1:]:
    dest = src + ".out.ipynb"
    try:
        execute(src, dest, {}, timeout=120)
    except Exception as exc:
        out.append({"error": type(exc).__name__})
        continue
    nb = nbformat.read(dest, 4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    out.append(json.loads(text.strip().splitlines()[-1]))
out.append({"zygote": zygote.zygote_pid()})
zygote.disable()
print(json.dumps(out))
"""
#: What a kernel reports about itself: its process, whether it was forked from the pre-imported
#: zygote (a module it never imported is loaded), and any state an earlier notebook left.
REPORT = """
import gc, json, os, sys
import numpy
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "sid": os.getsid(0),
    "frozen": gc.get_freeze_count(), "gc_enabled": gc.isenabled(),
    "preloaded": "sklearn.cluster" in sys.modules,
    "leak_global": "leak" in globals(), "leak_module": hasattr(numpy, "LEAK"),
    "leak_env": os.environ.get("CLUSTERLIB_LEAK"), "random": numpy.random.random(),
    "cwd": os.getcwd(), "path0": sys.path[0],
    "watches_parent": os.environ.get("JPY_PARENT_PID") == str(os.getppid())}))
"""
#: A notebook that leaves state everywhere it can: a global, a module attribute, a variable.
LEAKER = """
leak = 1
import os, numpy
numpy.LEAK = 1
os.environ["CLUSTERLIB_LEAK"] = "1"
"""


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return str(path)


#: As in a batch worker (kernels.\_worker_init): one BLAS thread, so numpy starts no thread pool.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _run(*notebooks, env=None):
    res = subprocess.run(
        [sys.executable, "-c", SCRIPT, *notebooks],
        capture_output=True, text=True, timeout=600, env={**os.environ, **WORKER_ENV, **(env or {})},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_a_notebooks_state_does_not_reach_the_next_kernel(tmp_path):
    first = _notebook(tmp_path / "a.ipynb", LEAKER, REPORT)
    second = _notebook(tmp_path / "b.ipynb", REPORT)
    a, b, z = _run(first, second)
    assert a["leak_global"] and a["leak_module"] and a["leak_env"] == "1"  # the leaker leaked
    assert not b["leak_global"] and not b["leak_module"] and b["leak_env"] is None
    assert a["pid"] != b["pid"]  # one fresh process per notebook
    assert a["preloaded"] and b["preloaded"]  # both forked from the pre-imported zygote
    assert z["zygote"] not in (a["pid"], b["pid"])
    assert a["random"] != b["random"]  # numpy's global generator reseeded in each kernel
    for k in (a, b):
        assert k["sid"] == k["pid"]  # each leads its own session, as a launched kernel does
        assert k["ppid"] not in (z["zygote"], 1)  # re-parented to the worker, not orphaned


def test_a_crashed_kernel_leaves_the_zygote_and_the_next_kernel_alone(tmp_path):
    crash = _notebook(
        tmp_path / "crash.ipynb", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
    )
    after = _notebook(tmp_path / "after.ipynb", REPORT)
    crashed, ok, z = _run(crash, after)
    assert crashed == {"error": "DeadKernelError"}
    assert ok["preloaded"] and z["zygote"] is not None  # the zygote survived and forked again


def test_forked_and_launched_kernels_see_the_same_process_setup(tmp_path):
    nb = _notebook(tmp_path / "r.ipynb", REPORT)
    forked, _ = _run(nb)
    launched, z = _run(nb, env={"CLUSTERLIB_ZYGOTE": "0"})
    assert z == {"zygote": None}
    assert forked["preloaded"] and not launched["preloaded"]
    assert forked["watches_parent"]  # ipykernel's parent poller: the kernel dies with the worker
    # the zygote's imported objects are frozen before the fork (fewer copied pages per kernel);
    # the kernel still collects its own garbage
    assert forked["frozen"] > 10_000 and launched["frozen"] == 0
    assert forked["gc_enabled"] and launched["gc_enabled"]
    for key in ("cwd", "path0", "leak_env", "watches_parent"):
        assert forked[key] == launched[key], key


def test_zygote_refuses_to_fork_with_a_second_thread():
    code = (
        "import threading; from clusterlib.batch import zygote\n"
        "import pandas  # pyarrow's allocator thread is allowed\n"
        "alone = zygote._one_thread()\n"
        "stop = threading.Event(); t = threading.Thread(target=stop.wait); t.start()\n"
        "print(alone, zygote._one_thread()); stop.set()"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={**os.environ, **WORKER_ENV},
    )  # fmt: skip
    assert res.stdout.split() == ["True", "False"], res.stderr[-2000:]


def test_batch_outputs_are_byte_identical_with_and_without_the_zygote(tmp_path):
    """The real notebooks 05 and 06 for one region: the same bytes from forked and launched kernels."""
    outs = {}
    for mode in ("1", "0"):
        out = tmp_path / f"z{mode}"
        cmd = [sys.executable, "-m", "clusterlib.cli", "run", "--regions", "PL22", "--notebooks",
               "05_value_chains,06_innovation_context", "--jobs", "2", "--out", str(out),
               "--no-progress"]  # fmt: skip
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=900,
                             env={**os.environ, "CLUSTERLIB_ZYGOTE": mode})  # fmt: skip
        assert res.returncode == 0, res.stderr[-3000:]
        outs[mode] = {
            p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
        }
    assert outs["1"].keys() == outs["0"].keys()
    differ = [str(k) for k in outs["1"] if outs["1"][k] != outs["0"][k]]
    assert differ == []
