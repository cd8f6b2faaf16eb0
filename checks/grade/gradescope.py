"""Grading one submission inside Gradescope's autograder container; ``run_autograder`` calls this.

    python -m checks.grade.gradescope [--root /autograder]

Finds the submitted notebook under ROOT/submission (``04_time_to_code.ipynb`` if there is one, else
the first ``.ipynb``), grades it exactly as ``python -m checks.grade`` does, and writes
ROOT/results/results.json in Gradescope's format (top-level score, output and one test per exercise).
The summary goes to stdout, which Gradescope shows to instructors only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import checks
from checks.grade import POINTS, batch, gradebook
from checks.grade.sandbox import Limits, SandboxUnavailable

NOTEBOOK = "04_time_to_code.ipynb"


def find_notebook(folder: Path) -> tuple[str, Path, list[str]] | None:
    """(name, path, other notebooks) of the submitted notebook, or None."""
    try:
        found = [(n, p) for n, p in batch.find_submissions(folder) if n.lower().endswith(".ipynb")]
    except batch.NothingToGrade:
        return None
    if not found:
        return None
    exact = [item for item in found if Path(item[0]).name == NOTEBOOK]
    name, path = (exact or found)[0]
    return name, path, [n for n, _ in found if n != name]


def no_notebook_results() -> dict:
    message = f"No notebook (.ipynb file) was found in your submission. Upload your {NOTEBOOK}."
    return {"score": 0.0, "output": message, "output_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": [{"name": ex.name, "score": 0.0, "max_score": POINTS[ex.name], "status": "failed",
                       "output": f"Not graded: {message}", "extra_data": {"result": "not graded"}}
                      for ex in checks.GRADED]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checks.grade.gradescope", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")),
                        help="the autograder folder (default: $AUTOGRADER_ROOT or /autograder)")
    args = parser.parse_args(argv)
    results_path = args.root / "results" / "results.json"
    results_path.parent.mkdir(parents=True, exist_ok=True)

    found = find_notebook(args.root / "submission")
    if found is None:
        results_path.write_text(json.dumps(no_notebook_results(), indent=2) + "\n")
        print("No notebook in the submission; wrote a result of 0.")
        return 0
    name, path, others = found
    try:
        graded = batch.grade([(name, path)], Limits(), jobs=1, show_progress=False, own_process=True,
                             hide=[results_path.parent])
    except SandboxUnavailable as exc:  # our failure, not the learner's: no score, Gradescope reports it
        print(f"The autograder could not run: {exc}", file=sys.stderr)
        return 1
    result = graded.results[0]
    document = gradebook.gradescope_results(result, graded.seconds)
    if others:
        document["output"] += (f"\nGraded {name}; also in your submission, not graded: "
                               + ", ".join(others[:10]) + ".")
    results_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(gradebook.summary(graded.results, graded.seconds, graded.jobs, None, graded.startup_seconds,
                            graded.server_restarts, graded.hidden))
    return 0


if __name__ == "__main__":
    sys.exit(main())
