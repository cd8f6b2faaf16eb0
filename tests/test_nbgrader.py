"""nbgrader's own generate_assignment and autograde on every graded notebook of the course (one
assignment holding them all): full marks for solved copies, none for the release's copies; and the
hidden cases, which reach autograde only through the instructor's secret in its environment.

nbgrader is installed in a throwaway venv under build/ that sees the course venv's packages through a
.pth file, so only nbgrader and the few packages it adds are installed; the notebooks run in the
course's own kernel (TensorFlow, `checks` with the solutions), found through JUPYTER_PATH.
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

import grade_submissions as gs
import nbformat
import pytest
from test_hidden_cases import TUNED_GET_INITIALIZER, TUNED_MODEL

import checks
from tools import notebooks

pytestmark = pytest.mark.slow(minutes=2)  # runs whole notebooks under nbgrader: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
NBGRADER = "nbgrader==0.9.6"
VENV = ROOT / "build" / f"venv-{NBGRADER.replace('==', '-')}"
GRADED = list(dict.fromkeys(ex.notebook for ex in checks.ASSIGNMENT))  # every notebook with graded exercises
SECRET = "nbgrader's autograde, autumn term"
CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "embedding-matrix"
# Keep the course's skeleton where nbgrader would write "# YOUR CODE HERE / raise NotImplementedError()".
c.ClearSolutions.code_stub = {"python": "# CODE HERE\\npass"}
"""


@pytest.fixture(scope="module")
def nbgrader_env() -> dict:
    if not (VENV / "bin" / "nbgrader").exists():
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        site = subprocess.run(
            [VENV / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        Path(site, "course-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        installed = subprocess.run(
            [VENV / "bin" / "pip", "install", "--quiet", NBGRADER], capture_output=True, text=True
        )
        if installed.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            pytest.skip(f"could not install {NBGRADER} from the package index: {installed.stderr.strip()[-300:]}")
    env = {k: v for k, v in os.environ.items() if k != checks.environment.SECRET_VARIABLE}
    return dict(
        env,
        PATH=f"{VENV / 'bin'}:{os.environ['PATH']}",  # nbgrader calls `alembic` by name
        JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"),
    )  # the course's kernel


def nbgrader(course: Path, env: dict, *args) -> None:
    done = subprocess.run(["nbgrader", *args], cwd=course, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def scores(course: Path, env: dict) -> dict:
    nbgrader(course, env, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="") as handle:
        return {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(handle)}


def submit(course: Path, student: str, copies: dict) -> None:
    folder = course / "submitted" / student / "ps1"
    folder.mkdir(parents=True)
    for name, notebook in copies.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(notebook))


def test_generate_assignment_and_autograde_give_full_and_zero_marks_and_the_secret_adds_hidden_cases(
    tmp_path, nbgrader_env
):
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    for name in GRADED:
        shutil.copy(ROOT / "solutions" / f"{name}.ipynb", course / "source" / "ps1")
    (course / "nbgrader_config.py").write_text(CONFIG)
    nbgrader(course, nbgrader_env, "generate_assignment", "ps1")

    released = {}
    for name in GRADED:
        released[name] = json.loads((course / "release" / "ps1" / f"{name}.ipynb").read_text())
        ours = notebooks.learner_version(nbformat.read(ROOT / "solutions" / f"{name}.ipynb", as_version=4))
        # nbgrader's release copy has exactly the course's learner code, skeleton included (the course's
        # own copy adds only the launch links and the cell that fetches the course outside it).
        assert ["".join(c["source"]) for c in released[name]["cells"]] == ["".join(c["source"]) for c in ours["cells"]]
    points = {ex.notebook: 0.0 for ex in checks.ASSIGNMENT}
    for ex in checks.ASSIGNMENT:
        points[ex.notebook] += float(ex.points)
    total = sum(points.values())

    # An answer tuned to the public cases: notebook 4's two exercises right on the inputs a learner sees only.
    tuned = gs.solved_learner_copy(
        checks.forward.notebook, replace={"get_initializer": TUNED_GET_INITIALIZER, "forward": TUNED_MODEL}
    )
    submit(course, "solved", {name: gs.solved_learner_copy(name) for name in GRADED})
    submit(course, "unsolved", released)
    submit(course, "tuned", {checks.forward.notebook: tuned})
    nbgrader(course, nbgrader_env, "autograde", "ps1", "--create")
    assert scores(course, nbgrader_env) == {
        "solved": (total, total),
        "unsolved": (0.0, total),
        "tuned": (points[checks.forward.notebook], total),
    }

    # The instructor's secret in autograde's environment: the check cells also run the hidden cases it draws.
    with_secret = dict(nbgrader_env, **{checks.environment.SECRET_VARIABLE: SECRET})
    nbgrader(course, with_secret, "autograde", "ps1", "--force", "--student", "tuned")
    assert scores(course, nbgrader_env)["tuned"] == (0.0, total)
    feedback = json.loads((course / "autograded" / "tuned" / "ps1" / f"{checks.forward.notebook}.ipynb").read_text())
    shown = "".join(str(output) for cell in feedback["cells"] for output in cell.get("outputs", []))
    assert "On a hidden test case" in shown


# -- otter-grader: the test files docs/otter.md gives, run as otter runs them, with plain Python ----------
OTTER_TESTS = ROOT / "docs" / "otter_tests"


def notebook_globals(folder: str, name: str) -> dict:
    """What a notebook's kernel holds once its setup and exercise cells have run."""
    namespace: dict = {}
    for cell in json.loads((ROOT / folder / f"{name}.ipynb").read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and (
            "prepare(" in source or cell["metadata"].get("nbgrader", {}).get("solution")
        ):
            exec(compile(source, f"{name}.ipynb", "exec"), namespace)
    return namespace


def test_otter_test_files_pass_the_solution_and_fail_the_placeholder():
    import inspect
    import runpy

    assert sorted(p.stem for p in OTTER_TESTS.glob("*.py")) == sorted(ex.name for ex in checks.ASSIGNMENT)
    for name in GRADED:
        solved, unsolved = notebook_globals("solutions", name), notebook_globals("notebooks", name)
        for exercise in [ex for ex in checks.ASSIGNMENT if ex.notebook == name]:
            test_file = runpy.run_path(str(OTTER_TESTS / f"{exercise.name}.py"))
            assert test_file["OK_FORMAT"] is False and test_file["points"] == exercise.points
            test = test_file[f"test_{exercise.name}"]
            arguments = list(inspect.signature(test).parameters)  # otter fills them from the notebook by name
            test(*[solved[a] for a in arguments])
            with pytest.raises(AssertionError, match="Not attempted"):
                test(*[unsolved[a] for a in arguments])


# -- variants: each learner their own task, the student's folder deciding which ----------------------------
VARIANTS_ON = '[variants]\nenabled = true\nsalt = "nbgrader term"\n'


def test_autograde_checks_each_student_s_own_variant_by_their_folder_and_names_a_neighbour_s(tmp_path, nbgrader_env):
    from checks.allocation import from_table
    from checks.variation import families

    copy = tmp_path / "instructors-course"  # the instructor's copy of the course, variants on in its classroom.toml
    shutil.copytree(ROOT / "checks", copy / "checks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements.txt", copy / "requirements.txt")
    (copy / "classroom.toml").write_text(VARIANTS_ON)
    room = from_table({"enabled": True, "salt": "nbgrader term"}, families())
    students = [f"s{number:04d}" for number in range(200)]
    alice = next(s for s in students if room.variant_of(s, "count_words") != "occurrences")
    taken = ("occurrences", room.variant_of(alice, "count_words"))
    bob = next(s for s in students if room.variant_of(s, "count_words") not in taken)
    own = checks.registry.VARIANTS["count_words"][room.variant_of(alice, "count_words")]
    notebook = checks.count_words.notebook
    course = tmp_path / "nbgrader"
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / f"{notebook}.ipynb", course / "source" / "ps1")
    (course / "nbgrader_config.py").write_text(CONFIG)
    env = dict(nbgrader_env, PYTHONPATH=str(copy))
    nbgrader(course, env, "generate_assignment", "ps1")
    solved = gs.solved_learner_copy(notebook, replace={"count_words": own.solution_code})
    submit(course, alice, {notebook: solved})
    submit(course, bob, {notebook: solved})  # alice's notebook, handed in by bob
    nbgrader(course, env, "autograde", "ps1", "--create")
    got = scores(course, env)
    assert got[alice][0] == got[alice][1] == float(checks.count_words.points)
    assert got[bob][0] == 0.0
    feedback = json.loads((course / "autograded" / bob / "ps1" / f"{notebook}.ipynb").read_text())
    shown = "".join(str(output) for cell in feedback["cells"] for output in cell.get("outputs", []))
    assert f'the task "{own.variant}"' in shown.replace('\\"', '"')
    assert f'your task is "{room.variant_of(bob, "count_words")}"' in shown.replace('\\"', '"')
