"""Gradescope's results format (its results.json): one learner's row, as Gradescope shows it."""

from __future__ import annotations

from grader.outputs.results_json import test_json
from grader.outputs.text import number, one_line
from grader.results import SubmissionGrade, Unjudged, not_graded


def results_document(row: SubmissionGrade, seconds: float | None = None) -> dict:
    """One learner's result in Gradescope's results.json format."""
    output = [f"Score: {number(row.score)} / {number(row.max_score)}."]
    if not row.ran_to_the_end:
        output.append(f"{row.status.heading}: {row.message}")
    if row.problems:
        output.append("When the grader ran your notebook from top to bottom:")
        output += [f"- {one_line(p)}" for p in row.problems]
    document = {
        "score": row.score,
        "output": "\n".join(output),
        "output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [test_json(t) for t in row.tests],
        "extra_data": {
            "submission": row.submission,
            "status": row.status_word,
            "files": list(row.files),
            "record": row.record,  # the notebook's attempt record, self-reported, for the instructor
        },
    }
    if seconds is not None:
        document["execution_time"] = round(seconds)
    return document


def not_graded_document(message: str, exercises) -> dict:
    """A result for a submission that could not be graded: every exercise 0, and why, in one line."""
    row = SubmissionGrade("", Unjudged.NOT_GRADED, message, tuple(not_graded(ex, message) for ex in exercises))
    document = results_document(row)
    document["output"] = message
    del document["extra_data"]
    return document
