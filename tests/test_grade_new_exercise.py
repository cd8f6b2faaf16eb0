"""A third graded exercise takes three files: its module in checks/exercises/, its cells in the solution
notebook, and its table of right and wrong answers. This test adds a throwaway one, ``add_one``, to a
copy of the repository and runs it through the notebook's check cell and through the grader, with no
other edit anywhere."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import checks
import grade_submissions as gs

ROOT = Path(__file__).resolve().parent.parent

EXERCISE = '''\
"""Throwaway exercise: ``add_one(x)`` returns x + 1."""
from __future__ import annotations

from checks.exercise import Exercise
from checks.outcome import Mistake
from checks.registry import register


@register
class AddOne(Exercise):
    name = "add_one"
    notebook = "04_time_to_code"
    order = 3
    tf_modules = ("tensorflow",)
    skeleton_path = "add_one"
    skeleton = """\\
def add_one(x):
    # CODE HERE
    pass
"""
    expects = "your add_one function"
    hint_text = "Return `x + 1`."
    solution_code = """\\
def add_one(x):
    return x + 1
"""

    def public_cases(self):
        return [{"group": "integers", "x": 1}, {"group": "integers", "x": -7}]

    def draw_cases(self, rng):
        return [{"group": "integers", "x": int(v)} for v in rng.integers(-1000, 1000, 3)]

    def describe(self, case):
        return f"x={case['x']}"

    def answer_problem(self, answer):
        return None if callable(answer) else "check() needs your add_one function itself."

    def observe(self, answer, case, facts):
        returned = answer(case["x"])
        facts["returned"] = returned if isinstance(returned, int) else repr(type(returned).__name__)

    def judge(self, case, observation):
        if observation["returned"] != case["x"] + 1:
            return Mistake("not-plus-one", f"{self.where(case)}, add_one returned {observation['returned']!r}; "
                                           "it must return x + 1.")
        return None
'''

# The table of right and wrong answers: (definition, result, words the feedback must contain)
ANSWERS = {
    "right": ("def add_one(x):\n    return x + 1\n", "passed", "Correct."),
    "off-by-two": ("def add_one(x):\n    return x + 2\n", "incorrect", "it must return x + 1"),
    "skeleton": ("def add_one(x):\n    # CODE HERE\n    pass\n", "not attempted", "Not attempted"),
}


def tracked_copy(destination: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    copy = tracked_copy(tmp_path_factory.mktemp("repo"))
    (copy / "checks" / "exercises" / "add_one.py").write_text(EXERCISE)  # file 1
    notebook = copy / "solutions" / "04_time_to_code.ipynb"                # file 2: its cells
    nb = nbformat.read(notebook, as_version=4)
    nb.cells += [nbformat.v4.new_code_cell(ANSWERS["right"][0]),
                 nbformat.v4.new_code_cell("checks.add_one.check(add_one)")]
    nbformat.write(nb, notebook)
    return copy


def test_the_notebook_check_passes_the_solution(repo, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("PYTHONPATH", str(repo))  # the kernel imports the copy's checks, not this checkout's
    nb = nbformat.read(repo / "solutions" / "04_time_to_code.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="embedding-matrix", timeout=300,
                   resources={"metadata": {"path": str(repo / "solutions")}}).execute()
    last = nb.cells[-1]
    text = json.dumps(last.outputs)
    assert "add_one" in text and "Correct" in text and not any(o.output_type == "error" for o in last.outputs)


def test_the_grader_grades_it_from_the_registry(repo, tmp_path):
    submissions = tmp_path / "subs"
    submissions.mkdir()
    for name, (code, _, _) in ANSWERS.items():
        nb = gs.notebook(gs.cells(after=(code, "checks.add_one.check(add_one)")))
        (submissions / f"{name}.ipynb").write_text(nbformat.writes(nb))
    completed = subprocess.run([sys.executable, "-m", "grader", str(submissions), "--out", str(tmp_path / "out")],
                               cwd=repo, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "add_one" in completed.stdout
    rows = {r["submission"]: r for r in json.loads((tmp_path / "out" / "results.json").read_text())["submissions"]}
    course = [ex.name for ex in checks.ASSIGNMENT]  # the course's own exercises, then the new one
    for name, (_, result, words) in ANSWERS.items():
        tests = {t["name"]: t for t in rows[f"{name}.ipynb"]["tests"]}
        assert list(tests) == [*course, "add_one"]
        assert tests["add_one"]["extra_data"]["result"] == result and words in tests["add_one"]["output"]
        assert all(tests[n]["score"] == tests[n]["max_score"] for n in course)  # the solution's answers
        assert rows[f"{name}.ipynb"]["max_score"] == sum(ex.points for ex in checks.ASSIGNMENT) + 1.0
    header = (tmp_path / "out" / "grades.csv").read_text().splitlines()[0]
    assert header.startswith(",".join(["submission", *course, "add_one", "total"]))
