"""Moodle: the assignment's offline grading worksheet, filled in for "Upload grading worksheet".

The worksheet (View all submissions > Grading action > Download grading worksheet) has one row per
participant. Moodle's importer (mod/assign/feedback/offline) finds its columns by their headings:
``Identifier`` (``Participant N``, N being the participant id), ``Grade``, ``Last modified (grade)``,
and one column per feedback type (``Feedback comments``); ``Maximum grade`` gives the points. Every
other column is left as it was, so the file goes back as Moodle wrote it, with grades filled in.

"Download all submissions" names each learner's files, or their folder, ``Full Name_N_assignsubmission_file_``.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from grader.lms.common import (Learner, RosterError, Summary, copy_number, match, parse_points, scaled,
                               write_csv)

IDENTIFIER, GRADE, MAXIMUM, MODIFIED = "Identifier", "Grade", "Maximum grade", "Last modified (grade)"
FEEDBACK, CHANGEABLE, FULL_NAME = "Feedback comments", "Grade can be changed", "Full name"
PARTICIPANT = re.compile(r"^Participant\s*(\d+)$")
DOWNLOAD_NAME = re.compile(r"_(?P<participant>\d+)_(?:assignsubmission|onlinetext)")
OUTPUT = "moodle-import.csv"


def recognises(rows: list[list[str]]) -> bool:
    return bool(rows) and IDENTIFIER in [cell.strip() for cell in rows[0]]


def key_of(submission: str) -> tuple[str, tuple] | None:
    for part in PurePosixPath(submission).parts:
        found = DOWNLOAD_NAME.search(part)
        if found:
            # The download holds no dates: a later copy ("name (1).ipynb") wins, then the last name.
            return found["participant"], (copy_number(submission), submission)
    return None


def write(roster: Path, rows: list[list[str]], results: list[dict], out_dir: Path,
          assignment: str | None) -> Summary:
    header = [cell.strip() for cell in rows[0]]
    missing = [name for name in (GRADE, MAXIMUM, MODIFIED) if name not in header]
    if missing:
        raise RosterError(f"{roster} has no {' or '.join(repr(m) for m in missing)} column: download the grading "
                          "worksheet again from the assignment (Grading action > Download grading worksheet), "
                          "with the assignment graded by points.")
    at = {name: header.index(name) for name in header}
    learners, points, decimal_comma = _learners(roster, rows, at)
    summary = Summary("Moodle", assignment or Path(roster).stem, points)
    chosen = match(results, learners, key_of, summary)
    table = [list(rows[0])]
    locked, kept_feedback = [], []
    for row in rows[1:]:
        row = row + [""] * (len(header) - len(row))
        key = PARTICIPANT.match(row[at[IDENTIFIER]].strip())
        if key and key[1] in chosen:
            result = chosen[key[1]]
            grade = f"{scaled(result, points):.2f}"
            row[at[GRADE]] = grade.replace(".", ",") if decimal_comma else grade
            if CHANGEABLE in at and row[at[CHANGEABLE]].strip().lower() == "no":
                locked.append(learners[key[1]].name)
            if FEEDBACK in at:
                if row[at[FEEDBACK]].strip():
                    kept_feedback.append(learners[key[1]].name)
                else:
                    row[at[FEEDBACK]] = feedback(result)
        table.append(row)
    if locked:
        summary.notes.append("Moodle will not change these grades (\"Grade can be changed\" is No: locked or "
                             "overridden in the gradebook): " + "; ".join(locked) + ".")
    if kept_feedback:
        summary.notes.append("Feedback comments already written in the worksheet were kept for: "
                             + "; ".join(kept_feedback) + ".")
    summary.written = Path(out_dir) / OUTPUT
    write_csv(summary.written, table)
    return summary


def feedback(result: dict) -> str:
    """A line per exercise for the feedback comment: its result and points, never the learner's code."""
    parts = [f"{t['name']}: {t.get('extra_data', {}).get('result', t.get('status', ''))} "
             f"({t['score']:g}/{t['max_score']:g})" for t in result.get("tests", [])]
    return f"Score {result['score']:g}/{result['max_score']:g}. " + "; ".join(parts) + "."


def _learners(roster: Path, rows: list[list[str]], at: dict) -> tuple[dict, float, bool]:
    learners: dict[str, Learner] = {}
    maxima = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = row[at[IDENTIFIER]].strip() if at[IDENTIFIER] < len(row) else ""
        found = PARTICIPANT.match(cell)
        if not found:
            raise RosterError(f"Row {number} of {roster} has Identifier {cell!r}, not 'Participant N': use the "
                              "worksheet Moodle writes, unchanged.")
        name = row[at[FULL_NAME]].strip() if FULL_NAME in at and at[FULL_NAME] < len(row) else ""
        learners[found[1]] = Learner(found[1], f"{name or 'no name'} (Participant {found[1]})")
        maxima.add(row[at[MAXIMUM]].strip() if at[MAXIMUM] < len(row) else "")
    if not learners:
        raise RosterError(f"{roster} lists no participants.")
    points = {parse_points(m) for m in maxima}
    if len(points) != 1 or None in points:
        raise RosterError(f"{roster} gives no single maximum grade (its '{MAXIMUM}' column holds "
                          + ", ".join(repr(m) for m in sorted(maxima)) + "): grade the assignment by points.")
    return learners, points.pop(), any("," in m and "." not in m for m in maxima)
