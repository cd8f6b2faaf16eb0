"""Build what an instructor hands out.

    python -m tools.release learners [--solutions published|withheld] [--source-url URL]
                                     [--template github] [--out build/release]
    python -m tools.release gradescope [--secret-file PATH] [--out build/gradescope]
    python -m tools.release otter [--out build/otter]

``learners`` (``make release``) writes build/release/<course>-<version>/ and its zip, and with
``--template github`` (``make release TEMPLATE=github``) also a GitHub Classroom template repository
per assignment, <course>-<version>-github-<assignment>/ and its zip; ``gradescope`` (``make
gradescope SECRET_FILE=...``) writes build/gradescope/<assignment>.zip, an autograder per
assignment, with the secret that draws the hidden cases (--secret-file, else the GRADE_SECRET
environment variable); ``otter`` (``make otter``) writes build/otter/<notebook>/, what `otter
generate` is handed (docs/otter.md). classroom.toml (or --classroom) says, per exercise, what is
withheld and what it is worth.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# Recording what a reference solution gives imports TensorFlow: quiet its C++ start-up lines.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from checks import fingerprints
from grader.course import classroom
from tools.release import github_classroom, gradescope, learners, otter


def _classroom(args) -> classroom.Classroom:
    room = classroom.load(args.classroom)
    if getattr(args, "solutions", None) == "published":
        return room.with_solutions_published()
    if getattr(args, "solutions", None) == "withheld":
        return room.with_solutions_hidden()
    return room


def _variants_changed(room: classroom.Classroom, what: str) -> None:
    """Warn of what changed in the class's variants since the release that learners have."""
    changes = room.variant_changes()
    if changes:
        print(
            f"Warning: since the release recorded in {room.released}, {what}: "
            + "; ".join(changes)
            + ". Learners who have the earlier release see the tasks as they were.",
            file=sys.stderr,
        )


def _learners(args) -> int:
    room = _classroom(args)
    _variants_changed(room, "this release differs")
    release = learners.build(args.out, room, source_url=args.source_url)
    if room.allocation is not None:  # the instructor's copy of what was released, for make grade to compare
        record = fingerprints.record(room.allocation, release.folder.name)
        room.released.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"Variants: each learner's own task, recorded in {room.released} (make grade compares with it).")
    published = [name for name, c in room.choices.items() if c.solution_published]
    print(
        f"Wrote {release.folder} and {release.zip} ({len(release.files)} files). Solutions in it: "
        f"{', '.join(published) or 'none'}. Hand out the zip."
    )
    if args.template == github_classroom.KIND:
        templates = github_classroom.build(args.out, room, source_url=args.source_url)
        print(
            "GitHub Classroom templates, one per assignment (push each as its assignment's template repository): "
            + ", ".join(str(t.zip) for t in templates)
            + "."
        )
        dropped = sorted({name for t in templates for name in t.partial_credit_dropped})
        if dropped:
            print(
                f"Warning: a GitHub Classroom step gives all of an exercise's points or none, so the partial credit "
                f"classroom.toml gives {', '.join(dropped)} is not carried into the templates.",
                file=sys.stderr,
            )
    if release.public_fetches:
        print(
            f"Warning: opened outside the course folder (Colab), {', '.join(release.public_fetches)} fetch the "
            "course from its public repository, whose checks have the solutions. Put this zip where learners "
            "can download it and build again with --source-url URL (make release SOURCE_URL=URL).",
            file=sys.stderr,
        )
    return 0


def _gradescope(args) -> int:
    if args.secret_file is not None:
        secret = gradescope.read_secret(args.secret_file)
    else:
        secret = os.environ.get("GRADE_SECRET", "").strip() or None
    room = _classroom(args)
    _variants_changed(room, "these autograders grade other tasks than the learners were given")
    written = gradescope.build(args.out, room, secret, args.assignment)
    print(
        f"Wrote {', '.join(str(path) for path in written)}. Upload each as its programming assignment's "
        "autograder (the file's name says which assignment it grades)."
    )
    if secret is None:
        print(
            "No secret given (SECRET_FILE=... or GRADE_SECRET): this autograder grades the public cases "
            "only, the ones learners see.",
            file=sys.stderr,
        )
    return 0


def _otter(args) -> int:
    written = otter.build(args.out, _classroom(args))
    print(
        f"Wrote {', '.join(str(path) for path in written)}. In each: otter generate --python-version 3.11 checks "
        "(docs/otter.md)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.release", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--classroom",
        type=Path,
        default=classroom.DEFAULT_PATH,
        help="the instructor's choices (default: classroom.toml)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser("learners", help="the learners' release, without solutions")
    release.add_argument("--out", type=Path, default=learners.ROOT / "build" / "release")
    release.add_argument(
        "--source-url",
        help="where a notebook opened outside the course (Colab) fetches "
        "this release from, instead of the public repository",
    )
    release.add_argument(
        "--template",
        choices=[github_classroom.KIND],
        help="also a template repository per assignment for GitHub Classroom, with its workflow",
    )
    release.add_argument(
        "--solutions",
        choices=["published", "withheld"],
        help="every solution published or withheld, whatever classroom.toml says",
    )
    autograder = commands.add_parser("gradescope", help="the autograder zips for Gradescope, one per assignment")
    autograder.add_argument(
        "--out",
        type=Path,
        default=learners.ROOT / "build" / "gradescope",
        help="the folder for the zips, <assignment>.zip each",
    )
    autograder.add_argument(
        "--assignment",
        action="append",
        default=None,
        help="only this assignment's zip (a notebook's name, or course); may be repeated",
    )
    autograder.add_argument("--secret-file", type=Path, help="a file holding the secret (else $GRADE_SECRET)")
    folders = commands.add_parser("otter", help="a folder per graded notebook to run `otter generate` in")
    folders.add_argument("--out", type=Path, default=learners.ROOT / "build" / "otter")
    args = parser.parse_args(argv)
    try:
        return {"learners": _learners, "gradescope": _gradescope, "otter": _otter}[args.command](args)
    except (classroom.ClassroomError, gradescope.SecretError) as exc:
        print(f"Cannot build: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
