"""Learners, not files: who handed in a submission, read from the name the LMS's download gave it.

``identify(submission)`` reads a submission's name (its path inside the SUBMISSIONS folder) into a
``Submitter``: the LMS that wrote the name, the learner's id there, the file's place among that
learner's files (later is newer), and whether the LMS marked it late. Names no LMS wrote belong to the
first folder of a folder-per-learner layout (``alice/04_time_to_code.ipynb``), else to the file itself.

The names, as the LMSs write them (read in their code, not guessed):

- Canvas, "Download Submissions" (instructure/canvas-lms, lib/content_zipper.rb, ``get_filename`` and
  ``add_upload_submission``): ``<name>[_LATE]_<user id>_<attachment id>_<file name>``, where ``<name>``
  is the learner's sortable name lower-cased with every non-word character removed, ``LATE`` marks a late
  submission, and an anonymised assignment writes ``anon_<anonymous id>`` instead of name and user id.
  Text entries and URLs end ``_<user id>_text.html`` and ``_<user id>_link.html`` (no attachment).
  A file handed in again under the same name gets ``-1``, ``-2`` before its extension
  (app/models/attachment.rb, ``make_unique_filename``); the attachment id grows with each upload.
- Moodle, "Download all submissions" (moodle/moodle, mod/assign/classes/downloader.php, and
  mod/assign/locallib.php before 4.1): the prefix ``<Full Name>_<participant id>`` (underscores in the
  name become spaces), then ``_assignsubmission_<plugin>_<file name>`` for a flat download, or a folder
  ``<prefix>_assignsubmission_<plugin>`` (``..._<plugin>_`` before Moodle 4.1) holding the files.
  Anonymous submissions write ``Participant`` as the name. Moodle's names carry no date and no late mark.

A copy a browser or unzip tool made (``name (1).ipynb``) sorts after the file it copies.

Where the name says nothing of the learner (a notebook a learner emailed, saved under the
instructor's own name), the instructor says whose it is (``claimed``), as results.json names learners:
``canvas:<user id>``, ``moodle:<participant id>``, ``file:<folder or file>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

CANVAS, MOODLE = "canvas", "moodle"

_CANVAS = re.compile(
    r"^(?:(?P<name>.*?)_)?(?P<late>LATE_)?(?P<user>\d+)_"
    r"(?:(?P<attachment>\d+)_(?P<original>.+)|(?P<entry>text|link)\.html)$",
    re.S,
)
_CANVAS_ANONYMOUS = re.compile(
    r"^(?P<late>LATE_)?anon_(?P<anon>[A-Za-z0-9]+)_"
    r"(?:(?P<attachment>\d+)_(?P<original>.+)|(?P<entry>text|link)\.html)$",
    re.S,
)
_MOODLE = re.compile(r"^(?P<name>[^_/]*)_(?P<participant>\d+)_assignsubmission_[a-z0-9]+(?:_|$)", re.S)
_COPY = re.compile(r"(?: \((\d+)\)|-(\d+))(\.[^./]*)?$")
#: A learner as results.json names them: the LMS (or "file") and the id there.
LEARNER_ID = re.compile(r"^(?P<lms>canvas|moodle|file):(?P<id>\S.*)$", re.S)


@dataclass(frozen=True)
class Submitter:
    """Who handed in a submission, as far as its name says."""

    lms: str | None  # CANVAS, MOODLE, or None: a name no LMS wrote
    learner: str  # Canvas user id ("anon_<id>" when anonymised), Moodle participant id, or folder / file
    order: tuple  # (attachment id or 0, copy number, name): sorts one learner's files, later is newer
    late: bool  # the LMS marked it late (only Canvas's names can say so)
    label: str  # the learner's name as the LMS wrote it ("doejane", "Jane Doe"), else the learner


@dataclass(frozen=True)
class CanvasName:
    """A file name Canvas's "Download Submissions" wrote, in its parts."""

    learner: str  # the user id, or "anon_<anonymous id>"
    name: str  # the sortable name as written ("doejane"), empty when anonymised
    late: bool
    attachment: int | None  # None for a text entry or a URL, which have no file
    original: str  # the file's name as the learner handed it in ("04_time_to_code.ipynb")
    prefix: str  # the name up to the attachment id (what a re-upload is matched by), or ""


def identify(submission: str, lms: str | None = None) -> Submitter:
    """Who handed in ``submission`` (a path inside the SUBMISSIONS folder, '/'-separated). ``lms``
    (CANVAS or MOODLE) reads only that LMS's names; without it either LMS's names are recognised. A name
    not read as an LMS's gives ``lms=None`` and the first folder, or the file itself, as the learner."""
    path = PurePosixPath(submission)
    if lms in (None, MOODLE):
        for part in path.parts:
            found = _MOODLE.match(part)
            if found:
                return Submitter(
                    MOODLE,
                    found["participant"],
                    (0, copy_number(submission), submission),
                    False,
                    found["name"] or found["participant"],
                )
    if lms in (None, CANVAS):
        canvas = canvas_name(submission)
        if canvas is not None:
            order = (canvas.attachment or 0, copy_number(canvas.original), submission)
            return Submitter(CANVAS, canvas.learner, order, canvas.late, canvas.name or canvas.learner)
    learner = path.parts[0] if len(path.parts) > 1 else submission
    return Submitter(None, learner, (0, copy_number(submission), submission), False, learner)


def claimed(learner: str, submission: str) -> Submitter:
    """``submission`` as the instructor says it is ``learner``'s (``canvas:4101``, ``moodle:7``, ``file:alice``:
    as results.json and grades.csv name learners). ValueError, in one sentence, when ``learner`` is not
    named so."""
    found = LEARNER_ID.match(learner.strip())
    if not found or (
        found["lms"] != "file" and not found["id"].strip().isdigit() and not found["id"].startswith("anon_")
    ):
        raise ValueError(
            f"--learner names a learner as grades.csv's learner column does (canvas:<user id>, "
            f"moodle:<participant number> or file:<name>); not {learner!r}."
        )
    lms = None if found["lms"] == "file" else found["lms"]
    return Submitter(lms, found["id"].strip(), (0, copy_number(submission), submission), False, found["id"].strip())


def canvas_name(submission: str) -> CanvasName | None:
    """The parts of a Canvas download name, read from the file's own name (Canvas's zip is flat; a
    folder around it, made when unzipping, is skipped), or None when Canvas did not write it."""
    base = PurePosixPath(submission).name
    found = _CANVAS_ANONYMOUS.match(base)
    if found:
        learner, name = f"anon_{found['anon']}", ""
    else:
        found = _CANVAS.match(base)
        if not found:
            return None
        learner, name = found["user"], found["name"] or ""
    attachment = int(found["attachment"]) if found["attachment"] else None
    original = found["original"] if attachment is not None else f"{found['entry']}.html"
    prefix = base[: found.end("attachment")] if attachment is not None else ""
    return CanvasName(learner, name, bool(found["late"]), attachment, original, prefix)


def copy_number(name: str) -> int:
    """N when a file name says it is the Nth copy ("x (2).ipynb" from a browser, "x-2.ipynb" from
    Canvas), else 0."""
    found = _COPY.search(name)
    return int(found[1] or found[2]) if found else 0
