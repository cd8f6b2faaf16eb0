"""The limits the grader keeps from outside the sandbox: each attempt's wall clock, its memory, and the
protocol. An attempt past one is asked to end (its slot's server ends it and everything it started);
one whose server does not end it within seconds takes the whole slot with it (``slots.py`` restarts
the slot from read-only code)."""

from __future__ import annotations

import time

from grader.sandbox import protocol
from grader.sandbox.attempt import Phase
from grader.sandbox.isolation.limits import Limits
from grader.sandbox.slots import Slot

#: Seconds a slot's server has to end an attempt it was asked to end, before the slot is killed.
GRACE = 3.0


def enforce(slots, limits: Limits, check_memory: bool) -> None:
    """End every running attempt that went past its wall clock, its memory (when ``check_memory``:
    reading it costs, so the pool does it a few times a second) or the protocol."""
    now = time.monotonic()
    for slot in slots:
        attempt = slot.attempt
        if attempt is None or attempt.exited or attempt.server_died:
            continue
        if attempt.finish_by is None and now > attempt.deadline:
            attempt.timed_out = True
        elif check_memory and over_memory(slot, limits):
            attempt.memory_exceeded = True
        elif attempt.violation is None and attempt.phase is not Phase.DONE:
            continue
        if attempt.kill_sent is None:
            attempt.kill_sent = now
            slot.server.send(protocol.KILL, job=attempt.job)
            attempt.finish_by = attempt.finish_by or now + GRACE
        if now > attempt.kill_sent + GRACE:  # the server did not end it: end the whole slot
            slot.server.kill()


def over_memory(slot: Slot, limits: Limits) -> bool:
    """Whether the attempt went past its memory: the kernel ended one of its processes for want of
    memory (with a cgroup, which keeps the sum bounded), or its private memory adds up to more."""
    server, attempt = slot.server, slot.attempt
    if server.limits is not None:
        return server.limits.oom_kills() > attempt.oom_kills_before
    return server.attempt_memory() > limits.memory_mb * 2**20
