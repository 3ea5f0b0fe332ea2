"""Fresh kernels without their start-up: each notebook's ipykernel is forked from a pre-imported process.

A kernel started the usual way (``python -m ipykernel_launcher``) spends one to three seconds of
CPU on starting Python and importing ipykernel, numpy, pandas, scipy, matplotlib and clusterlib
before the notebook's first line runs; on two cores that was a third of a batch. Each batch worker
therefore keeps one *zygote*: a process that imported all of this once and then waits. For every
notebook it forks a child that becomes the kernel (``runpy`` of ``ipykernel_launcher``, as
``python -m`` would), so each notebook still gets a fresh process of its own, with no user state,
its own kernel, and its own crash: what one notebook does to its interpreter (variables, monkey
patches, a segfault, ``os._exit``) is gone with its process and never reaches the next one.

Fork safety: the zygote is a new single-threaded interpreter. It imports modules but runs no
computation, creates no ZeroMQ context, starts no thread (numpy's BLAS runs with one thread in a
worker), and forks only after checking that it still has exactly one OS thread; otherwise the
request is refused and the kernel is started the usual way. Everything that ipykernel sets up
(ZeroMQ context and sockets, its threads, the event loop) is created in the child after the fork.
The child reseeds numpy's global generator (``random`` reseeds itself at fork), so kernels do not
share random states. What stays shared is Python's hash seed: kernels of one worker order string
sets alike, which the batch does not rely on (as with ``PYTHONHASHSEED``).

Process tree: the zygote forks twice, so that the kernel is re-parented to the worker (a Linux
"child subreaper", ``PR_SET_CHILD_SUBREAPER``) and the worker's kernel manager waits for, signals
and kills it like a kernel it started itself; the kernel leads its own session, as a kernel
started by jupyter_client does. Without Linux's ``prctl`` the batch starts kernels the usual way.
``CLUSTERLIB_ZYGOTE=0`` turns the zygote off.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import threading

#: What the zygote imports before its first fork: what the six notebooks import, at start and
#: on the way (not ``matplotlib_inline``, whose import hooks into the running IPython shell).
PRELOAD = (
    "ipykernel.kernelapp",
    "numpy",
    "pandas",
    "pyarrow",
    "scipy.special",
    "scipy.stats",
    "scipy.linalg",
    "scipy.optimize",
    "scipy.sparse.csgraph",
    "scipy.cluster.hierarchy",
    "scipy.spatial.distance",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib.backends.backend_agg",
    "PIL.PngImagePlugin",
    "seaborn",
    "geopandas",
    "shapely.validation",
    "networkx",
    "openpyxl",
    "xlsxwriter",
    "pandera.pandas",
    "pandera.strategies",
    "statsmodels.api",
    "statsmodels.miscmodels.ordinal_model",
    "statsmodels.stats.outliers_influence",
    "sklearn.cluster",
    "sklearn.compose",
    "sklearn.decomposition",
    "sklearn.impute",
    "sklearn.metrics",
    "sklearn.mixture",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "clusterlib.chapters.specialisation",
    "clusterlib.chapters.innovation",
    "clusterlib.chapters.segments",
    "clusterlib.chapters.related",
    "clusterlib.chapters.value_chains",
    "clusterlib.chapters.context",
    "clusterlib.batch.params",
)
#: The zygote of this worker process (None: kernels are started the usual way).
_ZYGOTE: Zygote | None = None
_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36
#: Seconds to wait for the zygote's answer (its imports included) before starting as usual.
START_TIMEOUT = 120


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


class Zygote:
    """The worker's handle on its zygote process: ask it for kernels, stop it."""

    def __init__(self) -> None:
        self._sock, theirs = socket.socketpair()
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "clusterlib.batch.zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()

    def alive(self) -> bool:
        """Tell whether the zygote process runs."""
        return self.process.poll() is None

    def fork_kernel(self, cmd: list[str], env: dict, cwd: str | None, stderr) -> int | None:
        """Return the process id of a new kernel; None if the zygote refused (threads).

        Raises OSError if the zygote does not answer in :data:`START_TIMEOUT` seconds or is gone.
        """
        request = json.dumps({"cmd": cmd, "env": dict(env), "cwd": cwd}).encode() + b"\n"
        fds = [stderr.fileno()] if stderr is not None else []
        with self._lock:
            self._sock.settimeout(START_TIMEOUT)
            socket.send_fds(self._sock, [request], fds)
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = self._sock.recv(64)
                if not chunk:
                    raise ConnectionError("the zygote is gone")
                reply += chunk
        return json.loads(reply).get("pid")

    def stop(self) -> None:
        """Close the channel (the zygote exits) and make sure the process is gone."""
        with contextlib.suppress(OSError):
            self._sock.close()
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(5)


def _import_env(env: dict) -> dict:
    """Return the environment the zygote imports in: the kernel's, with ipykernel's matplotlib default.

    matplotlib reads ``MPLBACKEND`` when it is imported, which the zygote does before ipykernel
    would set it (to the inline backend, when unset), so the zygote sets it the same way.
    """
    out = dict(env)
    if not out.get("MPLBACKEND"):
        out["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return out


def enable() -> bool:
    """Start this worker's zygote (Linux; ``CLUSTERLIB_ZYGOTE`` not ``0``); tell whether it runs."""
    global _ZYGOTE
    if os.environ.get("CLUSTERLIB_ZYGOTE", "1") == "0" or _ZYGOTE is not None:
        return _ZYGOTE is not None
    if not _prctl(_PR_SET_CHILD_SUBREAPER, 1):
        return False
    _ZYGOTE = Zygote()
    return True


def disable() -> None:
    """Stop this worker's zygote; later kernels start the usual way."""
    global _ZYGOTE
    z, _ZYGOTE = _ZYGOTE, None
    if z is not None:
        z.stop()


def zygote_pid() -> int | None:
    """Process id of this worker's zygote (None: none runs)."""
    return _ZYGOTE.process.pid if _ZYGOTE is not None and _ZYGOTE.alive() else None


class ForkedKernel:
    """A kernel forked by the zygote, as the ``subprocess.Popen`` that jupyter_client expects."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.args = ["<forked kernel>"]

    def _reap(self, flags: int) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:  # reaped elsewhere: it is gone
                self.returncode = -signal.SIGKILL
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def poll(self) -> int | None:
        """Return the exit code, or None while the kernel runs."""
        return self._reap(os.WNOHANG)

    def wait(self, timeout: float | None = None) -> int | None:  # noqa: ARG002 - Popen signature
        """Wait for the kernel to exit; return its exit code."""
        return self._reap(0)

    def send_signal(self, sig: int) -> None:
        """Send ``sig`` to the kernel if it still runs."""
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        """Send SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Send SIGKILL."""
        self.send_signal(signal.SIGKILL)


def fork_kernel(provisioner, cmd: list[str], kw: dict) -> bool:
    """Have the zygote fork the kernel ``cmd`` for ``provisioner``; False: launch it as usual."""
    z = _ZYGOTE
    if z is None or cmd[:3] != [sys.executable, "-m", "ipykernel_launcher"]:
        return False
    if not z.alive():
        disable()
        return False
    try:
        # no cwd: Popen would start the kernel in this process's folder (papermill chdirs there)
        cwd = kw.get("cwd") or os.getcwd()
        env = dict(kw.get("env") or os.environ)
        if not kw.get("independent"):  # as jupyter_client.launcher.launch_kernel sets it
            env["JPY_PARENT_PID"] = str(os.getpid())  # the kernel's parent poller watches us
        pid = z.fork_kernel(cmd, env, cwd, kw.get("stderr"))
    except (OSError, ValueError):  # no answer, or a garbled one: no zygote from now on
        disable()
        return False
    if pid is None:
        return False
    provisioner.process = ForkedKernel(pid)
    provisioner.pid = provisioner.pgid = pid  # the kernel leads its own session
    provisioner.cwd = cwd
    return True


# --- in the zygote --------------------------------------------------------------------------


#: OS threads that may run in the zygote when it forks: jemalloc's (pyarrow's allocator) takes
#: every lock of the allocator in its ``pthread_atfork`` handler and is not copied into the child.
FORK_SAFE_THREADS = frozenset({"jemalloc_bg_thd"})


def _one_thread() -> bool:
    """Tell whether the zygote runs no thread but its main one (and :data:`FORK_SAFE_THREADS`)."""
    if threading.active_count() != 1:
        return False
    try:
        tasks = [t for t in os.listdir("/proc/self/task") if int(t) != os.getpid()]
        names = [open(f"/proc/self/task/{t}/comm").read().strip() for t in tasks]  # noqa: SIM115
    except OSError:
        return True  # no /proc: Python's own count is all there is
    return all(n in FORK_SAFE_THREADS for n in names)


def _refuse(sock: socket.socket, why: str) -> None:
    sock.sendall(json.dumps({"pid": None, "error": why}).encode() + b"\n")


def _preload(request: dict) -> dict:
    """Import :data:`PRELOAD` in the first kernel's environment and folder; return that environment."""
    import importlib

    env = _import_env(request["env"])
    os.environ.clear()
    os.environ.update(env)
    cwd = request["cwd"] or os.getcwd()
    os.chdir(cwd)
    sys.path[0] = cwd
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    return request["env"]


def serve(sock: socket.socket) -> dict | None:
    """Answer fork requests until the worker goes; return the request in a forked kernel only.

    The modules are imported at the first request, in its environment (modules read variables
    such as ``JPY_PARENT_PID`` or ``MPLBACKEND`` when imported); a later request with another
    environment is refused (the kernel is then started the usual way).
    """
    buf, fds, env = b"", [], None
    while True:
        try:
            data, more, _flags, _addr = socket.recv_fds(sock, 1 << 20, 4)
        except OSError:
            return None
        if not data:
            return None
        buf, fds = buf + data, fds + more
        if not buf.endswith(b"\n"):
            continue
        request, buf = json.loads(buf), b""
        if env is None:
            env = _preload(request)
            # Kernels share the imported modules' memory with the zygote until they write to it,
            # and a garbage collection writes to every object it scans: frozen objects are never
            # scanned, so each kernel copies about a quarter fewer pages (as Python's gc.freeze
            # documentation advises for a process that forks workers).
            gc.freeze()
        if request["env"] != env or not _one_thread():
            for fd in fds:
                os.close(fd)
            fds = []
            _refuse(sock, "environment" if request["env"] != env else "threads")
            continue
        r, w = os.pipe()
        middle = os.fork()
        if middle == 0:  # the intermediate: fork the kernel, report its id, go
            kernel = os.fork()
            if kernel == 0:
                os.close(r)
                os.close(w)
                request["fds"] = fds
                return request
            os.write(w, f"{kernel}\n".encode())
            os._exit(0)
        os.close(w)
        with os.fdopen(r) as f:
            line = f.read().strip()
        os.waitpid(middle, 0)  # the kernel is the worker's child now (subreaper)
        for fd in fds:
            os.close(fd)
        fds = []
        pid = int(line) if line.isdigit() else None
        sock.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def become_kernel(request: dict, sock: socket.socket) -> None:
    """In the forked child: set up the process as ``python -m ipykernel_launcher`` has it, run it."""
    import runpy

    middle = os.getppid()
    sock.close()
    os.setsid()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd in request["fds"][:1]:  # the kernel's log file, as the usual launch gives it
        os.dup2(fd, 2)
    for fd in request["fds"]:
        os.close(fd)
    cwd = request["cwd"] or os.getcwd()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(request["env"])
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed()  # a fresh interpreter's global generator is seeded from the OS
    cmd = request["cmd"]
    sys.orig_argv = list(cmd)
    sys.argv = [cmd[2], *cmd[3:]]
    sys.path[0] = cwd  # what ``python -m`` puts first
    for _ in range(500):  # the intermediate exits at once; wait until re-parented
        if os.getppid() != middle:
            break
        threading.Event().wait(0.002)
    # A fork clears the parent-death signal: ask for it again, now that the worker is the parent,
    # so that the kernel dies with its worker even when the worker is killed while this kernel was
    # being forked (its /proc walk may have missed it). A worker already gone: exit at once.
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if request.get("worker") and os.getppid() != request["worker"]:
        os._exit(1)
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


def main(argv: list[str]) -> None:
    """Run the zygote on the socket whose file descriptor is ``argv[0]``."""
    sock = socket.socket(fileno=int(argv[0]))
    worker = os.getppid()
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the zygote dies with its worker
    if os.getppid() != worker:  # the worker died before the request took effect
        sys.exit(0)
    request = serve(sock)
    if request is None:
        sys.exit(0)
    become_kernel({**request, "worker": worker}, sock)


if __name__ == "__main__":
    main(sys.argv[1:])
