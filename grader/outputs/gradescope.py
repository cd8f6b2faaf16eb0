"""Gradescope's results format (its results.json): one learner's row, as Gradescope shows it."""

from __future__ import annotations

from grader.outputs.results_json import test_json
from grader.outputs.text import number, one_line
from grader.results import SubmissionResult, Unjudged


def results_document(result: SubmissionResult, seconds: float | None = None) -> dict:
    """One learner's result in Gradescope's results.json format."""
    output = [f"Score: {number(result.score)} / {number(result.max_score)}."]
    if not result.graded:
        output.append(f"{result.status.heading}: {result.message}")
    if result.problems:
        output.append("When the grader ran your notebook from top to bottom:")
        output += [f"- {one_line(p)}" for p in result.problems]
    document = {
        "score": result.score,
        "output": "\n".join(output),
        "output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [test_json(t) for t in result.tests],
        "extra_data": {
            "submission": result.submission,
            "status": result.status_word,
            "files": list(result.files),
            "record": result.record,  # the notebook's attempt record, self-reported, for the instructor
        },
    }
    if seconds is not None:
        document["execution_time"] = round(seconds)
    return document


def not_graded_document(message: str, exercises) -> dict:
    """A result for a submission that could not be graded: every exercise 0, and why, in one line."""
    from grader.pipeline.mark import not_graded

    row = SubmissionResult("", Unjudged.NOT_GRADED, message, tuple(not_graded(ex, message) for ex in exercises))
    document = results_document(row)
    document["output"] = message
    del document["extra_data"]
    return document
