"""Running submissions in sandboxed slots, several at once, and surviving whatever they do.

``Pool.run_all`` takes notebooks' code and gives back, for each, what its exercises' observations
reported (plain data) or why they could not be observed. It never reaches verdicts
(``grader/verdicts.py`` does), and it trusts nothing a sandbox says beyond "here is a report".

Each slot is a fork server in its own sandbox (``client.py``) running one attempt at a time, so
whatever an attempt does to its slot, it does to itself. The pool keeps the wall clock of every
attempt (and, where no cgroup holds the slot, its memory) from outside, and decides what a
submission's next attempt is when one ends early:

* in a cell: that cell is skipped and the notebook runs again (so ``os._exit()`` in a "try it" cell
  does not cost the exercises their marks);
* while observing an exercise: that exercise gets "crashed" or "timed out", and the exercises after it
  are observed in a new attempt (each exercise is graded on its own).

A submission that ends its slot's server is charged for it; after ``Limits.server_deaths`` of those
it is graded as crashed, and the slot, restarted from read-only code, carries on with the others.
"""
from __future__ import annotations

import collections
import os
import selectors
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from grader import assignment
from grader.results import Result
from grader.sandbox import protocol
from grader.sandbox.attempt import Attempt, ExerciseRun, Phase, Run
from grader.sandbox.client import ForkServer
from grader.sandbox.isolation.limits import SlotLimits


@dataclass
class Limits:
    timeout: float = 60.0          # wall-clock seconds for one attempt at one notebook, kept by the grader
    cell_seconds: float = 10.0     # one cell, stopped by an alarm inside the sandbox
    observe_seconds: float = 20.0  # one exercise's observation, likewise
    memory_mb: int = 2048          # memory one submission may add, over all its processes
    file_mb: int = 64              # the largest file it may write; its /tmp holds twice that
    processes: int = 64            # tasks (processes and threads) it may start
    max_attempts: int = 4
    server_deaths: int = 2         # slot servers a submission may end before it is graded as crashed
    startup_seconds: float = 300.0  # a fork server importing TensorFlow


class SandboxUnavailable(RuntimeError):
    """No fork server could start, so nothing can be graded."""


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


class Pool:
    def __init__(self, workdir: Path, limits: Limits | None = None, jobs: int | None = None,
                 sandboxed: bool = True, cases: dict | None = None):
        """``cases``: each exercise's cases, computed by the grader; they go into attempts and never
        come back. ``sandboxed`` False runs the fork servers without bubblewrap (the CLI's explicit
        --unsafe-no-sandbox)."""
        self.workdir = Path(workdir)
        self.limits = limits or Limits()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.sandboxed = sandboxed
        self.cases = cases if cases is not None else assignment.all_cases(None)
        self.slots = [Slot(n) for n in range(self.jobs)]
        self.server_starts = 0
        self.startup_seconds: float | None = None
        self.cgroups = False          # whether a cgroup bounds each slot (else the pool adds up memory)
        self._next_job = 0
        self._selector = selectors.DefaultSelector()
        self._memory_checked = 0.0
        self.unavailable_reason = "no sandbox started"

    # -- slots ----------------------------------------------------------------------------------------
    def _start(self, slot: Slot) -> None:
        self.server_starts += 1
        limits = self.limits
        cgroup = SlotLimits(f"grader-{os.getpid()}-{slot.number}-{self.server_starts}",
                            (limits.memory_mb + 4096) * 2**20, limits.processes + 512)
        self.cgroups = cgroup.available
        slot.server = ForkServer(self.workdir / f"fork-server-{slot.number}.log", self.sandboxed,
                                 max(16, limits.file_mb * 2) * 2**20, cgroup if cgroup.available else None,
                                 self.workdir)
        self._selector.register(slot.server.sock, selectors.EVENT_READ, slot)

    def _stop(self, slot: Slot) -> None:
        if slot.server is None:
            return
        try:
            self._selector.unregister(slot.server.sock)
        except (KeyError, ValueError):
            pass
        slot.server.close()
        slot.server = None

    def start(self) -> None:
        """Start every slot's fork server and wait until one has TensorFlow imported."""
        for slot in self.slots:
            if slot.server is None:
                self._start(slot)
        while not any(s.server and s.server.ready for s in self.slots):
            self._step(0.5)
            self._check_slots()
            if all(s.retired for s in self.slots):
                raise SandboxUnavailable(self.unavailable_reason)

    def _check_slots(self) -> None:
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
                why = server.failure or ("it exited" if server.dead else
                                         f"it did not get ready within {self.limits.startup_seconds:g} s")
                tail = server.log_tail()
                self.unavailable_reason = (
                    f"The grader's sandbox (a Python process with TensorFlow imported) could not start: {why}."
                    + (f"\nIts log ends with:\n{tail}" if tail else ""))
            else:
                slot.failed_starts = 0
            self._stop(slot)
            if slot.failed_starts >= 2:
                slot.retired = True
            else:
                self._start(slot)

    # -- grading ---------------------------------------------------------------------------------------
    def run_all(self, runs: list[Run], on_finished) -> None:
        """Run every notebook; call ``on_finished(run)`` as each one is complete."""
        exercises = assignment.names()
        queue = collections.deque(self._attempt(run, exercises, set()) for run in runs)
        self.start()
        busy = 0
        while queue or busy:
            if all(s.retired for s in self.slots):  # it ran before, so grade what is left as crashed
                for attempt in queue:
                    _give_up(attempt.run, "the grader's sandbox could not be restarted")
                    on_finished(attempt.run)
                queue.clear()
            for slot in self.slots:
                if queue and slot.free:
                    self._spawn(slot, queue.popleft())
            self._step(self._timeout())
            self._enforce_limits()
            self._check_slots()
            for slot in self.slots:
                attempt = slot.attempt
                if attempt is not None and self._finished(attempt):
                    slot.attempt = None
                    follow_up = self._conclude(attempt)
                    if attempt.server_died:
                        self._check_slots()
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
        settings = {"workdir": "/tmp" if self.sandboxed else str(self.workdir),
                    "cpu_seconds": int(limits.timeout) + 5, "memory_bytes": limits.memory_mb * 2**20,
                    "file_bytes": limits.file_mb * 2**20, "processes": limits.processes}
        sent = slot.server.send(protocol.SPAWN, [theirs.fileno()], job=attempt.job, settings=settings)
        theirs.close()
        slot.attempt = attempt
        attempt.started = time.monotonic()
        attempt.deadline = attempt.started + limits.timeout
        attempt.run.attempts += 1
        if not sent:
            ours.close()
            attempt.server_died, attempt.finish_by = True, time.monotonic()
            return
        ours.setblocking(False)
        attempt.sock = ours
        attempt.outbox += protocol.pickle_frame({
            "cells": attempt.run.cells, "skip": sorted(attempt.skip), "exercises": attempt.exercises,
            "cell_seconds": limits.cell_seconds, "observe_seconds": limits.observe_seconds})
        self._selector.register(ours, selectors.EVENT_READ | selectors.EVENT_WRITE, attempt)

    def _step(self, timeout: float) -> None:
        for key, events in self._selector.select(timeout):
            if isinstance(key.data, Slot):
                self._server_messages(key.data)
            else:
                self._job_events(key.data, events)

    def _server_messages(self, slot: Slot) -> None:
        server = slot.server
        for message in server.receive():
            if message.get("op") == protocol.READY and self.startup_seconds is None:
                self.startup_seconds = time.monotonic() - server.started
            attempt = slot.attempt
            if message.get("op") == protocol.EXITED and attempt is not None and message.get("job") == attempt.job:
                attempt.exited, attempt.exit_status = True, message.get("status")
                if attempt.finish_by is None:
                    attempt.finish_by = time.monotonic() + 1.0
        if server.dead:
            try:
                self._selector.unregister(server.sock)
            except (KeyError, ValueError):
                pass

    def _job_events(self, attempt: Attempt, events: int) -> None:
        if attempt.sock is None:
            return
        if events & selectors.EVENT_WRITE and attempt.outbox:
            try:
                del attempt.outbox[:attempt.sock.send(attempt.outbox)]
            except BlockingIOError:
                pass
            except OSError:
                attempt.outbox.clear()
        if events & selectors.EVENT_READ:
            try:
                data = attempt.sock.recv(1 << 20)
            except BlockingIOError:
                data = None
            except OSError:
                data = b""
            if data == b"":
                self._close_job_socket(attempt)
                if attempt.finish_by is None:
                    attempt.finish_by = time.monotonic() + 2.0
                return
            try:
                for body in attempt.reader.feed(data or b""):
                    attempt.receive(protocol.decode_json(body), self.cases)
            except protocol.ProtocolError as exc:
                attempt.violation = attempt.violation or str(exc)
        if attempt.sock is not None:
            wanted = selectors.EVENT_READ | (selectors.EVENT_WRITE if attempt.outbox else 0)
            self._selector.modify(attempt.sock, wanted, attempt)

    def _close_job_socket(self, attempt: Attempt) -> None:
        if attempt.sock is not None:
            try:
                self._selector.unregister(attempt.sock)
            except (KeyError, ValueError):
                pass
            attempt.sock.close()
            attempt.sock = None

    def _enforce_limits(self) -> None:
        """The wall clock, the protocol and (without a cgroup) memory, from outside the sandbox."""
        now = time.monotonic()
        check_memory = not self.cgroups and now - self._memory_checked > 0.25
        if check_memory:
            self._memory_checked = now
        for slot in self.slots:
            attempt = slot.attempt
            if attempt is None or attempt.exited or attempt.server_died:
                continue
            if attempt.finish_by is None and now > attempt.deadline:
                attempt.timed_out = True
            elif check_memory and slot.server.attempt_memory() > self.limits.memory_mb * 2**20:
                attempt.memory_exceeded = True
            elif attempt.violation is None and attempt.phase is not Phase.DONE:
                continue
            if attempt.kill_sent is None:
                attempt.kill_sent = now
                slot.server.send(protocol.KILL, job=attempt.job)
                attempt.finish_by = attempt.finish_by or now + 3.0
            if now > attempt.kill_sent + 3.0:  # the server did not end it: end the whole slot
                slot.server.kill()

    def _finished(self, attempt: Attempt) -> bool:
        return attempt.exited or attempt.server_died

    # -- after an attempt ------------------------------------------------------------------------------
    def _conclude(self, attempt: Attempt) -> Attempt | None:
        """Record what the attempt found; return the next attempt this notebook needs, if any."""
        self._close_job_socket(attempt)
        run = attempt.run
        run.seconds += time.monotonic() - attempt.started
        if attempt.cells_done is not None:
            _record_cells(run, attempt.cells_done)
        run.exercises.update(attempt.reports)
        if attempt.phase is Phase.DONE:
            return None
        if attempt.violation is not None:
            run.status, run.detail = Result.INTERFERED, (
                "The notebook interfered with the grader (it wrote to the grader's connection or broke its "
                f"protocol: {attempt.violation}), so it could not be graded.")
            for name in attempt.exercises:
                run.exercises.setdefault(name, ExerciseRun(failure=Result.INTERFERED, detail=run.detail))
            return None
        charged = attempt.server_died and not (attempt.timed_out or attempt.memory_exceeded)
        if charged:
            run.server_deaths += 1
            run.notes.append("This notebook ended the grader's sandbox process; the sandbox was restarted from "
                             "read-only code, and only this notebook was charged.")
        kind = Result.TIMED_OUT if attempt.timed_out else Result.CRASHED
        how = self.describe_end(attempt)
        more = run.attempts < self.limits.max_attempts and run.server_deaths < self.limits.server_deaths
        return self._next_attempt(attempt, kind, how, more)

    def _next_attempt(self, attempt: Attempt, kind: Result, how: str, more: bool) -> Attempt | None:
        run = attempt.run
        if attempt.phase is Phase.OBSERVING:
            name = attempt.observing or next(n for n in attempt.exercises if n not in attempt.reports)
            run.exercises[name] = ExerciseRun(failure=kind, detail=how)
            rest = [n for n in attempt.exercises if n not in attempt.reports and n != name]
            if rest and more:
                return self._attempt(run, rest, attempt.skip)
            for other in rest:
                run.exercises[other] = ExerciseRun(failure=kind, detail=how)
            return None
        if attempt.phase is Phase.CELLS and attempt.cell is not None and more:
            run.skipped[attempt.cell] = how
            return self._attempt(run, attempt.exercises, attempt.skip | {attempt.cell})
        if attempt.phase is Phase.STARTING and more:
            run.notes.append(f"The sandbox ended before the notebook ran ({how}); it was tried again.")
            return self._attempt(run, attempt.exercises, attempt.skip)
        run.status, run.detail = kind, (
            f"The notebook could not be run to the end: {how}"
            + (f", in code cell {attempt.cell}" if attempt.cell else "") + ".")
        for name in attempt.exercises:
            run.exercises.setdefault(name, ExerciseRun(failure=kind, detail=how))
        return None

    def describe_end(self, attempt: Attempt) -> str:
        """How an attempt ended, in a learner's terms."""
        limits = self.limits
        if attempt.timed_out:
            return f"it ran longer than the time limit of {limits.timeout:g} s"
        if attempt.memory_exceeded:
            return f"its processes together used more than the memory limit of {limits.memory_mb} MB"
        if attempt.server_died:
            return "it ended the grader's sandbox process"
        return describe_status(attempt.exit_status, limits)

    def close(self) -> None:
        for slot in self.slots:
            self._stop(slot)
        self._selector.close()


def _give_up(run: Run, why: str) -> None:
    run.status, run.detail = Result.CRASHED, why
    for name in assignment.names():
        run.exercises.setdefault(name, ExerciseRun(failure=Result.CRASHED, detail=why))


def _record_cells(run: Run, message: dict) -> None:
    errors = message.get("errors")
    run.cell_errors = []
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, dict) and isinstance(error.get("cell"), int):
            run.cell_errors.append({"cell": error["cell"], "error": str(error.get("error", ""))[:400]})
    characters = message.get("output_characters")
    run.output_characters = characters if isinstance(characters, int) else 0


def describe_status(status: int | None, limits: Limits) -> str:
    """How the attempt's main process ended (its wait status), in a learner's terms."""
    if status is None or not isinstance(status, int):
        return "the Python process running it ended"
    if os.WIFEXITED(status):
        return f"the Python process running it exited (exit code {os.WEXITSTATUS(status)}; os._exit?)"
    if not os.WIFSIGNALED(status):
        return "the Python process running it ended"
    number = os.WTERMSIG(status)
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    if number == signal.SIGXCPU:
        return f"it used more than {int(limits.timeout) + 5} s of CPU time"
    if number == signal.SIGABRT:
        return "the Python process running it aborted (SIGABRT), often a sign of running out of memory"
    if number == signal.SIGKILL:
        return "the Python process running it was killed (SIGKILL)"
    return f"the Python process running it was killed by {name}"
