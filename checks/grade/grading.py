"""From what the sandbox observed to verdicts, scores and the text a learner reads.

The verdicts come from ``exercise.verdict(report, cases)``, the same function the notebook's check
cells use, run here in the grader on plain data. Nothing a submission printed, asserted or wrote to a
file takes part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import checks
from checks.grade import POINTS
from checks.grade.notebook_code import Rejected
from checks.grade.sandbox import CRASHED, INTERFERED, TIMED_OUT, Run
from checks.outcome import Outcome, Status

GRADED = "graded"
#: How each test's result is named (``extra_data.result`` and the CSV): an Outcome status, or why
#: the exercise has none.
NOT_GRADED = "not graded"
MAX_OUTPUT = 2000


@dataclass
class ExerciseResult:
    name: str
    score: float
    max_score: float
    result: str   # passed, incorrect, not attempted, error, timed out, crashed, interfered, not graded
    output: str   # for the learner

    @property
    def passed(self) -> bool:
        return self.result == Status.PASSED.value

    def as_gradescope(self) -> dict:
        return {"name": self.name, "score": self.score, "max_score": self.max_score,
                "status": "passed" if self.passed else "failed", "output": self.output,
                "output_format": "text", "visibility": "visible", "extra_data": {"result": self.result}}


@dataclass
class SubmissionResult:
    submission: str
    status: str                 # graded, not a notebook, timed out, crashed, interfered
    message: str = ""           # why it was not graded, or ""
    tests: list = field(default_factory=list)
    problems: list = field(default_factory=list)   # for the learner: cells that failed, skipped cells
    notes: list = field(default_factory=list)      # for the instructor
    seconds: float = 0.0
    feedback: str = ""          # path of the feedback file, relative to the output folder

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(POINTS.values())

    def as_json(self) -> dict:
        return {"submission": self.submission, "score": self.score, "max_score": self.max_score,
                "status": self.status, "message": self.message,
                "tests": [t.as_gradescope() for t in self.tests], "problems": self.problems,
                "notes": self.notes, "seconds": round(self.seconds, 3), "feedback": self.feedback}


def rejected(name: str, why: Rejected) -> SubmissionResult:
    tests = [ExerciseResult(ex.name, 0.0, POINTS[ex.name], NOT_GRADED, f"Not graded: {why.message}")
             for ex in checks.GRADED]
    return SubmissionResult(name, why.status, why.message, tests)


def judge(run: Run, cases: dict) -> SubmissionResult:
    tests = [_judge_exercise(ex, run, cases[ex.name]) for ex in checks.GRADED]
    result = SubmissionResult(run.name, GRADED if run.status == "graded" else run.status, run.detail, tests,
                              _problems(run), list(dict.fromkeys(run.notes)), run.seconds)
    return result


def _judge_exercise(ex, run: Run, cases: list) -> ExerciseResult:
    try:
        return _judge_observed(ex, run, cases)
    except Exception as exc:  # a report that genuine observing code never produces
        return _test(ex, Status.ERROR.value, "Your code raised an error. The grader could not read what your "
                                             f"code returned ({type(exc).__name__}).")


def _judge_observed(ex, run: Run, cases: list) -> ExerciseResult:
    answer = ex.skeleton_path.split(".")[0]
    observed = run.exercises.get(ex.name)
    if observed is None:
        return _test(ex, NOT_GRADED, "Not graded: the grader did not get to this exercise.")
    if observed.failure == TIMED_OUT:
        return _test(ex, TIMED_OUT, f"Timed out. Checking your {ex.skeleton_path} did not finish: "
                                    f"{observed.detail}. Look for a loop that never ends.")
    if observed.failure == CRASHED:
        return _test(ex, CRASHED, f"Crashed. While your {ex.skeleton_path} was being checked, {observed.detail}. "
                                  "Your code must not end the Python process (exit(), os._exit(), signals) "
                                  "or use up its memory.")
    if observed.failure == INTERFERED:
        return _test(ex, INTERFERED, f"Not graded. {observed.detail}")
    report = observed.report or {}
    if observed.changed:
        names = ", ".join(observed.changed[:5])
        return _test(ex, INTERFERED, f"Not graded. While it was being checked, your code replaced parts of the "
                                     f"grader or of the libraries it relies on ({names}), so what it returned "
                                     "cannot be trusted. Remove the monkeypatching and submit again.")
    if "missing" in report:
        return _missing(ex, answer, run)
    if "timed_out" in report:
        return _test(ex, TIMED_OUT, f"Timed out. Your {ex.skeleton_path} ran for more than "
                                    f"{float(report['timed_out']):g} s on one of the test cases and was stopped. "
                                    "Look for a loop that never ends.")
    return _from_outcome(ex, ex.verdict(report, cases))


def _missing(ex, answer: str, run: Run) -> ExerciseResult:
    pattern = re.compile(rf"^\s*(def|class)\s+{re.escape(answer)}\b", re.MULTILINE)
    defining = [number for number, source in run.cells if pattern.search(source)]
    errors = {e["cell"]: e["error"] for e in run.cell_errors}
    for number in defining:
        if number in errors:
            return _from_outcome(ex, Outcome(ex.name, Status.ERROR,
                                             f"The cell that defines {answer} (code cell {number}) raised an error, "
                                             f"so {answer} does not exist: {errors[number]}"))
        if number in run.skipped:
            return _from_outcome(ex, Outcome(ex.name, Status.ERROR,
                                             f"The cell that defines {answer} (code cell {number}) could not run: "
                                             f"{run.skipped[number]}."))
    return _from_outcome(ex, Outcome(ex.name, Status.NOT_ATTEMPTED,
                                     f"Your notebook does not define {answer}. Was its cell deleted, or the name "
                                     f"changed? Keep the cell that starts `{_first_line(ex.skeleton, answer)}`."))


def _first_line(skeleton: str, answer: str) -> str:
    for line in skeleton.splitlines():
        if answer in line and line.lstrip().startswith(("def ", "class ")):
            return line.strip()
    return answer


def _from_outcome(ex, outcome: Outcome) -> ExerciseResult:
    return _test(ex, outcome.status.value, f"{outcome.heading}. {outcome.message}")


def _test(ex, result: str, output: str) -> ExerciseResult:
    points = POINTS[ex.name]
    if len(output) > MAX_OUTPUT:  # parts of messages come from the submission: keep them bounded
        output = output[:MAX_OUTPUT - 20] + " ... (shortened)"
    return ExerciseResult(ex.name, points if result == Status.PASSED.value else 0.0, points, result, output)


def _problems(run: Run) -> list[str]:
    problems = []
    for number, why in sorted(run.skipped.items()):
        problems.append(f"Code cell {number} ({_cell_label(run, number)}) was skipped: {why}. The grader ran "
                        "your notebook again without it.")
    for error in run.cell_errors[:20]:
        problems.append(f"Code cell {error['cell']} ({_cell_label(run, error['cell'])}) raised an error: "
                        f"{error['error']}")
    if len(run.cell_errors) > 20:
        problems.append(f"... and {len(run.cell_errors) - 20} more cells raised errors.")
    if run.output_characters > 10**6:
        problems.append(f"Your notebook printed {run.output_characters:,} characters; the grader ignores printed "
                        "output, but so much of it slows your notebook down.")
    return problems


def _cell_label(run: Run, number: int) -> str:
    line = run.first_lines.get(number, "")
    return f"`{line}`" if line else "empty"
