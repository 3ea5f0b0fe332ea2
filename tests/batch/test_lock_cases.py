"""clusterlib.batch.lock case by case, in one process (issue 23, mutation run of lock.py).

``flock`` locks belong to an open file description, so a second ``FolderLock`` of the same folder
in the same process is refused exactly as a second run would be: no child processes needed.
"""

import os
import re

import pytest

from clusterlib.batch import lock
from clusterlib.errors import OutputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123 abc\n", (123, "abc")),
        ("  7\tzz  ", (7, "zz")),  # any blanks around and between
        ("123\n", (None, None)),  # no token
        ("1 2 3\n", (None, None)),  # one field too many
        ("abc def\n", (None, None)),  # not a process id
        ("-5 tok\n", (None, None)),  # not a process id either
        ("", (None, None)),
    ],
)
def test_holder_reads_pid_and_token(tmp_path, text, expected):
    (tmp_path / lock.LOCK_NAME).write_text(text, encoding="utf-8")
    assert lock.holder(tmp_path) == expected


def test_holder_of_a_folder_without_lock(tmp_path):
    assert lock.holder(tmp_path / "missing") == (None, None)
    assert lock.lock_path(tmp_path) == tmp_path / ".clusterlib-run.lock"
    assert lock.lock_path(str(tmp_path)) == tmp_path / ".clusterlib-run.lock"


def test_owns_with_a_live_holder_of_another_user(tmp_path, monkeypatch):
    """A holder we may not signal (another user's process) is alive: kill(pid, 0) says so."""
    (tmp_path / lock.LOCK_NAME).write_text("4242 tok\n", encoding="utf-8")
    calls = []

    def kill(pid, sig):
        calls.append((pid, sig))
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(lock.os, "kill", kill)
    assert lock.owns(tmp_path, "tok") is True
    assert calls == [(4242, 0)]  # signal 0: only asks whether the process exists
    assert lock.owns(tmp_path, "other") is False and calls == [(4242, 0)]
    assert lock.owns(tmp_path, None) is False  # a lock is there: "no lock" does not own it


def test_owns_a_live_holder_and_not_a_dead_one(tmp_path, monkeypatch):
    (tmp_path / lock.LOCK_NAME).write_text(f"{os.getpid()} tok\n", encoding="utf-8")
    assert lock.owns(tmp_path, "tok") is True

    def gone(pid, sig):
        raise ProcessLookupError(3, "No such process")

    monkeypatch.setattr(lock.os, "kill", gone)
    assert lock.owns(tmp_path, "tok") is False
    (tmp_path / lock.LOCK_NAME).write_text("garbage\n", encoding="utf-8")
    assert lock.owns(tmp_path, "tok") is False and lock.owns(tmp_path, None) is True


def test_second_lock_in_process_is_refused_with_the_full_message(tmp_path):
    out = tmp_path / "out"
    first = lock.FolderLock(out).acquire()
    try:
        before = (out / lock.LOCK_NAME).read_text(encoding="utf-8")
        path = out / lock.LOCK_NAME
        expected = (
            f"{out}: the output folder is in use by another clusterlib run (process "
            f"{os.getpid()}, lock {path}); wait for it to finish, stop it, or choose another --out."
        )
        with pytest.raises(OutputError, match=f"^{re.escape(expected)}$"):
            lock.FolderLock(out).acquire()
        assert (out / lock.LOCK_NAME).read_text(encoding="utf-8") == before  # not touched
        # a holder whose file cannot be read is "another process"
        path.write_text("garbage\n", encoding="utf-8")
        with pytest.raises(OutputError, match=r"clusterlib run \(another process, lock "):
            lock.FolderLock(out).acquire()
    finally:
        first.release()


def test_acquire_creates_nested_folders_and_an_existing_one(tmp_path):
    with lock.FolderLock(tmp_path / "a" / "b") as held:
        assert lock.holder(tmp_path / "a" / "b") == (os.getpid(), held.token)
    with lock.FolderLock(tmp_path) as held:  # the folder exists already
        assert lock.holder(tmp_path) == (os.getpid(), held.token)


def test_lock_file_holds_exactly_pid_and_token(tmp_path):
    """An earlier (dead) holder's longer text is replaced, not overwritten in part."""
    (tmp_path / lock.LOCK_NAME).write_text("99999999 " + "x" * 100 + "\n", encoding="utf-8")
    old = os.umask(0o022)
    try:
        with lock.FolderLock(tmp_path) as held:
            path = tmp_path / lock.LOCK_NAME
            assert path.read_bytes() == f"{os.getpid()} {held.token}\n".encode()
            assert re.fullmatch(r"[0-9a-f]{16}", held.token)
        with lock.FolderLock(tmp_path / "new"):
            # a new lock file: read-write for its owner, readable by others (0o644 under umask 022)
            assert (tmp_path / "new" / lock.LOCK_NAME).stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_tokens_differ_between_runs(tmp_path):
    assert lock.FolderLock(tmp_path).token != lock.FolderLock(tmp_path).token


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_lock_file_removed_or_replaced_while_locking_is_opened_again(tmp_path, monkeypatch, how):
    """The holder removes its file between our open and our flock: we lock the current file."""
    real = lock.fcntl.flock
    path = tmp_path / lock.LOCK_NAME
    calls = []

    def flock(fd, op):
        calls.append(op)
        if len(calls) == 1:
            path.unlink()
            if how == "replaced":
                path.write_text("1 other\n", encoding="utf-8")  # a new file, a new inode
        return real(fd, op)

    monkeypatch.setattr(lock.fcntl, "flock", flock)
    with lock.FolderLock(tmp_path) as held:
        assert len(calls) == 2 and calls[0] == lock.fcntl.LOCK_EX | lock.fcntl.LOCK_NB
        assert lock.holder(tmp_path) == (os.getpid(), held.token)
        monkeypatch.setattr(lock.fcntl, "flock", real)
        with pytest.raises(OutputError, match="in use by another clusterlib run"):
            lock.FolderLock(tmp_path).acquire()  # the file on disk is the locked one


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_lock_file_that_keeps_vanishing_gives_up_after_20_tries(tmp_path, monkeypatch):
    opened = []
    real_open = lock.os.open

    def counting_open(*args):
        fd = real_open(*args)
        opened.append(fd)
        return fd

    def vanished(path):
        raise FileNotFoundError(2, "No such file or directory", str(path))

    monkeypatch.setattr(lock.os, "open", counting_open)
    monkeypatch.setattr(lock.os, "stat", vanished)
    before = _open_fds()
    out = tmp_path / "new"  # created by mkdir without a stat (patched above)
    held = lock.FolderLock(out)
    expected = f"{out / lock.LOCK_NAME}: could not lock the output folder; try again."
    with pytest.raises(OutputError, match=f"^{re.escape(expected)}$"):
        held.acquire()
    monkeypatch.undo()
    assert len(opened) == 20 and _open_fds() == before  # every descriptor closed again
    held.release()  # nothing held: nothing to release
    assert (out / lock.LOCK_NAME).exists()


def test_release_twice_or_unacquired_leaves_another_runs_lock_alone(tmp_path):
    never = lock.FolderLock(tmp_path)
    a = lock.FolderLock(tmp_path).acquire()
    never.release()  # never acquired: the file of the holder stays
    assert lock.holder(tmp_path) == (os.getpid(), a.token)
    a.release()
    assert not (tmp_path / lock.LOCK_NAME).exists()
    b = lock.FolderLock(tmp_path).acquire()
    a.release()  # released already: b's file and lock stay
    assert lock.holder(tmp_path) == (os.getpid(), b.token)
    with pytest.raises(OutputError, match="in use by another clusterlib run"):
        lock.FolderLock(tmp_path).acquire()
    b.release()
    lock.FolderLock(tmp_path).acquire().release()


def test_release_after_the_file_was_removed(tmp_path):
    held = lock.FolderLock(tmp_path).acquire()
    (tmp_path / lock.LOCK_NAME).unlink()
    held.release()  # no error
    with lock.FolderLock(tmp_path):  # and the lock itself is free again
        pass
