"""The notebook's check and the grader give the same verdict on every answer of every graded exercise's
table of answers (tests/answers/, or the table a short exercise's declaration implies): each answer is
put in a submission notebook of its exercise's notebook, graded by the grader in its sandbox, and
checked in this process as a notebook's check cell does."""

import inspect
import itertools
import json
import linecache
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import grade_submissions as gs
import pytest
from check_harness import table

import checks

pytestmark = pytest.mark.slow  # runs the grader or whole notebooks: not in make test-fast

ROOT = Path(checks.__file__).resolve().parent.parent


def answer_source(exercise, answer) -> str:
    """The answer as a learner's notebook defines it: under the skeleton's name (in the skeleton's class)."""
    function = getattr(answer, "forward", answer)  # forward's answers are classes made by @model
    source = getattr(function, "__source__", None)  # an answer made from code (a short exercise's table)
    if source is None:
        source = re.sub(r"^@\w+\n", "", textwrap.dedent(inspect.getsource(function)))
    method = exercise.skeleton_path.split(".")[-1]
    source = re.sub(rf"^def {function.__name__}\(", f"def {method}(", source, flags=re.MULTILINE)
    return gs.model_class(source) if "." in exercise.skeleton_path else source


def imports_of(answer) -> str:
    module = inspect.getmodule(getattr(answer, "forward", answer))
    if module is None or not getattr(module, "__file__", None):
        return ""
    lines = inspect.getsource(module).splitlines()
    return "\n".join(line for line in lines if line.startswith(("import ", "from ")) and "checks" not in line)


def reference_source(exercise) -> str:
    if "." in exercise.skeleton_path:
        return gs.model_class(exercise.solution_code)
    return exercise.solution_code


def submissions() -> dict:
    """name -> (notebook, [(exercise, source)], imports): every answer of every table once, the answers
    of one notebook's exercises side by side (the reference's where one table is shorter)."""
    made = {}
    for notebook, exercises in checks.registry.graded_by_notebook().items():

        def every(exercise):
            t = table(exercise.name)
            return [
                (answer_source(exercise, a), imports_of(a)) for a in [*t.RIGHT, *(row[0] for row in t.WRONG), *t.TUNED]
            ]

        for number, answers in enumerate(itertools.zip_longest(*(every(ex) for ex in exercises))):
            sources = [(ex, answer[0] if answer else reference_source(ex)) for ex, answer in zip(exercises, answers)]
            imports = "\n".join(answer[1] for answer in answers if answer)
            made[f"{notebook}-{number:02d}"] = (notebook, sources, imports)
    return made


def notebook_cells(sources, imports: str) -> list:
    cells = [(gs.SETUP, []), (imports, [])]
    for exercise, source in sources:
        cells += [(source, []), (f"checks.{exercise.name}.check({exercise.answer_name})", ["check"])]
    return cells


def notebook_verdicts(sources, imports: str) -> dict:
    """What the check cells say when the cells run in a notebook's kernel."""
    namespace = {"__name__": "__main__"}
    for number, (source, _) in enumerate(c for c in notebook_cells(sources, imports) if "check(" not in c[0]):
        filename = f"<notebook cell {number}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
    return {ex.name: ex.evaluate(namespace[ex.answer_name]) for ex, _ in sources}


def comparable(text: str) -> str:
    # Values drawn without a seed (a Keras initializer) differ from run to run; the words may not.
    return re.sub(r"-?\d+\.\d+(e-?\d+)?", "<number>", text)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    import nbformat

    folder = tmp_path_factory.mktemp("agreement")
    made = submissions()
    for name, (_, sources, imports) in made.items():
        (folder / f"{name}.ipynb").write_text(nbformat.writes(gs.notebook(notebook_cells(sources, imports))))
    out = folder / "out"
    subprocess.run(
        [sys.executable, "-m", "grader", str(folder), "--out", str(out), "--quiet"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=1800,
    )
    results = json.loads((out / "results.json").read_text())["submissions"]
    return made, {Path(r["submission"]).stem: r for r in results}


@pytest.mark.parametrize("name", sorted(submissions()))
def test_the_grader_and_the_notebook_give_the_same_verdict(graded, name):
    made, results = graded
    notebook, sources, imports = made[name]
    assert results[name]["assignment"] == notebook  # recognised as its exercises' notebook
    tests = {t["name"]: t for t in results[name]["tests"]}
    for exercise, outcome in notebook_verdicts(sources, imports).items():
        test = tests[exercise]
        assert test["extra_data"]["result"] == outcome.status.value, (test["output"], outcome.message)
        assert test["extra_data"]["mistake"] == outcome.mistake, (test["output"], outcome.message)
        assert comparable(test["output"]) == comparable(f"{outcome.heading}. {outcome.message}")
