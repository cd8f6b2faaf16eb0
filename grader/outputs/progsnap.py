"""OUT/attempts.csv: the attempt records as ProgSnap 2's main event table, for the tools that read it.

ProgSnap 2 (CSSPLICE's format for data on learners' programming) keeps one event per row. The columns
filled here, the standard's first and ours (``X-``, as the standard asks of a format's own) after:

EventID         1, 2, 3, ... over the file
SubjectID       the learner, as results.json names them (``canvas:<user id>``, ``file:<folder>``)
EventType       a check: ``Run.Test`` (the exercise's test cases, run by the learner); ``hint()``:
                ``Intervention``; ``solution()``: ``Resource.View``; the grader's verdict: ``Submit``
ToolInstances   the course and its version
CodeStateID     empty: the record keeps no code, and the standard says an unknown code state is empty
Order           the learner's events in time order, 1, 2, 3, ... (ordered within a SubjectID only)
ClientTimestamp when the learner's kernel made the entry (UTC, ISO 8601); the kernel's clock is the
                learner's machine (or Colab's), so not ServerTimestamp. Empty for Submit: the handed-in
                file says when it was graded, not when it was handed in
AssignmentID    the row's assignment (a notebook, or ``course``)
ProblemID       the exercise; ProblemIsGraded whether it counts
Attempt         a check's number among the learner's checks of that exercise
ExecutionID     a check's EventID (each check is one execution of the exercise's tests)
TestID          ``<exercise>/public-cases``: what a notebook's check runs
ExecutionResult Success (passed), TestFailed (incorrect, not attempted), Error (raised an error)
Score           1 for a passed check, else 0; for Submit the share of the exercise's points earned
EventInitiator  UserDirectAction for the learner's calls; InterventionCategory ``Hint``, InterventionType
                ``level <n>`` for a hint; ResourceID ``<exercise>/solution`` for the solution
X-Variant, X-Result, X-Mistake, X-HintLevel: the record's variant, verdict word, mistake key and hint
level reached.

Everything from the record is self-reported: a learner can edit it. A learner whose work holds no
record has only Submit rows.
"""

from __future__ import annotations

import csv
import io

import checks
from checks.record import entries_of
from grader.outputs.text import spreadsheet_cell

COLUMNS = (
    "EventID",
    "SubjectID",
    "EventType",
    "ToolInstances",
    "CodeStateID",
    "Order",
    "ClientTimestamp",
    "AssignmentID",
    "ProblemID",
    "ProblemIsGraded",
    "Attempt",
    "ExecutionID",
    "TestID",
    "ExecutionResult",
    "Score",
    "EventInitiator",
    "InterventionCategory",
    "InterventionType",
    "ResourceID",
    "X-Variant",
    "X-Result",
    "X-Mistake",
    "X-HintLevel",
)
EXECUTION_RESULT = {"passed": "Success", "incorrect": "TestFailed", "not attempted": "TestFailed", "error": "Error"}


def main_table(submissions: list[dict]) -> str:
    """The main event table of every row's record, and a Submit event per exercise graded."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    event_id = 0
    for subject, rows in _by_learner(submissions).items():
        events = [_entry_event(entry, row) for row in rows for entry in _entries(row)]
        events.sort(key=lambda event: event["ClientTimestamp"])
        events += [_submit_event(test, row) for row in rows for test in row.get("tests", [])]
        attempts: dict[str, int] = {}
        for order, event in enumerate(events, start=1):
            event_id += 1
            event.update(EventID=event_id, SubjectID=spreadsheet_cell(subject), Order=order)
            if event["EventType"] == "Run.Test":
                attempts[event["ProblemID"]] = attempts.get(event["ProblemID"], 0) + 1
                event.update(Attempt=attempts[event["ProblemID"]], ExecutionID=event_id)
            writer.writerow(event)
    return buffer.getvalue()


def _by_learner(submissions: list[dict]) -> dict[str, list[dict]]:
    learners: dict[str, list[dict]] = {}
    for row in submissions:
        learners.setdefault(row.get("learner") or row.get("submission", ""), []).append(row)
    return learners


def _entries(row: dict) -> list[dict]:
    return entries_of(row.get("record"))


def _common(row: dict, exercise: str) -> dict:
    known = checks.EXERCISES.get(exercise)
    return {
        "ToolInstances": f"Embedding Matrix course {checks.__version__}",
        "AssignmentID": spreadsheet_cell(str(row.get("assignment", ""))),
        "ProblemID": exercise,
        "ProblemIsGraded": "" if known is None else str(known.graded).lower(),
    }


def _entry_event(entry: dict, row: dict) -> dict:
    event = {
        **_common(row, entry["exercise"]),
        "ClientTimestamp": entry["time"],
        "EventInitiator": "UserDirectAction",
        "X-Variant": entry.get("variant") or "",
        "X-HintLevel": entry.get("hint", 0),
    }
    if entry["action"] == "check":
        event.update(
            EventType="Run.Test",
            TestID=f"{entry['exercise']}/public-cases",
            ExecutionResult=EXECUTION_RESULT[entry["result"]],
            Score=1 if entry["result"] == "passed" else 0,
            **{"X-Result": entry["result"], "X-Mistake": spreadsheet_cell(entry.get("mistake") or "")},
        )
    elif entry["action"] == "hint":
        event.update(EventType="Intervention", InterventionCategory="Hint", InterventionType=f"level {entry['hint']}")
    else:
        event.update(EventType="Resource.View", ResourceID=f"{entry['exercise']}/solution")
    return event


def _submit_event(test: dict, row: dict) -> dict:
    extra = test.get("extra_data") or {}
    most = float(test.get("max_score") or 0)
    return {
        **_common(row, test["name"]),
        "EventType": "Submit",
        "ClientTimestamp": "",
        "Score": f"{float(test.get('score') or 0) / most:g}" if most else "",
        "X-Result": extra.get("result", ""),
        "X-Mistake": spreadsheet_cell(str(extra.get("mistake", ""))),
    }
