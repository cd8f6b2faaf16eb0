"""The test suite run one file at a time against pytest-xdist's workers, side by side in one run
(``make bench-tests``): the measured reason requirements-test.txt has pytest-xdist.

    python benchmarks/test_suite.py [--workers 2] [test files...]

Runs the same test files twice, first in one process as plain pytest does, then with ``-n WORKERS
--dist loadfile`` as `make test` does (a file's tests stay in one worker, so each module's setup runs
once), and prints both times and the ratio. The default files are some of the slow ones `make test`
runs: most of their time is a kernel or a sandbox starting, TensorFlow importing, or PyPI answering,
which a second worker overlaps. Each side must pass, so the ratio compares work that succeeded.
Nothing here is asserted: it is a measurement.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = (
    "tests/test_hidden_cases.py",
    "tests/test_grade_cli.py",
    "tests/test_install_anywhere.py",
    "tests/test_release_notebooks.py",
)


def timed(files: list[str], extra: list[str]) -> float:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *extra, *files]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        failed = f"{' '.join(command)} failed, so there is nothing to compare:"
        sys.exit(f"{failed}\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("files", nargs="*", default=list(DEFAULT_FILES))
    args = parser.parse_args()
    print(f"{len(args.files)} test files, {os.cpu_count()} cores: {' '.join(args.files)}")
    serial = timed(args.files, [])
    print(f"one process:            {serial:7.1f} s")
    parallel = timed(args.files, ["-n", str(args.workers), "--dist", "loadfile"])
    print(f"{args.workers} xdist workers (loadfile): {parallel:7.1f} s")
    print(f"ratio (one process / workers): {serial / parallel:.2f}")


if __name__ == "__main__":
    main()
