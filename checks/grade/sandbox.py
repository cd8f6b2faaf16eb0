"""Running submissions in sandboxes, several at once, and surviving whatever they do.

``Sandbox.run_all`` takes notebooks' code and gives back, for each, what its exercises' observations
reported (plain data) or why they could not be observed. It never reaches verdicts (``grading.py``
does) and it trusts nothing a sandbox says beyond "here is a report": every frame is checked against
the order the protocol allows, and a sandbox that breaks it is marked as having interfered.

One notebook is graded in one *attempt*: a process forked by the fork server (``server.py``) that runs
the notebook's cells, then observes each exercise (``worker.py``). When an attempt dies or runs out of
time, the grader knows from the sandbox's progress messages where it was:

* in a cell: that cell is skipped and the notebook runs again (so ``os._exit()`` in a "try it" cell
  does not cost the exercises their marks);
* while observing an exercise: that exercise gets "crashed" or "timed out", and the exercises after it
  are observed in a new attempt (each exercise is graded on its own).

The fork server is a child of the grader. If a submission kills it, the grader starts a new one;
sandboxes already running talk to the grader directly and carry on.
"""
from __future__ import annotations

import collections
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import checks
from checks.grade import hiding, protocol
from checks.grade.server import become_subreaper, kill_strays, kill_tree, reap_exited

TIMED_OUT, CRASHED, INTERFERED = "timed out", "crashed", "interfered"
_CHECKS_PARENT = str(Path(checks.__file__).resolve().parent.parent)


@dataclass
class Limits:
    timeout: float = 60.0          # wall-clock seconds for one attempt at one notebook
    cell_seconds: float = 10.0     # one cell, stopped by an alarm inside the sandbox
    observe_seconds: float = 20.0  # one exercise's observation, likewise
    memory_mb: int = 2048          # address space the sandbox may add to the fork server's
    file_mb: int = 64              # the largest file the sandbox may write
    max_attempts: int = 4
    startup_seconds: float = 300.0  # the fork server importing TensorFlow


class SandboxUnavailable(RuntimeError):
    """The fork server could not start, so nothing can be graded."""


@dataclass
class ExerciseRun:
    """What observing one exercise gave: a report (plain data), or why there is none."""
    report: dict | None = None
    changed: list = field(default_factory=list)  # guarded names the learner's code replaced meanwhile
    failure: str | None = None                  # TIMED_OUT, CRASHED or INTERFERED
    detail: str = ""


@dataclass
class Run:
    """One submission through the sandbox."""
    name: str
    cells: list                      # [(number, source)]
    first_lines: dict                # number -> first line as written
    exercises: dict = field(default_factory=dict)   # name -> ExerciseRun
    status: str = "graded"           # or TIMED_OUT, CRASHED, INTERFERED
    detail: str = ""
    cell_errors: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)     # cell number -> why it was skipped
    notes: list = field(default_factory=list)       # for the instructor
    defined: dict = field(default_factory=dict)
    output_characters: int = 0
    attempts: int = 0
    seconds: float = 0.0


class _Attempt:
    def __init__(self, run: Run, exercises: list, skip: set, job: int):
        self.run, self.exercises, self.skip, self.job = run, exercises, set(skip), job
        self.sock: socket.socket | None = None
        self.reader = protocol.FrameReader()
        self.outbox = bytearray()
        self.pid: int | None = None
        self.phase = "setup"  # setup -> cells -> observe -> done
        self.cell: int | None = None
        self.observing: str | None = None
        self.reports: dict = {}
        self.started = self.deadline = 0.0
        self.finish_by: float | None = None
        self.exit_status: int | None = None
        self.eof = self.timed_out = False
        self.violation: str | None = None
        self.cells_done: dict | None = None


class _Server:
    """The fork server process, from the grader's side."""

    def __init__(self, workdir: Path, log_path: Path):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ)
        env.update({"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "MPLBACKEND": "Agg",
                    "PYTHONPATH": os.pathsep.join(filter(None, [_CHECKS_PARENT, env.get("PYTHONPATH")])),
                    "PYTHONDONTWRITEBYTECODE": "1"})
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "checks.grade.server", str(theirs.fileno())], pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=workdir, env=env, start_new_session=True)
        theirs.close()
        self.sock = ours
        self.pid = self.process.pid
        self.ready = self.dead = False
        self.failure = ""
        self.started = time.monotonic()

    def send(self, message: dict, fds=()) -> bool:
        try:
            socket.send_fds(self.sock, [json.dumps(message).encode()], list(fds))
            return True
        except OSError:
            return False

    def receive(self) -> list[dict]:
        messages = []
        while True:
            try:
                data = self.sock.recv(1 << 16, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return messages
            except OSError:
                data = b""
            if not data:
                self.dead = True
                return messages
            try:
                messages.append(json.loads(data))
            except ValueError:
                pass

    def log_tail(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-15:])

    def close(self) -> None:
        try:
            self.sock.close()  # the server kills its sandboxes and exits when this closes
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except (subprocess.TimeoutExpired, ChildProcessError):
            kill_tree(self.pid)
        except Exception:
            pass


class Sandbox:
    def __init__(self, workdir: Path, limits: Limits | None = None, jobs: int | None = None,
                 own_process: bool = False, hide: list | None = None):
        """``own_process``: this process is the grader CLI, so it may become a child subreaper, reap
        any child and kill the processes a submission leaves behind. ``hide``: folders sandboxes must
        not see (solutions/, the submissions, the output folder), where the system allows it."""
        self.workdir = Path(workdir)
        keep = [str(self.workdir), sys.prefix, sys.base_prefix, _CHECKS_PARENT + "/checks",
                *[p for p in sys.path if p]]
        self.hide = hiding.folders_to_hide([str(h) for h in hide or []], keep)
        self.hidden: bool | None = None  # False once a sandbox reports it could not hide them
        self.limits = limits or Limits()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.own_process = own_process
        self.cases = {ex.name: ex.cases() for ex in checks.GRADED}
        self.server: _Server | None = None
        self.server_starts = 0
        self.server_deaths = 0
        self.startup_seconds: float | None = None
        self._next_job = 0
        self._failed_starts = 0
        if own_process:
            become_subreaper()
            hiding.protect_process()

    # -- the server ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the fork server and wait until it has TensorFlow imported."""
        self._start_server()
        while not self.server.ready:
            self._poll_server(timeout=0.5)
            self._check_startup()

    def _start_server(self) -> None:
        self.server_starts += 1
        self.server = _Server(self.workdir, self.workdir / "fork-server.log")

    def _check_startup(self) -> None:
        server = self.server
        if server.ready:
            return
        waited = time.monotonic() - server.started
        if server.dead or server.failure or waited > self.limits.startup_seconds:
            why = server.failure or ("it did not get ready within "
                                     f"{self.limits.startup_seconds:g} s" if not server.dead else "it exited")
            tail = server.log_tail()
            server.close()
            raise SandboxUnavailable(f"The grader's sandbox (a Python process with TensorFlow imported) could "
                                     f"not start: {why}." + (f"\nIts log ends with:\n{tail}" if tail else ""))

    def _poll_server(self, timeout: float) -> list[dict]:
        server = self.server
        selector = selectors.DefaultSelector()
        selector.register(server.sock, selectors.EVENT_READ)
        selector.select(timeout)
        selector.close()
        messages = server.receive()
        for message in messages:
            if message.get("op") == "ready":
                server.ready = True
                if self.startup_seconds is None:
                    self.startup_seconds = time.monotonic() - server.started
            elif message.get("op") == "failed":
                server.failure = str(message.get("message", ""))[:2000]
        return messages

    # -- grading -------------------------------------------------------------------------------------
    def run_all(self, runs: list[Run], on_finished=None) -> None:
        """Run every notebook; call ``on_finished(run)`` as each one is complete."""
        exercises = [ex.name for ex in checks.GRADED]
        queue = collections.deque(self._attempt(run, exercises, set()) for run in runs)
        running: dict[int, _Attempt] = {}
        selector = selectors.DefaultSelector()
        if self.server is None:
            self.start()
        selector.register(self.server.sock, selectors.EVENT_READ, "server")
        try:
            while queue or running:
                if self.server.dead and queue:
                    if self._failed_starts >= 2:  # it ran before, so grade what is left as crashed
                        for attempt in queue:
                            _give_up(attempt.run, "the grader's sandbox could not be restarted")
                            if on_finished is not None:
                                on_finished(attempt.run)
                        queue.clear()
                    else:
                        self._replace_server(selector)
                if self.server.ready:
                    while queue and len(running) < self.jobs:
                        attempt = queue.popleft()
                        if self._spawn(attempt, selector):
                            running[attempt.job] = attempt
                        else:
                            queue.appendleft(attempt)
                            break
                now = time.monotonic()
                wake = [a.finish_by if a.finish_by else a.deadline for a in running.values()]
                timeout = min([0.5] + [max(0.0, t - now) for t in wake])
                for key, events in selector.select(timeout):
                    if key.data == "server":
                        self._server_messages(running, selector)
                    else:
                        self._job_events(key.data, events, selector)
                self._reap(running)
                now = time.monotonic()
                for attempt in list(running.values()):
                    if attempt.phase != "done" and attempt.finish_by is None and now > attempt.deadline:
                        attempt.timed_out = True
                        self._kill(attempt)
                        attempt.finish_by = now + 2.0
                    if self._finished(attempt, now):
                        del running[attempt.job]
                        follow_up = self._conclude(attempt, selector)
                        if follow_up is not None:
                            queue.appendleft(follow_up)
                        elif on_finished is not None:
                            on_finished(attempt.run)
                if not self.server.ready and not self.server.dead and \
                        time.monotonic() - self.server.started > self.limits.startup_seconds:
                    kill_tree(self.server.pid)
                    self.server.dead = True
        finally:
            selector.close()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.own_process:
            kill_strays(keep=set())
            self._reap({})

    def _attempt(self, run: Run, exercises: list, skip: set) -> _Attempt:
        self._next_job += 1
        return _Attempt(run, list(exercises), skip, self._next_job)

    def _replace_server(self, selector) -> None:
        try:
            selector.unregister(self.server.sock)
        except (KeyError, ValueError):
            pass
        self._failed_starts = 0 if self.server.ready else self._failed_starts + 1
        self.server.close()
        self._start_server()
        selector.register(self.server.sock, selectors.EVENT_READ, "server")

    def _spawn(self, attempt: _Attempt, selector) -> bool:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        limits = self.limits
        settings = {"workdir": str(self.workdir), "cpu_seconds": int(limits.timeout) + 5, "hide": self.hide,
                    "memory_bytes": limits.memory_mb * 2**20, "file_bytes": limits.file_mb * 2**20}
        sent = self.server.send({"op": "spawn", "job": attempt.job, "settings": settings}, [theirs.fileno()])
        theirs.close()
        if not sent:
            ours.close()
            self.server.dead = True
            return False
        ours.setblocking(False)
        attempt.sock = ours
        attempt.started = time.monotonic()
        attempt.deadline = attempt.started + limits.timeout
        attempt.run.attempts += 1
        attempt.outbox += protocol.pickle_frame({
            "cells": attempt.run.cells, "skip": sorted(attempt.skip), "exercises": attempt.exercises,
            "cell_seconds": limits.cell_seconds, "observe_seconds": limits.observe_seconds})
        selector.register(ours, selectors.EVENT_READ | selectors.EVENT_WRITE, attempt)
        return True

    def _server_messages(self, running, selector) -> None:
        by_job = {a.job: a for a in running.values()}
        for message in self.server.receive() if self.server.ready else self._poll_server(0):
            attempt = by_job.get(message.get("job"))
            if message.get("op") == "spawned" and attempt is not None:
                attempt.pid = message.get("pid")
            elif message.get("op") == "exited" and attempt is not None:
                attempt.exit_status = message.get("status")
                if attempt.finish_by is None:
                    attempt.finish_by = time.monotonic() + 1.0
        if self.server.dead:
            try:
                selector.unregister(self.server.sock)
            except (KeyError, ValueError):
                pass
            self.server_deaths += 1
            for attempt in running.values():
                attempt.run.notes.append("The grader's fork server stopped while this notebook ran (a submission "
                                         "running at the same time may have killed it); it was restarted.")
                if attempt.pid is None:  # never forked, or we cannot tell: give up this attempt quietly
                    attempt.violation = None
                    attempt.finish_by = time.monotonic()
                    attempt.phase = "lost"

    def _job_events(self, attempt: _Attempt, events: int, selector) -> None:
        if attempt.sock is None:
            return
        if events & selectors.EVENT_WRITE and attempt.outbox:
            try:
                sent = attempt.sock.send(attempt.outbox)
                del attempt.outbox[:sent]
            except BlockingIOError:
                pass
            except OSError:
                attempt.outbox.clear()
            if not attempt.outbox:
                selector.modify(attempt.sock, selectors.EVENT_READ, attempt)
        if events & selectors.EVENT_READ:
            try:
                data = attempt.sock.recv(1 << 20)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                attempt.eof = True
                selector.unregister(attempt.sock)
                attempt.sock.close()
                attempt.sock = None
                if attempt.finish_by is None:
                    attempt.finish_by = time.monotonic() + 1.0
                return
            try:
                for body in attempt.reader.feed(data):
                    self._message(attempt, protocol.decode_json(body), selector)
            except protocol.ProtocolError as exc:
                self._violation(attempt, str(exc))

    def _message(self, attempt: _Attempt, message: dict, selector) -> None:
        if attempt.violation or attempt.phase in ("done", "lost"):
            return
        kind = message.get("t")
        if kind == "hello" and attempt.phase == "setup":
            attempt.phase = "cells"
            if self.hide:
                problem = message.get("hide_problem")
                hidden = problem is None
                if not hidden:
                    attempt.run.notes.append("The sandbox could not hide solutions/, the submissions and the output "
                                             f"folder from this notebook ({str(problem)[:200]}).")
                self.hidden = hidden if self.hidden is None else (self.hidden and hidden)
        elif kind == "cell" and attempt.phase == "cells":
            number = message.get("cell")
            known = {n for n, _ in attempt.run.cells}
            if not isinstance(number, int) or number not in known or (attempt.cell or 0) >= number:
                return self._violation(attempt, "cell progress out of order")
            attempt.cell = number
        elif kind == "cells_done" and attempt.phase == "cells":
            attempt.phase = "observe"
            attempt.cell = None
            attempt.cells_done = message
            attempt.outbox += protocol.pickle_frame(
                {"cases": {name: self.cases[name] for name in attempt.exercises}})
            if attempt.sock is not None:
                selector.modify(attempt.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, attempt)
        elif kind == "observing" and attempt.phase == "observe" and attempt.observing is None:
            expected = [name for name in attempt.exercises if name not in attempt.reports]
            if not expected or message.get("ex") != expected[0]:
                return self._violation(attempt, "exercises observed out of order")
            attempt.observing = expected[0]
        elif kind == "report" and attempt.phase == "observe" and attempt.observing is not None:
            if message.get("ex") != attempt.observing or not isinstance(message.get("report"), dict):
                return self._violation(attempt, "a report for an exercise not being observed")
            changed = message.get("changed")
            changed = [str(c)[:120] for c in changed[:20]] if isinstance(changed, list) else []
            attempt.reports[attempt.observing] = ExerciseRun(report=message["report"], changed=changed)
            attempt.observing = None
        elif kind == "done" and attempt.phase == "observe" and attempt.observing is None \
                and len(attempt.reports) == len(attempt.exercises):
            attempt.phase = "done"
            attempt.finish_by = time.monotonic()
            self._kill(attempt)  # it is exiting anyway; this also ends anything it started
        else:
            self._violation(attempt, f"unexpected message {str(kind)[:40]!r} while {attempt.phase}")

    def _violation(self, attempt: _Attempt, why: str) -> None:
        if attempt.violation is None and attempt.phase != "done":
            attempt.violation = why
            self._kill(attempt)
            attempt.finish_by = time.monotonic() + 1.0

    def _kill(self, attempt: _Attempt) -> None:
        if not self.server.dead and self.server.ready:
            self.server.send({"op": "kill", "job": attempt.job})
        elif attempt.pid is not None and self.own_process:
            kill_tree(attempt.pid)

    def _finished(self, attempt: _Attempt, now: float) -> bool:
        if attempt.phase in ("done", "lost"):
            return now >= (attempt.finish_by or now)
        if attempt.finish_by is None:
            return False
        return (attempt.eof and attempt.exit_status is not None) or now >= attempt.finish_by

    def _reap(self, running: dict) -> None:
        """As the CLI: collect exit statuses of sandboxes orphaned by a dead server, end strays."""
        if not self.own_process:
            return
        by_pid = {a.pid: a for a in running.values() if a.pid is not None}
        for pid, status in reap_exited():
            if pid in by_pid:
                by_pid[pid].exit_status = status
        keep = set(by_pid)
        if self.server is not None and not self.server.dead:
            keep.add(self.server.pid)
        kill_strays(keep)

    # -- after an attempt ------------------------------------------------------------------------------
    def _conclude(self, attempt: _Attempt, selector) -> _Attempt | None:
        """Record what the attempt found; return the next attempt this notebook needs, if any."""
        if attempt.sock is not None:
            try:
                selector.unregister(attempt.sock)
            except (KeyError, ValueError):
                pass
            attempt.sock.close()
            attempt.sock = None
        run = attempt.run
        run.seconds += time.monotonic() - attempt.started
        if attempt.phase == "lost":
            run.attempts -= 1
            return self._attempt(run, attempt.exercises, attempt.skip)
        if attempt.cells_done is not None:
            _record_cells(run, attempt.cells_done)
        run.exercises.update(attempt.reports)
        if attempt.phase == "done":
            return None
        if attempt.violation is not None:
            run.status, run.detail = INTERFERED, (
                "The notebook interfered with the grader (it wrote to the grader's connection or broke its "
                f"protocol: {attempt.violation}), so it could not be graded.")
            for name in attempt.exercises:
                run.exercises.setdefault(name, ExerciseRun(failure=INTERFERED, detail=run.detail))
            return None
        kind = TIMED_OUT if attempt.timed_out else CRASHED
        how = describe_end(attempt.exit_status, attempt.timed_out, self.limits)
        more = run.attempts < self.limits.max_attempts
        if attempt.phase == "observe":
            name = attempt.observing or next(n for n in attempt.exercises if n not in attempt.reports)
            run.exercises[name] = ExerciseRun(failure=kind, detail=how)
            rest = [n for n in attempt.exercises if n not in attempt.reports and n != name]
            if rest and more:
                return self._attempt(run, rest, attempt.skip)
            for other in rest:
                run.exercises[other] = ExerciseRun(failure=kind, detail=how)
            return None
        if attempt.phase == "cells" and attempt.cell is not None and more:
            run.skipped[attempt.cell] = how
            return self._attempt(run, attempt.exercises, attempt.skip | {attempt.cell})
        if attempt.phase == "setup" and more:
            run.notes.append(f"The sandbox ended before the notebook ran ({how}); it was tried again.")
            return self._attempt(run, attempt.exercises, attempt.skip)
        run.status, run.detail = kind, (
            f"The notebook could not be run to the end: {how}"
            + (f", in code cell {attempt.cell}" if attempt.cell else "") + ".")
        for name in attempt.exercises:
            run.exercises.setdefault(name, ExerciseRun(failure=kind, detail=how))
        return None


def _give_up(run: Run, why: str) -> None:
    run.status, run.detail = CRASHED, why
    for ex in checks.GRADED:
        run.exercises.setdefault(ex.name, ExerciseRun(failure=CRASHED, detail=why))


def _record_cells(run: Run, message: dict) -> None:
    errors = message.get("errors")
    run.cell_errors = []
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, dict) and isinstance(error.get("cell"), int):
            run.cell_errors.append({"cell": error["cell"], "error": str(error.get("error", ""))[:400]})
    characters = message.get("output_characters")
    run.output_characters = characters if isinstance(characters, int) else 0
    defined = message.get("defined")
    run.defined = {str(k): bool(v) for k, v in defined.items()} if isinstance(defined, dict) else {}


def describe_end(status: int | None, timed_out: bool, limits: Limits) -> str:
    """How a sandbox ended, in a learner's terms."""
    if timed_out:
        return f"it ran longer than the time limit of {limits.timeout:g} s"
    if status is None:
        return "the Python process running it ended"
    if os.WIFEXITED(status):
        return f"the Python process running it exited (exit code {os.WEXITSTATUS(status)}; os._exit?)"
    if os.WIFSIGNALED(status):
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
    return "the Python process running it ended"
