"""Every verdict names its mistake with a stable key, which the class report counts learners by."""

import ast
from collections import Counter
from pathlib import Path

import pytest

import checks
from checks import Mistake, Outcome, Status

#: The modules whose exercises name their mistakes themselves (in ``diagnose``), their other variants'
#: included; an exercise of the short kind names its wrong versions by their keys, and the rest as
#: checks/short.py does.
EXERCISE_MODULES = sorted(
    path
    for folder in ("exercises", "variants")
    for path in (Path(checks.__file__).parent / folder).rglob("[!_]*.py")
    if "def diagnose(" in path.read_text()
)


def _judging_functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    """The functions whose results are verdicts: diagnose, diagnose_before_error and their _diagnose_* helpers."""
    return {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and ("diagnose" in node.name or node.name == "_bound_mistake")
    }


def _names_a_mistake(value, judging: dict) -> bool:
    """None, a Mistake(...), or only calls of other judging functions (joined by ``or``)."""
    if value is None or isinstance(value, ast.Constant) and value.value is None:
        return True
    if isinstance(value, ast.BoolOp):
        return all(_names_a_mistake(v, judging) for v in value.values)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id == "Mistake" or value.func.id in judging
    if isinstance(value, ast.Name):  # a Mistake passed through (_bound_mistake's fallback)
        return True
    return False


@pytest.mark.parametrize("path", EXERCISE_MODULES, ids=lambda p: p.stem)
def test_every_return_of_a_diagnosis_names_its_mistake(path):
    judging = _judging_functions(ast.parse(path.read_text()))
    assert "diagnose" in judging
    for function in judging.values():
        for node in ast.walk(function):
            if isinstance(node, ast.Return):
                assert _names_a_mistake(node.value, judging), f"{path.name}:{node.lineno} returns a bare message"


@pytest.mark.parametrize("path", EXERCISE_MODULES, ids=lambda p: p.stem)
def test_a_key_names_one_mistake_of_its_exercise(path):
    # One Mistake(...) per key: a mistake told two ways (public, hidden) is one call with either message.
    calls = [
        node
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Mistake"
    ]
    keys = Counter(call.args[0].value for call in calls if isinstance(call.args[0], ast.Constant))
    assert keys and [k for k, n in keys.items() if n > 1] == []


def test_a_diagnosis_that_returns_a_bare_message_is_a_bug_not_a_verdict(monkeypatch):
    exercise = checks.word_counter
    monkeypatch.setattr(type(exercise), "diagnose", lambda self, case, observation: "wrong, somehow")
    with pytest.raises(TypeError, match="not a Mistake"):
        exercise.evaluate(type("WordCounter", (), {"__init__": lambda self, size: None, "counts": lambda self: 3}))


@pytest.mark.parametrize("key", ["", "Swapped", "swapped_shape", "swapped shape", "-swapped"])
def test_a_key_is_short_kebab_case(key):
    with pytest.raises(ValueError):
        Mistake(key, "message")


@pytest.mark.parametrize(
    "status, key",
    [
        (Status.PASSED, "passed"),
        (Status.NOT_ATTEMPTED, "not-attempted"),
        (Status.ERROR, "error"),
        (Status.INCORRECT, "incorrect"),
    ],
)
def test_an_outcome_without_a_key_takes_its_status(status, key):
    assert Outcome("forward", status, "message").mistake == key
    assert Outcome("forward", status, "message", "swapped-shape").mistake == "swapped-shape"


def skeleton(embedding_dim, vocab_size):
    # CODE HERE
    pass


def raises_with_its_inputs(embedding_dim, vocab_size):
    raise KeyError(f"word {vocab_size}")


@pytest.mark.parametrize(
    "answer, key", [(skeleton, "not-attempted"), (42, "wrong-answer-type"), (raises_with_its_inputs, "raised-KeyError")]
)
def test_outcomes_that_are_not_mistakes_are_named_by_what_happened(answer, key):
    assert checks.get_initializer.evaluate(answer).mistake == key
