"""The LMS's gradebook, filled from the grader's results (``make grade ROSTER=...``):

    python -m grader.commands.lms ROSTER --results OUT/results.json --out OUT [--assignment NAME] [--notebook NB]

With each notebook an assignment of its own, results.json may hold several notebooks' rows; an LMS's
gradebook column is one of them: --notebook names it (needed only when there are several).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grader.files import write_text
from grader.lms import RosterError, write_lms_gradebook


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
    assignments = sorted({r.get("assignment", "") for r in results if r.get("max_score")})
    if args.notebook is not None:
        results = [r for r in results if r.get("assignment") == args.notebook]
        if not results:
            print(
                f"No gradebook written: {args.results} holds no rows of {args.notebook} (it holds "
                f"{', '.join(assignments) or 'none'}).",
                file=sys.stderr,
            )
            return 2
    elif len(assignments) > 1:
        print(
            f"No gradebook written: {args.results} holds rows of {len(assignments)} notebooks "
            f"({', '.join(assignments)}); an LMS column takes one: say which with --notebook (make grade "
            "... NOTEBOOK=<name>).",
            file=sys.stderr,
        )
        return 2
    try:
        summary = write_lms_gradebook(args.roster, results, args.out, args.assignment)
        text = summary.text()
        write_text(args.out / f"{summary.lms.lower()}-import-summary.txt", text + "\n")
    except RosterError as exc:
        print(f"No gradebook written: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"No gradebook written: cannot write to {args.out} ({exc.strerror or exc}).", file=sys.stderr)
        return 2
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
