"""What the Canvas and Moodle gradebooks share: reading the LMS's file, matching submissions to
learners by the id the LMS put in the download's file names (grader/course/learners.py reads them), and
the summary of what matched. Every file goes through the grader's one writer (grader/files.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.course.learners import LEARNER_ID, Submitter
from grader.files import write_bytes

NOT_A_NOTEBOOK = "not a notebook"


class RosterError(Exception):
    """The LMS's file cannot be used; the message is one sentence saying what is wrong."""


@dataclass
class Learner:
    key: str  # the id the LMS writes into the download's file names
    name: str


@dataclass
class Summary:
    lms: str
    assignment: str
    points: float
    notebook: str = ""  # the notebook whose rows fill the column, when results.json names it
    written: Path | None = None
    feedback: Path | None = None  # the learners' feedback, where the LMS takes it apart
    scored: list = field(default_factory=list)  # learner names
    no_submission: list = field(default_factory=list)  # learner names
    unmatched: list = field(default_factory=list)  # (submission, why)
    duplicates: list = field(default_factory=list)  # (learner, kept submission, [set-aside submissions])
    not_graded: list = field(default_factory=list)  # (learner, submission, status): scored, but not as a notebook
    late: list = field(default_factory=list)  # (learner, submission used): the LMS marked it late
    misfiled: list = field(default_factory=list)  # (learner, submission, the notebook it is): handed in here
    elsewhere: list = field(default_factory=list)  # (learner, submission, where it was handed in)
    notes: list = field(default_factory=list)  # anything else the instructor should know

    def text(self) -> str:
        lines = [
            f"{self.lms} gradebook for {self.assignment!r} (out of {number(self.points)}): "
            f"{len(self.scored)} learner{'s' if len(self.scored) != 1 else ''} scored"
            + (f", written to {self.written}." if self.written else ".")
        ]
        if self.no_submission:
            lines.append(
                f"No submission from {len(self.no_submission)} (their grade is left empty, so the "
                f"import leaves it unchanged): " + "; ".join(self.no_submission) + "."
            )
        for submission, why in self.unmatched:
            lines.append(f"Not in the gradebook: {submission} ({why}).")
        for learner, kept, dropped in self.duplicates:
            lines.append(
                f"{len(dropped) + 1} submissions from {learner}: used {kept}, set aside " + ", ".join(dropped) + "."
            )
        for learner, submission, status in self.not_graded:
            lines.append(f"{learner}: {submission} was not graded ({status}); it scores 0.")
        for learner, submission, notebook in self.misfiled:
            lines.append(
                f"{learner} handed in {notebook} to this assignment ({submission}): no grade here (left empty); "
                f"the feedback tells them to hand in this assignment's notebook, and gives what {notebook} scored."
            )
        for learner, submission, handed_in_to in self.elsewhere:
            lines.append(
                f"{learner}: the copy graded here ({submission}) was handed in to {handed_in_to}'s assignment, "
                "not this one; its grade is filled in here."
            )
        if self.late:
            lines.append(
                f"Late, as the LMS marked it ({len(self.late)}): "
                + "; ".join(f"{learner}, {submission}" for learner, submission in self.late)
                + "."
            )
        lines += self.notes
        return "\n".join(lines)


def read_table(path: Path) -> list[list[str]]:
    """The LMS's CSV as rows of cells; RosterError when it is not a CSV the LMS would write."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RosterError(f"Cannot read the roster {path}: {exc.strerror or exc}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(
            f"{path} is not UTF-8 text: export it from the LMS again and do not re-save it "
            "in a spreadsheet program under another encoding."
        ) from None
    if not text.strip():
        raise RosterError(f"{path} is empty.")
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise RosterError(f"{path} is not a readable CSV file ({exc}).") from None


def match(
    results: list[dict],
    learners: dict[str, Learner],
    key_of: Callable[[str], Submitter | None],
    summary: Summary,
    misfiled: list[dict] = (),
) -> dict[str, dict]:
    """The result to use for each learner key. ``key_of(submission)`` says who handed it in (its
    ``learner`` is the key, its ``order`` the place among the learner's files, later is newer), or None
    when the name carries no id of the LMS's; a row whose learner the instructor named (``--learner``)
    is theirs. ``misfiled``: rows handed in to this assignment that are another notebook, used for the
    learners who have no row of this one (their feedback says so; they get no grade here)."""
    found: dict[str, list[tuple[tuple, dict, Submitter]]] = {}
    for result in list(results) + list(misfiled):
        submission = result["submission"]
        who = key_of(submission) or named_learner(result, summary.lms.lower())
        if who is None:
            summary.unmatched.append((submission, "its name has no id from the LMS's download"))
        elif who.learner not in learners:
            why = (
                f"Canvas anonymised it ({who.learner}), so it names no user id of the gradebook"
                if who.learner.startswith("anon_")
                else f"id {who.learner} is not on the roster"
            )
            summary.unmatched.append((submission, why))
        else:
            # This assignment's notebook beats another handed in to it; a notebook beats a file that is not
            # one (a PDF handed in beside it); then the newest wins.
            rank = (not _misfiled_here(result, summary), result.get("status") != NOT_A_NOTEBOOK, who.order)
            found.setdefault(who.learner, []).append((rank, result, who))
    chosen = {}
    for key, candidates in found.items():
        candidates.sort(key=lambda item: item[0])
        chosen[key] = candidates[-1][1]
        dropped = [r["submission"] for _, r, _ in candidates[:-1]] + list(chosen[key].get("set_aside") or ())
        if dropped:
            summary.duplicates.append((learners[key].name, chosen[key]["submission"], dropped))
    for key, learner in learners.items():
        if key not in chosen:
            summary.no_submission.append(learner.name)
            continue
        _account(summary, learner.name, chosen[key], found[key][-1][2])
    return chosen


def _account(summary: Summary, learner: str, result: dict, who: Submitter) -> None:
    """What the summary says of ``learner``, whose ``result`` is used."""
    if _misfiled_here(result, summary):
        summary.misfiled.append((learner, result["submission"], result.get("assignment", "")))
        return
    summary.scored.append(learner)
    if result.get("status", "graded") != "graded":
        summary.not_graded.append((learner, result["submission"], result["status"]))
    if who.late:
        summary.late.append((learner, result["submission"]))
    if result.get("handed_in_to") and result.get("handed_in_to") != result.get("assignment"):
        summary.elsewhere.append((learner, result["submission"], result["handed_in_to"]))


def _misfiled_here(result: dict, summary: Summary) -> bool:
    """Handed in to this assignment, and another notebook: no grade here."""
    return bool(summary.notebook) and result.get("assignment") not in ("", None, summary.notebook)


def named_learner(result: dict, lms: str) -> Submitter | None:
    """The learner the instructor named for a row (``--learner canvas:4101``), when it is this LMS's."""
    found = LEARNER_ID.match(str(result.get("learner") or ""))
    if not found or found["lms"] != lms:
        return None
    return Submitter(lms, found["id"], (0, 0, result["submission"]), False, found["id"])


def scored_here(summary: Summary, result: dict) -> bool:
    """Whether ``result`` gives the learner a grade in this assignment's column."""
    return not _misfiled_here(result, summary)


def output_name(name: str, notebook: str) -> str:
    """``name`` ("canvas-import.csv") for one notebook's assignment ("canvas-import-02_initializers.csv"),
    so that every notebook's files can sit in one OUT."""
    stem, dot, suffix = name.partition(".")
    return f"{stem}-{notebook}{dot}{suffix}" if notebook else name


def scaled(result: dict, points: float) -> float:
    """The result's score in the LMS's points for the assignment, to the hundredth."""
    maximum = float(result.get("max_score") or 0)
    return round(float(result["score"]) / maximum * points, 2) if maximum > 0 else 0.0


def number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def parse_points(text: str) -> float | None:
    text = text.strip()
    if "," in text and "." not in text:  # a decimal comma, as some locales write it
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 else None


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[list[str]]) -> None:
    write_bytes(path, csv_text(rows).encode("utf-8"))
