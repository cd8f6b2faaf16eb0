"""`make otter`: a folder per graded notebook holding what `otter generate` is handed, complete on its own.
tests/fresh_machine/test_otter.py builds and runs the autograders made from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import checks
from grader.course import classroom
from tools.release import learners

pytestmark = pytest.mark.slow  # builds the release or the otter folders, TensorFlow included: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("otter")
    built = subprocess.run(
        [sys.executable, "-m", "tools.release", "otter", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    return out


def locked() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith((" ", "#", "-")):
            found.setdefault(Requirement(line).name.lower(), []).append(line)
    return found


def test_a_folder_per_graded_notebook_with_its_own_tests_worth_their_points(folders):
    course = classroom.load().course()
    assert sorted(p.name for p in folders.iterdir()) == sorted(course.notebooks())
    for notebook in course.notebooks():
        tests = sorted(p.stem for p in (folders / notebook / "tests").glob("*.py"))
        assert tests == sorted(ex.name for ex in course.in_notebook(notebook))
        for exercise in course.in_notebook(notebook):
            assert (
                f"points = {exercise.points:g}\n" in (folders / notebook / "tests" / f"{exercise.name}.py").read_text()
            )


def test_the_requirements_stand_on_their_own_at_the_locks_versions(folders):
    lock = locked()
    for folder in folders.iterdir():
        lines = [
            line
            for line in (folder / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert lines and not any(line.lstrip().startswith("-") for line in lines)  # nothing points elsewhere
        names = set()
        for line in lines:
            requirement = Requirement(line)
            assert str(requirement.specifier).startswith("==")
            assert line in lock[requirement.name.lower()]  # the lock's own line, markers included
            names.add(requirement.name.lower())
        assert {"tensorflow-cpu", "numpy", "matplotlib", "ipywidgets"} <= names and "jupyterlab" not in names


def test_the_checks_are_the_learners_copy(folders):
    released = learners.checks_package(classroom.load().with_solutions_hidden())
    for folder in folders.iterdir():
        shipped = {
            p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / "checks").rglob("*") if p.is_file()
        }
        assert shipped == released
        for exercise in checks.EXERCISES.values():
            module = shipped[type(exercise).__module__.replace(".", "/") + ".py"].decode()
            assert "solution_code = None  # withheld" in module
