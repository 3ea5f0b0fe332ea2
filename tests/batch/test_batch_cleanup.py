"""A batch leaves nothing behind: kernel folders, connection files, .tmp-* runs, live kernels.

The runner is started as a real ``clusterlib run`` process on notebooks of the test's own (a
copy of the parameters cell of notebook 01, then a cell that sleeps), with ``TMPDIR`` pointing
at a folder of the test, so every kernel folder it creates is visible here and nothing else is.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from clusterlib import config
from clusterlib.batch.params import NOTEBOOKS

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "clusterlib.cli"]


def _notebooks(folder: Path, seconds: int) -> Path:
    """Notebooks whose 01 has the real parameters cell and then sleeps ``seconds``."""
    folder.mkdir()
    for name in NOTEBOOKS[1:]:  # every notebook of the batch but 01
        shutil.copy(config.PROJECT_ROOT / "notebooks" / f"{name}.ipynb", folder)
    real = nbformat.read(config.PROJECT_ROOT / "notebooks" / "01_specialisation.ipynb", 4)
    params = next(c for c in real.cells if "parameters" in c.metadata.get("tags", []))
    nb = nbformat.v4.new_notebook(metadata=real.metadata)
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})"),
    ]
    nbformat.write(nb, folder / "01_specialisation.ipynb")
    return folder


@pytest.fixture
def short_tmp():
    """A private TMPDIR with a short path: the kernels' Unix socket paths must stay under 107 bytes
    (pytest's own tmp_path, /tmp/pytest-of-<user>/pytest-<n>/<test name>/, can exceed it)."""
    folder = Path(tempfile.mkdtemp(prefix="clk-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _env(tmp: Path, notebooks: Path) -> dict:
    return {**os.environ, "CLUSTERLIB_NOTEBOOKS": str(notebooks), "TMPDIR": str(tmp)}


def _run(tmp_path, env, *extra):
    argv = [*CLI, "run", "--regions", "PL22", "--notebooks", "01_specialisation"]
    argv += ["--out", str(tmp_path / "out"), "--jobs", "1", "--no-progress", *extra]
    return argv


def _kernel(tmp: Path, timeout: float = 90) -> tuple[psutil.Process, Path]:
    """Wait until a kernel runs with its connection file in a clusterlib folder under ``tmp``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for conn in tmp.glob("clusterlib-kernel-*/connection.json"):
            for p in psutil.process_iter(["cmdline"]):
                if str(conn) in " ".join(p.info["cmdline"] or []) or _logs_to(p, conn.parent):
                    return p, conn.parent
        time.sleep(0.2)
    raise AssertionError("no kernel started within the timeout")


def _logs_to(p: psutil.Process, folder: Path) -> bool:
    """Whether ``p``'s stderr is the kernel log of ``folder``: a kernel forked by the worker's
    zygote (clusterlib.batch.zygote) keeps the zygote's command line, not the kernel's."""
    try:
        return os.readlink(f"/proc/{p.pid}/fd/2") == str(folder / "kernel.log")
    except OSError:
        return False


def _listening(kernel: psutil.Process, timeout: float = 60) -> list:
    """The kernel's TCP listeners once it has finished starting (its IOPub thread is up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in kernel.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
        if found:
            time.sleep(0.5)  # anything else would have been bound at the same start-up step
            return [
                c for c in kernel.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN
            ]
        time.sleep(0.1)
    return []


def _leftovers(tmp: Path, tmp_path: Path) -> list[Path]:
    return list(tmp.glob("clusterlib-kernel-*")) + list((tmp_path / "out").glob("*/.tmp-*"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_shuts_down_every_kernel(tmp_path, short_tmp, sig):
    env = _env(short_tmp, _notebooks(tmp_path / "nb", seconds=300))
    runner = subprocess.Popen(_run(tmp_path, env), env=env, stderr=subprocess.PIPE, text=True)
    try:
        kernel, folder = _kernel(short_tmp)
        # What listens: the kernel channels are Unix sockets in the private folder; the one TCP
        # listener is ipykernel's IOPub pipe, on loopback (see IPCKernelManager's docstring).
        listening = _listening(kernel)
        assert [c.laddr.ip for c in listening] == ["127.0.0.1"]
        assert {p.name for p in folder.iterdir()} >= {"connection.json"}
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
        time.sleep(1)  # the sleeping cell is under way
        runner.send_signal(sig)
        _, err = runner.communicate(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
    assert runner.returncode != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("clusterlib: stopped by")
    assert "Traceback" not in err
    # killed by the runner before it exited, not later by ipykernel's own parent poller
    gone = not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE
    assert gone, "the kernel outlived the runner"
    assert _leftovers(short_tmp, tmp_path) == []
    assert not (tmp_path / "out" / "PL22" / ".01_specialisation.done.json").exists()


def test_successful_run_and_resume_leave_nothing(tmp_path, short_tmp):
    env = _env(short_tmp, _notebooks(tmp_path / "nb", seconds=0))
    # What an earlier killed runner left: an empty .tmp-* run folder and the kernel folder of a
    # process that no longer exists.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale_kernel = short_tmp / f"clusterlib-kernel-{dead.pid}-abc"
    stale_kernel.mkdir(parents=True)
    (stale_kernel / "connection.json").write_text("{}")
    stale_run = tmp_path / "out" / "PL22" / ".tmp-01_specialisation-xyz"
    stale_run.mkdir(parents=True)
    done = subprocess.run(_run(tmp_path, env, "--resume"), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _leftovers(short_tmp, tmp_path) == []
    marker = json.loads((tmp_path / "out" / "PL22" / ".01_specialisation.done.json").read_text())
    assert "01_specialisation.ipynb" in marker["files"]
    # resume with nothing to do leaves nothing either
    again = subprocess.run(_run(tmp_path, env, "--resume"), env=env, capture_output=True, text=True)
    assert again.returncode == 0 and "1 skipped" in again.stdout
    assert _leftovers(short_tmp, tmp_path) == []


def test_live_kernel_folder_of_a_running_process_is_kept(tmp_path, monkeypatch):
    from clusterlib.batch import kernels as runner

    monkeypatch.setattr(runner.tempfile, "tempdir", str(tmp_path))
    mine = tmp_path / f"clusterlib-kernel-{os.getpid()}-live"
    mine.mkdir()
    removed = runner.sweep_stale(None)
    assert mine.exists() and removed == []


def test_kernel_sockets_fit_whatever_tmpdir(monkeypatch, tmp_path):
    # a TMPDIR so long that the socket paths would pass the 107-byte limit: the kernel's folder
    # goes to /tmp instead, and the stale-folder sweep looks there too
    from clusterlib.batch import kernels

    deep = tmp_path / ("x" * 80)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    assert kernels.kernel_root() == "/tmp"
    assert "/tmp" in kernels.kernel_roots()
    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    assert kernels.kernel_root() == "/tmp"
