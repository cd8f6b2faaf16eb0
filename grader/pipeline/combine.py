"""Combine: one row per learner and assignment, from the results of the files graded for it.

With each notebook an assignment of its own, a row is its one file's result, named as the learner's
work on that notebook. With the course graded as one assignment, a row holds every notebook of the
learner's together, and each exercise of a notebook the learner did not hand in is "not attempted".
"""

from __future__ import annotations

from dataclasses import dataclass

from checks import record
from checks.outcome import Status
from grader.course.graded import WHOLE_COURSE, Course
from grader.pipeline.read import Rejected
from grader.pipeline.recognise import NOT_RECOGNISED, Unit
from grader.results import ExerciseGrade, SubmissionGrade, Unjudged

#: The note on a row whose learner the platform did not name, in a class that hands out variants.
NO_LEARNER_ID = (
    "No learner id: the file is in no LMS's download name and no folder of its own, so each exercise was "
    "graded on its own task, not on a variant allotted to a learner (docs/instructors.md, 'Each learner "
    "their own task')."
)


@dataclass(frozen=True)
class Combined:
    rows: list  # SubmissionGrade, one per learner and assignment: the batch's outcome


class Combine:
    """A row for each unit, from the results (``marks``) of its files."""

    def run(
        self, course: Course, units: list[Unit], notebooks: dict, marks: dict, rejected: dict[str, Rejected]
    ) -> Combined:
        return Combined([row(course, unit, notebooks, marks, rejected) for unit in units])


def row(course: Course, unit: Unit, notebooks: dict, marks: dict, rejected: dict[str, Rejected]) -> SubmissionGrade:
    files = list(unit.files.values())
    common = dict(
        learner=unit.learner,
        assignment=unit.assignment,
        set_aside=tuple(unit.set_aside),
        late=unit.late,
        handed_in_to=unit.handed_in_to,
    )
    # the attempt records of the unit's notebooks, reported beside the row and never graded
    common["record"] = record.merged(
        {notebook: notebooks[name].record for notebook, name in unit.files.items() if name in notebooks}
    )
    if course.allocation is not None and unit.whose is None and unit.assignment != NOT_RECOGNISED:
        common["notes"] = (*(marks[files[0]].notes if files else ()), NO_LEARNER_ID)
    if unit.assignment != WHOLE_COURSE:
        return SubmissionGrade(**{**marks[files[0]].__dict__, **common})
    tests, problems, notes, seconds = [], [], list(common.pop("notes", ())), 0.0
    for notebook in course.notebooks():
        name = unit.files.get(notebook)
        if name is None:
            tests += [_absent(ex, notebook) for ex in course.in_notebook(notebook)]
            continue
        marked = marks[name]
        tests += list(marked.tests) or [_absent(ex, notebook, marked.message) for ex in course.in_notebook(notebook)]
        problems += [f"{notebook}: {p}" for p in marked.problems]
        notes += [f"{name}: {n}" for n in marked.notes]
        seconds += marked.seconds
    readable = [name for name in files if name not in rejected]
    # named by a file of the learner's, whose name carries the LMS's ids for the gradebook
    return SubmissionGrade(
        files[0] if files else unit.label,
        None if readable else Unjudged.NOT_A_NOTEBOOK,
        "" if readable else "None of the files handed in is a notebook.",
        tuple(tests),
        tuple(problems),
        tuple(notes),
        seconds,
        files=tuple(files),
        **common,
    )


def _absent(ex, notebook: str, why: str = "") -> ExerciseGrade:
    """An exercise of a notebook the learner did not hand in (or handed in unreadable): not attempted."""
    message = f"No copy of {notebook}.ipynb was graded" + (f": {why}" if why else ": none was handed in.")
    return ExerciseGrade(ex.name, 0.0, ex.points, Status.NOT_ATTEMPTED, message, Status.NOT_ATTEMPTED.key)
