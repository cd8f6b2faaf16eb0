"""The notebook's check and the grader give the same verdict on every answer of the tables of answers
(tests/answers/): each answer is put in a submission notebook, graded by the grader in its sandbox, and
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

import pytest

import checks
import grade_submissions as gs
from check_harness import table

pytestmark = pytest.mark.slow  # runs the grader or whole notebooks: not in make test-fast

ROOT = Path(checks.__file__).resolve().parent.parent


def answer_source(exercise, answer) -> str:
    """The answer as a learner's notebook defines it: under the skeleton's name, in the skeleton's class."""
    function = getattr(answer, "forward", answer)  # forward's answers are classes made by @model
    source = re.sub(r"^@\w+\n", "", textwrap.dedent(inspect.getsource(function)))
    method = exercise.skeleton_path.split(".")[-1]
    source = re.sub(rf"^def {function.__name__}\(", f"def {method}(", source)
    return gs.model_class(source) if "." in exercise.skeleton_path else source


def imports_of(answer) -> str:
    lines = inspect.getsource(inspect.getmodule(getattr(answer, "forward", answer))).splitlines()
    return "\n".join(line for line in lines if line.startswith(("import ", "from ")) and "checks" not in line)


def submissions() -> dict:
    """name -> (get_initializer source, EmbeddingModel source), every answer of both tables once."""
    def every(name):
        t = table(name)
        ex = checks.EXERCISES[name]
        return [(answer, answer_source(ex, answer), imports_of(answer))
                for answer in [*t.RIGHT, *(row[0] for row in t.WRONG), *t.TUNED]]

    pairs = itertools.zip_longest(every("get_initializer"), every("forward"), fillvalue=None)
    made = {}
    for number, (first, second) in enumerate(pairs):
        first = first or (None, gs.GET_INITIALIZER_SOLUTION, "")
        second = second or (None, gs.SOLVED_CLASS, "")
        made[f"answers-{number:02d}"] = (first[1], second[1], first[2] + "\n" + second[2])
    return made


def notebook_verdicts(get_initializer: str, embedding_model: str, imports: str) -> dict:
    """What the check cells say when the cells run in a notebook's kernel."""
    namespace = {"__name__": "__main__"}
    for number, source in enumerate([gs.SETUP, imports, get_initializer, embedding_model]):
        filename = f"<notebook cell {number}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
    return {ex.name: ex.evaluate(namespace[ex.skeleton_path.split(".")[0]]) for ex in checks.ASSIGNMENT}


def comparable(text: str) -> str:
    # Values drawn without a seed (a Keras initializer) differ from run to run; the words may not.
    return re.sub(r"-?\d+\.\d+(e-?\d+)?", "<number>", text)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agreement")
    made = submissions()
    for name, (get_initializer, embedding_model, imports) in made.items():
        (folder / f"{name}.ipynb").write_text(gs.submission(
            before=(imports,), get_initializer=get_initializer, embedding_model=embedding_model))
    out = folder / "out"
    subprocess.run([sys.executable, "-m", "grader", str(folder), "--out", str(out), "--quiet"], cwd=ROOT,
                   check=True, capture_output=True, timeout=1200)
    results = json.loads((out / "results.json").read_text())["submissions"]
    return made, {Path(r["submission"]).stem: {t["name"]: t for t in r["tests"]} for r in results}


@pytest.mark.parametrize("number", range(len(submissions())))
def test_the_grader_and_the_notebook_give_the_same_verdict(graded, number):
    made, results = graded
    name = f"answers-{number:02d}"
    for exercise, outcome in notebook_verdicts(*made[name]).items():
        test = results[name][exercise]
        assert test["extra_data"]["result"] == outcome.status.value, (test["output"], outcome.message)
        assert comparable(test["output"]) == comparable(f"{outcome.heading}. {outcome.message}")
