"""Moodle: the assignment's offline grading worksheet, filled in for "Upload grading worksheet".

What Moodle writes and reads (moodle/moodle, read, not guessed):

- The worksheet (View all submissions > Grading action > Download grading worksheet) is the grading
  table downloaded as CSV (mod/assign/gradingtable.php): its first column is ``Identifier`` (each cell
  ``Participant N``, the string ``hiddenuser`` followed by the participant id), then ``Full name``, the
  identity fields, ``Status``, ``Grade``, ``Maximum grade`` (``Scale`` for a scale), ``Grade can be
  changed``, ``Last modified (submission)``, the online text, ``Last modified (grade)`` and one column
  per feedback field, ``Feedback comments`` for the comments. Every heading is ``get_string`` in the
  language of whoever downloads it. English wrote ``Maximum Grade`` from Moodle 2.x on, and writes
  ``Maximum grade`` since the English strings of 4.4 and 4.5 were changed in 2025
  (mod/assign/lang/en/assign.php, ``maxgrade``, in the language packs download.moodle.org ships), so
  headings are matched ignoring letter case.
- The importer (mod/assign/feedback/offline/importgradeslib.php, ``init``) finds ``Identifier``,
  ``Grade`` and ``Last modified (grade)`` by exact comparison with the same strings in the language of
  whoever uploads, and refuses the file without them; ``Maximum grade`` it never reads (only the
  grader does, for the points). It takes each feedback column whose heading is a feedback field's name
  and stores the cell as that comment, in HTML (see grader/lms/feedback.py). Every row must have as
  many cells as the heading row (lib/csvlib.class.php, ``csvweirdcolumns``).

So the file goes back as Moodle wrote it, headings untouched, with ``Grade`` filled in and each empty
``Feedback comments`` cell given the learner's feedback. A worksheet in another language is refused with
one sentence: the grader reads the English headings only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.course.learners import MOODLE, Submitter, identify
from grader.lms import feedback
from grader.lms.common import (
    Learner,
    RosterError,
    Summary,
    match,
    output_name,
    parse_points,
    scaled,
    scored_here,
    write_csv,
)

IDENTIFIER, GRADE, MAXIMUM, MODIFIED = "Identifier", "Grade", "Maximum grade", "Last modified (grade)"
FEEDBACK, CHANGEABLE, FULL_NAME, STATUS, SCALE = (
    "Feedback comments",
    "Grade can be changed",
    "Full name",
    "Status",
    "Scale",
)
PARTICIPANT = re.compile(r"^Participant\s*(\d+)$", re.I)
#: A participant cell in any language: Moodle's ``hiddenuser`` string, then the id.
ANY_PARTICIPANT = re.compile(r"^(\D*?)\s*(\d+)$")
#: One part of the Status cell: Moodle joins the status's parts with " - " and writes lateness as
#: "{time} late" (gradingtable.php ``col_status``, string ``submittedlateshort``).
LATE = re.compile(r"^\S.* late$")
OUTPUT = "moodle-import.csv"


def _fold(heading: str) -> str:
    return " ".join(heading.split()).casefold()


def _columns(header: list[str]) -> dict[str, int]:
    """Each heading (folded) at its first column."""
    at: dict[str, int] = {}
    for i, cell in enumerate(header):
        at.setdefault(_fold(cell), i)
    return at


def recognises(rows: list[list[str]]) -> bool:
    return bool(rows) and (_fold(IDENTIFIER) in _columns(rows[0]) or _other_language(rows) is not None)


def _other_language(rows: list[list[str]]) -> str | None:
    """The participant label, when the file is laid out as Moodle writes a worksheet (an identifier
    column first, every cell one label followed by a number) but its headings are not English."""
    if len(rows[0]) < 4 or _fold(IDENTIFIER) in _columns(rows[0]):
        return None
    cells = [row[0].strip() for row in rows[1:] if any(c.strip() for c in row)]
    labels = {found[1] for found in map(ANY_PARTICIPANT.match, cells) if found}
    return labels.pop() if cells and len(labels) == 1 and all(map(ANY_PARTICIPANT.match, cells)) else None


def key_of(submission: str) -> Submitter | None:
    """Who handed in ``submission``, when Moodle named it; else None."""
    who = identify(submission, MOODLE)
    return who if who.lms == MOODLE else None


def write(
    roster: Path,
    rows: list[list[str]],
    results: list[dict],
    out_dir: Path,
    assignment: str | None,
    notebook: str = "",
    misfiled: list[dict] = (),
) -> Summary:
    """The worksheet with ``results`` (``notebook``'s rows) filled in; ``misfiled``: notebooks handed in to
    this assignment that are another (no grade, feedback saying so)."""
    header = [cell.strip() for cell in rows[0]]
    at = _columns(header)
    _check_headings(roster, rows, header, at)
    column = {
        name: at.get(_fold(name))
        for name in (IDENTIFIER, GRADE, MAXIMUM, MODIFIED, FEEDBACK, CHANGEABLE, FULL_NAME, STATUS)
    }
    learners, points, decimal_comma = _learners(roster, rows, column)
    summary = Summary("Moodle", assignment or Path(roster).stem, points, notebook)
    chosen = match(results, learners, key_of, summary, misfiled)
    table = [list(rows[0])]
    filled = Filled()
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue  # a blank line: Moodle's reader skips it, and it has no cells to count
        row = row + [""] * (len(header) - len(row))
        key = PARTICIPANT.match(row[column[IDENTIFIER]].strip())
        if key and key[1] in chosen:
            _fill(row, column, chosen[key[1]], learners[key[1]].name, points, decimal_comma, filled, summary)
        table.append(row)
    summary.notes += filled.notes(column[FEEDBACK] is not None)
    summary.written = Path(out_dir) / output_name(OUTPUT, notebook)
    write_csv(summary.written, table)
    return summary


def _check_headings(roster: Path, rows: list[list[str]], header: list[str], at: dict) -> None:
    """RosterError unless the worksheet has the English headings of a worksheet graded by points."""
    label = _other_language(rows)
    if label is not None:
        raise RosterError(
            f"{roster} looks like a Moodle grading worksheet written in another language (its first heading is "
            f"{header[0]!r} and its participants are '{label} N'), but the grader reads the headings Moodle writes "
            f"in English ('{IDENTIFIER}', '{GRADE}', '{MAXIMUM}', '{MODIFIED}', '{FEEDBACK}'): switch your Moodle "
            "language to English (user menu > Language, or Preferences > Preferred language), download the worksheet "
            "again, and upload the filled one with English still chosen."
        )
    if _fold(MAXIMUM) not in at and _fold(SCALE) in at:
        raise RosterError(
            f"{roster} is the worksheet of an assignment graded with a scale: set its grade type to "
            "Point, then download the grading worksheet again."
        )
    missing = [name for name in (GRADE, MAXIMUM, MODIFIED) if _fold(name) not in at]
    if missing:
        raise RosterError(
            f"{roster} has no {' or '.join(repr(m) for m in missing)} column: download the grading "
            "worksheet again from the assignment (Grading action > Download grading worksheet), "
            "with the assignment graded by points."
        )


@dataclass
class Filled:
    """What filling the worksheet met, for the summary's notes."""

    locked: list = field(default_factory=list)  # learners whose grade Moodle will not change
    kept_feedback: list = field(default_factory=list)  # learners whose feedback cell was written already
    commented: int = 0  # feedback cells filled

    def notes(self, has_feedback_column: bool) -> list[str]:
        notes = []
        if self.locked:
            notes.append(
                'Moodle will not change these grades ("Grade can be changed" is No: locked or '
                "overridden in the gradebook): " + "; ".join(self.locked) + "."
            )
        if self.kept_feedback:
            notes.append(
                "Feedback comments already written in the worksheet were kept for: "
                + "; ".join(self.kept_feedback)
                + "."
            )
        if not has_feedback_column:
            notes.append(
                f"The worksheet has no '{FEEDBACK}' column, so no feedback goes back: tick Feedback "
                "types > Feedback comments in the assignment's settings and download the worksheet again."
            )
        else:
            notes.append(
                f"Feedback for {self.commented} learner{'s' if self.commented != 1 else ''} in the '{FEEDBACK}' column."
            )
        return notes


def _fill(row, column, result, learner, points, decimal_comma, filled: Filled, summary: Summary) -> None:
    """One learner's row: the grade (none for a notebook handed in to the wrong assignment), and the
    feedback where its cell is empty."""
    if scored_here(summary, result):
        grade = f"{scaled(result, points):.2f}"
        row[column[GRADE]] = grade.replace(".", ",") if decimal_comma else grade
    if column[CHANGEABLE] is not None and row[column[CHANGEABLE]].strip().casefold() == "no":
        filled.locked.append(learner)
    if column[FEEDBACK] is not None:
        if row[column[FEEDBACK]].strip():
            filled.kept_feedback.append(learner)
        else:
            row[column[FEEDBACK]] = feedback.html(result, points)
            filled.commented += 1
    if column[STATUS] is not None and any(LATE.match(part.strip()) for part in row[column[STATUS]].split(" - ")):
        summary.late.append((learner, result["submission"]))


def _learners(roster: Path, rows: list[list[str]], column: dict) -> tuple[dict, float, bool]:
    learners: dict[str, Learner] = {}
    maxima = set()

    def cell(row: list[str], name: str) -> str:
        index = column[name]
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        found = PARTICIPANT.match(cell(row, IDENTIFIER))
        if not found:
            raise RosterError(
                f"Row {number} of {roster} has Identifier {cell(row, IDENTIFIER)!r}, not "
                "'Participant N': use the worksheet Moodle writes, unchanged."
            )
        learners[found[1]] = Learner(found[1], f"{cell(row, FULL_NAME) or 'no name'} (Participant {found[1]})")
        maxima.add(cell(row, MAXIMUM))
    if not learners:
        raise RosterError(f"{roster} lists no participants.")
    points = {parse_points(m) for m in maxima}
    if len(points) != 1 or None in points:
        raise RosterError(
            f"{roster} gives no single maximum grade (its '{MAXIMUM}' column holds "
            + ", ".join(repr(m) for m in sorted(maxima))
            + "): grade the assignment by points."
        )
    return learners, points.pop(), any("," in m and "." not in m for m in maxima)
