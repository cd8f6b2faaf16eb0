"""One vocabulary for what became of a submission and of each exercise in it, from the sandbox's
observation to the gradebook, and the results the outputs are written from.

An exercise's result is the verdict's status (passed, incorrect, not attempted, error) or why there is
no verdict (timed out, crashed, interfered, not graded). A submission's status is ``JUDGED`` ("graded":
it ran and every exercise got a result) or why it could not be run to the end.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Result(str, enum.Enum):
    # verdicts, as checks.Status words them
    PASSED = "passed"
    INCORRECT = "incorrect"
    NOT_ATTEMPTED = "not attempted"
    ERROR = "error"
    # no verdict, and why
    TIMED_OUT = "timed out"
    CRASHED = "crashed"
    INTERFERED = "interfered"
    NOT_GRADED = "not graded"
    # whole submissions
    JUDGED = "graded"
    NOT_A_NOTEBOOK = "not a notebook"

    @property
    def heading(self) -> str:
        """How feedback titles it."""
        return _HEADINGS[self]


_HEADINGS = {
    Result.PASSED: "\u2714 Correct", Result.INCORRECT: "\u2718 Incorrect",
    Result.NOT_ATTEMPTED: "\u2026 Not attempted", Result.ERROR: "\u26a0 Your code raised an error",
    Result.TIMED_OUT: "\u23f1 Timed out", Result.CRASHED: "\u26a0 Crashed", Result.INTERFERED: "\u26d4 Not graded",
    Result.NOT_GRADED: "\u2014 Not graded", Result.JUDGED: "Graded", Result.NOT_A_NOTEBOOK: "\u2014 Not a notebook",
}


@dataclass(frozen=True)
class ExerciseResult:
    name: str
    score: float
    max_score: float
    result: Result
    output: str   # for the learner (Markdown: messages mark code with backticks)
    mistake: str = ""  # the checks' stable id of the mistake (report.html counts by it), else the result's
    groups: tuple = ()  # with partial credit: (case group, right?) pairs, in the exercise's order

    @property
    def passed(self) -> bool:
        return self.result is Result.PASSED

    @property
    def mistake_key(self) -> str:
        return self.mistake or self.result.value.replace(" ", "-")


@dataclass(frozen=True)
class SubmissionResult:
    submission: str
    status: Result               # JUDGED, or why the notebook could not be run to the end
    message: str = ""            # why it was not graded, or ""
    tests: tuple = ()
    problems: tuple = ()         # for the learner: cells that failed, skipped cells
    notes: tuple = ()            # for the instructor
    seconds: float = 0.0
    cases: tuple = field(default=(), compare=False)  # the case groups judged: "public", "hidden"

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tests)
