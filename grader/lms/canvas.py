"""Canvas: from the gradebook export (Grades > Export) to a CSV that Grades > Import takes as it is.

The export's columns are the learner's identity (Student, ID, SIS User ID, SIS Login ID, sometimes
Integration ID, Section), then one column per assignment named ``Name (assignment id)``, then totals;
a row whose Student cell is ``Points Possible`` gives each assignment's points. The import creates an
assignment for every column it does not know, so the file written keeps the identity columns and the
one chosen assignment column, and nothing else.

"Download Submissions" names each file ``sortablename_userid_attachmentid_originalname``, with
``LATE_`` before the user id for late work; Canvas adds ``-N`` to the original name when a learner
submits again. The user id is the export's ID column.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from grader.lms.common import (Learner, RosterError, Summary, copy_number, match, number, parse_points, scaled,
                               write_csv)

FILE_NAME = re.compile(r"^[^_]*_(?:LATE_)?(?P<user>\d+)_(?:(?P<attachment>\d+)_)?(?P<original>.*)$")
ASSIGNMENT_COLUMN = re.compile(r"^(?P<name>.*\S)\s*\((?P<id>\d+)\)$")
POINTS_POSSIBLE = "Points Possible"
OUTPUT = "canvas-import.csv"


def recognises(rows: list[list[str]]) -> bool:
    return bool(rows) and len(rows[0]) >= 2 and [c.strip() for c in rows[0][:2]] == ["Student", "ID"]


def key_of(submission: str) -> tuple[str, tuple] | None:
    for part in reversed(PurePosixPath(submission).parts):
        found = FILE_NAME.match(part)
        if found:
            return found["user"], (int(found["attachment"] or 0), copy_number(found["original"]), submission)
    return None


def write(roster: Path, rows: list[list[str]], results: list[dict], out_dir: Path,
          assignment: str | None) -> Summary:
    header = [cell.strip() for cell in rows[0]]
    columns = [i for i, cell in enumerate(header) if ASSIGNMENT_COLUMN.match(cell)]
    if not columns:
        raise RosterError(f"{roster} has no assignment column (a heading like 'Time to code (1234)'): "
                          "create the assignment in Canvas, then export the gradebook again.")
    identity = list(range(columns[0]))
    column = _chosen(roster, header, columns, assignment)
    points_row = next((row for row in rows[1:] if row and row[0].strip() == POINTS_POSSIBLE), None)
    if points_row is None:
        raise RosterError(f"{roster} has no '{POINTS_POSSIBLE}' row, so the assignment's points are unknown: "
                          "use the file Grades > Export writes, unchanged.")
    points = parse_points(points_row[column] if column < len(points_row) else "")
    if points is None:
        raise RosterError(f"{roster} gives no points for {header[column]!r} in its '{POINTS_POSSIBLE}' row: "
                          "set the assignment's points in Canvas and export the gradebook again.")
    learners, order = _learners(roster, rows, header)
    summary = Summary("Canvas", header[column], points)
    chosen = match(results, learners, key_of, summary)
    table = [[header[i] for i in identity] + [header[column]],
             [_cell(points_row, i) for i in identity] + [number(points)]]
    for key, row in order:
        score = number(scaled(chosen[key], points)) if key in chosen else ""
        table.append([_cell(row, i) for i in identity] + [score])
    summary.written = Path(out_dir) / OUTPUT
    write_csv(summary.written, table)
    return summary


def _chosen(roster: Path, header: list[str], columns: list[int], assignment: str | None) -> int:
    if assignment is None:
        if len(columns) == 1:
            return columns[0]
        raise RosterError(f"{roster} has {len(columns)} assignments ("
                          + ", ".join(repr(header[i]) for i in columns)
                          + "); say which one to fill with ASSIGNMENT=<its name or id>.")
    wanted = assignment.strip()
    for i in columns:
        found = ASSIGNMENT_COLUMN.match(header[i])
        if wanted in (header[i], found["name"], found["id"]):
            return i
    folded = [i for i in columns if ASSIGNMENT_COLUMN.match(header[i])["name"].casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise RosterError(f"{roster} has no assignment {assignment!r}; its assignments are "
                      + ", ".join(repr(header[i]) for i in columns) + ".")


def _learners(roster: Path, rows: list[list[str]], header: list[str]) -> tuple[dict, list]:
    learners: dict[str, Learner] = {}
    order = []
    for number_, row in enumerate(rows[1:], start=2):
        student, user = _cell(row, 0).strip(), _cell(row, 1).strip()
        if student == POINTS_POSSIBLE or not (student or user) or not any(c.strip() for c in row):
            continue  # the points row, and rows Canvas adds with no learner (e.g. "Manual Posting")
        if not user.isdigit():
            raise RosterError(f"Row {number_} of {roster} ({student or 'no name'}) has ID {user!r}, not a Canvas "
                              "user id: use the file Grades > Export writes, unchanged.")
        if user in learners:
            raise RosterError(f"{roster} lists Canvas user id {user} twice (rows of {learners[user].name} and "
                              f"{student}).")
        learners[user] = Learner(user, f"{student} (ID {user})")
        order.append((user, row))
    if not learners:
        raise RosterError(f"{roster} lists no learners.")
    return learners, order


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""
