"""The one vocabulary for what became of a submission and of each exercise in it, from the sandbox's
observation to the gradebook, and the results the outputs are written from (``Grading``: a batch's
rows and how its run went).

An exercise's result is a verdict (``checks.Status``: passed, incorrect, not attempted, error) or why
there is none (``Unjudged``: timed out, crashed, interfered, not graded; defined in
``grader/sandbox/runs.py``, which may import nothing of the course, and only named here). A submission's status is
None when it was graded (every exercise got a result), else the ``Unjudged`` reason it could not be
run to the end or read at all. Headings and icons come with the words, here and in checks alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.outcome import Status
from grader.sandbox.runs import Unjudged  # defined where most of its reasons arise, beside the sandbox's records

#: results.json's word for a submission whose exercises were all judged.
GRADED = "graded"
#: The longest message one exercise's result carries: parts of messages come from the submission.
MAX_OUTPUT = 2000


#: An exercise's result: its verdict, or why it has none.
Result = Status | Unjudged


def result_named(word: str) -> Result:
    """The result results.json writes as ``word``."""
    try:
        return Status(word)
    except ValueError:
        return Unjudged(word)


@dataclass(frozen=True)
class ExerciseResult:
    name: str
    score: float
    max_score: float
    result: Result
    output: str  # for the learner (Markdown: messages mark code with backticks)
    mistake: str = ""  # the checks' stable key of the mistake (report.html counts by it), else the result's
    groups: tuple = ()  # with partial credit: (case group, right?) pairs, in the exercise's order

    @classmethod
    def of(
        cls, exercise, result: Result, output: str, fraction: float = 0.0, mistake: str = "", groups: tuple = ()
    ) -> ExerciseResult:
        """The result of ``exercise`` (a graded copy): ``fraction`` of its points, the output bounded."""
        points = exercise.points
        if len(output) > MAX_OUTPUT:
            output = output[: MAX_OUTPUT - 20] + " ... (shortened)"
        fraction = min(1.0, max(0.0, fraction))
        return cls(exercise.name, points * fraction, points, result, output, mistake, groups)

    @property
    def passed(self) -> bool:
        return self.result is Status.PASSED

    @property
    def mistake_key(self) -> str:
        return self.mistake or self.result.key


def not_graded(exercise, why: str) -> ExerciseResult:
    """``exercise`` (a graded copy) not graded, and why: none of its points."""
    return ExerciseResult.of(exercise, Unjudged.NOT_GRADED, f"Not graded: {why}")


@dataclass(frozen=True)
class SubmissionResult:
    submission: str
    status: Unjudged | None = None  # None: graded; else why it could not be run to the end or read
    message: str = ""  # why it was not graded, or ""
    tests: tuple = ()
    problems: tuple = ()  # for the learner: cells that failed, skipped cells
    notes: tuple = ()  # for the instructor
    seconds: float = 0.0
    assignment: str = ""  # the notebook graded (per-notebook assignments), or "course"
    learner: str = ""  # who handed it in, as the LMS's file names say, where they do
    files: tuple = ()  # the files graded for it (a course graded as one: several)
    set_aside: tuple = ()  # the learner's other files, superseded by the ones graded
    late: bool = False  # the LMS marked it late
    record: dict | None = None  # the attempt record its notebooks carry (checks/record.py), None: none

    @property
    def graded(self) -> bool:
        return self.status is None

    @property
    def status_word(self) -> str:
        return GRADED if self.status is None else self.status.value

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tests)


@dataclass(frozen=True)
class Grading:
    """What grading a batch gave: its rows, and how the run went (the summary and results.json say it)."""

    rows: list  # SubmissionResult, one per learner and assignment
    seconds: float
    jobs: int
    startup_seconds: float | None
    server_restarts: int
    cases_line: str  # which cases were judged
    sandbox_line: str  # what kept submissions in their place

    def info(self) -> dict:
        """What results.json says about the run as a whole."""
        return {"cases": self.cases_line, "sandbox": self.sandbox_line}
