"""Canvas: from the gradebook export (Grades > Export) to a CSV that Grades > Import takes as it is.

The export's columns are the learner's identity (Student, ID, SIS User ID, SIS Login ID, sometimes
Integration ID, Section), then one column per assignment named ``Name (assignment id)``, then totals;
a row whose Student cell is ``Points Possible`` gives each assignment's points. The import creates an
assignment for every column it does not know, so the file written keeps the identity columns and the
one chosen assignment column, and nothing else.

"Download Submissions" names each file ``sortablename[_LATE]_userid_attachmentid_originalname``
(grader/course/learners.py reads it); the user id is the export's ID column.

The gradebook import carries no comments, so the feedback goes back the way Canvas takes files back
from a download: the gradebook's assignment menu > "Re-Upload Submissions" takes a zip and attaches
each file in it to a learner's submission as a comment ("See attached file"). Canvas reads the
learner and the file from the name alone (instructure/canvas-lms, app/models/abstract_assignment.rb,
``infer_comment_context_from_filename``): it splits the name at ``_``, drops ``LATE``, takes the first
two all-digit parts as the user id and the attachment id, and keeps the file only when that attachment
belongs to the learner's current submission; the comment's file is then shown under that attachment's
name (``display_name: attachment.display_name``), so the feedback for a notebook is a notebook.
``canvas-feedback.zip`` holds one such file per learner, named from the download's own name.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from grader.course.learners import CANVAS, Submitter, canvas_name, identify
from grader.files import write_bytes
from grader.lms import feedback, pdf
from grader.lms.common import (
    Learner,
    RosterError,
    Summary,
    match,
    number,
    output_name,
    parse_points,
    scaled,
    scored_here,
    write_csv,
)

ASSIGNMENT_COLUMN = re.compile(r"^(?P<name>.*\S)\s*\((?P<id>\d+)\)$")
POINTS_POSSIBLE = "Points Possible"
OUTPUT = "canvas-import.csv"
FEEDBACK = "canvas-feedback.zip"
#: The feedback's form for each kind of file a learner can hand in: Canvas shows it under that file's name.
FEEDBACK_FORMS = {
    ".ipynb": "notebook",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "markdown",
    ".py": "markdown",
    ".r": "markdown",
    ".csv": "markdown",
    ".json": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
#: Fixed, so the same results give the same zip, byte for byte.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def recognises(rows: list[list[str]]) -> bool:
    return bool(rows) and len(rows[0]) >= 2 and [c.strip() for c in rows[0][:2]] == ["Student", "ID"]


def key_of(submission: str) -> Submitter | None:
    """Who handed in ``submission``, when Canvas named it; else None."""
    who = identify(submission, CANVAS)
    return who if who.lms == CANVAS else None


def write(
    roster: Path,
    rows: list[list[str]],
    results: list[dict],
    out_dir: Path,
    assignment: str | None,
    notebook: str = "",
    misfiled: list[dict] = (),
) -> Summary:
    """Fill ``assignment``'s column from ``results`` (``notebook``'s rows), with the feedback zip; ``misfiled``:
    notebooks handed in to this assignment that are another (no grade, feedback saying so)."""
    header = [cell.strip() for cell in rows[0]]
    columns = [i for i, cell in enumerate(header) if ASSIGNMENT_COLUMN.match(cell)]
    if not columns:
        raise RosterError(
            f"{roster} has no assignment column (a heading like 'Time to code (1234)'): "
            "create the assignment in Canvas, then export the gradebook again."
        )
    identity = list(range(columns[0]))
    column = _chosen(roster, header, columns, assignment)
    points_row = next((row for row in rows[1:] if row and row[0].strip() == POINTS_POSSIBLE), None)
    if points_row is None:
        raise RosterError(
            f"{roster} has no '{POINTS_POSSIBLE}' row, so the assignment's points are unknown: "
            "use the file Grades > Export writes, unchanged."
        )
    points = parse_points(points_row[column] if column < len(points_row) else "")
    if points is None:
        raise RosterError(
            f"{roster} gives no points for {header[column]!r} in its '{POINTS_POSSIBLE}' row: "
            "set the assignment's points in Canvas and export the gradebook again."
        )
    learners, order = _learners(roster, rows, header)
    summary = Summary("Canvas", header[column], points, notebook)
    chosen = match(results, learners, key_of, summary, misfiled)
    table = [
        [header[i] for i in identity] + [header[column]],
        [_cell(points_row, i) for i in identity] + [number(points)],
    ]
    for key, row in order:
        score = number(scaled(chosen[key], points)) if key in chosen and scored_here(summary, chosen[key]) else ""
        table.append([_cell(row, i) for i in identity] + [score])
    summary.written = Path(out_dir) / output_name(OUTPUT, notebook)
    write_csv(summary.written, table)
    summary.feedback = Path(out_dir) / output_name(FEEDBACK, notebook)
    returned = write_feedback(
        summary.feedback, [(learners[key].name, chosen[key]) for key, _ in order if key in chosen], summary
    )
    summary.notes.append(
        f"Feedback for {returned} learner{'s' if returned != 1 else ''} in {summary.feedback}: "
        "upload it with the gradebook's assignment menu > Re-Upload Submissions."
    )
    return summary


def write_feedback(path: Path, chosen: list[tuple[str, dict]], summary: Summary) -> int:
    """Write the zip Canvas's "Re-Upload Submissions" attaches to each learner's submission; name in the
    summary every learner it holds nothing for, and why. Returns how many learners it holds."""
    files = []
    for learner, result in chosen:
        name = canvas_name(result["submission"])
        form = FEEDBACK_FORMS.get(PurePosixPath(name.original).suffix.lower()) if name else None
        why = _no_feedback_file(result, name, form, summary)
        if why:
            summary.notes.append(f"No feedback file for {learner}: {why}")
        else:
            files.append(
                (
                    f"{name.prefix}_feedback{PurePosixPath(name.original).suffix.lower()}",
                    _feedback_file(form, result, name.original, summary),
                )
            )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in sorted(files):
            info = zipfile.ZipInfo(entry, ZIP_DATE)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, data)
    write_bytes(path, buffer.getvalue())
    return len(files)


def _no_feedback_file(result: dict, name, form: str | None, summary: Summary) -> str | None:
    """Why Canvas cannot take a feedback file for ``result``, or None."""
    submission = result["submission"]
    if name is None and result.get("feedback"):
        return (
            f"{submission} was graded under a name of yours, which carries no Canvas attachment to attach it "
            f"to: send them {result['feedback']} from the grader's OUT yourself."
        )
    if name is None or name.attachment is None:
        return f"{submission} is a text entry or a link, which Canvas cannot attach a file to."
    if form is None:
        return (
            f"Canvas would show it under the name of the file handed in, {name.original!r}, which feedback "
            "cannot be written as: tell them, in a comment, to hand in the notebook (.ipynb) itself."
        )
    handed_in_to = result.get("handed_in_to")
    if handed_in_to and summary.notebook and handed_in_to != summary.notebook:
        return (
            f"{submission} was handed in to {handed_in_to}'s assignment, and Canvas attaches feedback only to the "
            "submission a file came from: its feedback goes back with that assignment's."
        )
    return None


def _feedback_file(form: str, result: dict, original: str, summary: Summary) -> bytes:
    if form == "notebook":
        return feedback.notebook(result, original, summary.points)
    if form == "markdown":
        return feedback.markdown(result, original, summary.points).encode("utf-8")
    if form == "pdf":
        return pdf.document(feedback.markdown(result, original, summary.points), f"Feedback on {original}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Feedback</title></head><body>'
        + feedback.html(result, summary.points)
        + "</body></html>\n"
    ).encode("utf-8")


def _chosen(roster: Path, header: list[str], columns: list[int], assignment: str | None) -> int:
    if assignment is None:
        if len(columns) == 1:
            return columns[0]
        raise RosterError(
            f"{roster} has {len(columns)} assignments ("
            + ", ".join(repr(header[i]) for i in columns)
            + "); say which one to fill with ASSIGNMENT=<its name or id>."
        )
    wanted = assignment.strip()
    for i in columns:
        found = ASSIGNMENT_COLUMN.match(header[i])
        if wanted in (header[i], found["name"], found["id"]):
            return i
    folded = [i for i in columns if ASSIGNMENT_COLUMN.match(header[i])["name"].casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise RosterError(
        f"{roster} has no assignment {assignment!r}; its assignments are "
        + ", ".join(repr(header[i]) for i in columns)
        + "."
    )


def _learners(roster: Path, rows: list[list[str]], header: list[str]) -> tuple[dict, list]:
    learners: dict[str, Learner] = {}
    order = []
    for number_, row in enumerate(rows[1:], start=2):
        student, user = _cell(row, 0).strip(), _cell(row, 1).strip()
        if student == POINTS_POSSIBLE or not (student or user) or not any(c.strip() for c in row):
            continue  # the points row, and rows Canvas adds with no learner (e.g. "Manual Posting")
        if not user.isdigit():
            raise RosterError(
                f"Row {number_} of {roster} ({student or 'no name'}) has ID {user!r}, not a Canvas "
                "user id: use the file Grades > Export writes, unchanged."
            )
        if user in learners:
            raise RosterError(
                f"{roster} lists Canvas user id {user} twice (rows of {learners[user].name} and {student})."
            )
        learners[user] = Learner(user, f"{student} (ID {user})")
        order.append((user, row))
    if not learners:
        raise RosterError(f"{roster} lists no learners.")
    return learners, order


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""
