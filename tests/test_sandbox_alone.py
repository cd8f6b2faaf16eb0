"""The sandbox knows nothing of the course: handed a Workload that names a throwaway exercise (a plain
class with ``observe_all``, in a module of its own) and two hooks, with a copy of grader/sandbox/ and
nothing else of the course on its path, it runs a notebook's cells and observes the answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.sandbox.isolation import bubblewrap
from grader.sandbox.pool import Limits, Pool
from grader.sandbox.runs import Run
from grader.sandbox.workload import Task, Workload

pytestmark = pytest.mark.slow  # starts a sandbox: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent

TOY = '''\
"""A throwaway exercise for the sandbox alone: ``double(x)`` returns twice ``x``."""
import contextlib
import sys


class Double:
    def observe_all(self, answer, cases):
        return {"observations": [{"returned": answer(case["x"])} for case in cases],
                "course_imported": sorted(m for m in sys.modules if m.split(".")[0] == "checks")}


def quiet():
    return contextlib.nullcontext()


def describe(exc):
    return f"{type(exc).__name__}: {exc}"
'''


@pytest.mark.skipif(bubblewrap.unavailable() is not None, reason="bubblewrap cannot run here")
def test_a_throwaway_exercise_is_observed_with_no_course_on_the_path(tmp_path):
    code = tmp_path / "code"
    shutil.copytree(
        ROOT / "grader" / "sandbox", code / "grader" / "sandbox", ignore=shutil.ignore_patterns("__pycache__")
    )
    (code / "grader" / "__init__.py").write_text("")
    (code / "grader" / "results.py").write_text("")  # nothing of the grader's vocabulary either
    (code / "toy.py").write_text(TOY)
    workload = Workload(
        (Task("double", "toy:Double", "double"),),
        str(code),
        own_packages=("toy",),
        silence="toy:quiet",
        describe_exception="toy:describe",
    )
    runs = [
        Run("right", cells=[(1, "def double(x):\n    return 2 * x")], first_lines={}, tasks=("double",)),
        Run(
            "raises",
            cells=[(1, "import checks"), (2, "def double(x):\n    return x * 2")],
            first_lines={},
            tasks=("double",),
        ),
    ]
    cases = {"double": [{"x": 3}, {"x": -4}]}
    finished = {}
    pool = Pool(tmp_path / "work", workload, cases, Limits(timeout=60), jobs=1)
    (tmp_path / "work").mkdir()
    try:
        pool.run_all(runs, lambda run: finished.setdefault(run.name, run))
    finally:
        pool.close()
    report = finished["right"].exercises["double"].report
    assert report["observations"] == [{"returned": 6}, {"returned": -8}] and report["course_imported"] == []
    assert finished["raises"].cell_errors and "ModuleNotFoundError" in finished["raises"].cell_errors[0]["error"]
