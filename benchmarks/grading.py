"""The grader against a plain autograder, measured side by side in one run (``make bench``: N=1000
submissions, the plain autograder on a SAMPLE of 10 of them).

    python benchmarks/grading.py [--n 1000] [--sample 10] [--baseline-jobs 1]

Makes N copies of a correct submission (the solution notebook, outputs cleared), then

1. grades all N with ``python -m grader`` (one fork server per core, TensorFlow imported once in
   each), timed from the command's start to its end: the cost per submission, and the same without
   the workers' start-up;
2. executes SAMPLE of the same notebooks one fresh kernel each with nbclient and the course's
   ``embedding-matrix`` kernel, as a plain autograder would (one at a time unless --baseline-jobs), and
   scales that time to N (each notebook costs the same there: a kernel started, TensorFlow imported,
   the cells run), saying that it did;

and prints both costs per submission, both totals for N and the ratio. Each side is checked to have
done its job (full marks; no cell errors), so the ratio compares work that succeeded. Nothing here is
asserted: it is a measurement. N=1000 takes about 4 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
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


def grade_with_grader(folder: Path, out: Path, jobs: int | None) -> tuple[float, int, float]:
    """Seconds the command took, how many got full marks, and the workers' start-up (its summary says)."""
    command = [sys.executable, "-m", "grader", str(folder), "--out", str(out)]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"the grader failed:\n{completed.stderr[-3000:]}")
    results = json.loads((out / "results.json").read_text())["submissions"]
    found = re.search(r"Sandbox start-up \(TensorFlow imported once per worker\): ([\d.]+) s", completed.stdout)
    return seconds, sum(1 for r in results if r["score"] == r["max_score"]), float(found[1]) if found else 0.0


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
    parser.add_argument("--n", type=int, default=1000, help="copies of the correct submission (default 1000)")
    parser.add_argument(
        "--sample", type=int, default=10, help="of them, how many a fresh kernel each runs (default 10; scaled to N)"
    )
    parser.add_argument("--jobs", type=int, default=None, help="sandboxes at once (default: cores)")
    parser.add_argument(
        "--baseline-jobs",
        type=int,
        default=1,
        help="fresh kernels at once for the plain autograder (default 1, as nbgrader runs them)",
    )
    args = parser.parse_args(argv)
    sample = max(1, min(args.sample, args.n))
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        paths = copies(work / "submissions", args.n)
        print(
            f"N = {args.n:,} copies of a correct submission ({SUBMISSION.relative_to(ROOT)}), {os.cpu_count()} cores.",
            flush=True,
        )
        ours, full, startup = grade_with_grader(work / "submissions", work / "out", args.jobs)
        jobs = args.jobs or os.cpu_count()
        print(
            f"grader (fork servers in bubblewrap, {jobs} at once): {ours:8.1f} s for {args.n:,}, "
            f"{ours / args.n:.3f} s per submission ({(ours - startup) / args.n:.3f} s once the workers were up, "
            f"after {startup:.1f} s importing TensorFlow); {full:,}/{args.n:,} full marks",
            flush=True,
        )
        kernel_dir = work / "kernels"
        measured = []
        for i, path in enumerate(paths[:sample]):  # one folder each, as separate autograder runs would have
            (kernel_dir / str(i)).mkdir(parents=True)
            measured.append(Path(shutil.copy(path, kernel_dir / str(i) / path.name)))
        theirs, clean = run_fresh_kernels(measured, args.baseline_jobs)
        each = theirs / sample
        scaled = "" if sample == args.n else f", measured on {sample} of them and scaled to {args.n:,}"
        print(
            f"fresh kernel per notebook (nbclient, {args.baseline_jobs} at once): {each * args.n:8.1f} s for "
            f"{args.n:,}{scaled}, {each:.3f} s per submission; {clean}/{sample} ran without errors",
            flush=True,
        )
        print(f"ratio: per submission, the grader is {each / (ours / args.n):.1f} times faster")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def copies(folder: Path, n: int) -> list[Path]:
    """``n`` copies of the correct submission in ``folder``."""
    text = correct_submission()
    folder.mkdir()
    paths = []
    for i in range(1, n + 1):
        path = folder / f"learner-{i:04d}.ipynb"
        path.write_text(text)
        paths.append(path)
    return paths


if __name__ == "__main__":
    sys.exit(main())
