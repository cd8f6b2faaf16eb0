"""The GitHub Classroom workflow: generated from the registry, and each step's command gives the exit code
the autograding step needs on a correct and a wrong notebook."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import checks
from tools import classroom_workflow, notebooks

pytestmark = pytest.mark.slow  # runs the grader or whole notebooks: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent


def steps() -> list[dict]:
    return yaml.safe_load(classroom_workflow.WORKFLOW.read_text())["jobs"]["run-autograding-tests"]["steps"]


def test_one_step_per_graded_exercise_with_its_points_and_the_reporter_reads_them_all():
    graders = [s for s in steps() if "autograding-command-grader" in s.get("uses", "")]
    assert [s["with"]["test-name"] for s in graders] == [ex.name for ex in checks.ASSIGNMENT]
    assert [float(s["with"]["max-score"]) for s in graders] == [float(ex.points) for ex in checks.ASSIGNMENT]
    for step, exercise in zip(graders, checks.ASSIGNMENT):
        assert step["with"]["command"].endswith(f"--require {exercise.name}")
    reporter = steps()[-1]
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in graders]
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in graders}
    # The course's own repository (it has solutions/) is never graded; learners' repositories are.
    assert all(s["if"] == "hashFiles('solutions/*.ipynb') == ''" for s in steps()[1:])


def _notebook(name: str, solved: set) -> dict:
    """Notebook ``name``'s learner copy with the named exercises' cells taken from its solution notebook."""
    learner = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
    solution = json.loads((ROOT / "solutions" / f"{name}.ipynb").read_text())
    solution["cells"] = [c for c in solution["cells"] if any(f"def {name}(" in "".join(c["source"]) for name in solved)]
    notebooks.with_answers(learner, solution)
    return learner


# Each exercise solved in one notebook and left as the placeholder in the other: every step meets a correct
# and a wrong answer, and shows that one exercise's result never decides another's step.
@pytest.mark.parametrize("solved", [{ex.name} for ex in checks.ASSIGNMENT],
                         ids=[f"{ex.name}-solved" for ex in checks.ASSIGNMENT])
def test_each_step_exits_zero_exactly_when_its_exercise_passes(tmp_path, solved):
    (tmp_path / "notebooks").mkdir()
    for name in {exercise.notebook for exercise in checks.ASSIGNMENT}:  # every notebook a step grades
        (tmp_path / "notebooks" / f"{name}.ipynb").write_text(json.dumps(_notebook(name, solved)))
    env = dict(os.environ, PYTHONPATH=str(ROOT), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    for step in steps():
        if "autograding-command-grader" not in step.get("uses", ""):
            continue
        command = step["with"]["command"].replace("/tmp/grades", str(tmp_path / "grades"))
        done = subprocess.run(shlex.split(command), cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=600)
        expected = 0 if step["with"]["test-name"] in solved else 1
        assert (done.returncode == 0) == (expected == 0), (step["name"], done.returncode, done.stderr[-2000:])
