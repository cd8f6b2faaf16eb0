"""What a submission's next attempt is when one ends early, and how it ended, in a learner's terms.

* Ended in a cell: that cell is skipped and the notebook runs again (so ``os._exit()`` in a "try it"
  cell does not cost the exercises their marks).
* Ended while observing an exercise: that exercise gets "crashed" or "timed out", and the exercises
  after it are observed in a new attempt (each exercise is graded on its own).
* Ended its slot's fork server: charged to this submission alone; after ``Limits.server_deaths`` of
  those, or ``Limits.max_attempts`` attempts, it is graded as it stands.
"""

from __future__ import annotations

import os
import signal
import time

from grader.sandbox.attempt import Attempt, Phase
from grader.sandbox.isolation.limits import Limits
from grader.sandbox.runs import ExerciseRun, Run, Unjudged


def conclude(attempt: Attempt, limits: Limits, again) -> Attempt | None:
    """Record what the attempt found; return the next attempt this notebook needs, if any.
    ``again(run, exercises, skip)`` makes one."""
    run = attempt.run
    run.seconds += time.monotonic() - attempt.started
    if attempt.cells_done is not None:
        _record_cells(run, attempt.cells_done)
    run.exercises.update(attempt.reports)
    if attempt.phase is Phase.DONE:
        return None
    if attempt.violation is not None:
        run.status, run.detail = (
            Unjudged.INTERFERED,
            (
                "The notebook interfered with the grader (it wrote to the grader's connection or broke its "
                f"protocol: {attempt.violation}), so it could not be graded."
            ),
        )
        for name in attempt.exercises:
            run.exercises.setdefault(name, ExerciseRun(failure=Unjudged.INTERFERED, detail=run.detail))
        return None
    charged = attempt.server_died and not (attempt.timed_out or attempt.memory_exceeded)
    if charged:
        run.server_deaths += 1
        run.notes.append(
            "This notebook ended the grader's sandbox process; the sandbox was restarted from "
            "read-only code, and only this notebook was charged."
        )
    kind = Unjudged.TIMED_OUT if attempt.timed_out else Unjudged.CRASHED
    how = describe_end(attempt, limits)
    more = run.attempts < limits.max_attempts and run.server_deaths < limits.server_deaths
    return _next_attempt(attempt, kind, how, more, again)


def _next_attempt(attempt: Attempt, kind: Unjudged, how: str, more: bool, again) -> Attempt | None:
    run = attempt.run
    if attempt.phase is Phase.OBSERVING:
        name = attempt.observing or next(n for n in attempt.exercises if n not in attempt.reports)
        run.exercises[name] = ExerciseRun(failure=kind, detail=how)
        rest = [n for n in attempt.exercises if n not in attempt.reports and n != name]
        if rest and more:
            return again(run, rest, attempt.skip)
        for other in rest:
            run.exercises[other] = ExerciseRun(failure=kind, detail=how)
        return None
    if attempt.phase is Phase.CELLS and attempt.cell is not None and more:
        run.skipped[attempt.cell] = how
        return again(run, attempt.exercises, attempt.skip | {attempt.cell})
    if attempt.phase is Phase.STARTING and more:
        run.notes.append(f"The sandbox ended before the notebook ran ({how}); it was tried again.")
        return again(run, attempt.exercises, attempt.skip)
    run.status, run.detail = (
        kind,
        (
            f"The notebook could not be run to the end: {how}"
            + (f", in code cell {attempt.cell}" if attempt.cell else "")
            + "."
        ),
    )
    for name in attempt.exercises:
        run.exercises.setdefault(name, ExerciseRun(failure=kind, detail=how))
    return None


def describe_end(attempt: Attempt, limits: Limits) -> str:
    """How an attempt ended, in a learner's terms."""
    if attempt.timed_out:
        return f"it ran longer than the time limit of {limits.timeout:g} s"
    if attempt.tasks_exceeded:
        return (
            f"it started more processes and threads than the {limits.processes} it may have at once, and "
            "ended when it could not start another"
        )
    if attempt.memory_exceeded:
        return f"its processes together used more than the memory limit of {limits.memory_mb} MB"
    if attempt.server_died:
        return "it ended the grader's sandbox process"
    return describe_status(attempt.exit_status, limits)


def give_up(run: Run, why: str) -> None:
    run.status, run.detail = Unjudged.CRASHED, why
    for name in run.tasks:
        run.exercises.setdefault(name, ExerciseRun(failure=Unjudged.CRASHED, detail=why))


def _record_cells(run: Run, message: dict) -> None:
    errors = message.get("errors")
    run.cell_errors = []
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, dict) and isinstance(error.get("cell"), int):
            kept = {"cell": error["cell"], "error": str(error.get("error", ""))[:400]}
            run.cell_errors.append(kept | ({"timed_out": True} if error.get("timed_out") is True else {}))
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
        return (
            "the Python process running it aborted (SIGABRT), as TensorFlow does when it cannot start a thread "
            "or get memory"
        )
    if number == signal.SIGKILL:
        return "the Python process running it was killed (SIGKILL)"
    return f"the Python process running it was killed by {name}"
