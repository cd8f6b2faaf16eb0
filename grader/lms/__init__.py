"""Gradebooks an LMS imports as they are, filled from the grader's results.

The instructor hands over the LMS's own file (a Canvas gradebook export or a Moodle grading
worksheet); its format is recognised from its headings. Submissions are matched to learners by the id
the LMS wrote into the names of the downloaded files (grader/course/learners.py), and every learner without
a submission, every submission matching nobody, every learner with more than one submission and every
late one is named in the summary. The learners' feedback goes back too: in the Moodle worksheet's
"Feedback comments" column, and for Canvas in a zip for "Re-Upload Submissions".

    python -m grader.commands.lms ROSTER --results OUT/results.json --out OUT [--assignment NAME] [--notebook NB]
"""

from __future__ import annotations

from pathlib import Path

from grader.lms import canvas, moodle
from grader.lms.common import RosterError, Summary, read_table

FORMATS = (canvas, moodle)

__all__ = ["RosterError", "Summary", "write_lms_gradebook"]


def write_lms_gradebook(
    roster_path: Path,
    results: list[dict],
    out_dir: Path,
    assignment: str | None = None,
    notebook: str = "",
    misfiled: list[dict] = (),
) -> Summary:
    """Write the import file for the LMS whose file ``roster_path`` is into ``out_dir``. ``results``
    are results.json's submissions of the notebook (``notebook``, or the course) whose assignment it is;
    its name goes into the files' names, so each notebook's sit beside the others' in one OUT.
    ``misfiled``: the submissions handed in to it that are another notebook. Raises RosterError (one
    sentence) when the file cannot be used."""
    rows = read_table(Path(roster_path))
    for lms in FORMATS:
        if lms.recognises(rows):
            return lms.write(Path(roster_path), rows, results, Path(out_dir), assignment, notebook, misfiled)
    first = ",".join(rows[0])[:80]
    raise RosterError(
        f"{roster_path} is neither a Canvas gradebook export (its first headings would be "
        f"'Student,ID') nor a Moodle grading worksheet (it would have an 'Identifier' column); "
        f"its first line is {first!r}."
    )
