"""What the reference solutions give on the cases, worked out before any submission runs.

Exercises of the short kind are judged against a reference solution: the grader needs its results
(and its named wrong versions') on every case, public and hidden. They are worked out in a process
of their own that runs the course's code alone (``python -m checks.expected``), outside every
sandbox, so no submission ever shares a process with a solution or sees a hidden case's expected
result; the grader's own process never imports TensorFlow. Where the grader's copy of the course has
no solutions (a Gradescope autograder), that process reads the results its builder recorded.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path


class ReferenceUnavailable(RuntimeError):
    """The reference results could not be worked out; the message says why."""


def expected_results(course, cases: dict) -> dict:
    """Variant id -> what its reference gives on each of its ``cases`` (for the exercises judged against
    one, each variant the course observes; the others need nothing)."""
    wanted = {task.variant_id: cases[task.variant_id] for task in course.tasks() if task.judged_against_reference}
    if not wanted:
        return {}
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "checks.expected"], input=pickle.dumps(wanted), capture_output=True, env=env, cwd=root
    )
    if completed.returncode != 0:
        lines = completed.stderr.decode(errors="replace").strip().splitlines()
        raise ReferenceUnavailable(
            "the reference solutions' results could not be worked out: "
            + (lines[-1] if lines else f"exit code {completed.returncode}")
        )
    return pickle.loads(completed.stdout)
