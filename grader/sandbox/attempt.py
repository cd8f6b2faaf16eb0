"""One attempt at one submission in one slot: its state machine, and what the grader learns from it.

A submission is graded in one or more attempts. The sandbox's messages must come in the order
``Phase`` allows; anything else is a violation, and the attempt is ended as having interfered.

    STARTING --hello--> CELLS --cells_done--> OBSERVING --done--> DONE
    any phase --(the slot's server died before it forked the attempt)--> LOST

When an attempt dies or runs out of time, its phase, its current cell and the exercise being observed
say where (``pool.py`` decides what the submission's next attempt skips).
"""

from __future__ import annotations

import enum
import selectors
import socket
import time

from grader.sandbox import protocol
from grader.sandbox.runs import ExerciseRun, Run


class Phase(enum.Enum):
    STARTING = "starting"  # forked, not yet heard from
    CELLS = "cells"  # running the notebook's cells
    OBSERVING = "observing"  # observing the exercises
    DONE = "done"  # every report received
    LOST = "lost"  # the slot's server died before the attempt ran: try again, uncharged


class Attempt:
    def __init__(self, run: Run, exercises: list, skip: set, job: int):
        self.run, self.exercises, self.skip, self.job = run, list(exercises), set(skip), job
        self.numbers = {number for number, _ in run.cells}
        self.sock: socket.socket | None = None
        self.reader = protocol.FrameReader()
        self.outbox = bytearray()
        self.phase = Phase.STARTING
        self.cell: int | None = None
        self.observing: str | None = None
        self.reports: dict = {}
        self.started = self.deadline = 0.0
        self.finish_by: float | None = None  # when the grader stops waiting for the slot to say it ended
        self.exit_status: int | None = None
        self.exited = self.timed_out = self.server_died = self.memory_exceeded = False
        self.kill_sent: float | None = None  # when the grader asked the slot to end it
        self.oom_kills_before = 0  # the slot's count of processes ended for want of memory
        self.task_hits_before = 0  # the slot's count of tasks refused for its task limit
        self.tasks_exceeded = False  # it hit the task limit (processes and threads at once)
        self.violation: str | None = None
        self.cells_done: dict | None = None

    def job_message(self, limits) -> dict:
        """What the attempt is sent first: the notebook's code, the cells to skip, the exercises to
        observe, and the limits the sandbox keeps inside itself."""
        return {
            "cells": self.run.cells,
            "skip": sorted(self.skip),
            "exercises": self.exercises,
            "cell_seconds": limits.cell_seconds,
            "observe_seconds": limits.observe_seconds,
            "processes": limits.processes,
        }

    def on_socket(self, events: int, selector, cases: dict) -> None:
        """Send what is queued, read what arrived (``selector`` watches the job socket)."""
        if self.sock is None:
            return
        if events & selectors.EVENT_WRITE and self.outbox:
            try:
                del self.outbox[: self.sock.send(self.outbox)]
            except BlockingIOError:
                pass
            except OSError:
                self.outbox.clear()
        if events & selectors.EVENT_READ:
            try:
                data = self.sock.recv(1 << 20)
            except BlockingIOError:
                data = None
            except OSError:
                data = b""
            if data == b"":  # the sandbox closed its end: it has ended, or is about to
                self.close_socket(selector)
                self.finish_by = self.finish_by or time.monotonic() + 2.0
                return
            try:
                for body in self.reader.feed(data or b""):
                    self.receive(protocol.decode_json(body), cases)
            except protocol.ProtocolError as exc:
                self.violation = self.violation or str(exc)
        if self.sock is not None:
            selector.modify(self.sock, selectors.EVENT_READ | (selectors.EVENT_WRITE if self.outbox else 0), self)

    def close_socket(self, selector) -> None:
        if self.sock is not None:
            try:
                selector.unregister(self.sock)
            except (KeyError, ValueError):
                pass
            self.sock.close()
            self.sock = None

    def receive(self, message: dict, cases: dict) -> None:
        """One message from the sandbox; queue what the grader answers. Raises nothing: a message out of
        order marks the attempt as violating the protocol."""
        if self.violation or self.phase in (Phase.DONE, Phase.LOST):
            return
        kind = message.get("t")
        handler = _HANDLERS.get((kind, self.phase))
        why = (
            handler(self, message, cases)
            if handler
            else f"unexpected message {str(kind)[:40]!r} while {self.phase.value}"
        )
        if why:
            self.violation = why

    def _hello(self, message: dict, cases: dict) -> str | None:
        self.phase = Phase.CELLS
        return None

    def _cell(self, message: dict, cases: dict) -> str | None:
        number = message.get("cell")
        if number not in self.numbers or (self.cell or 0) >= number:  # each cell sent, in order, once
            return "cell progress out of order"
        self.cell = number
        return None

    def _cells_done(self, message: dict, cases: dict) -> str | None:
        self.phase, self.cell, self.cells_done = Phase.OBSERVING, None, message
        # The cases go in only now, after every cell has run: the notebook never sees them.
        self.outbox += protocol.pickle_frame({"cases": {name: cases[name] for name in self.exercises}})
        return None

    def _observing(self, message: dict, cases: dict) -> str | None:
        expected = [name for name in self.exercises if name not in self.reports]
        if self.observing is not None or not expected or message.get("ex") != expected[0]:
            return "exercises observed out of order"
        self.observing = expected[0]
        return None

    def _report(self, message: dict, cases: dict) -> str | None:
        if self.observing is None or message.get("ex") != self.observing or not isinstance(message.get("report"), dict):
            return "a report for an exercise not being observed"
        changed = message.get("changed")
        changed = [str(c)[:120] for c in changed[:20]] if isinstance(changed, list) else []
        self.reports[self.observing] = ExerciseRun(report=message["report"], changed=changed)
        self.observing = None
        return None

    def _done(self, message: dict, cases: dict) -> str | None:
        if self.observing is not None or len(self.reports) != len(self.exercises):
            return "done before every exercise was observed"
        self.phase = Phase.DONE
        self.finish_by = time.monotonic() + 2.0
        return None


_HANDLERS = {
    (protocol.HELLO, Phase.STARTING): Attempt._hello,
    (protocol.CELL, Phase.CELLS): Attempt._cell,
    (protocol.CELLS_DONE, Phase.CELLS): Attempt._cells_done,
    (protocol.OBSERVING, Phase.OBSERVING): Attempt._observing,
    (protocol.REPORT, Phase.OBSERVING): Attempt._report,
    (protocol.DONE, Phase.OBSERVING): Attempt._done,
}
