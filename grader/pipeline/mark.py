"""Mark: every graded file's result, each exercise's verdict and score, and the text a learner reads.

Where a submission is marked: a file that was observed gets each exercise's verdict from the
exercise's own ``grade`` (through its graded copy, with the class's points), the same judgement the
notebook's check cells make, run here in the grader on plain data, with the cases and the reference
results the grader computed and kept; nothing a submission printed, asserted or wrote to a file takes
part. A file that could not be read, or that is none of the course's notebooks, gets its result here
too, saying why it was not graded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from checks.learner_work import definition_of
from checks.outcome import TIMED_OUT, Outcome, Status
from checks.variation import another_variant
from grader.course.graded import Course
from grader.course.variants import solved_instead
from grader.pipeline.progress import Progress
from grader.pipeline.read import Rejected
from grader.pipeline.recognise import NOT_RECOGNISED, Unit
from grader.results import ExerciseGrade, SubmissionGrade, Unjudged, not_graded
from grader.sandbox.runs import ExerciseRun, Run


@dataclass(frozen=True)
class Marked:
    marks: dict  # file name -> SubmissionGrade, for every file graded for a unit


class Mark:
    """The result of each file a unit is graded on: marked from what was observed, or why not graded."""

    def run(
        self,
        course: Course,
        units: list[Unit],
        rejected: dict[str, Rejected],
        graded_on: dict,
        runs: dict[str, Run],
        cases: dict,
        expected: dict,
        progress: Progress,
    ) -> Marked:
        marks = {}
        for unit in units:
            for name in unit.files.values():
                if name in rejected:  # with each exercise of the notebook it was handed in for, where there is one
                    notebook = unit.assignment if unit.assignment in course.notebooks() else None
                    exercises = course.in_notebook(notebook) if notebook else ()
                    marks[name] = rejected_result(name, rejected[name], exercises, notebook)
                elif unit.assignment == NOT_RECOGNISED:
                    marks[name] = unrecognised(name, course)
                    progress.advance(name)
                else:
                    marks[name] = mark(runs[name], graded_on[name], cases, expected)
        return Marked(marks)


def rejected_result(name: str, why: Rejected, exercises, notebook: str | None = None) -> SubmissionGrade:
    """The result of a file that could not be read as a notebook: each of ``exercises`` not graded, and
    why; for another kind of file than a notebook, what to hand in instead (``notebook``'s .ipynb file,
    where it is known)."""
    if name.lower().endswith(".ipynb"):
        message = why.message
    elif PurePosixPath(name).suffix.lower() in EXPORTS:  # what it is says it all: no word of JSON
        message = hand_in_instead(name, notebook)
    else:
        message = f"{why.message} {hand_in_instead(name, notebook)}"
    return SubmissionGrade(
        name, why.status, message, tuple(not_graded(ex, why.message) for ex in exercises), files=(name,)
    )


#: What learners hand in instead of the notebook, by the file's ending.
EXPORTS = {
    ".pdf": "a PDF",
    ".html": "an HTML page",
    ".htm": "an HTML page",
    ".py": "a Python script",
    ".docx": "a Word document",
    ".zip": "a zip archive",
    ".png": "a picture",
    ".jpg": "a picture",
    ".jpeg": "a picture",
    ".md": "a Markdown file",
    ".txt": "a text file",
}


def hand_in_instead(name: str, notebook: str | None) -> str:
    """What to hand in instead of the file ``name``, which is no notebook: the .ipynb file itself."""
    what = EXPORTS.get(PurePosixPath(name).suffix.lower())
    wanted = f"the notebook file itself, {notebook}.ipynb" if notebook else "the notebook files themselves (.ipynb)"
    return (
        (f"This is {what}, not the notebook. " if what else "")
        + f"Hand in {wanted}: in JupyterLab, right-click it in the file browser > Download; in Colab, "
        "File > Download > Download .ipynb."
    )


def unrecognised(name: str, course: Course) -> SubmissionGrade:
    """The result of a notebook that is none of the course's: graded on nothing, and why."""
    notebooks = ", ".join(f"{notebook}.ipynb" for notebook in course.notebooks())
    return SubmissionGrade(
        name,
        Unjudged.NOT_GRADED,
        f"This notebook is none of the course's graded notebooks ({notebooks}): "
        "it holds none of their exercises' check cells or answers, so nothing in it was graded.",
        files=(name,),
    )


def mark(run: Run, exercises, cases: dict, expected: dict) -> SubmissionGrade:
    """``run``'s result: each of ``exercises`` (graded copies, each on the learner's own variant where the
    class hands out variants) marked from what the sandbox observed."""
    tests = tuple(_mark_variant(ex, run, cases, expected) for ex in exercises)
    return SubmissionGrade(
        run.name,
        run.status,
        run.detail,
        tests,
        tuple(_problems(run)),
        tuple(dict.fromkeys(run.notes)),
        run.seconds,
        files=(run.name,),
    )


def _mark_variant(ex, run: Run, cases: dict, expected: dict) -> ExerciseGrade:
    """The learner's own variant marked; an answer that fails it and passes another variant handed out
    is told which it does and which is theirs (a neighbour's notebook, or an id typed wrong)."""
    result = _mark_exercise(ex, run, cases[ex.variant_id], expected.get(ex.variant_id))
    if result.passed or result.result not in (Status.INCORRECT, Status.ERROR) or not ex.others:
        return result
    solved = solved_instead(ex, run.exercises, cases, expected)
    if solved is None:
        return result
    return _from_outcome(ex, another_variant(ex.exercise, solved), 0.0, solves=solved.variant)


def _mark_exercise(ex, run: Run, cases: list, expected) -> ExerciseGrade:
    try:
        return _mark_observed(ex, run, run.exercises.get(ex.variant_id), cases, expected)
    except Exception as exc:  # a report that genuine observing code never produces
        return ExerciseGrade.of(
            ex,
            Status.ERROR,
            f"Your code raised an error. The grader could not read what your code returned ({type(exc).__name__}).",
        )


def _mark_observed(ex, run: Run, observed: ExerciseRun | None, cases: list, expected) -> ExerciseGrade:
    function = ex.exercise.skeleton_path
    if observed is None:
        return ExerciseGrade.of(ex, Unjudged.NOT_GRADED, "Not graded: the grader did not get to this exercise.")
    if observed.failure is Unjudged.TIMED_OUT:
        return ExerciseGrade.of(
            ex,
            Unjudged.TIMED_OUT,
            f"Timed out. Checking your {function} did not finish: {observed.detail}. Look for a loop that never ends.",
        )
    if observed.failure is Unjudged.CRASHED:
        return ExerciseGrade.of(
            ex,
            Unjudged.CRASHED,
            f"Crashed. While your {function} was being checked, "
            f"{observed.detail}. Your code must not end the Python process "
            "(exit(), os._exit(), signals) or use up its memory or its tasks.",
        )
    if observed.failure is Unjudged.INTERFERED:
        return ExerciseGrade.of(ex, Unjudged.INTERFERED, f"Not graded. {observed.detail}")
    report = observed.report or {}
    if observed.changed:
        names = ", ".join(observed.changed[:5])
        return ExerciseGrade.of(
            ex,
            Unjudged.INTERFERED,
            "Not graded. While it was being checked, your code replaced parts "
            f"of the grader or of the libraries it relies on ({names}), so what "
            "it returned cannot be trusted. Remove the monkeypatching and submit "
            "again.",
        )
    if "missing" in report:
        return _from_outcome(ex, _missing(ex, run), 0.0)
    if "timed_out" in report:
        return ExerciseGrade.of(
            ex,
            Unjudged.TIMED_OUT,
            f"Timed out. Your {function} ran for more than "
            f"{float(report['timed_out']):g} s on one of the test cases and was "
            "stopped. Look for a loop that never ends.",
        )
    grade = ex.grade(report, cases, expected)
    return _from_outcome(ex, grade.outcome, grade.fraction, grade.groups)


def _missing(ex, run: Run) -> Outcome:
    answer = ex.answer_name
    pattern = definition_of(answer)
    errors = {e["cell"]: e for e in run.cell_errors}
    for number in (number for number, source in run.cells if pattern.search(source)):
        if number in errors and errors[number].get("timed_out"):
            return Outcome(
                ex.name,
                Status.ERROR,
                f"The cell that defines {answer} (code cell {number}) timed out: {errors[number]['error']}, "
                f"so {answer} does not exist. Look for a loop that never ends.",
                TIMED_OUT,
            )
        if number in errors:
            return Outcome(
                ex.name,
                Status.ERROR,
                f"The cell that defines {answer} (code cell {number}) raised an "
                f"error, so {answer} does not exist: {errors[number]['error']}",
            )
        if number in run.skipped:
            return Outcome(
                ex.name,
                Status.ERROR,
                f"The cell that defines {answer} (code cell {number}) could not run: {run.skipped[number]}.",
            )
    return Outcome(
        ex.name,
        Status.NOT_ATTEMPTED,
        f"Your notebook does not define {answer}. Was its cell deleted, or the name changed? Keep the "
        f"cell that starts `{_first_line(ex.exercise.skeleton, answer)}`.",
    )


def _first_line(skeleton: str, answer: str) -> str:
    for line in skeleton.splitlines():
        if definition_of(answer).match(line):
            return line.strip()
    return answer


def _from_outcome(ex, outcome: Outcome, fraction: float, groups: tuple = (), solves: str = "") -> ExerciseGrade:
    return ExerciseGrade.of(
        ex, outcome.status, f"{outcome.heading}. {outcome.message}", fraction, outcome.mistake, groups, solves
    )


def _problems(run: Run) -> list[str]:
    problems = []
    for number, why in sorted(run.skipped.items()):
        problems.append(
            f"Code cell {number} ({_cell_label(run, number)}) was skipped: {why}. The grader ran "
            "your notebook again without it."
        )
    for error in run.cell_errors[:20]:
        what = "timed out" if error.get("timed_out") else "raised an error"
        problems.append(f"Code cell {error['cell']} ({_cell_label(run, error['cell'])}) {what}: {error['error']}")
    if len(run.cell_errors) > 20:
        problems.append(f"... and {len(run.cell_errors) - 20} more cells raised errors.")
    if run.output_characters > 10**6:
        problems.append(
            f"Your notebook printed {run.output_characters:,} characters; the grader ignores printed "
            "output, but so much of it slows your notebook down."
        )
    return problems


def _cell_label(run: Run, number: int) -> str:
    line = run.first_lines.get(number, "")
    return f"`{line}`" if line else "empty"
