"""Build the autograder.zip to upload to Gradescope (``make gradescope``).

    python -m grader.gradescope_zip --out build/autograder.zip

The zip holds, at its root: ``setup.sh`` and ``run_autograder`` (from ``gradescope/``), the course's
``requirements.txt`` (and ``constraints.txt``), the ``checks`` package (the exercises) and the
``grader`` package. Never ``solutions/``. Entries are
written in a fixed order with fixed dates, so the same sources always give the same zip.
"""
from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ("setup.sh", "run_autograder")


def members(root: Path = ROOT) -> list[tuple[str, Path, int]]:
    """(name in the zip, file, mode) for everything the autograder needs."""
    found = [(name, root / "gradescope" / name, 0o755) for name in SCRIPTS]
    found.append(("requirements.txt", root / "requirements.txt", 0o644))
    if (root / "constraints.txt").is_file():  # every package at the version the course was tested with
        found.append(("constraints.txt", root / "constraints.txt", 0o644))
    for package in ("checks", "grader"):
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                found.append((path.relative_to(root).as_posix(), path, 0o644))
    missing = [str(path) for _, path, _ in found if not path.is_file()]
    if missing:
        raise FileNotFoundError("missing: " + ", ".join(missing))
    return found


def build(out: Path, root: Path = ROOT) -> list[str]:
    out.parent.mkdir(parents=True, exist_ok=True)
    names = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path, mode in members(root):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
            names.append(name)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope_zip", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "autograder.zip")
    args = parser.parse_args(argv)
    try:
        names = build(args.out)
    except FileNotFoundError as exc:
        print(f"Cannot build the autograder: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out} ({len(names)} files). Upload it as the programming assignment's autograder on "
          "Gradescope.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
