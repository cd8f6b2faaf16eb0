"""Running submissions in sandboxed slots, several at once, and surviving whatever they do: the
scheduling, and the limits kept from outside (``retries.py`` decides what follows an attempt).

``Pool.run_all`` takes notebooks' code and gives back, for each, what its exercises' observations
reported (plain data) or why they could not be observed. It never reaches verdicts
(``grader/pipeline/mark.py`` does), and it trusts nothing a sandbox says beyond "here is a report".

Each slot is a fork server in its own sandbox (``client.py``) running one attempt at a time, so
whatever an attempt does to its slot, it does to itself. The pool keeps the wall clock of every
attempt (and, where no cgroup holds the slot, its memory) from outside: past it, the slot's server is
asked to end the attempt, and if it does not within seconds, the whole slot is killed and restarted
from read-only code (``slots.py``).
"""

from __future__ import annotations

import collections
import os
import selectors
import socket
import time
from pathlib import Path

from grader.sandbox import protocol
from grader.sandbox.attempt import Attempt, Phase
from grader.sandbox.isolation.limits import Limits
from grader.sandbox.retries import conclude, give_up
from grader.sandbox.runs import Run
from grader.sandbox.slots import Slot, Slots
from grader.sandbox.workload import Workload

__all__ = ["Limits", "Pool", "SandboxUnavailable"]


class SandboxUnavailable(RuntimeError):
    """No fork server could start, so nothing can be graded."""


class Pool:
    def __init__(
        self,
        workdir: Path,
        workload: Workload,
        cases: dict,
        limits: Limits | None = None,
        jobs: int | None = None,
        sandboxed: bool = True,
        run_as: tuple[int, int] | None = None,
    ):
        """``workload``: what the sandboxes import and observe; ``cases``: each task's cases, computed
        by the grader: they go into attempts and never come back. ``sandboxed`` False runs the fork
        servers without bubblewrap (the CLI's explicit --unsafe-no-sandbox), as the user ``run_as``
        (uid, gid) when given (Gradescope without bubblewrap)."""
        self.workdir = Path(workdir)
        self.limits = limits or Limits()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.sandboxed = sandboxed
        self.cases = cases
        self._next_job = 0
        self._selector = selectors.DefaultSelector()
        if run_as is not None:  # the servers' working folder is theirs, the rest of the grader's is not
            os.chown(self.workdir, *run_as)
        self.slots = Slots(self.jobs, self.limits, sandboxed, self.workdir, self._selector, workload, run_as)
        self._memory_checked = 0.0

    # -- slots ----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start every slot's fork server and wait until one has TensorFlow imported."""
        for slot in self.slots:
            if slot.server is None:
                self.slots.start(slot)
        while not self.slots.any_ready:
            self._step(0.5)
            self.slots.check()
            if self.slots.all_retired:
                raise SandboxUnavailable(self.slots.unavailable_reason)

    # -- grading ---------------------------------------------------------------------------------------
    def run_all(self, runs: list[Run], on_finished) -> None:
        """Run every notebook (observing the tasks each names); call ``on_finished(run)`` as each one is
        complete."""
        queue = collections.deque(self._attempt(run, list(run.tasks), set()) for run in runs)
        self.start()
        busy = 0
        while queue or busy:
            if self.slots.all_retired:  # it ran before, so grade what is left as crashed
                for attempt in queue:
                    give_up(attempt.run, "the grader's sandbox could not be restarted")
                    on_finished(attempt.run)
                queue.clear()
            for slot in self.slots:
                if queue and slot.free:
                    self._spawn(slot, queue.popleft())
            self._step(self._timeout())
            self._enforce_limits()
            self.slots.check()
            for slot in self.slots:
                attempt = slot.attempt
                if attempt is not None and (attempt.exited or attempt.server_died):
                    slot.attempt = None
                    attempt.close_socket(self._selector)
                    if slot.server is not None and slot.server.limits is not None:
                        attempt.tasks_exceeded = slot.server.limits.task_limit_hits() > attempt.task_hits_before
                    follow_up = conclude(attempt, self.limits, self._attempt)
                    if attempt.server_died:
                        self.slots.check()
                    if follow_up is not None:
                        queue.appendleft(follow_up)
                    else:
                        on_finished(attempt.run)
            busy = sum(1 for s in self.slots if s.attempt is not None)

    def _timeout(self) -> float:
        now, wake = time.monotonic(), [0.5]
        for slot in self.slots:
            if slot.attempt is not None:
                wake.append(max(0.0, (slot.attempt.finish_by or slot.attempt.deadline) - now))
        return min(wake)

    def _attempt(self, run: Run, exercises: list, skip: set) -> Attempt:
        self._next_job += 1
        return Attempt(run, exercises, skip, self._next_job)

    def _spawn(self, slot: Slot, attempt: Attempt) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        limits = self.limits
        counted = slot.server.limits is not None and slot.server.limits.counts_tasks
        settings = {
            "workdir": "/tmp" if self.sandboxed else str(self.workdir),
            "cpu_seconds": int(limits.timeout) + 5,
            "memory_bytes": limits.memory_mb * 2**20,
            "file_bytes": limits.file_mb * 2**20,
            "processes": limits.processes,
            "tasks_counted_by_cgroup": counted,
        }
        sent = slot.server.send(protocol.SPAWN, [theirs.fileno()], job=attempt.job, settings=settings)
        theirs.close()
        slot.attempt = attempt
        if slot.server.limits is not None:
            attempt.oom_kills_before = slot.server.limits.oom_kills()
            attempt.task_hits_before = slot.server.limits.task_limit_hits()
        attempt.started = time.monotonic()
        attempt.deadline = attempt.started + limits.timeout
        attempt.run.attempts += 1
        if not sent:
            ours.close()
            attempt.server_died, attempt.finish_by = True, time.monotonic()
            return
        ours.setblocking(False)
        attempt.sock = ours
        attempt.outbox += protocol.pickle_frame(
            {
                "cells": attempt.run.cells,
                "skip": sorted(attempt.skip),
                "exercises": attempt.exercises,
                "cell_seconds": limits.cell_seconds,
                "observe_seconds": limits.observe_seconds,
                "processes": limits.processes,
            }
        )
        self._selector.register(ours, selectors.EVENT_READ | selectors.EVENT_WRITE, attempt)

    def _step(self, timeout: float) -> None:
        for key, events in self._selector.select(timeout):
            if isinstance(key.data, Slot):
                self.slots.messages(key.data)
            else:
                key.data.on_socket(events, self._selector, self.cases)

    def _enforce_limits(self) -> None:
        """The wall clock, the protocol and memory, from outside the sandbox."""
        now = time.monotonic()
        check_memory = now - self._memory_checked > 0.25
        if check_memory:
            self._memory_checked = now
        for slot in self.slots:
            attempt = slot.attempt
            if attempt is None or attempt.exited or attempt.server_died:
                continue
            if attempt.finish_by is None and now > attempt.deadline:
                attempt.timed_out = True
            elif check_memory and self._over_memory(slot):
                attempt.memory_exceeded = True
            elif attempt.violation is None and attempt.phase is not Phase.DONE:
                continue
            if attempt.kill_sent is None:
                attempt.kill_sent = now
                slot.server.send(protocol.KILL, job=attempt.job)
                attempt.finish_by = attempt.finish_by or now + 3.0
            if now > attempt.kill_sent + 3.0:  # the server did not end it: end the whole slot
                slot.server.kill()

    def _over_memory(self, slot: Slot) -> bool:
        """Whether the attempt went past its memory: the kernel ended one of its processes for want of
        memory (with a cgroup, which keeps the sum bounded), or its private memory adds up to more."""
        server, attempt = slot.server, slot.attempt
        if server.limits is not None:
            return server.limits.oom_kills() > attempt.oom_kills_before
        return server.attempt_memory() > self.limits.memory_mb * 2**20

    def close(self) -> None:
        self.slots.close()
        self._selector.close()
