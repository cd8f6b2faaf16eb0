"""The slots of the pool: each a fork server in its own sandbox, started, restarted when it dies, and
retired when it cannot start."""

from __future__ import annotations

import os
import selectors
import time
from pathlib import Path

from grader.sandbox import protocol
from grader.sandbox.attempt import Attempt
from grader.sandbox.client import ForkServer
from grader.sandbox.isolation.limits import Limits, SlotLimits
from grader.sandbox.isolation.users import RunAs
from grader.sandbox.workload import Workload


class Slot:
    """One fork server and the attempt it runs."""

    def __init__(self, number: int):
        self.number = number
        self.server: ForkServer | None = None
        self.attempt: Attempt | None = None
        self.failed_starts = 0
        self.retired = False

    @property
    def free(self) -> bool:
        return self.server is not None and self.server.ready and not self.server.dead and self.attempt is None


class Slots:
    def __init__(
        self,
        count: int,
        limits: Limits,
        sandboxed: bool,
        workdir: Path,
        selector,
        workload: Workload,
        run_as: RunAs | None = None,
    ):
        self.run_as, self.workload = run_as, workload
        self.slots = [Slot(n) for n in range(count)]
        self.limits, self.sandboxed, self.workdir, self.selector = limits, sandboxed, workdir, selector
        self.starts = 0
        self.startup_seconds: float | None = None
        self.cgroups = False  # whether a cgroup bounds each slot (else the pool adds up memory)
        self.unavailable_reason = "no sandbox started"

    def __iter__(self):
        return iter(self.slots)

    @property
    def all_retired(self) -> bool:
        return all(slot.retired for slot in self.slots)

    @property
    def any_ready(self) -> bool:
        return any(slot.server is not None and slot.server.ready for slot in self.slots)

    def start(self, slot: Slot) -> None:
        self.starts += 1
        limits = self.limits
        cgroup = SlotLimits(
            f"grader-{os.getpid()}-{slot.number}-{self.starts}",
            (limits.memory_mb + 4096) * 2**20,
            limits.processes + 512,
        )
        self.cgroups = cgroup.available
        slot.server = ForkServer(
            self.workdir / f"fork-server-{slot.number}.log",
            self.sandboxed,
            max(16, limits.file_mb * 2) * 2**20,
            cgroup if cgroup.available else None,
            self.workdir,
            self.workload,
            self.run_as,
        )
        self.selector.register(slot.server.sock, selectors.EVENT_READ, slot)

    def stop(self, slot: Slot) -> None:
        if slot.server is None:
            return
        try:
            self.selector.unregister(slot.server.sock)
        except (KeyError, ValueError):
            pass
        slot.server.close()
        slot.server = None

    def check(self) -> None:
        """Restart dead slots; retire one that cannot start."""
        for slot in self.slots:
            server = slot.server
            if slot.retired or server is None:
                continue
            waited = time.monotonic() - server.started
            if not server.ready and not server.dead and not server.failure and waited > self.limits.startup_seconds:
                server.kill()
            if not (server.dead or server.failure):
                continue
            if slot.attempt is not None:
                slot.attempt.server_died = True
                slot.attempt.finish_by = time.monotonic()
                continue  # concluded first, then restarted
            if not server.ready:
                slot.failed_starts += 1
                why = server.failure or (
                    "it exited" if server.dead else f"it did not get ready within {self.limits.startup_seconds:g} s"
                )
                tail = server.log_tail()
                self.unavailable_reason = (
                    f"The grader's sandbox (a Python process with TensorFlow imported) could not start: {why}."
                    + (f"\nIts log ends with:\n{tail}" if tail else "")
                )
            else:
                slot.failed_starts = 0
            self.stop(slot)
            if slot.failed_starts >= 2:
                slot.retired = True
            else:
                self.start(slot)

    def messages(self, slot: Slot) -> None:
        server = slot.server
        for message in server.receive():
            if message.get("op") == protocol.READY:
                self._ready(server)
            attempt = slot.attempt
            if message.get("op") == protocol.EXITED and attempt is not None and message.get("job") == attempt.job:
                attempt.exited, attempt.exit_status = True, message.get("status")
                if attempt.finish_by is None:
                    attempt.finish_by = time.monotonic() + 1.0
        if server.dead:
            try:
                self.selector.unregister(server.sock)
            except (KeyError, ValueError):
                pass

    def _ready(self, server: ForkServer) -> None:
        """TensorFlow is imported: from now on the slot may hold what the server holds, plus one
        submission's memory."""
        if self.startup_seconds is None:
            self.startup_seconds = time.monotonic() - server.started
        used = server.limits.memory_used() if server.limits is not None else None
        if used is not None:
            server.limits.set_memory(used + self.limits.memory_mb * 2**20)
        tasks = server.limits.tasks_used() if server.limits is not None else None
        if tasks is not None:  # exactly `processes` more than the ready slot holds, whatever that is
            server.limits.set_tasks(tasks + self.limits.processes)

    def close(self) -> None:
        for slot in self.slots:
            self.stop(slot)
