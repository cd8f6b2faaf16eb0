"""Grade learners' notebooks: ``python -m checks.grade SUBMISSIONS --out OUT`` (``make grade``).

SUBMISSIONS is a notebook, or a folder of them (searched recursively; every file found gets a row).
Writes OUT/results.json, OUT/grades.csv and OUT/feedback/<submission>.md. Exits 0 once every
submission has been graded, whatever the scores; 2 when there is nothing to grade or OUT cannot be
written; 1 when the sandbox (TensorFlow) cannot start.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from checks.grade import batch, gradebook
from checks.grade.sandbox import Limits, SandboxUnavailable


def parser() -> argparse.ArgumentParser:
    defaults = Limits()
    p = argparse.ArgumentParser(prog="python -m checks.grade", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("submissions", type=Path, help="a submitted notebook, or a folder of submissions")
    p.add_argument("--out", type=Path, default=Path("build/grades"), help="folder for the results (build/grades)")
    p.add_argument("--jobs", type=int, default=None, help="sandboxes at once (default: one per core)")
    p.add_argument("--timeout", type=float, default=defaults.timeout,
                   help=f"seconds one notebook may run in all (default {defaults.timeout:g})")
    p.add_argument("--cell-timeout", type=float, default=defaults.cell_seconds,
                   help=f"seconds one cell may run (default {defaults.cell_seconds:g})")
    p.add_argument("--exercise-timeout", type=float, default=defaults.observe_seconds,
                   help=f"seconds checking one exercise may take (default {defaults.observe_seconds:g})")
    p.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                   help=f"memory one notebook may add, in MB (default {defaults.memory_mb})")
    p.add_argument("--gradescope", type=Path, default=None, metavar="RESULTS_JSON",
                   help="also write the (single) submission's result in Gradescope's format to this file")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        submissions = batch.find_submissions(args.submissions)
    except batch.NothingToGrade as exc:
        print(f"Nothing graded: {exc}", file=sys.stderr)
        return 2
    if args.gradescope is not None and len(submissions) != 1:
        print(f"--gradescope needs exactly one submission; {args.submissions} holds {len(submissions)}.",
              file=sys.stderr)
        return 2
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        probe = args.out / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        print(f"Nothing graded: cannot write to {args.out} ({exc.strerror or exc}).", file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout, cell_seconds=args.cell_timeout, observe_seconds=args.exercise_timeout,
                    memory_mb=args.memory_mb)
    try:
        graded = batch.grade(submissions, limits, args.jobs, show_progress=not args.quiet, own_process=True,
                             hide=[args.out])
    except SandboxUnavailable as exc:
        print(f"Nothing graded: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; nothing written.", file=sys.stderr)
        return 130
    gradebook.write_all(graded.results, args.out)
    if args.gradescope is not None:
        args.gradescope.parent.mkdir(parents=True, exist_ok=True)
        document = gradebook.gradescope_results(graded.results[0], graded.seconds)
        args.gradescope.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if not args.quiet:
        print(gradebook.summary(graded.results, graded.seconds, graded.jobs, args.out,
                                graded.startup_seconds, graded.server_restarts, graded.hidden))
    return 0


if __name__ == "__main__":
    sys.exit(main())
