"""The registry: every exercise declared in its own module, found by ``import checks``."""

import importlib
import json
import os
import subprocess
import sys

import pytest
from check_harness import THROWAWAY_EXERCISE, course_with

import checks
from checks import registry

REQUIRED = ("name", "notebook", "points", "graded", "skeleton", "skeleton_path", "hints", "solution_code")


def test_the_assignment_is_the_graded_exercises_in_notebook_order():
    graded = [ex for ex in checks.EXERCISES.values() if ex.graded]
    assert list(checks.ASSIGNMENT) == sorted(graded, key=lambda ex: (ex.notebook, ex.order)) != []
    assert len(checks.ASSIGNMENT) < len(checks.EXERCISES)  # notebook 1's practice exercise is not graded
    assert all(checks.EXERCISES[name] is ex is getattr(checks, name) for name, ex in checks.EXERCISES.items())


@pytest.mark.parametrize("exercise", checks.EXERCISES.values(), ids=lambda ex: ex.name)
def test_each_exercise_declares_what_the_rest_derives(exercise):
    for attribute in REQUIRED:
        assert getattr(exercise, attribute) is not None, attribute
    assert isinstance(exercise.points, float) and exercise.points > 0
    assert all(importlib.import_module(module) for module in exercise.tf_modules)
    assert len(exercise.hints) >= 3 and all(isinstance(hint, str) and hint for hint in exercise.hints)
    assert exercise.cases() and all(isinstance(c["group"], str) for c in exercise.cases())


def test_two_exercises_of_one_name_are_refused(monkeypatch):
    monkeypatch.setattr(registry, "EXERCISES", dict(registry.EXERCISES))

    class Other(type(checks.forward)):
        pass

    with pytest.raises(ValueError, match="two exercises are named 'forward'"):
        registry.register(Other)


def test_two_exercises_in_one_place_of_a_notebook_are_refused_naming_both(monkeypatch):
    monkeypatch.setattr(registry, "EXERCISES", dict(registry.EXERCISES))
    monkeypatch.setattr(registry, "VARIANTS", dict(registry.VARIANTS))
    taken = checks.forward

    class SamePlace(type(checks.count_words)):
        name = "same_place"
        notebook = taken.notebook
        order = taken.order

    message = rf"'same_place' \({__name__}\) and 'forward' \(checks\.exercises\.forward\) both have order 2 in "
    with pytest.raises(ValueError, match=message + taken.notebook):
        registry.register(SamePlace)
    SamePlace.order = max(ex.order for ex in checks.EXERCISES.values() if ex.notebook == taken.notebook) + 1
    registry.register(SamePlace)  # its own place: welcome, after the others
    in_order = [ex.name for ex in registry.in_course_order(registry.EXERCISES.values())]
    assert in_order.index("same_place") == in_order.index("forward") + 1


def test_the_variants_of_an_exercise_share_its_place():
    for name in checks.EXERCISES:
        places = {(ex.notebook, ex.order) for ex in registry.variants(name)}
        assert places == {(checks.EXERCISES[name].notebook, checks.EXERCISES[name].order)}, name
    assert any(len(registry.variants(name)) > 1 for name in checks.EXERCISES)


def test_a_new_exercise_needs_only_its_module(tmp_path):
    # A copy of the package with one more module in checks/exercises/, and nothing else changed.
    course = course_with(tmp_path, "double", THROWAWAY_EXERCISE)
    script = """if True:
        import json, checks
        def double(x):
            return 2 * x
        def triple(x):
            return 3 * x
        def add_two(x):
            return 2 + x
        ex = checks.double
        cases = ex.cases("secret")
        print(json.dumps({
            "assignment": [e.name for e in checks.ASSIGNMENT], "same": checks.EXERCISES["double"] is ex,
            "right": ex.evaluate(double).status.value, "wrong": ex.evaluate(triple).message,
            "named": ex.evaluate(add_two).mistake,
            "hidden": ex.grade(ex.observe_all(double, cases), cases).score, "points": ex.points}))
    """
    env = dict(os.environ, PYTHONPATH=str(course))
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    result = json.loads(out.splitlines()[-1])
    assert result["assignment"] == [ex.name for ex in checks.ASSIGNMENT] + ["double"] and result["same"]
    assert result["right"] == "passed" and result["named"] == "adds-two"
    assert (
        result["wrong"].startswith("For x=") and "double returned" in result["wrong"] and "expected" in result["wrong"]
    )
    assert result["hidden"] == result["points"] == 2.0


def test_importing_checks_loads_no_grader():
    script = "import sys, checks; print([m for m in sys.modules if m.startswith('grader')])"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_the_grader_grades_a_new_exercise_as_its_check_does(tmp_path):
    import nbformat

    course = course_with(tmp_path, "double", THROWAWAY_EXERCISE)
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    for name, body in [("right", "return 2 * x"), ("wrong", "return 3 * x")]:
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell("import checks"),
            nbformat.v4.new_code_cell(f"def double(x):\n    {body}"),
            nbformat.v4.new_code_cell("checks.double.check(double)", metadata={"tags": ["check"]}),
        ]
        nbformat.write(nb, submissions / f"{name}.ipynb")
    env = dict(os.environ, PYTHONPATH=str(course))
    subprocess.run(
        [sys.executable, "-m", "grader", str(submissions), "--out", str(tmp_path / "out"), "--quiet"],
        env=env,
        cwd=course,
        check=True,
        capture_output=True,
        timeout=600,
    )
    results = json.loads((tmp_path / "out" / "results.json").read_text())["submissions"]
    double = {r["submission"].split(".")[0]: next(t for t in r["tests"] if t["name"] == "double") for r in results}
    assert double["right"]["extra_data"]["result"] == "passed" and double["right"]["score"] > 0
    assert double["wrong"]["extra_data"]["result"] == "incorrect" and double["wrong"]["score"] == 0
    assert double["wrong"]["extra_data"]["mistake"] == "wrong-values" and "double returned" in double["wrong"]["output"]
