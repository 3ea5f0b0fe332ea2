"""The batch's kernel client is ready when the kernel answered, without jupyter_client's 0.2 s of
IOPub silence: a scripted kernel (shell replies and IOPub messages in order) checks each path."""

import asyncio
from queue import Empty

import pytest

from clusterlib.batch.kernels import IPCKernelManager, ReadyKernelClient


def _status(state, parent):
    return {"msg_type": "status", "parent_header": {"msg_id": parent},
            "content": {"execution_state": state}}  # fmt: skip


def _reply(parent):
    return {"msg_type": "kernel_info_reply", "parent_header": {"msg_id": parent}, "content": {}}


WELCOME = {"msg_type": "iopub_welcome", "parent_header": {}, "content": {"subscription": ""}}


class Channel:
    """Messages in order; ``Empty`` stands for a timeout (recorded with the timeout asked)."""

    def __init__(self, items):
        self.items = list(items)
        self.timeouts = []

    async def get_msg(self, timeout=None):
        item = self.items.pop(0) if self.items else Empty
        if item is Empty:
            self.timeouts.append(timeout)
            raise Empty
        return item


class Scripted(ReadyKernelClient):
    shell_channel = iopub_channel = None  # instance attributes below, not live sockets

    def __init__(self, shell, iopub, alive=True):
        super().__init__()
        self.shell_channel, self.iopub_channel = Channel(shell), Channel(iopub)
        self.asked, self.handled, self.alive = [], [], alive

    def kernel_info(self):
        self.asked.append(f"k{len(self.asked) + 1}")
        return self.asked[-1]

    def _handle_kernel_info_reply(self, msg):
        self.handled.append(msg)

    async def _async_is_alive(self):
        return self.alive


def _ready(client, timeout=5):
    asyncio.run(client.wait_for_ready(timeout=timeout))


def test_ready_at_the_idle_status_of_its_request_not_after_silence():
    later = {"msg_type": "stream", "parent_header": {"msg_id": "cell"}, "content": {}}
    c = Scripted([_reply("other"), _reply("k1")],
                 [_status("busy", "k1"), _status("idle", "old"), _status("idle", "k1"), later])  # fmt: skip
    _ready(c)
    assert c.asked == ["k1"] and c.handled == [_reply("k1")]  # the stray reply was dropped
    assert c.iopub_channel.items == [later]  # nothing read after the idle status
    assert c.iopub_channel.timeouts == [] == c.shell_channel.timeouts  # no wait ran out


def test_a_welcome_makes_it_ask_again_at_once():
    """The subscription arrived after the kernel answered: its status messages are lost."""
    c = Scripted([_reply("k1"), _reply("k2")], [WELCOME, _status("busy", "k2"),
                                                _status("idle", "k2")])  # fmt: skip
    _ready(c)
    assert c.asked == ["k1", "k2"] and c.handled == [_reply("k2")]
    assert c.iopub_channel.timeouts == []


def test_silent_iopub_asks_again_after_jupyter_clients_wait():
    """A kernel without the welcome message: 0.2 s of silence, then the request again."""
    c = Scripted([_reply("k1"), _reply("k2")], [Empty, _status("idle", "k2")])
    _ready(c)
    assert c.asked == ["k1", "k2"] and c.iopub_channel.timeouts == [0.2]


def test_messages_without_a_status_are_drained_as_jupyter_client_drains():
    """A kernel that answers and writes to IOPub, but no status for the request: ready after 0.2 s
    of silence (jupyter_client's rule), not asked again until startup_timeout."""
    other = {"msg_type": "stream", "parent_header": {"msg_id": "k1"}, "content": {}}
    c = Scripted([_reply("k1")], [other, Empty])
    _ready(c)
    assert c.asked == ["k1"] and c.handled == [_reply("k1")] and c.iopub_channel.timeouts == [0.2]


def test_an_iopub_that_never_stops_cannot_hold_the_deadline_back():
    class Chatty(Channel):
        async def get_msg(self, timeout=None):
            self.timeouts.append(timeout)
            return {"msg_type": "stream", "parent_header": {}, "content": {}}

    c = Scripted([_reply("k1")], [])
    c.iopub_channel = Chatty([])
    with pytest.raises(RuntimeError, match="didn't respond in 0.05 seconds"):
        _ready(c, timeout=0.05)
    assert all(t <= 0.2 for t in c.iopub_channel.timeouts)


def test_a_dead_or_silent_kernel_raises():
    with pytest.raises(RuntimeError, match="died before replying"):
        _ready(Scripted([], [], alive=False))
    silent = Scripted([], [])
    with pytest.raises(RuntimeError, match="didn't respond in 0 seconds"):
        _ready(silent, timeout=0)
    assert silent.asked == ["k1"] and silent.shell_channel.timeouts[0] == pytest.approx(
        1.0, abs=0.05
    )


def test_the_batch_kernel_manager_hands_out_this_client():
    km = IPCKernelManager(kernel_name="python3")
    try:
        assert type(km.client()) is ReadyKernelClient
    finally:
        km.cleanup_resources()


def test_a_killed_kernel_is_waited_for_in_short_polls(monkeypatch):
    """jupyter_client polls every 0.1 s; the batch every KILL_POLL seconds until the kernel left."""
    from clusterlib.batch import kernels

    alive, slept = [True, True, False], []

    async def is_alive(self):
        return alive.pop(0)

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(IPCKernelManager, "_async_is_alive", is_alive)
    monkeypatch.setattr(kernels, "_sleep", sleep)
    km = IPCKernelManager(kernel_name="python3")
    try:
        asyncio.run(km._async_wait(pollinterval=0.1))
    finally:
        km.cleanup_resources()
    assert slept == [kernels.KILL_POLL] * 2 and kernels.KILL_POLL < 0.1 and alive == []
