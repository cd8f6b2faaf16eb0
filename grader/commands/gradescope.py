"""Gradescope: its results format (the one route to it), and grading one submission inside its
autograder container; ``run_autograder`` calls this.

    python -m grader.gradescope [--root /autograder]

Finds the submitted notebook under ROOT/submission (the assignment's notebook if there is one, else
the first ``.ipynb``), grades it exactly as ``python -m grader`` does, in the same bubblewrap sandbox
(where the container does not allow one, as the unprivileged user ``nobody``, to whom the
autograder's files are read-only, as Gradescope recommends), and writes ROOT/results/results.json. When grading cannot run, results.json says so in one visible
line; the details go to stdout, which Gradescope shows to instructors only.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import sys
from pathlib import Path

from grader import assignment, batch, classroom, outputs
from grader.results import Result, SubmissionResult
from grader.sandbox.isolation import bubblewrap
from grader.sandbox.pool import Limits, SandboxUnavailable
from grader.submissions import NothingToGrade, find_submissions


def results_document(result: SubmissionResult, seconds: float | None = None) -> dict:
    """One submission in Gradescope's results.json format."""
    output = [f"Score: {outputs.number(result.score)} / {outputs.number(result.max_score)}."]
    if result.status is not Result.JUDGED:
        output.append(f"Not graded ({result.status.value}): {result.message}")
    if result.problems:
        output.append("When the grader ran your notebook from top to bottom:")
        output += [f"- {outputs.escape(p)}" for p in result.problems]
    document = {"score": result.score, "output": "\n".join(output), "output_format": "md",
                "visibility": "visible", "stdout_visibility": "hidden",
                "tests": [outputs.test_json(t) for t in result.tests],
                "extra_data": {"submission": result.submission, "status": result.status.value}}
    if seconds is not None:
        document["execution_time"] = round(seconds)
    return document


def not_graded_document(message: str) -> dict:
    """A result for a submission that could not be graded: every exercise 0, and why, in one line."""
    tests = [{"name": ex.name, "score": 0.0, "max_score": assignment.points(ex), "status": "failed",
              "output": f"Not graded: {message}", "output_format": "md", "visibility": "visible",
              "extra_data": {"result": Result.NOT_GRADED.value}} for ex in assignment.exercises()]
    return {"score": 0.0, "output": message, "output_format": "md", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}


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


def find_notebook(folder: Path) -> tuple[str, Path, list[str]] | None:
    """(name, path, other notebooks) of the submitted notebook, or None."""
    try:
        found = [(n, p) for n, p in find_submissions(folder) if n.lower().endswith(".ipynb")]
    except NothingToGrade:
        return None
    if not found:
        return None
    exact = [item for item in found if Path(item[0]).name == assignment.notebook_file()]
    name, path = (exact or found)[0]
    return name, path, [n for n, _ in found if n != name]


#: Who runs a submission where bubblewrap cannot: it owns no file of the autograder.
UNPRIVILEGED = "nobody"


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _write(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def grade_submission(root: Path) -> int:
    results_path = root / "results" / "results.json"
    results_path.parent.mkdir(parents=True, exist_ok=True)
    found = find_notebook(root / "submission")
    if found is None:
        _write(results_path, not_graded_document(
            f"No notebook (.ipynb file) was found in your submission. Upload your {assignment.notebook_file()}."))
        print("No notebook in the submission; wrote a result of 0.")
        return 0
    name, path, others = found
    problem = bubblewrap.unavailable()
    run_as = None
    if problem is not None:  # Gradescope's advice: the submission as an unprivileged user, our files read-only
        if os.geteuid() != 0 or not _user_exists(UNPRIVILEGED):
            _write(results_path, not_graded_document("The autograder could not run; your instructor has been told."))
            print(f"Not graded: no sandbox ({problem}), and no unprivileged user to run submissions as.")
            return 1
        print(f"No bubblewrap sandbox here ({problem}); the submission runs as the user {UNPRIVILEGED}.")
        run_as = UNPRIVILEGED
    secret = os.environ.get("GRADE_SECRET") or None
    try:
        classroom.load().apply()  # the instructor's points and partial credit (classroom.toml in the zip)
        limits = Limits(memory_mb=memory_budget_mb(Limits().memory_mb))
        graded = batch.grade([(name, path)], limits, jobs=1, show_progress=False, secret=secret,
                             sandboxed=run_as is None, run_as=run_as)
    except (SandboxUnavailable, classroom.ClassroomError) as exc:  # our failure, not the learner's
        _write(results_path, not_graded_document("The autograder could not run; your instructor has been told."))
        print(f"The autograder could not run: {exc}")
        return 1
    document = results_document(graded.results[0], graded.seconds)
    if others:
        document["output"] += (f"\nGraded {name}; also in your submission, not graded: "
                               + ", ".join(others[:10]) + ".")
    _write(results_path, document)
    print(outputs.summary(graded))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")),
                        help="the autograder folder (default: $AUTOGRADER_ROOT or /autograder)")
    return grade_submission(parser.parse_args(argv).root)


if __name__ == "__main__":
    sys.exit(main())
