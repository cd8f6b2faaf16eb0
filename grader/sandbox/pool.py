"""Running submissions in sandboxed slots, several at once, and surviving whatever they do: the
scheduling (``watchdog.py`` keeps the limits from outside, ``retries.py`` decides what follows an
attempt).

``Pool.run_all`` takes notebooks' code and gives back, for each, what its exercises' observations
reported (plain data) or why they could not be observed. It never reaches verdicts
(``grader/pipeline/mark.py`` does), and it trusts nothing a sandbox says beyond "here is a report".

Each slot is a fork server in its own sandbox (``client.py``) running one attempt at a time, so
whatever an attempt does to its slot, it does to itself. The pool keeps the wall clock of every
attempt (and, where no cgroup holds the slot, its memory) from outside: past it, the slot's server is
asked to end the attempt, and if it does not within seconds, the whole slot is killed and restarted
from read-only code (``slots.py``).

``opened(...)`` is the pool as the grader uses it: in temporary folders of its own, which it removes,
and, without a sandbox, ending whatever a submission left running.
"""

from __future__ import annotations

import collections
import contextlib
import os
import selectors
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox import protocol, watchdog
from grader.sandbox.attempt import Attempt
from grader.sandbox.isolation import bubblewrap, users
from grader.sandbox.isolation.limits import Limits
from grader.sandbox.isolation.processes import become_subreaper, kill_strays, reap_exited
from grader.sandbox.isolation.users import RunAs
from grader.sandbox.retries import conclude, give_up
from grader.sandbox.runs import Run
from grader.sandbox.slots import Slot, Slots
from grader.sandbox.workload import Workload

__all__ = ["Limits", "Pool", "SandboxUnavailable", "Usage", "opened"]


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
        run_as: RunAs | None = None,
    ):
        """``workload``: what the sandboxes import and observe; ``cases``: each task's cases, computed
        by the grader: they go into attempts and never come back. ``sandboxed`` False runs the fork
        servers without bubblewrap (the CLI's explicit --unsafe-no-sandbox), as the user ``run_as``
        when given (--run-as, or Gradescope without bubblewrap)."""
        self.workdir = Path(workdir)
        self.limits = limits or Limits()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.sandboxed = sandboxed
        self.cases = cases
        self._next_job = 0
        self._selector = selectors.DefaultSelector()
        if run_as is not None:  # the servers' working folder is theirs, the rest of the grader's is not
            os.chown(self.workdir, run_as.uid, run_as.gid)
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
            now = time.monotonic()
            check_memory = now - self._memory_checked > 0.25
            if check_memory:
                self._memory_checked = now
            watchdog.enforce(self.slots, self.limits, check_memory)
            self.slots.check()
            for slot in self.slots:
                if slot.attempt is not None and (slot.attempt.exited or slot.attempt.server_died):
                    self._conclude(slot, queue, on_finished)
            busy = sum(1 for s in self.slots if s.attempt is not None)

    def _conclude(self, slot: Slot, queue: collections.deque, on_finished) -> None:
        """The slot's attempt has ended: what it found is recorded, and the run is finished or tried again."""
        attempt, slot.attempt = slot.attempt, None
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
        counted = slot.server.limits is not None and slot.server.limits.counts_tasks
        settings = self.limits.process_settings("/tmp" if self.sandboxed else str(self.workdir), counted)
        sent = slot.server.send(protocol.SPAWN, [theirs.fileno()], job=attempt.job, settings=settings)
        theirs.close()
        slot.attempt = attempt
        if slot.server.limits is not None:
            attempt.oom_kills_before = slot.server.limits.oom_kills()
            attempt.task_hits_before = slot.server.limits.task_limit_hits()
        attempt.started = time.monotonic()
        attempt.deadline = attempt.started + self.limits.timeout
        attempt.run.attempts += 1
        if not sent:
            ours.close()
            attempt.server_died, attempt.finish_by = True, time.monotonic()
            return
        ours.setblocking(False)
        attempt.sock = ours
        attempt.outbox += protocol.pickle_frame(attempt.job_message(self.limits))
        self._selector.register(ours, selectors.EVENT_READ | selectors.EVENT_WRITE, attempt)

    def _step(self, timeout: float) -> None:
        for key, events in self._selector.select(timeout):
            if isinstance(key.data, Slot):
                self.slots.messages(key.data)
            else:
                key.data.on_socket(events, self._selector, self.cases)

    def usage(self) -> Usage:
        """How the pool's slots went, for the summary."""
        slots = self.slots
        return Usage(self.jobs, slots.startup_seconds, max(0, slots.starts - self.jobs), slots.cgroups)

    def close(self) -> None:
        self.slots.close()
        self._selector.close()


@dataclass(frozen=True)
class Usage:
    """How a pool's slots went."""

    jobs: int  # slots (fork servers) at once
    startup_seconds: float | None  # the first slot's start (TensorFlow imported), None if none started
    restarts: int  # slot servers started again after a submission ended one
    cgroups: bool  # a cgroup bounded each slot (else the pool added up memory itself)


@contextlib.contextmanager
def opened(
    place_code: Callable[[Path], Workload],
    cases: dict,
    limits: Limits | None = None,
    jobs: int | None = None,
    sandboxed: bool = True,
    run_as: str | None = None,
) -> Iterator[Pool]:
    """A pool in temporary folders of its own, with everything it started ended and its folders removed
    after. ``place_code(folder)`` puts the code the sandboxes import into ``folder`` (the grader's
    alone: read-only to submissions) and returns the Workload naming it. Without a sandbox there is no
    PID namespace to end what a submission leaves behind, so the grader becomes its subreaper and ends
    it; ``run_as`` is then the unprivileged user the submissions run as, who must reach the grader's
    Python (``isolation/users.py``: made reachable, or SandboxUnavailable says what to do)."""
    workdir = Path(tempfile.mkdtemp(prefix="grader-"))
    code = Path(tempfile.mkdtemp(prefix="grader-code-"))
    stage = Path(tempfile.mkdtemp(prefix="grader-reach-"))
    if not sandboxed:  # what a submission leaves behind becomes ours to end
        become_subreaper()
    try:
        code.chmod(0o755)
        workload = place_code(code)
        user = _user(run_as, workload, stage) if run_as is not None else None
        pool = Pool(workdir, workload, cases, limits, jobs, sandboxed, user)
        try:
            yield pool
        finally:
            pool.close()
    finally:
        if not sandboxed:
            kill_strays(keep=set())
            reap_exited()
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(code, ignore_errors=True)
        shutil.rmtree(stage, ignore_errors=True)


def _user(name: str, workload: Workload, stage: Path) -> RunAs:
    """The unprivileged user ``name``, able to run the grader's Python and import what the server needs
    (its working folder, under the temporary folder, is made its own)."""
    paths = bubblewrap.read_only_paths(workload.code_root)
    modules = ("grader.sandbox.server", "numpy", "tensorflow", *workload.own_packages)
    try:
        return users.prepared(name, paths, workload.code_root, modules, stage)
    except users.Unreachable as exc:
        raise SandboxUnavailable(f"Without a sandbox, {exc}") from None
