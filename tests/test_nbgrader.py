"""nbgrader's own generate_assignment and autograde on the course's "Time to code" notebook: 2/2 for a
solved copy, 0/2 for the unsolved one (slow-ish: about a minute, plus installing nbgrader once).

nbgrader is installed in a throwaway venv under build/ that sees the course venv's packages through a
.pth file, so only nbgrader and the few packages it adds are installed; the notebooks run in the
course's own kernel (TensorFlow, `checks`), found through JUPYTER_PATH.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from tools import notebooks

pytestmark = pytest.mark.slow  # runs the grader or whole notebooks: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
NBGRADER = "nbgrader==0.9.6"
VENV = ROOT / "build" / f"venv-{NBGRADER.replace('==', '-')}"
NOTEBOOK = "04_time_to_code.ipynb"
CONFIG = '''\
c = get_config()
c.CourseDirectory.course_id = "embedding-matrix"
# Keep the course's skeleton where nbgrader would write "# YOUR CODE HERE / raise NotImplementedError()".
c.ClearSolutions.code_stub = {"python": "# CODE HERE\\npass"}
'''


@pytest.fixture(scope="module")
def nbgrader_env() -> dict:
    if not (VENV / "bin" / "nbgrader").exists():
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        site = subprocess.run([VENV / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        Path(site, "course-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        installed = subprocess.run([VENV / "bin" / "pip", "install", "--quiet", NBGRADER], capture_output=True, text=True)
        if installed.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            pytest.skip(f"could not install {NBGRADER} from the package index: {installed.stderr.strip()[-300:]}")
    return dict(os.environ, PATH=f"{VENV / 'bin'}:{os.environ['PATH']}",  # nbgrader calls `alembic` by name
                JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))  # the course's kernel


def nbgrader(course: Path, env: dict, *args) -> None:
    done = subprocess.run(["nbgrader", *args], cwd=course, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def solved_learner_copy() -> dict:
    """The course's learner notebook with a learner's answers: the solution notebook's code in its cells."""
    learner = json.loads((ROOT / "notebooks" / NOTEBOOK).read_text())
    solution = json.loads((ROOT / "solutions" / NOTEBOOK).read_text())
    notebooks.with_answers(learner, solution)
    return learner


def test_generate_assignment_and_autograde_give_full_and_zero_marks(tmp_path, nbgrader_env):
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / NOTEBOOK, course / "source" / "ps1")
    (course / "nbgrader_config.py").write_text(CONFIG)
    nbgrader(course, nbgrader_env, "generate_assignment", "ps1")

    released = json.loads((course / "release" / "ps1" / NOTEBOOK).read_text())
    ours = notebooks.learner_version(nbformat.read(ROOT / "solutions" / NOTEBOOK, as_version=4))
    # nbgrader's release copy has exactly the course's learner code, skeleton included (the course's
    # own copy adds only the launch links and the cell that fetches the course outside it).
    assert ["".join(c["source"]) for c in released["cells"]] == ["".join(c["source"]) for c in ours["cells"]]

    for student, notebook in (("solved", solved_learner_copy()), ("unsolved", released)):
        (course / "submitted" / student / "ps1").mkdir(parents=True)
        (course / "submitted" / student / "ps1" / NOTEBOOK).write_text(json.dumps(notebook))
    nbgrader(course, nbgrader_env, "autograde", "ps1", "--create")
    nbgrader(course, nbgrader_env, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="") as handle:
        scores = {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(handle)}
    assert scores == {"solved": (2.0, 2.0), "unsolved": (0.0, 2.0)}


# -- otter-grader: the test files docs/otter.md gives, run as otter runs them, with plain Python ----------
OTTER_TESTS = ROOT / "docs" / "otter_tests"


@pytest.fixture
def registry():
    import checks

    return checks


def notebook_globals(folder: str) -> dict:
    """What the kernels of the notebooks with graded exercises hold once their setup and exercise cells
    have run (each exercise's answer under its own name)."""
    import checks

    namespace: dict = {}
    for name in sorted({exercise.notebook for exercise in checks.ASSIGNMENT}):
        for cell in json.loads((ROOT / folder / f"{name}.ipynb").read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and ("prepare(" in source or cell["metadata"].get("nbgrader", {}).get("solution")):
                exec(compile(source, f"{name}.ipynb", "exec"), namespace)
    return namespace


def test_otter_test_files_pass_the_solution_and_fail_the_placeholder(registry):
    import inspect
    import runpy

    assert sorted(p.stem for p in OTTER_TESTS.glob("*.py")) == sorted(ex.name for ex in registry.ASSIGNMENT)
    solved, unsolved = notebook_globals("solutions"), notebook_globals("notebooks")
    for path in sorted(OTTER_TESTS.glob("*.py")):
        test_file = runpy.run_path(str(path))
        assert test_file["OK_FORMAT"] is False and test_file["points"] == registry.EXERCISES[path.stem].points
        test = test_file[f"test_{path.stem}"]
        arguments = list(inspect.signature(test).parameters)  # otter fills them from the notebook by name
        test(*[solved[a] for a in arguments])
        with pytest.raises(AssertionError, match="Not attempted"):
            test(*[unsolved[a] for a in arguments])
