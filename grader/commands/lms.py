"""The LMS's gradebook, filled from the grader's results (``make grade ROSTER=...``):

    python -m grader.commands.lms ROSTER --results OUT/results.json --out OUT [--assignment NAME] [--notebook NB]

With each notebook an assignment of its own, results.json may hold several notebooks' rows; an LMS's
gradebook column is one of them: --notebook names it (needed only when there are several). The files
written carry that notebook's name (canvas-import-02_initializers.csv, ...), so every notebook's
export can go into one OUT. A notebook handed in to --notebook's assignment that is another one
(graded with --handed-in-to) gets no grade there, and feedback that says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grader.files import write_text
from grader.lms import RosterError, write_lms_gradebook
from grader.lms.common import output_name


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m grader.commands.lms",
        description="Fill the LMS's gradebook file from "
        "the grader's results.json: a Canvas gradebook export or a Moodle grading worksheet.",
    )
    p.add_argument("roster", type=Path, help="the file the LMS exported")
    p.add_argument("--results", type=Path, required=True, help="the grader's results.json")
    p.add_argument("--out", type=Path, required=True, help="folder for the import file and its summary")
    p.add_argument(
        "--assignment",
        default=None,
        help="Canvas: the assignment column to fill (its name or id), when the export has several",
    )
    p.add_argument(
        "--notebook",
        default=None,
        help="which notebook's rows fill it, when results.json holds several (e.g. 02_initializers)",
    )
    args = p.parse_args(argv)
    try:
        results = json.loads(args.results.read_text(encoding="utf-8"))["submissions"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"No gradebook written: {args.results} is not the grader's results.json ({exc}).", file=sys.stderr)
        return 2
    selected = _select(results, args.notebook)
    if isinstance(selected, str):
        print(f"No gradebook written: {args.results} {selected}", file=sys.stderr)
        return 2
    notebook, rows, misfiled = selected
    try:
        summary = write_lms_gradebook(args.roster, rows, args.out, args.assignment, notebook, misfiled)
        text = summary.text()
        write_text(args.out / output_name(f"{summary.lms.lower()}-import-summary.txt", notebook), text + "\n")
    except RosterError as exc:
        print(f"No gradebook written: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"No gradebook written: cannot write to {args.out} ({exc.strerror or exc}).", file=sys.stderr)
        return 2
    print(text)
    return 0


def _select(results: list[dict], notebook: str | None) -> tuple[str, list, list] | str:
    """The notebook whose assignment is filled, its rows, and the rows handed in to it that are another
    notebook; or why none can be chosen (the end of a sentence that starts with results.json's path)."""
    assignments = sorted({r.get("assignment", "") for r in results if r.get("max_score")})
    if notebook is None:
        if len(assignments) > 1:
            return (
                f"holds rows of {len(assignments)} notebooks ({', '.join(assignments)}); an LMS column takes one: "
                "say which with --notebook (make grade ... NOTEBOOK=<name>)."
            )
        return (assignments[0] if assignments else ""), results, []
    rows = [r for r in results if r.get("assignment") == notebook]
    misfiled = [r for r in results if r.get("handed_in_to") == notebook and r.get("assignment") != notebook]
    if not rows and not misfiled:
        return f"holds no rows of {notebook} (it holds {', '.join(assignments) or 'none'})."
    return notebook, rows, misfiled


if __name__ == "__main__":
    sys.exit(main())
