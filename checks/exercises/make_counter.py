"""Practice exercise of notebook 1: ``make_counter(vocab_size)`` creates an int64 variable with get_variable."""

from __future__ import annotations

import numpy as np

from checks.exercise import Exercise
from checks.observing import get_variable_calls, kind_phrase, snapshot
from checks.outcome import Mistake
from checks.registry import register


@register
class MakeCounter(Exercise):
    name = "make_counter"
    notebook = "01_creating_variables"
    graded = False  # practice: not part of checks.ASSIGNMENT
    points = 1.0
    tf_modules = ("tensorflow", "tensorflow.compat.v1", "tensorflow.python.ops.variable_scope")
    skeleton_path = "make_counter"
    skeleton = """\
def make_counter(vocab_size):
    # CODE HERE
    pass
"""
    expects = "your make_counter function"
    hints = (
        "One counter per word of the vocabulary, each a whole number that starts at zero and changes as "
        "words are counted: which kind of TensorFlow object holds numbers that change, and what shape "
        "and dtype does a counter per word ask for?",
        "Notebook 1 opened with the function that makes such an object from a name, a shape and a dtype, "
        "and showed what it starts integer ones at when it is given no initializer.",
        "The shape of the code: one call of that function, with the name the exercise asks for, the "
        "shape and the dtype, and its result returned.",
    )
    solution_code = """\
def make_counter(vocab_size):
    return tf.compat.v1.get_variable('word_counts', shape=(vocab_size,), dtype=tf.int64)
"""

    def public_cases(self) -> list[dict]:
        return [
            {"group": "counters", "vocab_size": 6},
            {"group": "counters", "vocab_size": 1},
            {"group": "counters", "vocab_size": 250},
        ]

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        sizes = rng.choice(np.setdiff1d(np.arange(2, 1000), [6, 250]), 3, replace=False)
        return [{"group": "counters", "vocab_size": int(v)} for v in sizes]

    def describe(self, case: dict) -> str:
        return f"vocab_size={case['vocab_size']}"

    def answer_problem(self, answer) -> str | None:
        if not callable(answer):
            return f"check() needs {self.expects} itself, as in `check(make_counter)`; it got {type(answer).__name__}."
        return None

    def observe(self, answer, case: dict, facts: dict) -> None:
        with get_variable_calls() as calls:
            returned = answer(case["vocab_size"])
        facts["returned"] = snapshot(returned)
        facts["from_get_variable"] = any(result is returned for _, _, result in calls)

    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        v, hidden = case["vocab_size"], case.get("hidden", False)
        where = self.where(case)
        got = observation["returned"]
        if got["kind"] == "None":
            return Mistake(
                "returns-none",
                f"{where}, make_counter returned None, so nothing came back; the "
                "expected result is the variable holding the counts.",
            )
        if got["kind"] != "variable":
            return Mistake(
                "not-a-variable",
                f"{where}, make_counter returned "
                f"{kind_phrase(got, with_shape=not hidden)}; counts change as words are counted, so the "
                "expected result is a variable, made by tf.compat.v1.get_variable.",
            )
        if not observation["from_get_variable"]:
            return Mistake(
                "not-from-get-variable",
                f"{where}, make_counter returned a variable that "
                "tf.compat.v1.get_variable did not make; the exercise is about that function.",
            )
        short_name = got["name"].rsplit("/", 1)[-1].split(":")[0]
        if short_name != "word_counts":
            return Mistake(
                "wrong-name", f"{where}, the variable is named '{short_name}'; the expected name is 'word_counts'."
            )
        if got["dtype"] == "float32":
            return Mistake(
                "float32-default-dtype",
                f"{where}, the dtype is float32, get_variable's default when "
                "none is asked for; counts are whole numbers, so the expected dtype is int64.",
            )
        if got["dtype"] != "int64":
            return Mistake(
                "wrong-dtype",
                f"{where}, the dtype is {got['dtype']}; the expected dtype is int64 "
                "(64-bit counters do not overflow, however large the corpus).",
            )
        if tuple(got["shape"]) != (v,):
            return Mistake(
                "wrong-shape",
                f"{where}, the shape is not (vocab_size,), one counter per word."
                if hidden
                else f"{where}, the shape is {got['shape']}; one counter per word is the shape (vocab_size,) = {(v,)}.",
            )
        if np.any(got["values"] != 0):
            return Mistake(
                "not-zeros",
                f"{where}, the counters do not all start at zero; before any word is "
                "counted, every count is expected to be 0.",
            )
        return None
