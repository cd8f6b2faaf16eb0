"""One way to test a check, for every exercise (in the spirit of learntools' ``assert_check_passed``).

``assert_check_passed(exercise, answer)`` and ``assert_check_failed(exercise, answer, status, words)``
judge an answer as the notebook's check does; ``right_answers()``, ``wrong_answers()`` and
``tuned_answers()`` gather every exercise's table (tests/answers/<name>.py) as pytest parameters. ``through_the_grader`` judges a report as the grader
does, after the trip through the grader's channel from its sandbox.
"""
from __future__ import annotations

import importlib
import re

import pytest

import checks
from checks import Status


def assert_check_passed(exercise, answer, cases: list[dict] | None = None) -> None:
    outcome = judged(exercise, answer, cases)
    assert outcome.status is Status.PASSED, outcome.message


def assert_check_failed(exercise, answer, status: Status, words, cases: list[dict] | None = None):
    """The verdict is ``status`` and its message has every one of ``words``; returns the outcome."""
    outcome = judged(exercise, answer, cases)
    assert outcome.status is status, outcome.message
    for word in words:
        assert word in outcome.message, f"{word!r} not in: {outcome.message}"
    return outcome


def judged(exercise, answer, cases: list[dict] | None = None):
    if cases is None:
        return exercise.evaluate(answer)  # exactly what check() shows
    return exercise.verdict(exercise.observe_all(answer, cases), cases)


def table(name: str):
    """The table of answers of ``checks.EXERCISES[name]``, tests/answers/<name>.py."""
    return importlib.import_module(f"answers.{name}")


def right_answers():
    """(exercise, answer) for each right answer of every table, as pytest params."""
    return [pytest.param(ex, answer, id=f"{name}-{answer.__name__}")
            for name, ex in checks.EXERCISES.items() for answer in table(name).RIGHT]


def wrong_answers():
    """(exercise, answer, status, mistake, words) for each wrong answer of every table, as pytest params."""
    return [pytest.param(ex, answer, status, mistake, words, id=f"{name}-{answer.__name__}")
            for name, ex in checks.EXERCISES.items() for answer, status, mistake, words in table(name).WRONG]


def tuned_answers():
    """(exercise, answer) for each answer tuned to the public cases, as pytest params."""
    return [pytest.param(ex, answer, id=f"{name}-{answer.__name__}")
            for name, ex in checks.EXERCISES.items() for answer in getattr(table(name), "TUNED", [])]


def every_answer():
    """(exercise, answer) for every answer of every table, right, wrong or tuned, as pytest params."""
    wrong = [pytest.param(*p.values[:2], id=p.id) for p in wrong_answers()]
    return right_answers() + wrong + tuned_answers()


def through_the_grader(report: dict) -> dict:
    """``report`` as the grader receives it from a sandbox: encoded to JSON and decoded again."""
    from grader.sandbox import protocol
    frame = protocol.json_frame({"t": "report", "report": report})
    return protocol.decode_json(frame[protocol.HEADER.size:])["report"]


def assert_no_hidden_inputs(message: str, cases: list[dict]) -> None:
    """No size or id of a hidden case appears in ``message`` as a number of its own (ones and zeros
    are left out: they are in the wording, e.g. "[0, 1)", and in the group "a single column or row")."""
    for group in {case["group"] for case in cases}:  # group names ("2-D ids") are not inputs
        message = message.replace(group, "")
    shown = set(re.findall(r"(?<![\w.])\d+(?![\w.])", message))
    for case in cases:
        if not case.get("hidden"):
            continue
        inputs = {v for k, v in case.items() if k in ("vocab_size", "embedding_dim") and v > 1}
        inputs |= {int(i) for i in case["ids"].reshape(-1) if i > 1} if "ids" in case else set()
        leaked = {str(v) for v in inputs} & shown
        assert not leaked, f"hidden inputs {leaked} in: {message}"


#: A small exercise of a notebook of its own, to show that one module is all the registry needs.
THROWAWAY_EXERCISE = '''\
"""A throwaway exercise: ``double(x)`` returns twice ``x``."""
import numpy as np

from checks.exercise import Exercise
from checks.outcome import Mistake
from checks.registry import register


@register
class Double(Exercise):
    name = "double"
    notebook = "99_throwaway"
    points = 2.0
    skeleton_path = "double"
    skeleton = """\\
def double(x):
    # CODE HERE
    pass
"""
    expects = "your double function"
    hint_text = "Multiply by two."
    solution_code = """\\
def double(x):
    return 2 * x
"""

    def public_cases(self):
        return [{"group": "small", "x": 3}, {"group": "negative", "x": -1}]

    def draw_cases(self, rng):
        return [{"group": "small", "x": int(rng.integers(4, 100))}, {"group": "negative", "x": -int(rng.integers(2, 100))}]

    def describe(self, case):
        return f"x={case['x']}"

    def answer_problem(self, answer):
        return None if callable(answer) else f"check() needs {self.expects}."

    def observe(self, answer, case, facts):
        returned = answer(case["x"])
        facts["returned"] = returned if isinstance(returned, int) else repr(returned)

    def judge(self, case, observation):
        if observation["returned"] == 2 * case["x"]:
            return None
        return Mistake("not-doubled", f"{self.where(case)}, double did not return twice x.")
'''


def course_with(tmp_path, module_name: str, source: str):
    """A copy of the ``checks`` package (and of the grader, when it is a package of its own) with one
    more exercise module; put the folder returned first on PYTHONPATH."""
    import shutil
    from pathlib import Path

    root = Path(checks.__file__).resolve().parent.parent
    copy = tmp_path / "course"
    for package in ("checks", "grader"):
        if (root / package).is_dir():
            shutil.copytree(root / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "requirements.txt", copy / "requirements.txt")  # checks.environment reads the pins
    (copy / "checks" / "exercises" / f"{module_name}.py").write_text(source, encoding="utf-8")
    return copy
