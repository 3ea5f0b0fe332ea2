"""The lock of a batch's output folder: one run at a time, a dead holder's lock taken over.

A run holds ``<out>/.clusterlib-run.lock`` with an exclusive ``flock`` for its whole life and
writes its process id and a random token into it. The operating system releases the lock when
the process ends in any way, ``kill -9`` included, so a lock whose holder is dead is free: the
next run takes it over in one system call, and two runs that try at once cannot both win. A second
run while the holder lives is refused with the holder's process id.

Workers (local or on Dask) read the token when a run starts and check it again before they write
or remove a completion marker (:func:`owns`), so a worker of a run that lost the folder never
touches another run's markers.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from pathlib import Path

from clusterlib.errors import OutputError

LOCK_NAME = ".clusterlib-run.lock"


def lock_path(out: Path) -> Path:
    """Return the lock file of an output folder."""
    return Path(out) / LOCK_NAME


def holder(out: Path) -> tuple[int | None, str | None]:
    """Return the process id and token written in the lock file (None, None: no readable lock)."""
    try:
        text = lock_path(out).read_text(encoding="utf-8").split()
    except OSError:
        return None, None
    if len(text) != 2 or not text[0].isdigit():
        return None, None
    return int(text[0]), text[1]


def owns(out: Path, token: str | None) -> bool:
    """Tell whether the run of ``token`` still holds ``out`` (None: no lock was held, e.g. tests)."""
    if token is None:
        return holder(out)[1] is None
    pid, current = holder(out)
    return current == token and pid is not None and pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Tell whether process ``pid`` exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class FolderLock:
    """Exclusive lock of an output folder for one run (a context manager).

    Raises
    ------
    OutputError
        When another live run holds the folder; the message names its process id.
    """

    def __init__(self, out: Path):
        self.out = Path(out)
        self.path = lock_path(self.out)
        self.token = secrets.token_hex(8)
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        """Take the lock (taking over a dead holder's) and write this run's id and token."""
        self.out.mkdir(parents=True, exist_ok=True)
        for _ in range(20):  # retried only if the file was replaced while we locked it
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                pid, _ = holder(self.out)
                who = f"process {pid}" if pid else "another process"
                raise OutputError(
                    f"{self.out}: the output folder is in use by another clusterlib run "
                    f"({who}, lock {self.path}); wait for it to finish, stop it, or choose "
                    "another --out."
                ) from None
            # the holder may have removed the file between our open and our lock: then we hold
            # the lock of a file nobody else sees; open the current one again
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {self.token}\n".encode(), 0)
            os.fsync(fd)
            self._fd = fd
            return self
        raise OutputError(f"{self.path}: could not lock the output folder; try again.")

    def release(self) -> None:
        """Remove the lock file and release the lock (the file goes first: see acquire)."""
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


class FolderTakenOver(RuntimeError):
    """The run that started this job no longer holds the output folder."""

    def __init__(self, out: Path):
        super().__init__(
            f"{out}: the run that started this job no longer holds the output folder (it was "
            "stopped and another run took the folder over); its outputs were not written."
        )


def check_owner(out: Path, token: str | None) -> None:
    """Raise :class:`FolderTakenOver` unless the run of ``token`` still holds ``out``."""
    if not owns(out, token):
        raise FolderTakenOver(out)
