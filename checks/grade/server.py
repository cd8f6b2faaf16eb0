"""The fork server: a process that imports TensorFlow once, then forks one sandbox per submission.

Importing TensorFlow takes seconds; forking a process that has it imported takes milliseconds. The
server imports TensorFlow (and what notebooks use: Keras, matplotlib, IPython's display) but never runs
an op, because TensorFlow's runtime and its thread pools do not survive a fork; each child starts its
own.

It is a child of the grader (``sandbox.py``), never the grader itself, so a submission that kills its
parent kills this server, not the grader, which notices and starts a new one. It talks to the grader
over a SOCK_SEQPACKET socket: the grader sends "spawn" with one end of a fresh socket pair attached
(the sandbox talks to the grader directly over it, so the server never sees a submission's code or
results), and "kill"; the server answers "ready", "spawned" and "exited". It is a child subreaper, so
processes a submission leaves behind become its children, and it kills them.

    python -m checks.grade.server CONTROL_FD
"""
from __future__ import annotations

import ctypes
import gc
import json
import os
import selectors
import signal
import socket
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL a sandbox and its process group (its session, unless a process left it)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def reap_exited() -> list[tuple[int, int]]:
    """(pid, wait status) of every child that has ended, without waiting for the others."""
    ended = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        ended.append((pid, status))
    return ended


def kill_strays(keep: set) -> None:
    """End every child of this process (and its descendants) but those in ``keep``."""
    for pid in children_of(os.getpid()):
        if pid not in keep:
            kill_tree(pid)


def warm_up() -> None:
    """Import what a notebook of the course uses, without starting TensorFlow's runtime."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("MPLBACKEND", "Agg")
    import numpy as np
    import numpy.random  # noqa: F401  (numpy imports it lazily)
    import tensorflow as tf

    import checks
    import checks.environment
    import checks.grade.worker  # noqa: F401

    tf.get_logger().setLevel("ERROR")
    # Touch what the notebook uses, so lazy loaders are resolved once, here.
    for path in ("keras.preprocessing.text.Tokenizer", "compat.v1.get_variable", "nn.embedding_lookup",
                 "compat.v1.nn.embedding_lookup", "random.uniform", "compat.v1.random_uniform",
                 "keras.initializers.RandomUniform"):
        obj = tf
        try:
            for part in path.split("."):
                obj = getattr(obj, part)
        except AttributeError:
            pass
    for module in ("IPython.display", "matplotlib.pyplot", "ipywidgets"):
        try:
            __import__(module)
        except Exception:
            pass
    checks.environment.version_problems()
    np.random.seed(0)
    for ex in checks.GRADED:
        ex.cases()
    gc.collect()
    gc.freeze()  # children then share these pages instead of copying them on the next collection


def serve(control: socket.socket) -> None:
    from checks.grade import worker

    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *args: None)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    jobs: dict[int, int] = {}  # pid -> job id
    me = os.getpid()

    def send(message: dict) -> None:
        try:
            control.send(json.dumps(message).encode())
        except OSError:
            shutdown()

    def shutdown() -> None:
        for pid in list(jobs) + children_of(me):
            kill_tree(pid)
        os._exit(0)

    send({"op": "ready", "pid": me})
    last_sweep = time.monotonic()
    while True:
        for key, _ in selector.select(timeout=1.0):
            if key.fileobj is control:
                try:
                    data, fds, _, _ = socket.recv_fds(control, 1 << 16, 4)
                except OSError:
                    shutdown()
                if not data:
                    shutdown()
                message = json.loads(data)
                if message["op"] == "spawn":
                    if not fds:
                        send({"op": "error", "job": message["job"], "message": "no socket attached"})
                        continue
                    for extra in fds[1:]:
                        os.close(extra)
                    pid = os.fork()
                    if pid == 0:
                        worker.run(fds[0], message["settings"])  # never returns
                    os.close(fds[0])
                    jobs[pid] = message["job"]
                    send({"op": "spawned", "job": message["job"], "pid": pid})
                elif message["op"] == "kill":
                    for pid, job in jobs.items():
                        if job == message["job"]:
                            kill_tree(pid)
                else:
                    for fd in fds:
                        os.close(fd)
            else:
                try:
                    while os.read(wake_read, 512):
                        pass
                except BlockingIOError:
                    pass
        ended = reap_exited()
        for pid, status in ended:
            if pid in jobs:
                job = jobs.pop(pid)
                kill_tree(pid)  # what is left of its process group
                send({"op": "exited", "job": job, "pid": pid, "status": status})
        now = time.monotonic()
        if ended or now - last_sweep > 1.0:
            last_sweep = now
            kill_strays(set(jobs))  # left behind by a finished sandbox: reparented to us


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    become_subreaper()
    from checks.grade.hiding import protect_process

    protect_process()
    try:
        warm_up()
    except BaseException as exc:
        message = f"{type(exc).__name__}: {exc}"
        try:
            control.send(json.dumps({"op": "failed", "message": message[:2000]}).encode())
        finally:
            os._exit(1)
    serve(control)


if __name__ == "__main__":
    main()
