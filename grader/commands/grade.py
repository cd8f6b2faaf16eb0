"""Grade learners' notebooks: ``python -m grader SUBMISSIONS --out OUT`` (``make grade``).

SUBMISSIONS is a notebook, or a folder of them (searched recursively; every file found gets a row).
Writes OUT/results.json, OUT/grades.csv and OUT/feedback/<submission>.md, one row per learner and
assignment (classroom.toml's [assignments] mode: each notebook its own, or the course as one), merged
with the rows an earlier run left in OUT (--replace starts afresh). Each worker is a bubblewrap
sandbox; where bubblewrap or user namespaces are missing, nothing is graded unless you pass --run-as
(root: the submissions run as that unprivileged user) or --unsafe-no-sandbox. --handed-in-to, --learner
and --shard say what the files cannot: which notebook's assignment they were handed in to, whose they
are, which part of the class to grade (grader.commands.merge puts the parts together).

Exit codes: 0 once every submission has a row, whatever the scores (unless --fail-under or
--require say otherwise: then 3 when a score misses them); 2 when there is nothing to grade, OUT
cannot be written or no sandbox is available; 1 when the sandbox (TensorFlow) cannot start.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import sys
from pathlib import Path

from checks.environment import grading_secret
from grader.course import classroom
from grader.course.expected import ReferenceUnavailable
from grader.course.learners import claimed
from grader.files import write_text
from grader.outputs import results_json
from grader.outputs.gradescope import results_document
from grader.outputs.progress import ProgressBar
from grader.outputs.summary import summary
from grader.outputs.text import number
from grader.pipeline.batch import grade
from grader.pipeline.read import NothingToGrade, find_submissions
from grader.pipeline.shard import Shard
from grader.sandbox.isolation import bubblewrap
from grader.sandbox.pool import Limits, SandboxUnavailable

UNSAFE = (
    "--unsafe-no-sandbox: submissions then run as you, with your files, your network and your "
    "processes within reach: they can read solutions/, the other submissions and OUT, rewrite "
    "them and the grader's own code, open connections, and signal other processes."
)


#: The limits of one submission the command line sets: (option, the field of Limits, its type, what it is).
LIMIT_OPTIONS = (
    ("--timeout", "timeout", float, "seconds one notebook may run in all"),
    ("--cell-timeout", "cell_seconds", float, "seconds one cell may run"),
    ("--exercise-timeout", "observe_seconds", float, "seconds checking one exercise may take"),
    ("--memory-mb", "memory_mb", int, "memory one notebook may add over all its processes, in MB"),
)


def parser() -> argparse.ArgumentParser:
    defaults = Limits()
    p = argparse.ArgumentParser(
        prog="python -m grader", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("submissions", type=Path, help="a submitted notebook, or a folder of submissions")
    p.add_argument("--out", type=Path, default=Path("build/grades"), help="folder for the results (build/grades)")
    p.add_argument("--jobs", type=int, default=None, help="sandboxes at once (default: one per core)")
    for option, field, kind, what in LIMIT_OPTIONS:
        default = getattr(defaults, field)
        metavar = option[2:].replace("-", "_").upper()
        p.add_argument(
            option, type=kind, default=default, dest=field, metavar=metavar, help=f"{what} (default {default:g})"
        )
    p.add_argument(
        "--secret-file",
        type=Path,
        default=None,
        help="a file holding the secret that draws the hidden cases (or set GRADE_SECRET)",
    )
    p.add_argument(
        "--gradescope",
        type=Path,
        default=None,
        metavar="RESULTS_JSON",
        help="also write the (single) submission's result in Gradescope's format to this file",
    )
    p.add_argument(
        "--fail-under",
        type=float,
        default=None,
        metavar="SCORE",
        help="exit 3 when a submission scores below SCORE (for GitHub Classroom steps)",
    )
    p.add_argument(
        "--require",
        action="append",
        default=[],
        metavar="EXERCISE",
        help="exit 3 unless every submission passes EXERCISE (may be repeated)",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="start OUT afresh instead of merging with the results an earlier run left there",
    )
    _what_the_instructor_says(p)
    p.add_argument(
        "--run-as",
        default=None,
        metavar="USER",
        help="where bubblewrap cannot run (a container without user namespaces): run the submissions as this "
        "unprivileged user (e.g. nobody; root only), the grader's files read-only to it, as a Gradescope "
        "autograder does; nothing keeps them off the network or from this user's other processes",
    )
    p.add_argument("--unsafe-no-sandbox", action="store_true", help="grade without bubblewrap: " + UNSAFE)
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return p


def _what_the_instructor_says(p: argparse.ArgumentParser) -> None:
    """The options that say what the files cannot: where they were handed in, whose, which part."""
    p.add_argument(
        "--handed-in-to",
        default=None,
        metavar="NOTEBOOK",
        help="the notebook whose assignment these files were handed in to (one LMS assignment's download, "
        "e.g. 02_initializers): a file that is another notebook is graded as what it is, and the summary, "
        "its feedback and the LMS files say where it was handed in and where it belongs",
    )
    p.add_argument(
        "--learner",
        default=None,
        metavar="LEARNER",
        help="whose every file graded is, as grades.csv names learners (canvas:<user id>, moodle:<participant>, "
        "file:<name>): for a notebook a learner sent you, saved under your own file name; where the class hands "
        "out variants, the learner's own are graded (GitHub Classroom's steps pass file:<the pusher>)",
    )
    p.add_argument(
        "--shard",
        default=None,
        metavar="I/N",
        help="grade part I (0 to N-1) of N of the learners, into OUT of its own; "
        "python -m grader.commands.merge puts the parts together",
    )


def _secret(args) -> str | None:
    if args.secret_file is not None:
        return args.secret_file.read_text().strip() or None
    return grading_secret()


def _check_output(out: Path) -> str | None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        return f"cannot write to {out} ({exc.strerror or exc})."
    return None


def _refusal(args, course) -> str | None:
    """Why arguments, files or the system rule grading out, or None."""
    if args.gradescope is not None and len(args.found) != 1:
        return f"--gradescope needs exactly one submission; {args.submissions} holds {len(args.found)}."
    problem = _what_the_instructor_said(args, course)
    if problem:
        return problem
    unknown = [name for name in args.require if name not in course.names()]
    if unknown:
        return f"--require: no graded exercise {', '.join(unknown)} (there are {', '.join(course.names())})."
    problem = _check_output(args.out)
    if problem:
        return f"Nothing graded: {problem}"
    if args.run_as is not None:
        return _run_as_refusal(args.run_as, args.unsafe_no_sandbox)
    if not args.unsafe_no_sandbox:
        problem = bubblewrap.unavailable()
        if problem:
            return (
                f"Nothing graded: no sandbox, because {problem}. Install bubblewrap (make grade does), or "
                f"grade in a Linux machine or container that allows user namespaces. Or pass {UNSAFE}"
            )
    return None


def _variant_warnings(room) -> list[str]:
    """Before grading: what changed in the variants since the release learners have, or that no release
    of them was recorded (the grader then cannot tell)."""
    changes = room.variant_changes()
    if changes is None:
        return [
            f"each learner has a variant of their own, but no release of them is recorded ({room.released} is "
            "missing: make release writes it), so whether a task changed since learners got it cannot be told."
        ]
    return [f"since the release ({room.released}), {change}." for change in changes]


def _run_as_refusal(user: str, unsafe: bool) -> str | None:
    """Why submissions cannot run as ``user``, or None."""
    if unsafe:
        return "--run-as and --unsafe-no-sandbox are two ways to grade without bubblewrap: choose one."
    if os.geteuid() != 0:
        return f"--run-as {user}: only root can start submissions as another user."
    try:
        pwd.getpwnam(user)
    except KeyError:
        return f"--run-as: there is no user {user} (nobody is on every Linux system)."
    return None


def _what_the_instructor_said(args, course) -> str | None:
    """Why --handed-in-to, --learner or --shard cannot be used as given, or None (--shard parsed)."""
    if args.handed_in_to is not None:
        if not course.per_notebook:
            return (
                "--handed-in-to names a notebook's assignment; with classroom.toml's mode = \"course\" every "
                "notebook belongs to the one assignment."
            )
        if args.handed_in_to not in course.notebooks():
            return (
                f"--handed-in-to: no graded notebook {args.handed_in_to} (there are {', '.join(course.notebooks())})."
            )
    try:
        if args.learner is not None:
            claimed(args.learner, "")
        args.shard = Shard.parse(args.shard) if args.shard is not None else None
    except ValueError as exc:
        return str(exc)
    return None


def _part(args) -> dict | None:
    """What a shard's results.json says of the class it is a part of, for the merge to check."""
    if args.shard is None:
        return None
    names = "\n".join(name for name, _ in args.found)
    return {
        "shard": str(args.shard),
        "files": len(args.found),
        "batch": hashlib.sha256(names.encode()).hexdigest()[:16],
    }


def _failing(rows, args) -> list[str]:
    failing = []
    for row in rows:
        if args.fail_under is not None and row.score < args.fail_under:
            failing.append(f"{row.submission}: score {number(row.score)} < {args.fail_under:g}")
        passed = {t.name for t in row.tests if t.passed}
        failing += [f"{row.submission}: {name} not passed" for name in args.require if name not in passed]
    return failing


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.found = find_submissions(args.submissions)
        secret = _secret(args)
        room = classroom.load()
        course = room.course()  # the instructor's points, marking, assignments and variants (classroom.toml)
    except (NothingToGrade, OSError, classroom.ClassroomError) as exc:
        print(f"Nothing graded: {exc}", file=sys.stderr)
        return 2
    refusal = _refusal(args, course)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    if args.unsafe_no_sandbox:
        print("WARNING: " + UNSAFE, file=sys.stderr)
    for warning in _variant_warnings(room):
        print(f"Warning: {warning}", file=sys.stderr)
    limits = Limits(**{field: getattr(args, field) for _, field, _, _ in LIMIT_OPTIONS})
    try:
        grading = grade(
            course,
            args.found,
            limits,
            args.jobs,
            sandboxed=not (args.unsafe_no_sandbox or args.run_as),
            run_as=args.run_as,
            secret=secret,
            progress=ProgressBar(len(args.found), enabled=not args.quiet),
            handed_in_to=args.handed_in_to,
            learner=args.learner,
            shard=args.shard,
        )
    except (SandboxUnavailable, ReferenceUnavailable) as exc:
        print(f"Nothing graded: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; nothing written.", file=sys.stderr)
        return 130
    kept = results_json.write_all(grading.rows, args.out, [grading.judged], replace=args.replace, part=_part(args))
    if args.gradescope is not None:
        document = results_document(grading.rows[0], grading.seconds)
        write_text(args.gradescope, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if not args.quiet:
        print(summary(grading, args.out, kept))
    failing = _failing(grading.rows, args)
    if failing:
        print("Required scores not reached:\n" + "\n".join(f"  {line}" for line in failing[:50]), file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
