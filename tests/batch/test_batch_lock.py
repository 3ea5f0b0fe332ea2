"""One run per output folder; markers only by the owner; workers die with the runner (issue 23 §2).

Fast tests, no kernels: the lock file and its take-over, the ownership check of a job, the
worker's parent-death watch, and an empty ``--notebooks`` selection.
"""

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clusterlib.batch import kernels, lock
from clusterlib.batch.params import build_jobs
from clusterlib.cli import main
from clusterlib.errors import OutputError


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_lock_writes_pid_and_token_and_is_removed(tmp_path):
    with lock.FolderLock(tmp_path) as held:
        pid, token = lock.holder(tmp_path)
        assert pid == os.getpid() and token == held.token and len(token) == 16
        assert lock.owns(tmp_path, token) and not lock.owns(tmp_path, "other")
        assert not lock.owns(tmp_path, None)  # a lock is held: "no lock" is not the owner
    assert not (tmp_path / lock.LOCK_NAME).exists() and lock.holder(tmp_path) == (None, None)
    assert lock.owns(tmp_path, None)


def _hold(out, ready, stop):
    with lock.FolderLock(out):
        ready.set()
        stop.wait(30)


def test_second_run_is_refused_naming_the_holder(tmp_path, capsys):
    ctx = multiprocessing.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold, args=(tmp_path / "out", ready, stop))
    other.start()
    try:
        assert ready.wait(30)
        with pytest.raises(
            OutputError, match=rf"in use by another clusterlib run \(process {other.pid},"
        ):
            lock.FolderLock(tmp_path / "out").acquire()
        # the command refuses before any kernel starts, and touches nothing of the folder
        (tmp_path / "out" / "PL22").mkdir()
        (tmp_path / "out" / "PL22" / ".tmp-01_specialisation-live").mkdir()
        argv = ["run", "--regions", "PL22", "--notebooks", "01_specialisation", "--resume"]
        assert main([*argv, "--out", str(tmp_path / "out"), "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert f"process {other.pid}" in err and "in use by another clusterlib run" in err
        assert (tmp_path / "out" / "PL22" / ".tmp-01_specialisation-live").is_dir()
    finally:
        stop.set()
        other.join(30)
    with lock.FolderLock(tmp_path / "out"):  # released with its holder
        pass


def test_lock_of_a_dead_run_is_taken_over(tmp_path):
    dead = _dead_pid()
    (tmp_path / lock.LOCK_NAME).write_text(f"{dead} 0123456789abcdef\n")
    assert not lock.owns(tmp_path, "0123456789abcdef")  # its holder is dead
    with lock.FolderLock(tmp_path) as held:
        assert lock.holder(tmp_path) == (os.getpid(), held.token)


def _race(out, barrier, results):
    barrier.wait()
    try:
        held = lock.FolderLock(out).acquire()
        results.put("won")
        time.sleep(2)  # keep it while the others try
        held.release()
    except OutputError:
        results.put("refused")


def test_two_runs_taking_over_at_once_cannot_both_win(tmp_path):
    (tmp_path / lock.LOCK_NAME).write_text(f"{_dead_pid()} deadbeefdeadbeef\n")
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(tmp_path, barrier, results)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    got = sorted(results.get(timeout=5) for _ in procs)
    assert got == ["refused", "refused", "refused", "won"]


def test_job_of_a_run_that_lost_the_folder_touches_no_marker(tmp_path, monkeypatch):
    """The other run's marker survives; no output is moved in; the job reports why."""
    import nbformat

    from clusterlib.batch import runner

    monkeypatch.setattr("clusterlib.batch.render.render_html", lambda path, **kw: "<html></html>")
    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    mine = lock.FolderLock(tmp_path).acquire()
    rdir = tmp_path / "PL22"
    rdir.mkdir()
    theirs = {"input_hash": "theirs", "files": []}

    def papermill_then_taken_over(input_path, output_path, **kwargs):
        nbformat.write(nbformat.v4.new_notebook(), output_path)
        # meanwhile this run was killed and another took the folder over and finished this job
        (tmp_path / lock.LOCK_NAME).unlink()
        mine.release()
        lock.FolderLock(tmp_path).acquire()
        (rdir / ".03_firm_segments.done.json").write_text(json.dumps(theirs))

    monkeypatch.setattr(runner.papermill, "execute_notebook", papermill_then_taken_over)
    result = runner.run_job(job, str(tmp_path), "mine")
    assert result["status"] == "failed" and "no longer holds the output folder" in result["error"]
    assert json.loads((rdir / ".03_firm_segments.done.json").read_text()) == theirs
    assert sorted(p.name for p in rdir.iterdir()) == [".03_firm_segments.done.json"]


def test_failing_job_of_a_run_that_lost_the_folder_removes_no_marker(tmp_path, monkeypatch):
    from clusterlib.batch import runner

    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    mine = lock.FolderLock(tmp_path).acquire()
    rdir = tmp_path / "PL22"
    rdir.mkdir()

    def fail_after_takeover(input_path, output_path, **kwargs):
        import nbformat

        cell = nbformat.v4.new_code_cell("1 / 0", execution_count=1)  # a cell ran: no retry
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), output_path)
        (tmp_path / lock.LOCK_NAME).unlink()
        mine.release()
        lock.FolderLock(tmp_path).acquire()
        (rdir / ".03_firm_segments.done.json").write_text("{}")
        raise RuntimeError("the kernel died")

    monkeypatch.setattr(runner.papermill, "execute_notebook", fail_after_takeover)
    result = runner.run_job(job, str(tmp_path), "mine")
    assert result["status"] == "failed" and "no longer holds" in result["error"]
    assert (rdir / ".03_firm_segments.done.json").read_text() == "{}"
    assert not list(rdir.glob(".tmp-*")) and not list(rdir.glob("*.failed.ipynb"))


_CHILD = """
import os, sys, time
from clusterlib.batch import kernels
kernels.PARENT_POLL = 0.1
folder = sys.argv[1]
os.makedirs(folder)
kernels.RUN_FOLDERS.add(__import__("pathlib").Path(folder))
kernels._worker_init()
print("ready", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("pdeathsig", [True, False])
def test_worker_dies_with_its_parent_and_removes_its_run_folder(tmp_path, pdeathsig):
    """A middle process starts a worker and is killed with SIGKILL: the worker follows."""
    folder = tmp_path / ".tmp-run"
    env = {**os.environ, "CLUSTERLIB_NO_PDEATHSIG": "" if pdeathsig else "1"}
    middle = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', sys.argv[1], "
         "sys.argv[2]], stdout=subprocess.PIPE, text=True); print(p.pid, flush=True); "
         "print(p.stdout.readline(), end='', flush=True); __import__('time').sleep(60)",
         _CHILD, str(folder)],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    worker = int(middle.stdout.readline())
    assert middle.stdout.readline().strip() == "ready" and folder.is_dir()
    middle.kill()
    middle.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and kernels.pid_alive(worker):
        time.sleep(0.05)
        with __import__("contextlib").suppress(ChildProcessError):
            os.waitpid(worker, os.WNOHANG)  # reaped by init; this is not its parent
    assert not _running(worker), "the worker outlived its parent"
    assert not folder.exists()


def test_worker_whose_runner_died_while_it_started_exits_at_once(tmp_path):
    """The runner was killed before the worker's initializer ran: the worker's parent is already
    another process, so only the runner's id (given by the runner) tells; the worker exits (1)
    instead of watching a parent that is not its runner."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id of a runner that no longer exists
    folder = tmp_path / ".tmp-run"
    child = _CHILD.replace("kernels._worker_init()", f"kernels._worker_init({gone.pid})")
    done = subprocess.run([sys.executable, "-c", child, str(folder)], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1 and "ready" not in done.stdout
    assert not folder.exists()  # its private run folder removed on the way out


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_empty_notebook_selection_is_an_error(tmp_path, capsys, value):
    argv = ["run", "--regions", "PL22", "--notebooks", value, "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--notebooks: the selection" in err and "is empty" in err
    assert not (tmp_path / "o").exists()


def test_notebook_selection_with_a_gap_or_twice_is_an_error(tmp_path, capsys):
    out = ["--out", str(tmp_path / "o")]
    assert main(["run", "--regions", "PL22", "--notebooks", "01_specialisation,", *out]) == 2
    assert "empty name between commas" in capsys.readouterr().err
    twice = "01_specialisation,01_specialisation"
    assert main(["run", "--regions", "PL22", "--notebooks", twice, *out]) == 2
    assert "listed more than once" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_dying_worker_kills_every_process_it_started(tmp_path):
    # a kernel still starting when the runner dies has no known id: it must die with the worker
    import subprocess
    import sys

    script = (
        "import subprocess, sys\n"
        "from clusterlib.batch import kernels\n"
        "child = subprocess.Popen(['sleep', '60'], start_new_session=True)\n"
        "grand = subprocess.Popen(['sh', '-c', 'sleep 60 & wait'], start_new_session=True)\n"
        "import time; time.sleep(0.5)\n"
        "print(child.pid, grand.pid, *kernels._descendants(grand.pid), flush=True)\n"
        "kernels._die_now(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 3, done.stderr
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 3  # the child, the shell and the shell's own child (a grandchild)
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat")
        assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"
