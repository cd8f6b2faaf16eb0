"""One way to test a check, for every exercise (in the spirit of learntools' ``assert_check_passed``).

``assert_check_passed(exercise, answer)`` and ``assert_check_failed(exercise, answer, status, words)``
judge an answer as the notebook's check does; ``answers(name)`` is the exercise's table of answers
(tests/answers/<name>.py) as pytest parameters. ``through_the_grader`` judges a report as the grader
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


def answers(name: str):
    """The table of ``checks.EXERCISES[name]``: (right, wrong, tuned), each a list of pytest params."""
    table = importlib.import_module(f"answers.{name}")
    right = [pytest.param(answer, id=answer.__name__) for answer in table.RIGHT]
    wrong = [pytest.param(answer, status, words, id=answer.__name__) for answer, status, words in table.WRONG]
    tuned = [pytest.param(answer, id=answer.__name__) for answer in getattr(table, "TUNED", [])]
    return right, wrong, tuned


def every_answer():
    """(exercise, answer) for every answer of every table, right or wrong, as pytest params."""
    params = []
    for name, exercise in checks.EXERCISES.items():
        table = importlib.import_module(f"answers.{name}")
        for answer in [*table.RIGHT, *(row[0] for row in table.WRONG), *getattr(table, "TUNED", [])]:
            params.append(pytest.param(exercise, answer, id=f"{name}-{answer.__name__}"))
    return params


def through_the_grader(report: dict) -> dict:
    """``report`` as the grader receives it from a sandbox: encoded to JSON and decoded again."""
    try:
        from grader import protocol
    except ImportError:  # until the grader moves out of checks/
        from checks.grade import protocol
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
