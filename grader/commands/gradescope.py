"""Gradescope's entry point: grade the one learner's submission inside the autograder container;
``run_autograder`` calls it.

    python -m grader.commands.gradescope [--root /autograder]

Grades every notebook under ROOT/submission exactly as ``python -m grader`` does, in the same
bubblewrap sandbox (where the container does not allow one, as the unprivileged user ``nobody``, to
whom the autograder's files are read-only, as Gradescope recommends), for the assignment the
autograder was built for (ROOT/source/gradescope_assignment: one notebook, or the whole course), and
writes ROOT/results/results.json (``grader/outputs/gradescope.py``). Where the class hands out
variants, each learner's is the one allotted to the submitter's e-mail address in Gradescope's
ROOT/submission_metadata.json. When grading cannot run,
results.json says so in one visible line; the details go to stdout, which Gradescope shows to
instructors only.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import sys
from pathlib import Path

from checks.environment import grading_secret
from grader.course import classroom
from grader.course.expected import ReferenceUnavailable
from grader.files import write_text
from grader.outputs.gradescope import not_graded_document, results_document
from grader.outputs.summary import summary
from grader.pipeline.batch import grade
from grader.pipeline.read import Notebook, NothingToGrade, find_submissions, read_submission
from grader.pipeline.recognise import notebook_of
from grader.sandbox.isolation import bubblewrap
from grader.sandbox.pool import Limits, SandboxUnavailable

#: Written by the autograder's builder: the assignment this autograder grades.
ASSIGNMENT_FILE = "gradescope_assignment"
#: How the learner's files are named for the grader: all of them are one learner's.
LEARNER = "submission"
#: What Gradescope writes about the submission: its submitters among them (``users``, each with ``email``).
METADATA = "submission_metadata.json"


#: The grader's own peak before a submission allocates anything, on Gradescope's image (567 MB
#: measured by benchmarks/gradescope_memory.py), with room to spare.
GRADER_PEAK_MB = 650
CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def memory_budget_mb(default: int, files=CGROUP_LIMITS) -> int:
    """What one submission may add: the container's memory less the grader's own peak (at most
    ``default``), so a greedy notebook gets a memory verdict instead of the container being killed."""
    for name in files:
        try:
            limit = int(Path(name).read_text().strip())  # cgroup v2 says "max" when there is no limit
        except (OSError, ValueError):
            continue
        return max(64, min(default, limit // 2**20 - GRADER_PEAK_MB))
    return default


def notebooks(folder: Path) -> list[tuple[str, Path]]:
    """Every notebook of the submission, named as one learner's files."""
    try:
        return [
            (f"{LEARNER}/{name}", path) for name, path in find_submissions(folder) if name.lower().endswith(".ipynb")
        ]
    except NothingToGrade:
        return []


def submitter_of(root: Path) -> str:
    """The id variants are allotted by: the e-mail address of the submission's first submitter, as
    Gradescope's metadata (always written on Gradescope) gives it (a group's other members share its
    task); "" where it gives none."""
    try:
        users = json.loads((root / METADATA).read_text(encoding="utf-8")).get("users") or []
        return str(users[0].get("email") or "")
    except (OSError, ValueError, AttributeError, IndexError, TypeError):
        return ""


def assignment_of(root: Path, course) -> str:
    """The assignment this autograder grades (its builder wrote it down), else the course's first."""
    try:
        return (root / "source" / ASSIGNMENT_FILE).read_text().strip()
    except OSError:
        return next(iter(course.assignments()))


#: Who runs a submission where bubblewrap cannot: it owns no file of the autograder.
UNPRIVILEGED = "nobody"


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _write(path: Path, document: dict) -> None:
    write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


#: What the learner reads when the autograder itself failed; the details go to stdout, for instructors.
OUR_FAILURE = "The autograder could not run; your instructor has been told."


def grade_submission(root: Path) -> int:
    results_path = root / "results" / "results.json"
    try:
        whole = classroom.load().course()
    except classroom.ClassroomError as exc:
        return _could_not_run(results_path, (), f"The autograder could not run: {exc}")
    assignment = assignment_of(root, whole)
    exercises = whole.assignments().get(assignment, whole.exercises)
    course = whole.only(ex.name for ex in exercises)
    wanted = ", ".join(f"{notebook}.ipynb" for notebook in course.notebooks())
    found = notebooks(root / "submission")
    if not found:
        message = f"No notebook (.ipynb file) was found in your submission. Upload your {wanted}."
        _write(results_path, not_graded_document(message, exercises))
        print("No notebook in the submission; wrote a result of 0.")
        return 0
    others = other_notebooks(whole, course, found)
    if others:
        _write(results_path, not_graded_document(others, exercises))
        print("The submission is another notebook of the course; wrote a result of 0.")
        return 0
    problem = bubblewrap.unavailable()
    run_as = None
    if problem is not None:  # Gradescope's advice: the submission as an unprivileged user, our files read-only
        if os.geteuid() != 0 or not _user_exists(UNPRIVILEGED):
            why = f"Not graded: no sandbox ({problem}), and no unprivileged user to run submissions as."
            return _could_not_run(results_path, exercises, why)
        print(f"No bubblewrap sandbox here ({problem}); the submission runs as the user {UNPRIVILEGED}.")
        run_as = UNPRIVILEGED
    secret = grading_secret()
    try:
        limits = Limits(memory_mb=memory_budget_mb(Limits().memory_mb))
        grading = grade(
            course,
            found,
            limits,
            jobs=1,
            secret=secret,
            sandboxed=run_as is None,
            run_as=run_as,
            learner=f"file:{submitter_of(root)}" if course.allocation is not None and submitter_of(root) else None,
        )
    except (SandboxUnavailable, ReferenceUnavailable) as exc:  # our failure, not the learner's
        return _could_not_run(results_path, exercises, f"The autograder could not run: {exc}")
    row = next((r for r in grading.rows if r.assignment == assignment), None)
    if row is None:
        message = (
            f"None of the notebooks in your submission is {wanted}: upload it "
            "(the name may differ; its exercises' cells must be in it)."
        )
        _write(results_path, not_graded_document(message, exercises))
    else:
        _write(results_path, _document(row, grading))
    print(summary(grading))
    return 0


def other_notebooks(whole, course, found: list[tuple[str, Path]]) -> str | None:
    """When the files handed in are other notebooks of the course and none is this assignment's, the
    sentence that says which they are and which to upload; else None (the grader then grades them)."""
    seen = {}
    for name, path in found:
        notebook = read_submission(path)
        cells = [cell.source for cell in notebook.cells] if isinstance(notebook, Notebook) else []
        seen[name.split("/", 1)[1]] = notebook_of(whole, name, cells) if cells else None
    wanted = course.notebooks()
    if any(notebook in wanted for notebook in seen.values()) or not any(seen.values()):
        return None
    held = ", ".join(f"{name} is {notebook}.ipynb" for name, notebook in seen.items() if notebook)
    upload = " or ".join(f"{notebook}.ipynb" for notebook in wanted)
    return (
        f"This assignment grades {upload}, and your submission holds another notebook of the course ({held}): "
        f"upload {upload} (the file's name may differ; its exercises' cells must be in it)."
    )


def _could_not_run(results_path: Path, exercises, why: str) -> int:
    """Our failure, not the learner's: results.json says so in one line, ``why`` goes to the instructors."""
    _write(results_path, not_graded_document(OUR_FAILURE, exercises))
    print(why)
    return 1


def _document(row, grading) -> dict:
    """The learner's row in Gradescope's format, naming the files of the submission not graded."""
    document = results_document(row, grading.seconds)
    others = [name.split("/", 1)[1] for r in grading.rows if r is not row for name in r.files]
    others += [name.split("/", 1)[1] for name in row.set_aside]
    if others:
        document["output"] += (
            f"\nGraded {', '.join(n.split('/', 1)[1] for n in row.files)}; also in your "
            "submission, not graded: " + ", ".join(others[:10]) + "."
        )
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader.commands.gradescope",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")),
        help="the autograder folder (default: $AUTOGRADER_ROOT or /autograder)",
    )
    return grade_submission(parser.parse_args(argv).root)


if __name__ == "__main__":
    sys.exit(main())
