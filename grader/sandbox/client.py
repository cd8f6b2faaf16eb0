"""A slot's fork server, from the grader's side: started in its own bubblewrap sandbox (or, only when
the instructor asks, without one), talked to over the control channel, and killed from outside."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from grader.sandbox import protocol
from grader.sandbox.isolation import bubblewrap
from grader.sandbox.isolation.limits import SlotLimits, private_bytes
from grader.sandbox.isolation.processes import descendants_of, kill_tree
from grader.sandbox.isolation.users import RunAs
from grader.sandbox.workload import Workload


class ForkServer:
    def __init__(
        self,
        log_path: Path,
        sandboxed: bool,
        tmp_bytes: int,
        limits: SlotLimits | None,
        workdir: Path,
        workload: Workload,
        run_as: RunAs | None = None,
    ):
        """``run_as``: without bubblewrap, start the server as that unprivileged user."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        fd = theirs.fileno()
        if sandboxed:
            argv, env, cwd = bubblewrap.command(fd, tmp_bytes, workload), {}, "/"
        else:
            argv, cwd = bubblewrap.server_command(fd, False, workload), str(workdir)
            env = {**bubblewrap.ENVIRONMENT, "HOME": str(workdir), "TMPDIR": str(workdir)}
            if run_as is not None:
                argv = run_as.command(argv)
        self.log_path, self.limits = log_path, limits
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                argv,
                pass_fds=[fd],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=cwd,
                env=env,
                start_new_session=True,
                preexec_fn=limits.join if limits is not None else None,
            )
        theirs.close()
        self.sock = ours
        self.pid = self.process.pid
        self.server_pid: int | None = None  # the fork server's pid, as the grader sees it
        self.ready = self.dead = False
        self.failure = ""
        self.started = time.monotonic()

    def send(self, op: str, fds=(), **fields) -> bool:
        try:
            socket.send_fds(self.sock, [protocol.control_packet(op, **fields)], list(fds))
            return True
        except OSError:
            self.dead = True
            return False

    def receive(self) -> list[dict]:
        """The messages waiting; marks the server dead when its end is closed."""
        messages = []
        while True:
            try:
                data = self.sock.recv(1 << 16, socket.MSG_DONTWAIT)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            if not data:
                self.dead = True
                break
            message = protocol.read_control(data)
            if message is not None:
                messages.append(message)
        for message in messages:
            if message.get("op") == protocol.READY:
                self.ready = True
            elif message.get("op") == protocol.FAILED:
                self.failure = str(message.get("message", ""))[:2000]
        return messages

    def attempt_memory(self) -> int:
        """Private memory of the fork server's descendants: what the running attempt holds."""
        if self.server_pid is None:
            self.server_pid = next((pid for pid in [self.pid, *descendants_of(self.pid)] if _is_fork_server(pid)), None)
        return private_bytes(descendants_of(self.server_pid)) if self.server_pid else 0

    def log_tail(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-15:])

    def kill(self) -> None:
        """End the slot from outside: the sandbox and everything in it."""
        kill_tree(self.pid)
        for pid in descendants_of(self.pid):
            kill_tree(pid)
        self.dead = True

    def close(self) -> None:
        try:
            self.sock.close()  # the server ends its attempt and exits when this closes
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except (subprocess.TimeoutExpired, ChildProcessError):
            self.kill()
        try:
            self.process.wait(timeout=5)
        except Exception:
            pass
        if self.limits is not None:
            self.limits.close()


def _is_fork_server(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"grader.sandbox.server" in handle.read()
    except OSError:
        return False
