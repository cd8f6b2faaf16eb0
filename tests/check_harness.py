"""One way to test a check, for every exercise (in the spirit of learntools' ``assert_check_passed``).

``assert_check_passed(exercise, answer)`` and ``assert_check_failed(exercise, answer, status, words)``
judge an answer as the notebook's check does; ``right_answers()``, ``wrong_answers()`` and
``tuned_answers()`` gather every exercise's table as pytest parameters: tests/answers/<name>.py where
the exercise has one, else, for an exercise of the short kind, the table its declaration implies
(its reference right, each named wrong version wrong with its key, an answer tuned to the public
cases). ``through_the_grader`` judges a report as the grader does, after the trip through the
grader's channel from its sandbox.
"""

from __future__ import annotations

import functools
import importlib
import re
import types

import numpy as np
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
    return exercise.decide(observed(exercise, answer, cases), cases)


_OBSERVED: dict = {}


def observed(exercise, answer, cases: list[dict]) -> dict:
    """``exercise.observe_all(answer, cases)``, run once per answer and set of cases: the tables' tests
    judge the same observations in several ways (observing is what takes the time)."""
    from checks.expected import fingerprint

    key = (exercise.variant_id, answer, tuple(fingerprint(case) for case in cases))
    if key not in _OBSERVED:
        _OBSERVED[key] = exercise.observe_all(answer, cases)
    return _OBSERVED[key]


@functools.cache  # one set of answer functions per exercise, so that a parameter list can be compared with another
def table(name: str):
    """The table of answers of the variant ``name`` (a variant id: an exercise's own task's is its name):
    tests/answers/<name>.py, tests/answers/variants/<exercise>/<variant>.py for another variant (as its
    module is in checks/variants/), or the one a short exercise's declaration implies."""
    exercise = VARIANTS[name]
    module = type(exercise).__module__.replace("checks.", "answers.", 1) if name != exercise.name else f"answers.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as missing:
        if not exercise.judged_against_reference or missing.name != module:
            raise
        return declared_table(exercise)


#: Every variant of every exercise, by variant id (an exercise's own task's is its name).
VARIANTS = {variant.variant_id: variant for variant in checks.registry.every_variant()}


def declared_table(exercise) -> types.SimpleNamespace:
    """RIGHT: the reference; WRONG: each named wrong version, incorrect under its own key; TUNED (when
    the function is simply called with the case's inputs): an answer that looks the public cases'
    inputs up and returns the reference's results for them, and something else for any other input."""
    import numpy as np
    import tensorflow as tf

    from checks import Status
    from checks.short import ShortExercise

    def defined(code: str, label: str):
        namespace = {"tf": tf, "np": np}
        exec(compile(code, f"<{exercise.name} {label}>", "exec"), namespace)
        function = namespace[exercise.answer_name]
        function.__name__, function.__source__ = label, code  # the source, for a notebook of it (no file has it)
        return function

    reference = defined(exercise.solution_code, "reference")
    wrong = [
        (defined(code, key.replace("-", "_")), Status.INCORRECT, key, [])
        for key, (_, code) in exercise.wrong_versions.items()
    ]
    if type(exercise).call is not ShortExercise.call:
        return types.SimpleNamespace(RIGHT=[reference], WRONG=wrong, TUNED=[])
    public = exercise.public_cases()

    def tuned_to_the_public_cases(**given):
        for case in public:
            inputs = exercise.inputs(case)
            if inputs.keys() == given.keys() and all(same_input(inputs[k], given[k]) for k in inputs):
                return reference(**inputs)
        return reference(**exercise.inputs(public[0]))

    return types.SimpleNamespace(RIGHT=[reference], WRONG=wrong, TUNED=[tuned_to_the_public_cases])


def same_input(a, b) -> bool:
    """Whether two inputs hold the same: arrays by their values, lists and tuples (of any lengths, ragged
    too) item by item, anything else by equality."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(map(same_input, a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b))
    return bool(a == b)


def right_answers():
    """(exercise, answer) for each right answer of every table, as pytest params."""
    return [
        pytest.param(ex, answer, id=f"{name}-{answer.__name__}")
        for name, ex in VARIANTS.items()
        for answer in table(name).RIGHT
    ]


def wrong_answers():
    """(exercise, answer, status, mistake, words) for each wrong answer of every table, as pytest params."""
    return [
        pytest.param(ex, answer, status, mistake, words, id=f"{name}-{answer.__name__}")
        for name, ex in VARIANTS.items()
        for answer, status, mistake, words in table(name).WRONG
    ]


def tuned_answers():
    """(exercise, answer) for each answer tuned to the public cases, as pytest params."""
    return [
        pytest.param(ex, answer, id=f"{name}-{answer.__name__}")
        for name, ex in VARIANTS.items()
        for answer in getattr(table(name), "TUNED", [])
    ]


def every_answer():
    """(exercise, answer) for every answer of every table, right, wrong or tuned, as pytest params."""
    wrong = [pytest.param(*p.values[:2], id=p.id) for p in wrong_answers()]
    return right_answers() + wrong + tuned_answers()


def through_the_grader(report: dict) -> dict:
    """``report`` as the grader receives it from a sandbox: encoded to JSON and decoded again."""
    from grader.sandbox import protocol

    frame = protocol.json_frame({"t": "report", "report": report})
    return protocol.decode_json(frame[protocol.HEADER.size :])["report"]


def assert_no_hidden_inputs(message: str, cases: list[dict]) -> None:
    """No size or id of a hidden case appears in ``message`` as a number of its own (ones and zeros
    are left out: they are in the wording, e.g. "[0, 1)", and in the group "a single column or row")."""
    for group in {case["group"] for case in cases}:  # group names ("2-D ids") are not inputs
        message = message.replace(group, "")
    # nor are the constants of a formula in the wording ("a/√3", "a²/3", "3 × std", "Python 3")
    message = re.sub(r"√\(?\d+|/\d+|\d+ ?(?:×|\*\*)|Python \d+", "", message)
    shown = set(re.findall(r"(?<![\w.])\d+(?![\w.])", message))
    for case in cases:
        if not case.get("hidden"):
            continue
        inputs = {
            v
            for key, value in case.items()
            if key not in ("group", "hidden") and "seed" not in key
            for v in whole_numbers(value)
            if v > 1
        }  # every whole number the case is made of, but its seeds
        leaked = {str(v) for v in inputs} & shown
        assert not leaked, f"hidden inputs {leaked} in: {message}"


def whole_numbers(value) -> set[int]:
    """Every whole number in ``value``: a number, an integer array, or lists, tuples and dicts of them."""
    if isinstance(value, (bool, np.bool_)):
        return set()
    if isinstance(value, (int, np.integer)):
        return {int(value)}
    if isinstance(value, np.ndarray):
        return {int(v) for v in value.reshape(-1)} if value.dtype.kind in "iu" else set()
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return set().union(*(whole_numbers(item) for item in value)) if value else set()
    return set()


#: A small exercise of a notebook of its own, in the short form: one module is all the registry needs.
THROWAWAY_EXERCISE = '''\
"""A throwaway exercise: ``double(x)`` returns twice ``x``."""
from checks.registry import register
from checks.short import ShortExercise


@register
class Double(ShortExercise):
    name = "double"
    notebook = "99_throwaway"
    points = 2.0
    skeleton = """\\
def double(x):
    # CODE HERE
    pass
"""
    hints = ("Doubling a number is one arithmetic operation.", "Which operator multiplies two numbers?")
    solution_code = """\\
def double(x):
    return 2 * x
"""
    wrong_versions = {"adds-two": ("adds two instead of doubling", """\\
def double(x):
    return x + 2
""")}

    def draw_cases(self, rng):
        return [{"group": "integers", "x": int(x)} for x in rng.integers(-50, 50, 4)]
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


def classroom_with_variants(salt: str, more: str = "") -> str:
    """The course's classroom.toml with [variants] turned on, drawn with ``salt``; ``more``: further lines
    of the [variants] table (its sub-tables, [variants.moved] ...), appended."""
    from pathlib import Path

    text = (Path(checks.__file__).resolve().parent.parent / "classroom.toml").read_text(encoding="utf-8")
    switched = text.replace('[variants]\nenabled = false\nsalt = ""', f'[variants]\nenabled = true\nsalt = "{salt}"')
    assert switched != text, "classroom.toml's [variants] table is not as this helper expects"
    return switched + more
