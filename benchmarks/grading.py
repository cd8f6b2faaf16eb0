"""The grader against a plain autograder, measured side by side in one run (``make bench N=50``).

    python benchmarks/grading.py [--n 50] [--baseline-jobs 1]

Makes N copies of a correct submission (the solution notebook, outputs cleared), then

1. grades them with ``python -m grader`` (one fork server with TensorFlow imported once, one
   sandbox per core), timed from the command's start to its end;
2. executes the same N notebooks one fresh kernel each with nbclient and the course's
   ``embedding-matrix`` kernel, as a plain autograder would (one at a time unless --baseline-jobs),

and prints both times and the ratio. Each side is checked to have done its job (full marks; no cell
errors), so the ratio compares work that succeeded. Nothing here is asserted: it is a measurement.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SUBMISSION = ROOT / "solutions" / "04_time_to_code.ipynb"
KERNEL = "embedding-matrix"


def correct_submission() -> str:
    if not SUBMISSION.exists():
        sys.exit(f"{SUBMISSION.relative_to(ROOT)} is missing: it is the correct submission this benchmark copies.")
    nb = nbformat.read(SUBMISSION, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nbformat.writes(nb)


def grade_with_grader(folder: Path, out: Path, jobs: int | None) -> tuple[float, int]:
    command = [sys.executable, "-m", "grader", str(folder), "--out", str(out), "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"the grader failed:\n{completed.stderr[-3000:]}")
    results = json.loads((out / "results.json").read_text())["submissions"]
    return seconds, sum(1 for r in results if r["score"] == r["max_score"])


def execute_fresh_kernel(path: Path) -> bool:
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # IPC sockets in the notebook's folder: as fast as TCP here, and no warning about unencrypted TCP.
    manager = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(path.parent / "kernel"))
    try:
        NotebookClient(
            nb, km=manager, timeout=600, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    finally:  # what nbclient does when it starts the kernel itself
        if manager.has_kernel:
            manager.shutdown_kernel(now=False)
    return not any(
        output.get("output_type") == "error"
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )


def run_fresh_kernels(paths: list[Path], jobs: int) -> tuple[float, int]:
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        clean = sum(pool.map(execute_fresh_kernel, paths))
    return time.perf_counter() - started, clean


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50, help="copies of the correct submission (default 50)")
    parser.add_argument("--jobs", type=int, default=None, help="sandboxes at once (default: cores)")
    parser.add_argument(
        "--baseline-jobs",
        type=int,
        default=1,
        help="fresh kernels at once for the plain autograder (default 1, as nbgrader runs them)",
    )
    args = parser.parse_args(argv)

    text = correct_submission()
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        folder = work / "submissions"
        folder.mkdir()
        paths = []
        for i in range(1, args.n + 1):
            path = folder / f"learner-{i:03d}.ipynb"
            path.write_text(text)
            paths.append(path)
        print(
            f"N = {args.n} copies of a correct submission ({SUBMISSION.relative_to(ROOT)}), {os.cpu_count()} cores.",
            flush=True,
        )

        ours, full = grade_with_grader(folder, work / "out", args.jobs)
        jobs = args.jobs or os.cpu_count()
        print(
            f"grader (fork servers in bubblewrap, {jobs} at once): {ours:7.1f} s "
            f"({ours / args.n:.2f} s per notebook; {full}/{args.n} full marks)",
            flush=True,
        )

        kernel_dir = work / "kernels"
        kernel_dir.mkdir()
        copies = []
        for i, path in enumerate(paths):  # one folder each, as separate autograder runs would have
            (kernel_dir / str(i)).mkdir()
            copies.append(Path(shutil.copy(path, kernel_dir / str(i) / path.name)))
        theirs, clean = run_fresh_kernels(copies, args.baseline_jobs)
        print(
            f"fresh kernel per notebook (nbclient, {args.baseline_jobs} at once): {theirs:7.1f} s "
            f"({theirs / args.n:.2f} s per notebook; {clean}/{args.n} ran without errors)",
            flush=True,
        )
        print(f"ratio: the grader is {theirs / ours:.1f} times faster")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
