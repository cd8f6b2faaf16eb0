"""What the grader writes into OUT: results.json, grades.csv and a feedback file per row, and, from the
attempt records the notebooks carry, attempts.csv (ProgSnap 2) and item-statistics.csv.

Everything is written once, by ``write_all``, after every sandbox has ended, from the grader's own
results (which it never changes), so a file a submission wrote is overwritten or ignored; and no
sandbox can see the output folder anyway.

A run into an OUT that holds an earlier run's results merges with them: a row of this run replaces
the earlier row of the same learner and assignment (a late copy graded on its own, say), every other
earlier row stays, with its feedback, and grades.csv and results.json list them all. Nothing earlier
is lost unless ``replace`` asks for a clean OUT. The rows are written in the order of their
submissions' names, so an OUT merged from parts (``grader.commands.merge``: shards of one class) is
the OUT one run would have written. results.json's top-level ``runs`` says how each run merged into
it judged (hidden cases or not, each exercise's cases, the sandbox), one entry for runs alike, and
``cases`` and ``sandbox`` say it in words, for all of them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import checks
from grader.files import write_text
from grader.outputs import item_analysis, progsnap
from grader.outputs.feedback import feedback_markdown
from grader.outputs.gradebook import grades_csv
from grader.results import ExerciseGrade, Judged, SubmissionGrade, Unjudged, result_named

FEEDBACK_DIR = "feedback"
RESULTS = "results.json"
#: The attempt records as ProgSnap 2's main event table, and each exercise's statistics (item analysis).
ATTEMPTS, STATISTICS = "attempts.csv", "item-statistics.csv"


def test_json(test: ExerciseGrade) -> dict:
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
            **({"variant": test.variant} if test.variant else {}),
            **({"solves": test.solves} if test.solves else {}),
        },
    }


def submission_json(row: SubmissionGrade, feedback: str) -> dict:
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
        "handed_in_to": row.handed_in_to,
    }


def from_json(document: dict) -> SubmissionGrade:
    """A row of results.json back as the result it was written from."""
    tests = tuple(_test_from_json(t) for t in document["tests"])
    status = None if document["status"] == "graded" else Unjudged(document["status"])
    return SubmissionGrade(
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
        handed_in_to=document.get("handed_in_to", ""),
    )


def _test_from_json(test: dict) -> ExerciseGrade:
    result = result_named(test["extra_data"]["result"])
    mistake = test["extra_data"].get("mistake", "")
    return ExerciseGrade(
        test["name"],
        float(test["score"]),
        float(test["max_score"]),
        result,
        test["output"],
        "" if mistake == result.key else mistake,
        tuple(test["extra_data"].get("groups", {}).items()),
        str(test["extra_data"].get("variant", "")),
        str(test["extra_data"].get("solves", "")),
    )


def earlier(out: Path) -> list[SubmissionGrade]:
    """The rows an earlier run left in ``out``, or none (a results.json the grader did not write counts
    as none, and is replaced)."""
    try:
        return [from_json(row) for row in _document(out)["submissions"]]
    except (ValueError, KeyError, TypeError):
        return []


def earlier_runs(out: Path) -> list[Judged]:
    """How the runs merged into ``out`` judged, as its results.json says (none when it says nothing)."""
    try:
        return [Judged.from_json(run) for run in _document(out).get("runs", [])]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []


def _document(out: Path) -> dict:
    try:
        return json.loads((out / RESULTS).read_text(encoding="utf-8"))
    except OSError:
        return {}


def merged(old: list[SubmissionGrade], new: list[SubmissionGrade]) -> tuple[list[SubmissionGrade], int]:
    """``new``'s rows, and ``old``'s rows that no row of ``new`` replaces; and how many of those were kept.
    A copy handed in to another notebook's assignment never replaces one handed in to its own (or
    graded before the instructor said where files were handed in): it is left out instead."""

    def key(row: SubmissionGrade):
        return (row.learner, row.assignment) if row.learner else (row.submission, row.assignment)

    filed = {key(row) for row in old if not row.misfiled}
    new = [row for row in new if not (row.misfiled and key(row) in filed)]
    replaced = {key(row) for row in new} | {row.submission for row in new}
    kept = [row for row in old if key(row) not in replaced and row.submission not in replaced]
    return kept + list(new), len(kept)


def runs_merged(runs: list[Judged]) -> list[Judged]:
    """Runs alike (hidden cases or not, the same sandbox) as one, their exercises together in course order.
    A run that judged no exercise (its files were none of the course's notebooks) says nothing of how,
    beside runs that did."""
    alike: dict[tuple, dict] = {}
    for run in [run for run in runs if run.cases] or runs[-1:]:
        alike.setdefault((run.hidden, run.sandbox), {}).update(run.cases)
    rank = {name: i for i, name in enumerate(checks.EXERCISES)}
    return [
        Judged(hidden, dict(sorted(cases.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))), sandbox)
        for (hidden, sandbox), cases in sorted(alike.items(), key=lambda item: (not item[0][0], item[0][1]))
    ]


def run_info(runs: list[Judged]) -> dict:
    """results.json's words for the runs: ``cases`` and ``sandbox`` for every one of them, and ``runs``."""
    if not runs:
        return {}
    return {
        "cases": " Also: ".join(dict.fromkeys(run.cases_line for run in runs)),
        "sandbox": " Also: ".join(dict.fromkeys(run.sandbox for run in runs)),
        "runs": [run.to_json() for run in runs],
    }


def write_all(
    new: list[SubmissionGrade],
    out: Path,
    judged: list[Judged] | tuple = (),
    replace: bool = False,
    part: dict | None = None,
) -> int:
    """results.json, grades.csv and the feedback folder, merged with an earlier run's (unless
    ``replace``); returns how many earlier rows were kept. ``judged``: how the run judged (the cases
    used, the sandbox; the parts' runs, for shards merged), merged with how the earlier runs did.
    ``part``: what a shard's results.json says of the class it is a part of (``grader.commands.merge``
    checks it)."""
    rows, kept = (list(new), 0) if replace else merged(earlier(out), new)
    runs = ([] if replace else earlier_runs(out)) + list(judged)
    rows.sort(key=lambda row: row.submission)
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
    document = {"submissions": documents, **run_info(runs_merged(runs)), **({"part": part} if part else {})}
    write_text(out / RESULTS, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
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
