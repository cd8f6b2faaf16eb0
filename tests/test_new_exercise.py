"""An exercise in one short file: a copy of the repository gains a throwaway exercise of the short kind
(one module of under 40 lines), one cell in a solution notebook that answers it, and one command
(`make execute NB=<notebook>`, i.e. `python -m tools.generate --execute <notebook>`), and nothing else.
Then the whole fast suite passes there (`make test-fast`), and the grader grades it: every test, generated
file, stored output, docs table and count follows the registry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow(minutes=3)  # builds and runs a whole copy: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "03_embedding_lookup"

EXERCISE = '''\
"""Practice with rows: ``unit_rows(matrix)`` scales each row of a matrix to length 1."""
from checks.registry import register
from checks.short import ShortExercise


@register
class UnitRows(ShortExercise):
    name = "unit_rows"
    notebook = "03_embedding_lookup"
    order = 9
    skeleton = """\\
def unit_rows(matrix):
    # CODE HERE
    pass
"""
    hints = ("A row's length is the square root of the sum of its squares.",
             "NumPy computes the length of every row at once, along an axis.",
             "Divide the matrix by the lengths, kept as a column so that they broadcast.")
    solution_code = """\\
def unit_rows(matrix):
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
"""
    wrong_versions = {
        "divides-by-the-sum": ("divides each row by the sum of its values", """\\
def unit_rows(matrix):
    return matrix / matrix.sum(axis=1, keepdims=True)
"""),
        "scales-the-columns": ("scales each column, not each row, to length 1", """\\
def unit_rows(matrix):
    return matrix / np.linalg.norm(matrix, axis=0, keepdims=True)
""")}

    def draw_cases(self, rng):
        return [{"group": "matrices", "matrix": rng.normal(size=(int(rng.integers(2, 9)), 4)).astype("float32")}
                for _ in range(4)]
'''
ANSWER_CELL = """\
def unit_rows(matrix):
    ### BEGIN SOLUTION
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    ### END SOLUTION"""


def run(command: list[str], cwd: Path, timeout: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}  # the copy's checks, grader and tools, in the kernels too
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return completed


def changed(copy: Path) -> set[str]:
    status = run(["git", "status", "--porcelain", "--untracked-files=all"], copy, 60).stdout
    return {line[3:] for line in status.splitlines()}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A copy of the working tree as git has it, committed, then the two edits and the one command."""
    copy = tmp_path_factory.mktemp("course")
    files = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        if (ROOT / name).is_file() and not (ROOT / name).is_symlink():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    for command in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "the course"],
    ):
        run(command, copy, 120)
    (copy / "checks" / "exercises" / "unit_rows.py").write_text(EXERCISE)  # 1. the exercise's file
    path = copy / "solutions" / f"{NOTEBOOK}.ipynb"  # 2. one cell answering it
    nb = nbformat.read(path, as_version=4)
    summary = next(i for i, cell in enumerate(nb.cells) if cell.source.startswith("## Summary"))
    nb.cells.insert(summary, nbformat.v4.new_code_cell(ANSWER_CELL))
    nbformat.write(nb, path)
    run([sys.executable, "-m", "tools.generate", "--execute", NOTEBOOK], copy, 900)  # 3. one command
    return copy


def test_the_module_is_short_and_nothing_else_was_edited_by_hand(repo):
    assert len(EXERCISE.splitlines()) <= 40
    generated = {f"notebooks/{NOTEBOOK}.ipynb", "docs/otter_tests/unit_rows.py", "docs/instructors.md"}
    assert changed(repo) - generated == {"checks/exercises/unit_rows.py", f"solutions/{NOTEBOOK}.ipynb"}
    nb = nbformat.read(repo / "solutions" / f"{NOTEBOOK}.ipynb", as_version=4)
    sources = [cell.source for cell in nb.cells]
    answer = sources.index(ANSWER_CELL)
    assert sources[answer + 1] == "checks.unit_rows.check(unit_rows)"  # the check and hint cells: generated
    assert "Correct" in json.dumps(nb.cells[answer + 1].outputs)
    assert "| `03_embedding_lookup` | `unit_rows` | yes | 1 |" in (repo / "docs" / "instructors.md").read_text()


def test_the_whole_fast_suite_passes_in_the_copy(repo):
    completed = run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", "-m", "not slow", "tests"], repo, 2400
    )
    assert " passed" in completed.stdout.splitlines()[-1] and "unit_rows" not in completed.stdout  # none failed


def test_the_grader_grades_it_by_its_notebook(repo, tmp_path):
    learner = json.loads((repo / "notebooks" / f"{NOTEBOOK}.ipynb").read_text())
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    answers = {
        "right": "return matrix / np.sqrt((matrix ** 2).sum(axis=1))[:, None]",
        "by-the-sum": "return matrix / matrix.sum(axis=1, keepdims=True)",
        "skeleton": None,
    }
    for name, body in answers.items():
        nb = json.loads(json.dumps(learner))
        for cell in nb["cells"]:
            source = "".join(cell["source"])
            if body is not None and source.startswith("def unit_rows("):
                cell["source"] = f"def unit_rows(matrix):\n    {body}\n"
        (submissions / f"{name}.ipynb").write_text(json.dumps(nb))
    run([sys.executable, "-m", "grader", str(submissions), "--out", str(tmp_path / "out"), "--quiet"], repo, 900)
    rows = {r["submission"]: r for r in json.loads((tmp_path / "out" / "results.json").read_text())["submissions"]}
    result = {
        name: {t["name"]: t["extra_data"] for t in rows[f"{name}.ipynb"]["tests"]}["unit_rows"] for name in answers
    }
    assert all(rows[f"{name}.ipynb"]["assignment"] == NOTEBOOK for name in answers)
    assert result["right"]["result"] == "passed"
    assert result["by-the-sum"] == {"result": "incorrect", "mistake": "divides-by-the-sum"}
    assert result["skeleton"]["result"] == "not attempted"
