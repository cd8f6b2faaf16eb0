"""OUT/grades.csv: a row per learner and assignment, a column per exercise the results hold.

The columns come from the results given (each exercise in the order the rows first name it), so a
batch of one notebook's copies lists that notebook's exercises and a whole course lists them all.
"""

from __future__ import annotations

import csv
import io

from grader.outputs.text import number, spreadsheet_cell
from grader.results import ExerciseGrade, SubmissionGrade


def grades_csv(rows: list[SubmissionGrade]) -> str:
    names = list(dict.fromkeys(test.name for row in rows for test in row.tests))
    groups = list(dict.fromkeys((test.name, group) for row in rows for test in row.tests for group, _ in test.groups))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "submission",
            "learner",
            "assignment",
            *names,
            "total",
            "max_score",
            "status",
            "late",
            *[f"{n} result" for n in names],
            *[f"{n}: {g}" for n, g in groups],
        ]
    )
    for row in rows:
        tests = {t.name: t for t in row.tests}
        writer.writerow(
            [
                spreadsheet_cell(row.submission),
                spreadsheet_cell(row.learner),
                row.assignment,
                *[number(tests[n].score) if n in tests else "" for n in names],
                number(row.score),
                number(row.max_score),
                row.status_word,
                "late" if row.late else "",
                *[tests[n].result.value if n in tests else "" for n in names],
                *[_group_cell(tests.get(n), g) for n, g in groups],
            ]
        )
    return buffer.getvalue()


def _group_cell(test: ExerciseGrade | None, group: str) -> str:
    right = dict(test.groups).get(group) if test is not None else None
    return "" if right is None else ("right" if right else "wrong")
