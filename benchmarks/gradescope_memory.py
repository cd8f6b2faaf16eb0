"""The Gradescope autograder's peak memory grading one submission (``make bench-memory``).

    python benchmarks/gradescope_memory.py [--python PATH] [--submission correct|allocating] [--interval 0.02]

Builds the autograder zip (with a secret, so hidden cases are graded too), unpacks it into a
temporary folder laid out like /autograder, puts one submission in it (the solution notebook, or the
same with a cell that allocates 200 MB as a greedy learner's would), runs ``run_autograder`` and
samples, every ``--interval`` seconds, every process descended from it (the grader, bubblewrap, the
fork server, the sandboxed child). It prints the peak of the summed PSS (each shared page counted
once, split among the processes sharing it: what the container's memory limit really sees, page
cache aside) and of the summed RSS (shared pages counted in every process: an upper bound), with the
processes at the PSS peak. Gradescope's default container has 768 MB.

``--python`` is the interpreter run_autograder uses: by default this venv's, which also has
JupyterLab, matplotlib and ipywidgets (the fork server pre-imports the last two when present); give
the venv setup.sh made (``/autograder/venv/bin/python``, or one made with AUTOGRADER_ROOT) to measure
what Gradescope runs. Nothing is asserted: it is a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from grader.course import classroom  # noqa: E402
from tools.release import gradescope  # noqa: E402

SUBMISSION = ROOT / "solutions" / "04_time_to_code.ipynb"
LIMIT_MB = 768
ALLOCATE = "import numpy as np\nballast = np.ones(200 * 2**20 // 8)  # 200 MB a learner's cell holds on to"


def submission(kind: str) -> str:
    nb = nbformat.read(SUBMISSION, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    if kind == "allocating":
        nb.cells.insert(2, nbformat.v4.new_code_cell(ALLOCATE))
    return nbformat.writes(nb)


def children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            found.setdefault(parent, []).append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    tree, found, stack = children(), [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack += tree.get(current, [])
    return found


def memory_kb(pid: int) -> tuple[int, int, str] | None:
    """(PSS, RSS, command) of one process, in kB, or None once it is gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    values = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.endswith("kB")}
    return values.get("Pss", 0), values.get("Rss", 0), command.strip()[:90]


class Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval, self.done = pid, interval, threading.Event()
        self.peak_pss, self.peak_rss, self.at_peak, self.samples = 0, 0, [], 0

    def run(self) -> None:
        while not self.done.is_set():
            rows = [row for row in (memory_kb(p) for p in descendants(self.pid)) if row]
            pss, rss = sum(r[0] for r in rows), sum(r[1] for r in rows)
            self.samples += 1
            if pss > self.peak_pss:
                self.peak_pss, self.at_peak = pss, rows
            self.peak_rss = max(self.peak_rss, rss)
            time.sleep(self.interval)


def autograder_root(folder: Path, kind: str) -> Path:
    root = folder / "autograder"
    (archive,) = gradescope.build(folder / "zips", classroom.load(), "benchmark secret", ["04_time_to_code"])
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(root / "source")
    (root / "source" / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    (root / "submission" / SUBMISSION.name).write_text(submission(kind))
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=sys.executable, help="the Python run_autograder uses")
    parser.add_argument("--submission", choices=["correct", "allocating"], default="correct")
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between samples")
    args = parser.parse_args(argv)
    # Not under /tmp: the sandbox mounts its own empty /tmp over it, hiding whatever lives there.
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gradescope-memory-", dir=ROOT / "build") as folder:
        root = autograder_root(Path(folder), args.submission)
        env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=os.path.abspath(args.python))
        started = time.monotonic()
        process = subprocess.Popen(
            [str(root / "source" / "run_autograder")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        sampler = Sampler(process.pid, args.interval)
        sampler.start()
        output, _ = process.communicate()
        sampler.done.set()
        sampler.join()
        seconds = time.monotonic() - started
        results = json.loads((root / "results" / "results.json").read_text())
    print(f"Python: {args.python}; submission: {args.submission}; {sampler.samples} samples in {seconds:.1f} s")
    print(
        f"score {results.get('score')} of {sum(t.get('max_score', 0) for t in results.get('tests', []))}"
        + ("" if process.returncode == 0 else f"; run_autograder exited {process.returncode}:\n{output[-2000:]}")
    )
    print(
        f"peak PSS, summed over the processes: {sampler.peak_pss / 1024:.0f} MB "
        f"({sampler.peak_pss / 1024 / LIMIT_MB:.0%} of Gradescope's default {LIMIT_MB} MB)"
    )
    print(f"peak RSS, summed (shared pages counted in each process): {sampler.peak_rss / 1024:.0f} MB")
    print("at the PSS peak:")
    for pss, rss, command in sorted(sampler.at_peak, reverse=True):
        print(f"  PSS {pss / 1024:6.0f} MB  RSS {rss / 1024:6.0f} MB  {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
