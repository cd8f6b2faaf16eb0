"""The parts of `make release`: classroom.toml's loader, the withholding of answers from exercise
modules (by their syntax tree), and the Makefile cut down to what a learner runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import checks
from grader.course import classroom
from grader.course.withholding import WithholdingError, sandbox_code, withhold
from tools.release import learners, makefile

ROOT = Path(__file__).resolve().parent.parent


# -- classroom.toml ---------------------------------------------------------------------------------
def load(tmp_path: Path, text: str) -> classroom.Classroom:
    path = tmp_path / "classroom.toml"
    path.write_text(text)
    return classroom.load(path)


def test_the_repositorys_file_gives_the_registrys_defaults():
    room = classroom.load()
    assert room.source == ROOT / "classroom.toml"
    for name, exercise in checks.EXERCISES.items():
        assert room.choices[name] == classroom.defaults(exercise)


def test_no_file_gives_the_defaults_every_hint_and_solutions_withheld(tmp_path):
    room = classroom.load(tmp_path / "absent.toml")
    assert room.source is None and room.mode == "per-notebook"
    assert all(c.hints == len(checks.EXERCISES[n].hints) and not c.solution_published for n, c in room.choices.items())


def test_choices_are_read_into_graded_copies_and_the_exercises_stay_as_declared(tmp_path):
    room = load(
        tmp_path,
        '[assignments]\nmode = "course"\n[exercises.forward]\npoints = 3\npartial_credit = true\n'
        'hints = 1\nsolution = "published"\n',
    )
    assert room.choices["forward"] == classroom.Choices(3.0, True, 1, True)
    assert room.choices["get_initializer"] == classroom.defaults(checks.get_initializer)
    course = room.course()
    forward = course.by_name()["forward"]
    assert forward.points == 3.0 and forward.partial_credit is True and forward.exercise is checks.forward
    assert checks.forward.points == 1.0 and checks.forward.partial_credit is False  # never written to
    assert not course.per_notebook and list(course.assignments()) == ["course"]
    assert [ex.name for ex in course.exercises] == [ex.name for ex in checks.ASSIGNMENT]
    assert not room.with_solutions_hidden().choices["forward"].solution_published
    assert all(c.solution_published for c in room.with_solutions_published().choices.values())


def test_each_notebook_is_an_assignment_by_default():
    course = classroom.load().course()
    assert course.per_notebook
    assert list(course.assignments()) == list(dict.fromkeys(ex.notebook for ex in checks.ASSIGNMENT))
    for notebook, exercises in course.assignments().items():
        assert exercises and all(ex.notebook == notebook for ex in exercises)


@pytest.mark.parametrize(
    "text, words",
    [
        ("[exercises.foward]\npoints = 1\n", ["no exercise named 'foward'", "did you mean 'forward'"]),
        ("[exercises.forward]\npoint = 1\n", ["unknown key 'point'", "did you mean 'points'"]),
        ("[exercises.forward]\nhint = true\n", ["unknown key 'hint'", "did you mean 'hints'"]),
        ("[exercises.forward]\npoints = -1\n", ["points must be a number, 0 or more"]),
        ("[exercises.forward]\npoints = true\n", ["points must be a number"]),
        ("[exercises.forward]\nhints = 7\n", ["hints is how many", "0 to 3"]),
        ("[exercises.forward]\nhints = true\n", ["hints is how many"]),
        ("[exercises.forward]\npartial_credit = 1\n", ["partial_credit must be true or false"]),
        ('[exercises.forward]\nsolution = "released"\n', ['solution must be "withheld" or "published"']),
        ("[exercises.word_counter]\npoints = 2\n", ["word_counter is practice", "'points' does not apply"]),
        ('[assignments]\nmode = "weekly"\n', ['mode must be "per-notebook" or "course"']),
        ('[assignments]\nmodes = "course"\n', ["unknown key 'modes'"]),
        ("[grading]\nsecret = 1\n", ["unknown section 'grading'"]),
        ("[exercises.forward\n", ["is not valid TOML"]),
    ],
)
def test_a_mistake_stops_with_one_sentence_naming_the_file(tmp_path, text, words):
    with pytest.raises(classroom.ClassroomError) as raised:
        load(tmp_path, text)
    message = str(raised.value)
    assert str(tmp_path / "classroom.toml") in message and "\n" not in message
    for word in words:
        assert word in message


# -- withholding ------------------------------------------------------------------------------------
MODULE = '''\
"""An exercise."""
class Thing:
    name = "thing"
    hints = (
        "The idea. "
        "Still the idea.",
        "The tool.",
        "The shape of the code.",
    )
    solution_code = \'\'\'\\
def thing():
    return 42
\'\'\'
    wrong_versions = {"off-by-one": ("returns one too many", """\\
def thing():
    return 43
""")}

    def public_cases(self):
        return []
'''


def run(source: str):
    namespace: dict = {}
    exec(compile(source, "withheld", "exec"), namespace)
    return namespace["Thing"]


def test_withholding_takes_the_solution_and_the_wrong_versions_code_out_and_keeps_everything_else():
    withheld = withhold(MODULE, hints=1)
    assert "return 42" not in withheld and "return 43" not in withheld and "The tool." not in withheld
    assert "def public_cases(self):" in withheld and withheld.startswith('"""An exercise."""')
    thing = run(withheld)
    assert thing.solution_code is None and thing.hints == ("The idea. Still the idea.",)
    assert thing.wrong_versions == {"off-by-one": ("returns one too many", None)}  # still named by the judge


def test_withholding_keeps_what_the_class_hands_out():
    assert run(withhold(MODULE)).hints == run(MODULE).hints
    assert run(withhold(MODULE, hints=0)).hints == ()
    assert run(withhold(MODULE, solution=False)).solution_code == run(MODULE).solution_code


def test_a_solution_that_is_not_a_literal_is_refused():
    with pytest.raises(WithholdingError, match="must be a literal"):
        withhold('class A:\n    solution_code = "x" + SUFFIX\n')


@pytest.mark.parametrize("exercise", checks.registry.every_variant(), ids=lambda ex: ex.variant_id)
def test_every_exercise_module_can_be_withheld(exercise):
    path = ROOT / (type(exercise).__module__.replace(".", "/") + ".py")
    withheld = withhold(path.read_text(), hints=0)
    ast.parse(withheld)
    for line in exercise.solution_code.strip().splitlines():
        if line.strip() and line.strip() not in exercise.skeleton:
            assert line.strip() not in withheld


def test_the_sandboxs_code_holds_no_solution_and_no_recorded_result(tmp_path):
    copy = sandbox_code(tmp_path / "code", ROOT)
    assert (copy / "checks" / "exercise.py").is_file() and (copy / "grader" / "sandbox" / "worker.py").is_file()
    assert not (copy / "checks" / "expected").exists()
    text = "\n".join(p.read_text() for p in copy.rglob("*.py"))
    for exercise in checks.registry.every_variant():
        for line in exercise.solution_code.strip().splitlines():
            if line.strip() and line.strip() not in exercise.skeleton:
                assert line.strip() not in text, (exercise.name, line)


# -- the learners' Makefile ------------------------------------------------------------------------
RULES = """\
# The course's commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Never needed by setup or lab.
NBVAL := --nbval
READY := $(VENV)/.ready

.PHONY: setup lab test \\
        grade

setup: $(READY)

# Written once the venv holds everything.
$(READY): requirements.txt constraints.txt pyproject.toml
\t$(PYTHON) -m venv $(VENV)
\t$(BIN)/pip install -r requirements.txt -c constraints.txt

lab: setup
\t$(BIN)/jupyter lab notebooks/

test: setup
\t$(BIN)/python -m pytest $(NBVAL)
"""


def test_the_makefile_keeps_setup_lab_and_what_they_use():
    kept = makefile.trimmed(RULES)
    assert "lab: setup" in kept and "$(READY): requirements.txt" in kept and "# Written once" in kept
    assert "PYTHON ?= python3" in kept and "BIN := $(VENV)/bin" in kept
    assert "test:" not in kept and "NBVAL" not in kept and "grade" not in kept
    assert kept.rstrip().endswith(".PHONY: setup lab")
    assert makefile.files_needed(RULES) == ["requirements.txt", "constraints.txt", "pyproject.toml", "notebooks/"]


def test_a_script_the_setup_runs_comes_along_and_the_test_setup_does_not():
    rules = (
        RULES.replace("$(READY): requirements.txt", "$(READY): $(BIN)/python requirements.txt")
        + '\n$(BIN)/python:\n\t@python=$$(sh tools/find_python.sh $(PYTHON)); "$$python" -m venv $(VENV)\n'
    )
    rules = rules.replace("lab: setup\n", "lab: setup-lab\n").replace(
        "setup: $(READY)", "setup-lab: $(READY)\nsetup: setup-lab requirements-test.txt"
    )
    assert "tools/find_python.sh" in makefile.files_needed(rules)
    assert "requirements-test.txt" not in makefile.files_needed(rules)
    assert "\nsetup:" not in makefile.trimmed(rules) and "\nsetup-lab:" in makefile.trimmed(rules)


def test_the_repositorys_makefile_can_be_cut_down():
    kept = makefile.trimmed((ROOT / "Makefile").read_text())
    assert "\nlab:" in kept and "\nsetup-lab:" in kept and "\ntest:" not in kept and "grade" not in kept


def test_a_missing_target_is_named():
    with pytest.raises(ValueError, match="no rule for lab"):
        makefile.trimmed("setup:\n\ttrue\n")


def test_a_notebook_opened_in_colab_fetches_the_release_not_the_public_repository():
    cell = '"source = os.environ.get(\\"EMBEDDING_COURSE_SOURCE\\", \\"https://github.com/o/r/archive/refs/heads/main.zip\\")"'
    text, found = learners.point_fetches(cell, "https://lms.example/course-1.0.0.zip")
    assert found == 1 and "github.com" not in text and "https://lms.example/course-1.0.0.zip" in text
    assert learners.point_fetches(cell, None) == (cell, 1)
