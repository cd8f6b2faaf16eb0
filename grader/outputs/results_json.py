"""What the grader writes into OUT: results.json, grades.csv and a feedback file per row, and, from the
attempt records the notebooks carry, attempts.csv (ProgSnap 2) and item-statistics.csv.

Everything is written once, by ``write_all``, after every sandbox has ended, from the grader's own
results (which it never changes), so a file a submission wrote is overwritten or ignored; and no
sandbox can see the output folder anyway.

A run into an OUT that holds an earlier run's results merges with them: a row of this run replaces
the earlier row of the same learner and assignment (a late copy graded on its own, say), every other
earlier row stays, with its feedback, and grades.csv and results.json list them all. Nothing earlier
is lost unless ``replace`` asks for a clean OUT.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from grader.files import write_text
from grader.outputs import item_analysis, progsnap
from grader.outputs.feedback import feedback_markdown
from grader.outputs.gradebook import grades_csv
from grader.results import ExerciseResult, SubmissionResult, Unjudged, result_named

FEEDBACK_DIR = "feedback"
RESULTS = "results.json"
#: The attempt records as ProgSnap 2's main event table, and each exercise's statistics (item analysis).
ATTEMPTS, STATISTICS = "attempts.csv", "item-statistics.csv"


def test_json(test: ExerciseResult) -> dict:
    """One exercise's result, as results.json (and Gradescope) hold it."""
    return {
        "name": test.name,
        "score": test.score,
        "max_score": test.max_score,
        "status": "passed" if test.passed else "failed",
        "output": test.output,
        "output_format": "md",
        "visibility": "visible",
        "extra_data": {
            "result": test.result.value,
            "mistake": test.mistake_key,
            **({"groups": dict(test.groups)} if test.groups else {}),
        },
    }


def submission_json(row: SubmissionResult, feedback: str) -> dict:
    return {
        "submission": row.submission,
        "learner": row.learner,
        "assignment": row.assignment,
        "score": row.score,
        "max_score": row.max_score,
        "status": row.status_word,
        "message": row.message,
        "late": row.late,
        "files": list(row.files),
        "set_aside": list(row.set_aside),
        "tests": [test_json(t) for t in row.tests],
        "problems": list(row.problems),
        "notes": list(row.notes),
        "seconds": round(row.seconds, 3),
        "feedback": feedback,
        "record": row.record,
    }


def from_json(document: dict) -> SubmissionResult:
    """A row of results.json back as the result it was written from."""
    tests = tuple(_test_from_json(t) for t in document["tests"])
    status = None if document["status"] == "graded" else Unjudged(document["status"])
    return SubmissionResult(
        document["submission"],
        status,
        document.get("message", ""),
        tests,
        tuple(document.get("problems", ())),
        tuple(document.get("notes", ())),
        float(document.get("seconds", 0.0)),
        document.get("assignment", ""),
        document.get("learner", ""),
        tuple(document.get("files", ())),
        tuple(document.get("set_aside", ())),
        bool(document.get("late", False)),
        record=document.get("record"),
    )


def _test_from_json(test: dict) -> ExerciseResult:
    result = result_named(test["extra_data"]["result"])
    mistake = test["extra_data"].get("mistake", "")
    return ExerciseResult(
        test["name"],
        float(test["score"]),
        float(test["max_score"]),
        result,
        test["output"],
        "" if mistake == result.key else mistake,
        tuple(test["extra_data"].get("groups", {}).items()),
    )


def earlier(out: Path) -> list[SubmissionResult]:
    """The rows an earlier run left in ``out``, or none (a results.json the grader did not write counts
    as none, and is replaced)."""
    try:
        return [from_json(row) for row in json.loads((out / RESULTS).read_text(encoding="utf-8"))["submissions"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def merged(old: list[SubmissionResult], new: list[SubmissionResult]) -> tuple[list[SubmissionResult], int]:
    """``new``'s rows, and ``old``'s rows that no row of ``new`` replaces; and how many of those were kept."""

    def key(row: SubmissionResult):
        return (row.learner, row.assignment) if row.learner else (row.submission, row.assignment)

    replaced = {key(row) for row in new} | {row.submission for row in new}
    kept = [row for row in old if key(row) not in replaced and row.submission not in replaced]
    return kept + list(new), len(kept)


def write_all(new: list[SubmissionResult], out: Path, batch_info: dict | None = None, replace: bool = False) -> int:
    """results.json, grades.csv and the feedback folder, merged with an earlier run's (unless
    ``replace``); returns how many earlier rows were kept. ``batch_info``: what results.json says
    about the run as a whole (the cases used, the sandbox)."""
    rows, kept = (list(new), 0) if replace else merged(earlier(out), new)
    feedback = out / FEEDBACK_DIR
    if feedback.is_symlink() or feedback.is_file():
        feedback.unlink()
    elif feedback.exists():
        shutil.rmtree(feedback)
    feedback.mkdir(parents=True)
    used: set[str] = set()
    documents = []
    for row in rows:
        name = _feedback_name(row.submission, used)
        write_text(feedback / name, feedback_markdown(row))
        documents.append(submission_json(row, f"{FEEDBACK_DIR}/{name}"))
    write_text(
        out / RESULTS, json.dumps({"submissions": documents, **(batch_info or {})}, indent=2, ensure_ascii=False) + "\n"
    )
    write_text(out / "grades.csv", grades_csv(rows))
    write_text(out / ATTEMPTS, progsnap.main_table(documents))
    write_text(out / STATISTICS, item_analysis.statistics_csv(documents))
    return kept


def _feedback_name(submission: str, used: set) -> str:
    stem = re.sub(r"\.ipynb$", "", submission.replace("/", "__"))
    stem = re.sub(r"[^\w.\-]+", "_", stem).strip("._") or "submission"
    name, n = f"{stem[:120]}.md", 1
    while name.lower() in used:
        n += 1
        name = f"{stem[:120]}-{n}.md"
    used.add(name.lower())
    return name
