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
    skeleton = '''\
def make_counter(vocab_size):
    # CODE HERE
    pass
'''
    expects = "your make_counter function"
    hint_text = (
        "Call `tf.compat.v1.get_variable` with the name 'word_counts', `shape=(vocab_size,)` and "
        "`dtype=tf.int64`, and return the variable. Leave out the initializer: for integer variables "
        "get_variable starts from zeros."
    )
    solution_code = '''\
def make_counter(vocab_size):
    return tf.compat.v1.get_variable('word_counts', shape=(vocab_size,), dtype=tf.int64)
'''

    def public_cases(self) -> list[dict]:
        return [{"group": "counters", "vocab_size": 6}, {"group": "counters", "vocab_size": 1},
                {"group": "counters", "vocab_size": 250}]

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

    def judge(self, case: dict, observation: dict) -> Mistake | None:
        v, hidden = case["vocab_size"], case.get("hidden", False)
        where = self.where(case)
        got = observation["returned"]
        if got["kind"] == "None":
            return Mistake("returns-none",
                           f"{where}, make_counter returned None. Did you forget to `return` the variable?")
        if got["kind"] != "variable":
            return Mistake("not-a-variable", f"{where}, make_counter returned "
                           f"{kind_phrase(got, with_shape=not hidden)}. Counters must be a variable (they change as "
                           "words are counted): create one with tf.compat.v1.get_variable.")
        if not observation["from_get_variable"]:
            return Mistake("not-from-get-variable",
                           f"{where}, the variable was not made by tf.compat.v1.get_variable; use that function.")
        short_name = got["name"].rsplit("/", 1)[-1].split(":")[0]
        if short_name != "word_counts":
            return Mistake("wrong-name", f"{where}, the variable is named '{short_name}'; name it 'word_counts'.")
        if got["dtype"] == "float32":
            return Mistake("float32-default-dtype", f"{where}, the dtype is float32 (get_variable's default when no "
                           "dtype is given); counts are whole numbers: pass dtype=tf.int64.")
        if got["dtype"] != "int64":
            return Mistake("wrong-dtype", f"{where}, the dtype is {got['dtype']}; pass dtype=tf.int64 as asked "
                           "(64-bit counters do not overflow, however large the corpus).")
        if tuple(got["shape"]) != (v,):
            return Mistake("wrong-shape", f"{where}, the shape is not (vocab_size,): make one counter per word."
                           if hidden else f"{where}, the shape is {got['shape']}; one counter per word is shape "
                           f"(vocab_size,) = {(v,)}.")
        if np.any(got["values"] != 0):
            return Mistake("not-zeros", f"{where}, the counters do not start at zero. Leave out the initializer: "
                           "for int64, get_variable's default is zeros.")
        return None
