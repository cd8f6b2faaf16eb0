"""Practice exercise of notebook 1: ``WordCounter(vocab_size).counts()`` returns the counter of its
vocabulary, one and the same variable at every call.

The learner decides two things notebook 1 taught: which variable a count per word needs (its shape,
its dtype, where it starts), and how a second call hands back the variable the first one made (in
eager mode a second ``get_variable`` call makes a new one). A case makes two ``WordCounter`` objects of
one size, calls ``counts()`` on each (they must not share a counter), adds known counts through what
the first one returned, then calls its ``counts()`` again and looks at what that call returned. Any
way of keeping the variable passes (an attribute set on the first call or in ``__init__``, a
template); so does ``tf.Variable`` instead of ``get_variable``.
"""

from __future__ import annotations

import numpy as np

from checks.exercise import Exercise
from checks.observing import kind_phrase, snapshot
from checks.outcome import Mistake
from checks.registry import register

GROUP = "counters"
#: The public cases' vocabulary sizes; hidden cases draw others.
PUBLIC_SIZES = (6, 1, 250)


@register
class WordCounter(Exercise):
    name = "word_counter"
    notebook = "01_creating_variables"
    order = 1
    graded = False  # practice: not part of checks.ASSIGNMENT
    points = 1.0
    tf_modules = ("tensorflow", "tensorflow.compat.v1")
    skeleton_path = "WordCounter.counts"
    skeleton = """\
class WordCounter:
    # Keeps one count for every word of a vocabulary of vocab_size words
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size

    # The variable that holds the counts
    def counts(self):
        # CODE HERE
        pass
"""
    expects = "your WordCounter class"
    hints = (
        "Two decisions. What a count per word needs: how many numbers, of which kind, starting where. And "
        "how the second call of counts() can hand back the very variable the first call made: in eager "
        "mode, asking get_variable again is not the way (section 2).",
        "Section 1 showed how a shape and a dtype go into get_variable, the largest number each integer "
        "dtype holds, and what an integer variable starts at. Section 2 kept one variable by holding on "
        "to the object made once; here the object that can hold it is self, the WordCounter.",
        "The shape of the code: in counts, when self holds no counter yet, make one with a single call "
        "and store it as an attribute of self; then return that attribute, on every call.",
    )
    solution_code = """\
    def counts(self):
        if not hasattr(self, 'word_counts'):
            self.word_counts = tf.compat.v1.get_variable(
                'word_counts', shape=(self.vocab_size,), dtype=tf.int64)
        return self.word_counts
"""

    # -- cases --------------------------------------------------------------------------------------
    def public_cases(self) -> list[dict]:
        return [_case(v, np.random.default_rng(v)) for v in PUBLIC_SIZES]

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        sizes = rng.choice(np.setdiff1d(np.arange(2, 1000), PUBLIC_SIZES), 3, replace=False)
        return [_case(int(v), rng) for v in sizes]

    def describe(self, case: dict) -> str:
        return f"WordCounter({case['vocab_size']})"

    def answer_problem(self, answer) -> str | None:
        if not isinstance(answer, type) or not callable(getattr(answer, "counts", None)):
            return f"check() needs {self.expects} itself, as in `check(WordCounter)`; it got {type(answer).__name__}."
        return None

    def filled_in(self, answer):
        return answer.counts

    # -- running ------------------------------------------------------------------------------------
    def observe(self, answer, case: dict, facts: dict) -> None:
        import tensorflow as tf

        counter, another = answer(case["vocab_size"]), answer(case["vocab_size"])
        first = counter.counts()
        facts["first"] = snapshot(first)
        facts["other_is_first"] = another.counts() is first
        if isinstance(first, tf.Variable) and tuple(first.shape) == (case["vocab_size"],):
            first.assign_add(tf.cast(case["added"], first.dtype))
        second = counter.counts()
        facts["second"] = snapshot(second)
        facts["second_is_first"] = second is first

    # -- judging ------------------------------------------------------------------------------------
    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        where = self.where(case)
        return _diagnose_first_call(case, observation, where) or _diagnose_second_call(case, observation, where)


def _diagnose_first_call(case: dict, observation: dict, where: str) -> Mistake | None:
    """What is wrong with the counter the first call of counts() returned: its kind, whose it is, its
    dtype, shape and starting values."""
    v, hidden, first = case["vocab_size"], case.get("hidden", False), observation["first"]
    if first["kind"] == "None":
        return Mistake(
            "returns-none",
            f"{where}, counts() returned None; the expected result is the variable that holds the counts.",
        )
    if first["kind"] != "variable":
        return Mistake(
            "not-a-variable",
            f"{where}, counts() returned {kind_phrase(first, with_shape=not hidden)}; counts change as "
            "words are counted and must keep their values, so the expected result is a variable.",
        )
    if observation["other_is_first"]:
        return Mistake(
            "shared-between-counters",
            f"{where}, two WordCounter objects of the same size got one and the same counter from "
            "counts(); each WordCounter is expected to keep counts of its own.",
        )
    if first["dtype"] == "float32":
        return Mistake(
            "float32-default-dtype",
            f"{where}, the counter's dtype is float32, get_variable's default when none is asked for; "
            "counts are whole numbers, so the expected dtype is an integer one that a large corpus "
            "cannot overflow: int64.",
        )
    if first["dtype"] != "int64":
        return Mistake(
            "wrong-dtype",
            f"{where}, the counter's dtype is {first['dtype']}; counts of a large corpus can pass "
            "the largest int32 (about two billion), so the expected dtype is int64.",
        )
    if tuple(first["shape"]) != (v,):
        return Mistake(
            "wrong-shape",
            f"{where}, the counter's shape is not (vocab_size,): one count per word is expected."
            if hidden
            else f"{where}, the counter's shape is {first['shape']}; one count per word is the shape {(v,)}.",
        )
    if np.any(first["values"] != 0):
        return Mistake(
            "not-zeros",
            f"{where}, the counter did not start at zero; before any word is counted, every count is expected to be 0.",
        )
    return None


def _diagnose_second_call(case: dict, observation: dict, where: str) -> Mistake | None:
    """What is wrong with what a second call of counts() returned, after the check added counts through the
    first call's counter."""
    hidden, first, second = case.get("hidden", False), observation["first"], observation["second"]
    if second["kind"] != "variable":
        return Mistake(
            "later-call-returns-no-counter",
            f"{where}, the first call of counts() returned the counter, but the second returned "
            f"{kind_phrase(second, with_shape=False)}; every call is expected to return the counter.",
        )
    added = "" if hidden else f" ({_array(case['added'])})"
    if not np.array_equal(second["values"], case["added"]):
        if not observation["second_is_first"]:
            return Mistake(
                "new-variable-each-call",
                f"{where}, the second call of counts() returned another variable than the first"
                f"{'' if hidden else ' (' + _names(first, second) + ')'}, so the counts the check added through "
                f"the first{added} were not in it. Each call is expected to return the variable the "
                "first call made: in eager mode, a second get_variable call makes a new variable.",
            )
        return Mistake(
            "resets-counts",
            f"{where}, the second call of counts() returned the same variable, but the counts the check added "
            f"through the first call{added} were no longer in it; counts() is expected to leave the "
            "counts as they are.",
        )
    return None


def _case(vocab_size: int, rng: np.random.Generator) -> dict:
    """A case: the vocabulary's size, and the counts the check adds through the first call's counter
    (none of them zero, so that a counter which lost them shows)."""
    return {"group": GROUP, "vocab_size": vocab_size, "added": rng.integers(1, 50, vocab_size)}


def _names(first: dict, second: dict) -> str:
    if first["name"] == second["name"]:
        return f"both named '{first['name']}'"
    return f"'{first['name']}' and '{second['name']}'"


def _array(values) -> str:
    return " ".join(np.array2string(np.asarray(values), separator=", ", threshold=12).split())
