"""The fork server of one slot: it imports TensorFlow once, then forks one attempt at a time.

Importing TensorFlow takes seconds; forking a process that has it imported takes milliseconds. The
server imports what notebooks use but never runs an op, because TensorFlow's runtime and its thread
pools do not survive a fork; each attempt starts its own.

It runs inside the slot's bubblewrap sandbox (``isolation/bubblewrap.py``), started by the grader's
``client.py``. The grader sends ``spawn`` with a socket attached (the attempt talks to the grader over
it directly; the server never sees a submission's code or results) and ``kill``. When an attempt ends,
the server ends every other process in the slot, empties /tmp and /dev/shm, and only then answers
``exited``: the next submission in this slot finds nothing of the last one.
"""

from __future__ import annotations

import gc
import os
import selectors
import shutil
import signal
import socket
import time

from grader.sandbox import protocol
from grader.sandbox.isolation.bubblewrap import read_only_paths
from grader.sandbox.isolation.processes import become_subreaper, children_of, kill_tree, protect_process, reap_exited
from grader.sandbox.workload import Workload, load

_SCRATCH = ("/tmp", "/dev/shm")


def warm_up(workload: Workload) -> None:
    """Import what the workload names (the exercises, the modules their observations rely on, what
    notebooks import), without starting TensorFlow's runtime."""
    import importlib

    import numpy as np
    import numpy.random  # noqa: F401  (numpy imports it lazily)
    import tensorflow as tf

    from grader.sandbox import guard, worker  # noqa: F401  (imported here, before any fork)

    tf.get_logger().setLevel("ERROR")
    for path in [task.exercise for task in workload.tasks] + [workload.silence, workload.describe_exception]:
        load(path)
    for name in workload.guarded:
        guard.resolve(tf, name)
    for module in workload.warm_up:  # a notebook may import them; a missing one is the notebook's problem
        try:
            importlib.import_module(module)
        except Exception:
            pass
    np.random.seed(0)
    gc.collect()
    gc.freeze()  # children then share these pages instead of copying them on the next collection


def end_the_others(sandboxed: bool, keep: list[str]) -> None:
    """SIGKILL every process of the slot but this one (and bubblewrap's init, which no signal
    reaches), until none is left, then empty the writable folders. Without a sandbox, only this
    server's descendants: the machine's other processes and its /tmp are not the slot's."""
    me = os.getpid()
    if not sandboxed:
        for pid in children_of(me):
            kill_tree(pid)
        reap_exited()
        return
    for _ in range(100):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        reap_exited()
        alive = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (me, 1)]
        if not alive:
            break
        time.sleep(0.01)
    for folder in _SCRATCH:
        _empty(folder, keep)


def _empty(folder: str, keep: list[str]) -> None:
    """Delete everything in ``folder`` but the read-only binds in ``keep`` and the folders leading to them."""
    for entry in _entries(folder):
        path = os.path.join(folder, entry)
        if any(k == path or k.startswith(path + "/") for k in keep):
            if os.path.isdir(path) and not os.path.islink(path) and path not in keep:
                _empty(path, keep)
        elif os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def _entries(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


class Server:
    def __init__(self, control: socket.socket, sandboxed: bool, workload: Workload):
        self.control, self.sandboxed, self.workload = control, sandboxed, workload
        self.job: int | None = None
        self.pid: int | None = None
        self.exit_status: int | None = None  # the attempt's wait status, once it has ended

    def send(self, op: str, **fields) -> None:
        try:
            self.control.send(protocol.control_packet(op, **fields))
        except OSError:
            self.shutdown()

    def shutdown(self) -> None:
        end_the_others(self.sandboxed, read_only_paths(self.workload.code_root))
        os._exit(0)

    def spawn(self, job: int, settings: dict, fds: list[int]) -> None:
        from grader.sandbox import worker

        for extra in fds[1:]:
            os.close(extra)
        if self.pid is not None or not fds:  # one attempt at a time: the grader never asks for two
            for fd in fds[:1]:
                os.close(fd)
            self.send(protocol.EXITED, job=job, status=None)
            return
        pid = os.fork()
        if pid == 0:
            worker.run(fds[0], settings, self.workload)  # never returns
        os.close(fds[0])
        self.job, self.pid, self.exit_status = job, pid, None
        self.send(protocol.SPAWNED, job=job, pid=pid)

    def finish(self) -> None:
        """The attempt has ended or must end: clean the slot, then say so."""
        if self.pid is None:
            return
        end_the_others(self.sandboxed, read_only_paths(self.workload.code_root))
        self.send(protocol.EXITED, job=self.job, status=self.exit_status)
        self.job = self.pid = self.exit_status = None

    def on_control(self) -> None:
        try:
            data, fds, _, _ = socket.recv_fds(self.control, 1 << 16, 4)
        except OSError:
            self.shutdown()
        if not data:
            self.shutdown()
        message = protocol.read_control(data) or {}
        if message.get("op") == protocol.SPAWN:
            self.spawn(message.get("job"), message.get("settings") or {}, fds)
            return
        for fd in fds:
            os.close(fd)
        if message.get("op") == protocol.KILL and message.get("job") == self.job:
            self.finish()

    def on_children(self) -> None:
        for pid, status in reap_exited():
            if pid == self.pid:
                self.exit_status = status
                self.finish()


def serve(control: socket.socket, sandboxed: bool, workload: Workload) -> None:
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *args: None)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    server = Server(control, sandboxed, workload)
    server.send(protocol.READY, pid=os.getpid())
    while True:
        for key, _ in selector.select(timeout=1.0):
            if key.fileobj is control:
                server.on_control()
            else:
                try:
                    while os.read(wake_read, 512):
                        pass
                except BlockingIOError:
                    pass
        server.on_children()


def main(control_fd: int, sandboxed: bool, workload_json: str) -> None:
    control = socket.socket(fileno=control_fd)
    become_subreaper()
    protect_process()
    try:
        workload = Workload.from_json(workload_json)
        warm_up(workload)
    except BaseException as exc:
        message = f"{type(exc).__name__}: {exc}"
        try:
            control.send(protocol.control_packet(protocol.FAILED, message=message[:2000]))
        finally:
            os._exit(1)
    serve(control, sandboxed, workload)
