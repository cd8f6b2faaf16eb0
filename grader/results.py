"""The one vocabulary for what became of a submission and of each exercise in it, from the sandbox's
observation to the gradebook, and the results the outputs are written from (``Grading``: a batch's
rows and how its run went).

An exercise's result is a verdict (``checks.Status``: passed, incorrect, not attempted, error) or why
there is none (``Unjudged``: timed out, crashed, interfered, not graded; defined in
``grader/sandbox/runs.py``, which may import nothing of the course, and only named here). An exercise's
grade (``ExerciseGrade``) is its result with the points it earned, as the checks' ``Grade`` gives them; a
submission's grade (``SubmissionGrade``, a row) holds its exercises' grades, and its status is None when
it ran to the end (every exercise got a result: results.json's "graded"), else the ``Unjudged`` reason it
could not be run to the end or read at all. Headings and icons come with the words, here and in checks
alone.
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
class ExerciseGrade:
    """One exercise's grade as the gradebook keeps it (a *test* of results.json): the checks' ``Grade``
    (the verdict, the points earned of those it is worth, the groups right) with the exercise's name, the
    message bounded for the learner and which task was graded; or none of the points, and why there is
    no verdict (an ``Unjudged`` result)."""

    name: str
    score: float
    max_score: float
    result: Result
    output: str  # for the learner (Markdown: messages mark code with backticks)
    mistake: str = ""  # the checks' stable key of the mistake (report.html counts by it), else the result's
    groups: tuple = ()  # with partial credit: (case group, right?) pairs, in the exercise's order
    variant: str = ""  # where the class hands out variants: the learner's task graded, else ""
    solves: str = ""  # the other task an answer does instead of the learner's own (a possible copy), else ""

    @classmethod
    def of(
        cls,
        exercise,
        result: Result,
        output: str,
        fraction: float = 0.0,
        mistake: str = "",
        groups: tuple = (),
        solves: str = "",
    ) -> ExerciseGrade:
        """The grade of ``exercise`` (a graded copy): ``fraction`` of its points, the output bounded."""
        points = exercise.points
        if len(output) > MAX_OUTPUT:
            output = output[: MAX_OUTPUT - 20] + " ... (shortened)"
        fraction = min(1.0, max(0.0, fraction))
        variant = getattr(exercise, "variant", "")
        return cls(exercise.name, points * fraction, points, result, output, mistake, groups, variant, solves)

    @property
    def passed(self) -> bool:
        return self.result is Status.PASSED

    @property
    def mistake_key(self) -> str:
        return self.mistake or self.result.key


def not_graded(exercise, why: str) -> ExerciseGrade:
    """``exercise`` (a graded copy) not graded, and why: none of its points."""
    return ExerciseGrade.of(exercise, Unjudged.NOT_GRADED, f"Not graded: {why}")


def misfiled_note(assignment: str, handed_in_to: str) -> str:
    """What a learner reads who handed notebook ``assignment`` in to ``handed_in_to``'s assignment (Markdown)."""
    return (
        f"**Handed in to another assignment.** This file was handed in to the assignment for "
        f"`{handed_in_to}`, but it is `{assignment}`, so it was graded as `{assignment}`. "
        f"Hand in `{handed_in_to}.ipynb` to the assignment for `{handed_in_to}`, and this notebook to "
        f"the one for `{assignment}`."
    )


@dataclass(frozen=True)
class SubmissionGrade:
    """A row: one learner's work on one assignment, its exercises' grades (``tests``), and what the
    instructor and the learner are told about it (a row of results.json and grades.csv)."""

    submission: str
    status: Unjudged | None = None  # None: it ran to the end ("graded"); else why it could not run or be read
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
    handed_in_to: str = ""  # the assignment whose download held it, when the instructor said (--handed-in-to)

    @property
    def ran_to_the_end(self) -> bool:
        """Every exercise got a result (results.json's status "graded")."""
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

    @property
    def misfiled(self) -> bool:
        """Handed in to another notebook's assignment than the notebook it is (and graded as what it is)."""
        return bool(self.handed_in_to) and self.assignment != self.handed_in_to


@dataclass(frozen=True)
class Judged:
    """How a run judged its rows: on hidden cases (a secret drew them) or the public ones only, how many
    of each every exercise reached had, and what kept the submissions in their place."""

    hidden: bool
    cases: dict  # exercise -> (public cases, hidden cases)
    sandbox: str  # the sandbox's line, as the summary says it

    @classmethod
    def of(cls, cases: dict, hidden: bool, sandbox: str) -> Judged:
        """From the cases of each exercise (dicts, a hidden one saying so)."""
        counts = {}
        for name, listed in cases.items():
            hidden_ones = sum(1 for case in listed if case.get("hidden"))
            counts[name] = (len(listed) - hidden_ones, hidden_ones)
        return cls(hidden, counts, sandbox)

    @property
    def cases_line(self) -> str:
        counts = [
            f"{name} {public}" + (f" + {hidden} hidden" if hidden else "")
            for name, (public, hidden) in self.cases.items()
        ]
        which = (
            "public and hidden cases (drawn from the secret)"
            if self.hidden
            else "public cases only (no secret given: --secret-file or GRADE_SECRET adds hidden ones)"
        )
        return f"Judged on {which}: " + (", ".join(counts) or "no exercise was reached") + "."

    def to_json(self) -> dict:
        return {
            "hidden": self.hidden,
            "cases": {name: list(n) for name, n in self.cases.items()},
            "sandbox": self.sandbox,
        }

    @classmethod
    def from_json(cls, data: dict) -> Judged:
        return cls(bool(data["hidden"]), {name: tuple(n) for name, n in data["cases"].items()}, str(data["sandbox"]))


@dataclass(frozen=True)
class Grading:
    """What grading a batch gave: its rows, and how the run went (the summary and results.json say it)."""

    rows: list  # SubmissionGrade, one per learner and assignment
    seconds: float
    jobs: int
    startup_seconds: float | None
    server_restarts: int
    judged: Judged  # which cases were judged, and what sandboxed them

    @property
    def cases_line(self) -> str:
        return self.judged.cases_line

    @property
    def sandbox_line(self) -> str:
        return self.judged.sandbox
