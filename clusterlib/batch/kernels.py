"""Kernels of the batch: IPC transport in private folders, shut down on signals, swept when stale."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from queue import Empty

import papermill
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.utils import run_sync
from traitlets import DottedObjectName, Type

from clusterlib.batch.lock import pid_alive
from clusterlib.config import notebooks_dir

KERNEL_PREFIX = "clusterlib-kernel-"
#: Kernel managers alive in this process, so that a signal can shut their kernels down.
_LIVE: set[IPCKernelManager] = set()
#: Private run folders (``.tmp-*``) of the runs under way in this process, removed on a signal.
RUN_FOLDERS: set[Path] = set()
#: How often the batch checks whether a killed kernel has exited (seconds).
KILL_POLL = 0.005
_sleep = asyncio.sleep
#: How often a worker checks that the runner that started it is alive (seconds).
PARENT_POLL = 0.5


#: Unix socket paths are limited to 107 bytes; the channel sockets are <folder>/kernel-<n>.
MAX_SOCKET_PATH = 100


def kernel_roots() -> list[str]:
    """Return where kernel folders may be: ``$TMPDIR``, and ``/tmp`` for a too long ``$TMPDIR``."""
    roots = [tempfile.gettempdir()]
    if os.path.isdir("/tmp") and "/tmp" not in roots:
        roots.append("/tmp")
    return roots


def kernel_root() -> str:
    """Return the folder for kernel sockets: ``$TMPDIR`` if their paths fit, else ``/tmp``.

    A long ``$TMPDIR`` (e.g. pytest's per-test folders) would make the IPC socket paths longer
    than the 107 bytes a Unix socket path may have, and the kernel would fail to start
    ("File name too long").
    """
    root = tempfile.gettempdir()
    probe = os.path.join(root, f"{KERNEL_PREFIX}{os.getpid()}-xxxxxxxx", "kernel-99")
    if len(os.fsencode(probe)) <= MAX_SOCKET_PATH or not os.access("/tmp", os.W_OK):
        return root
    return "/tmp"


class ReadyKernelClient(AsyncKernelClient):
    """A kernel client that is ready when the kernel has answered, without a fixed wait.

    jupyter_client's ``wait_for_ready`` asks for ``kernel_info`` and then reads IOPub until it has
    been silent for 0.2 s, so that no start-up message is taken for a cell's output: on every run
    of a batch, 0.2 s in which neither core had work (a tenth of a notebook-01 run). This client
    reads IOPub until the kernel's ``idle`` status *for its kernel_info request*, the last message
    the kernel sends for it: the same messages are drained, and the wait ends when they have.

    IOPub delivers only once its subscription has reached the kernel (ZeroMQ's "slow joiner"), and
    ipykernel 7 says when it has with an ``iopub_welcome`` message (JEP 65). On a welcome the
    client asks again at once, since the status messages of the request may have been sent before
    it and lost (if they were not, the second request costs a round trip of milliseconds). A
    kernel that sends IOPub messages but no status for the request is taken as ready after 0.2 s
    of silence, as jupyter_client takes it; a silent IOPub makes it ask again after 0.2 s, as
    jupyter_client does. A kernel that died, or no answer within ``timeout``, raises
    ``RuntimeError`` (a kernel that never stops writing to IOPub cannot hold it back).
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            msg_id = self.kernel_info()
            reply = await self._reply_to(msg_id, wait=1.0)
            if reply is not None and await self._drain(msg_id, wait=0.2, deadline=deadline) in (
                "idle",
                "quiet",
            ):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    wait_for_ready = _async_wait_for_ready

    async def _reply_to(self, msg_id: str, *, wait: float) -> dict | None:
        """Return the shell reply to ``msg_id`` within ``wait`` seconds (others dropped), or None."""
        end = time.monotonic() + wait
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await self.shell_channel.get_msg(timeout=left)
            except Empty:
                return None
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return msg
        return None

    async def _drain(self, msg_id: str, *, wait: float, deadline: float) -> str | None:
        """Read IOPub up to the ``idle`` status of ``msg_id``, a welcome, silence or ``deadline``.

        Returns ``"idle"``, ``"welcome"``, ``"quiet"`` (messages, then ``wait`` seconds of
        silence: drained as jupyter_client drains), or None (silence from the start, or the
        deadline passed).
        """
        seen = False
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=min(wait, left))
            except Empty:
                return "quiet" if seen else None
            kind = msg.get("msg_type")
            if kind == "iopub_welcome":
                return "welcome"
            if (
                kind == "status"
                and msg.get("parent_header", {}).get("msg_id") == msg_id
                and msg.get("content", {}).get("execution_state") == "idle"
            ):
                return "idle"
            seen = True
        return None


class IPCKernelManager(AsyncKernelManager):
    """Kernel manager on the IPC transport: Unix sockets in a private temporary folder.

    The five kernel channels are Unix sockets in a folder of their own
    (``$TMPDIR/clusterlib-kernel-<runner pid>-*``, mode 0700), which also holds the connection
    file; the folder is removed when the kernel is cleaned up, and folders of dead runners are
    swept at the start of the next batch. Parallel kernels cannot collide on ports (papermill
    issue #511).

    What listens on TCP: one socket per kernel, a ZeroMQ PULL socket bound to ``127.0.0.1`` on a
    random port. It is ipykernel's IOPub pipe, which forwards the output of processes that the
    kernel forks; ``ipykernel.kernelapp.IPKernelApp.init_iopub`` creates it unconditionally
    (``IOPubThread(..., pipe=True)``) and no configuration option turns it off. It is reachable
    from this machine only, and ipykernel drops every message that does not start with the
    kernel's random 16-byte key (``IOPubThread._pipe_uuid``), so another local user can neither
    read from it nor inject output. ``tests/batch/test_batch_cleanup.py`` checks that this is the only
    listener and that it is bound to loopback.
    """

    client_class = DottedObjectName("clusterlib.batch.kernels.ReadyKernelClient")
    client_factory = Type(ReadyKernelClient, klass=AsyncKernelClient)

    def __init__(self, **kwargs):
        self._folder = tempfile.mkdtemp(prefix=f"{KERNEL_PREFIX}{os.getpid()}-", dir=kernel_root())
        super().__init__(
            transport="ipc",
            ip=os.path.join(self._folder, "kernel"),
            connection_file=os.path.join(self._folder, "connection.json"),
            **kwargs,
        )
        _LIVE.add(self)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        # The kernel's own log (e.g. ipykernel's "KeyboardInterrupt caught in kernel" when
        # jupyter_client interrupts it before every shutdown) goes to a file in the kernel's
        # folder, not to the batch's terminal; what a notebook prints is in its outputs anyway.
        self._log = open(os.path.join(self._folder, "kernel.log"), "wb")  # noqa: SIM115
        kw.setdefault("stderr", self._log)
        from clusterlib.batch import zygote

        if zygote.fork_kernel(self.provisioner, kernel_cmd, kw):  # a batch worker's zygote
            self._reconcile_connection_info(self.provisioner.connection_info)
            return
        await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:  # noqa: ARG002
        # jupyter_client waits for a killed kernel to exit by polling every 0.1 s, and a kernel
        # killed with SIGKILL is gone within milliseconds: 0.1 s of idle worker per run. Polling
        # (a waitpid) every 5 ms ends the wait when the kernel has; the callers bound the wait
        # (asyncio.wait_for: 5 s after a kill, half the shutdown wait after a shutdown request).
        while await self._async_is_alive():
            await _sleep(KILL_POLL)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            if not restart:
                log = getattr(self, "_log", None)
                if log is not None:
                    log.close()
                shutil.rmtree(self._folder, ignore_errors=True)
                _LIVE.discard(self)

    cleanup_resources = run_sync(_async_cleanup_resources)

    def kill_now(self) -> None:
        """Kill the kernel's process group at once and remove its folder (signal handlers)."""
        pid = getattr(getattr(self, "provisioner", None), "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self._folder, ignore_errors=True)
        _LIVE.discard(self)


def execute(source: Path, dest: Path, parameters: dict, *, timeout: int | None = 600) -> None:
    """Execute a notebook as the batch does: papermill on a fresh IPC kernel, one save at the end."""
    papermill.execute_notebook(
        str(source),
        str(dest),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,  # one write at the end, not one per cell
        execution_timeout=timeout,
        cwd=str(notebooks_dir()),
        kernel_manager_class=IPCKernelManager,
        # every output has arrived with the last cell's reply: the kernel is killed at once,
        # not asked to tear its interpreter down (1.5-2.7 s of a worker's time per run)
        shutdown_kernel="immediate",
    )


def sweep_stale(out: Path | None = None) -> list[Path]:
    """Remove what interrupted runs left: kernel folders of dead runners, ``.tmp-*`` run folders.

    Kernel folders are named after the runner's process id and removed only when that process no
    longer exists; ``.tmp-*`` folders under ``out/<region>/`` and the temporary files of
    :func:`~clusterlib.io.files.write_atomic` are removed when no run is under way (call it while
    holding the folder's lock, :class:`clusterlib.batch.lock.FolderLock`, before a batch starts or
    after it stopped).

    Returns
    -------
    list of Path
        What was removed.
    """
    removed: list[Path] = []
    for folder in (f for root in kernel_roots() for f in Path(root).glob(f"{KERNEL_PREFIX}*")):
        pid = folder.name[len(KERNEL_PREFIX) :].split("-", 1)[0]
        if folder.is_dir() and pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    if out is not None and out.is_dir():
        for folder in out.glob("*/.tmp-*"):
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        # the temporary files of write_atomic (.<name>.<random>.tmp) of a killed run
        for pattern in (".*.tmp", "*/.*.tmp", "*/exports/.*.tmp"):
            for file in out.glob(pattern):
                if file.is_file():
                    file.unlink(missing_ok=True)
                    removed.append(file)
    return removed


def _descendants(pid: int) -> list[int]:
    """Return the process ids of ``pid``'s descendants (from ``/proc``; ``[]`` without it)."""
    proc = Path("/proc")
    parents: dict[int, int] = {}
    for d in proc.iterdir() if proc.is_dir() else ():
        if d.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
    out, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [c for c, p in parents.items() if p == current]
        out += kids
        frontier += kids
    return out


def _die_now(code: int) -> None:
    """Kill this worker's kernels, remove its private run folders and exit at once.

    Besides the kernels it knows, every process the worker started dies too (a kernel still
    starting when the runner died has no known id yet; it would otherwise live on as an orphan).
    """
    for km in list(_LIVE):
        km.kill_now()
    for child in _descendants(os.getpid()):
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)
    for folder in list(RUN_FOLDERS):
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(code)


def _parent_death_signal(sig: int) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent dies (``PR_SET_PDEATHSIG``)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, int(sig), 0, 0, 0) == 0  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, interval: float = PARENT_POLL) -> threading.Thread:
    """Start a thread that ends the worker when its parent (the runner) is gone."""

    def watch():
        while os.getppid() == parent:
            time.sleep(interval)
        _die_now(1)

    t = threading.Thread(target=watch, name="clusterlib-parent-watch", daemon=True)
    t.start()
    return t


def _worker_init(runner: int | None = None) -> None:
    """In each worker: one BLAS thread per kernel, Ctrl-C left to the runner, SIGTERM handled.

    Workers run side by side, one per core: a kernel that also started one BLAS thread per core
    would oversubscribe the machine. The kernels inherit these variables (set only where the user
    has not set them). On SIGTERM the worker kills its kernels first. A worker dies with the
    runner, even one killed with ``kill -9``: Linux sends it SIGTERM when the runner dies
    (``PR_SET_PDEATHSIG``), and a thread checks the parent process id every
    :data:`PARENT_POLL` seconds on every system. Last, the worker starts its zygote
    (:mod:`clusterlib.batch.zygote`), from which its kernels are forked.

    ``runner`` is the runner's process id, given by the runner: a worker whose runner was killed
    while the worker was still starting (before this function ran) has another parent already,
    and exits here instead of waiting for a parent that is gone.
    """
    parent = runner or os.getppid()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _terminate(signum, frame):  # noqa: ARG001 - signal handler signature
        _die_now(128 + signum)

    signal.signal(signal.SIGTERM, _terminate)
    if not os.environ.get("CLUSTERLIB_NO_PDEATHSIG"):  # set by tests of the polling alone
        _parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent:  # the runner died before the request took effect
        _die_now(1)
    _watch_parent(parent)
    from clusterlib.batch import zygote

    zygote.enable()  # this worker's kernels are forked from a pre-imported process


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM every worker (each kills its kernels), wait briefly, then SIGKILL the rest."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for p in procs:
        with contextlib.suppress(OSError, ValueError):
            p.terminate()
    deadline = time.monotonic() + 10
    for p in procs:
        p.join(max(0.1, deadline - time.monotonic()))
        if p.is_alive():
            with contextlib.suppress(OSError, ValueError):
                p.kill()
    pool.shutdown(wait=False, cancel_futures=True)


class BatchInterrupted(KeyboardInterrupt):
    """The batch was stopped by SIGTERM or SIGINT; its kernels were shut down."""

    def __init__(self, signum: int):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


@contextlib.contextmanager
def _terminate_as_interrupt():
    """Turn SIGTERM (and SIGINT) into :class:`BatchInterrupted` while a batch runs."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):  # noqa: ARG001 - signal handler signature
        raise BatchInterrupted(signum)

    old = {s: signal.signal(s, _raise) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
