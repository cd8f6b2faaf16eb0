"""From what the sandbox observed to each exercise's result and score, and the text a learner reads.

The verdicts come from the exercise's own ``grade(report, cases)`` (through ``assignment.judge``), the
same judgement the notebook's check cells make, run here in the grader on plain data, with the cases
the grader computed and kept. Nothing a submission printed, asserted or wrote to a file takes part.
"""
from __future__ import annotations

import re

from checks.outcome import Outcome, Status
from grader import assignment
from grader.results import ExerciseResult, Result, SubmissionResult
from grader.sandbox.attempt import ExerciseRun, Run
from grader.submissions import Rejected

MAX_OUTPUT = 2000


def rejected(name: str, why: Rejected) -> SubmissionResult:
    tests = tuple(_result(ex, Result.NOT_GRADED, f"Not graded: {why.message}") for ex in assignment.exercises())
    return SubmissionResult(name, why.status, why.message, tests)


def judge(run: Run, cases: dict) -> SubmissionResult:
    tests = tuple(_judge_exercise(ex, run, cases[ex.name]) for ex in assignment.exercises())
    return SubmissionResult(run.name, run.status, run.detail, tests, tuple(_problems(run)),
                            tuple(dict.fromkeys(run.notes)), run.seconds)


def _judge_exercise(ex, run: Run, cases: list) -> ExerciseResult:
    try:
        return _judge_observed(ex, run, run.exercises.get(ex.name), cases)
    except Exception as exc:  # a report that genuine observing code never produces
        return _result(ex, Result.ERROR, "Your code raised an error. The grader could not read what your "
                                         f"code returned ({type(exc).__name__}).")


def _judge_observed(ex, run: Run, observed: ExerciseRun | None, cases: list) -> ExerciseResult:
    if observed is None:
        return _result(ex, Result.NOT_GRADED, "Not graded: the grader did not get to this exercise.")
    if observed.failure is Result.TIMED_OUT:
        return _result(ex, Result.TIMED_OUT, f"Timed out. Checking your {ex.skeleton_path} did not finish: "
                                             f"{observed.detail}. Look for a loop that never ends.")
    if observed.failure is Result.CRASHED:
        return _result(ex, Result.CRASHED, f"Crashed. While your {ex.skeleton_path} was being checked, "
                                           f"{observed.detail}. Your code must not end the Python process "
                                           "(exit(), os._exit(), signals) or use up its memory.")
    if observed.failure is Result.INTERFERED:
        return _result(ex, Result.INTERFERED, f"Not graded. {observed.detail}")
    report = observed.report or {}
    if observed.changed:
        names = ", ".join(observed.changed[:5])
        return _result(ex, Result.INTERFERED, "Not graded. While it was being checked, your code replaced parts "
                                              f"of the grader or of the libraries it relies on ({names}), so what "
                                              "it returned cannot be trusted. Remove the monkeypatching and submit "
                                              "again.")
    if "missing" in report:
        return _from_outcome(ex, _missing(ex, run), 0.0)
    if "timed_out" in report:
        return _result(ex, Result.TIMED_OUT, f"Timed out. Your {ex.skeleton_path} ran for more than "
                                             f"{float(report['timed_out']):g} s on one of the test cases and was "
                                             "stopped. Look for a loop that never ends.")
    judgement = assignment.judge(ex, report, cases)
    return _from_outcome(ex, judgement.outcome, judgement.fraction, judgement.groups)


def _missing(ex, run: Run) -> Outcome:
    answer = assignment.answer_name(ex)
    pattern = re.compile(rf"^\s*(def|class)\s+{re.escape(answer)}\b", re.MULTILINE)
    errors = {e["cell"]: e["error"] for e in run.cell_errors}
    for number in (number for number, source in run.cells if pattern.search(source)):
        if number in errors:
            return Outcome(ex.name, Status.ERROR, f"The cell that defines {answer} (code cell {number}) raised an "
                                                  f"error, so {answer} does not exist: {errors[number]}")
        if number in run.skipped:
            return Outcome(ex.name, Status.ERROR, f"The cell that defines {answer} (code cell {number}) could not "
                                                  f"run: {run.skipped[number]}.")
    return Outcome(ex.name, Status.NOT_ATTEMPTED,
                   f"Your notebook does not define {answer}. Was its cell deleted, or the name changed? Keep the "
                   f"cell that starts `{_first_line(ex.skeleton, answer)}`.")


def _first_line(skeleton: str, answer: str) -> str:
    for line in skeleton.splitlines():
        if answer in line and line.lstrip().startswith(("def ", "class ")):
            return line.strip()
    return answer


def _from_outcome(ex, outcome: Outcome, fraction: float, groups: tuple = ()) -> ExerciseResult:
    return _result(ex, Result(outcome.status.value), f"{outcome.heading}. {outcome.message}", fraction,
                   outcome.mistake, groups)


def _result(ex, result: Result, output: str, fraction: float = 0.0, mistake: str = "",
            groups: tuple = ()) -> ExerciseResult:
    points = assignment.points(ex)
    if len(output) > MAX_OUTPUT:  # parts of messages come from the submission: keep them bounded
        output = output[:MAX_OUTPUT - 20] + " ... (shortened)"
    fraction = min(1.0, max(0.0, fraction))
    return ExerciseResult(ex.name, points * fraction, points, result, output, mistake, groups)


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
