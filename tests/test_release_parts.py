"""The parts of `make release`: classroom.toml's loader, the AST blanking of exercise modules, and the
Makefile cut down to what a learner runs."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import checks
from grader import classroom
from tools.release import blanking, learners, makefile

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


def test_no_file_gives_the_defaults_hints_on_and_solutions_withheld(tmp_path):
    room = classroom.load(tmp_path / "absent.toml")
    assert room.source is None
    assert all(c.hint and not c.solution_published for c in room.choices.values())


def test_choices_are_read_and_the_grader_gets_points_and_partial_credit(tmp_path):
    room = load(tmp_path, '[exercises.forward]\npoints = 3\npartial_credit = true\nhint = false\n'
                          'solution = "published"\n')
    assert room.choices["forward"] == classroom.Choices(3.0, True, False, True)
    assert room.choices["get_initializer"] == classroom.defaults(checks.get_initializer)
    exercises = {name: type(ex)() for name, ex in checks.EXERCISES.items()}  # copies: the registry stays as it is
    room.apply(exercises)
    assert exercises["forward"].points == 3.0 and exercises["forward"].partial_credit is True
    assert not room.with_solutions_hidden().choices["forward"].solution_published
    assert all(c.solution_published for c in room.with_solutions_published().choices.values())


@pytest.mark.parametrize("text, words", [
    ("[exercises.foward]\npoints = 1\n", ["no exercise named 'foward'", "did you mean 'forward'"]),
    ("[exercises.forward]\npoint = 1\n", ["unknown key 'point'", "did you mean 'points'"]),
    ("[exercises.forward]\npoints = -1\n", ["points must be a number, 0 or more"]),
    ("[exercises.forward]\npoints = true\n", ["points must be a number"]),
    ("[exercises.forward]\nhint = \"no\"\n", ["hint must be true or false"]),
    ("[exercises.forward]\nsolution = \"released\"\n", ['solution must be "withheld" or "published"']),
    ("[exercises.make_counter]\npoints = 2\n", ["make_counter is practice", "'points' does not apply"]),
    ("[grading]\nsecret = 1\n", ["unknown section 'grading'"]),
    ("[exercises.forward\n", ["is not valid TOML"]),
])
def test_a_mistake_stops_with_one_sentence_naming_the_file(tmp_path, text, words):
    with pytest.raises(classroom.ClassroomError) as raised:
        load(tmp_path, text)
    message = str(raised.value)
    assert str(tmp_path / "classroom.toml") in message and "\n" not in message
    for word in words:
        assert word in message


# -- blanking ---------------------------------------------------------------------------------------
MODULE = '''\
"""An exercise."""
class Thing:
    name = "thing"
    hint_text = (
        "Use the "
        "thing."
    )
    solution_code = \'\'\'\\
def thing():
    return 42
\'\'\'

    def public_cases(self):
        return []
'''


def test_blanking_replaces_the_literals_and_keeps_everything_else():
    blanked = blanking.blank(MODULE, {"solution_code", "hint_text"})
    assert "return 42" not in blanked and "Use the" not in blanked
    assert "    solution_code = None  #" in blanked and "    hint_text = None  #" in blanked
    assert "def public_cases(self):" in blanked and blanked.startswith('"""An exercise."""')
    namespace: dict = {}
    exec(compile(blanked, "blanked", "exec"), namespace)
    assert namespace["Thing"].solution_code is None and namespace["Thing"].hint_text is None


def test_blanking_only_the_solution_keeps_the_hint():
    blanked = blanking.blank(MODULE, {"solution_code"})
    assert "return 42" not in blanked and '"Use the "' in blanked


def test_a_solution_that_is_not_a_literal_is_refused():
    with pytest.raises(blanking.BlankingError, match="must be a literal"):
        blanking.blank('class A:\n    solution_code = "x" + SUFFIX\n', {"solution_code"})


@pytest.mark.parametrize("exercise", checks.EXERCISES.values(), ids=lambda ex: ex.name)
def test_every_exercise_module_can_be_blanked(exercise):
    path = ROOT / (type(exercise).__module__.replace(".", "/") + ".py")
    blanked = blanking.blank(path.read_text(), {"solution_code", "hint_text"})
    ast.parse(blanked)
    assert exercise.solution_code.strip().splitlines()[-1] not in blanked


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
    rules = (RULES.replace("$(READY): requirements.txt", "$(READY): $(BIN)/python requirements.txt")
             + "\n$(BIN)/python:\n\t@python=$$(sh tools/find_python.sh $(PYTHON)); \"$$python\" -m venv $(VENV)\n")
    rules = rules.replace("lab: setup\n", "lab: setup-lab\n").replace("setup: $(READY)", "setup-lab: $(READY)\nsetup: setup-lab requirements-test.txt")
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
