"""The short kind of exercise: a reference solution, the cases, and named wrong versions, in one file.

An instructor declares what the answer must do, not how to judge it::

    @register
    class Double(ShortExercise):
        name = "double"
        notebook = "99_extra"
        skeleton = '''\\
    def double(x):
        # CODE HERE
        pass
    '''
        hints = ("What does doubling a number mean?", "Python's arithmetic operators are enough.")
        solution_code = '''\\
    def double(x):
        return 2 * x
    '''
        wrong_versions = {"adds-two": ("adds two instead of doubling", '''\\
    def double(x):
        return x + 2
    ''')}

        def draw_cases(self, rng):
            return [{"group": "integers", "x": int(rng.integers(-50, 50))} for _ in range(4)]

The learner's function runs on every case (the public ones drawn with a fixed seed, the hidden ones
from the instructor's secret) and its results are compared with the reference's (``checks.expected``
runs the reference, or reads what a release recorded of it). Any function that gives the same
results passes, however it is written. A wrong answer is named by the first case it gets wrong
(what it returned, what was expected) or, when its results match a named wrong version's on every
case, by that version's key and description.

Override ``call(function, case)`` when the function is not simply called with the case's inputs
(to pass them as tensors, or to observe a variable it changes); override ``describe`` to word a
case's inputs.
"""

from __future__ import annotations

import ast
import copy

import numpy as np

from checks import expected as reference
from checks.exercise import Exercise
from checks.outcome import Mistake

#: Keys of a case that are not the function's inputs.
NOT_INPUTS = ("group", "hidden", "expected", "wrong")
#: The seed the public cases are drawn with; hidden ones are drawn from the instructor's secret.
PUBLIC_SEED = 20261201


class ShortExercise(Exercise):
    #: key -> (a clause that completes "a version that ...": what that code does, never how to fix it,
    #: its code). Literal, so a release can leave the code out with the solution.
    wrong_versions: dict = {}
    #: How close a floating-point result must be to the reference's.
    rtol: float = 1e-5
    atol: float = 1e-6
    judged_against_reference = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "skeleton" in cls.__dict__ and "skeleton_path" not in cls.__dict__:
            definition = next(node for node in ast.parse(cls.skeleton).body if isinstance(node, ast.FunctionDef))
            cls.skeleton_path = definition.name
        if "expects" not in cls.__dict__ and "skeleton_path" in cls.__dict__:
            cls.expects = f"your {cls.skeleton_path} function"

    # -- cases --------------------------------------------------------------------------------------
    def public_cases(self) -> list[dict]:
        return self.draw_cases(np.random.default_rng(PUBLIC_SEED))

    def inputs(self, case: dict) -> dict:
        """The function's arguments in ``case``, copied all the way down (lists of lists too), so that
        code which changes them in place changes nothing another version, or the case, sees."""
        return {key: copy.deepcopy(value) for key, value in case.items() if key not in NOT_INPUTS}

    def call(self, function, case: dict):
        """What running ``function`` on ``case`` gives (by default: calling it with the case's inputs)."""
        return function(**self.inputs(case))

    def describe(self, case: dict) -> str:
        return ", ".join(f"{key}={_shown(value)}" for key, value in self.inputs(case).items())

    def answer_problem(self, answer) -> str | None:
        if not callable(answer):
            return (
                f"check() needs {self.expects} itself, as in `check({self.answer_name})`; "
                f"it got {type(answer).__name__}."
            )
        return None

    # -- observing ----------------------------------------------------------------------------------
    def observe(self, answer, case: dict, facts: dict) -> None:
        watched = self.watched(answer)  # what it does to its arguments counts as well as what it returns
        try:
            facts["returned"] = reference.result(self.call(watched, case))
        finally:
            watched.record(facts)

    def with_expected(self, cases: list[dict], expected: list | None = None) -> list[dict]:
        found = reference.results(self, cases) if expected is None else expected
        return [dict(case, expected=entry["reference"], wrong=entry["wrong"]) for case, entry in zip(cases, found)]

    # -- judging ------------------------------------------------------------------------------------
    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        got, wanted = observation["returned"], case["expected"]
        if self.same(got, wanted):
            return None
        where, hidden, name = self.where(case), case.get("hidden", False), self.skeleton_path
        if got["kind"] == "None":
            return Mistake(
                "returns-none",
                f"{where}, {name} returned None, so nothing came back; the expected result is {_kind(wanted, hidden)}.",
            )
        if "items" in wanted and "items" in got:  # lists of different lengths, item by item
            if hidden:
                return Mistake("wrong-values", f"{where}, {name} returned other items than expected.")
            return Mistake("wrong-values", f"{where}, {name} returned {_values(got)}; expected {_values(wanted)}.")
        if "values" not in got:
            return Mistake(
                "not-a-result",
                f"{where}, {name} returned an object of type {got['kind']}; "
                f"the expected result is {_kind(wanted, hidden)}.",
            )
        if "values" not in wanted:  # the reference returns no array: only its kind is to match
            return Mistake("wrong-values", f"{where}, {name} returned {_kind(got, hidden)}, not what was expected.")
        if got["values"].shape != wanted["values"].shape:
            if hidden:
                return Mistake("wrong-shape", f"{where}, {name} returned a result of another shape than expected.")
            return Mistake(
                "wrong-shape",
                f"{where}, {name} returned a result of shape {got['values'].shape}; "
                f"the expected shape is {wanted['values'].shape}.",
            )
        if _family(got) != _family(wanted):
            return Mistake(
                "wrong-dtype",
                f"{where}, {name} returned {_family(got)} values; the expected ones are "
                f"{_family(wanted)} ({wanted['dtype']}).",
            )
        if hidden:
            return Mistake("wrong-values", f"{where}, {name} returned the right shape but other values than expected.")
        where_first = self._first_difference(got, wanted)
        return Mistake(
            "wrong-values", f"{where}, {name} returned {_values(got)}; expected {_values(wanted)}{where_first}."
        )

    def _first_difference(self, got: dict, wanted: dict) -> str:
        """Where two results of one shape first differ, when they are too long to be shown whole."""
        a, b = got["values"], wanted["values"]
        if a.size <= _SHOWN_WHOLE:
            return ""
        if _family(got) == "floating-point":
            differs = ~np.isclose(a, b, rtol=self.rtol, atol=self.atol, equal_nan=True)
        else:
            differs = a != b
        index = tuple(int(i) for i in np.argwhere(differs)[0])
        at = index[0] if len(index) == 1 else index
        return f"; the first difference is at index {at}: {_number(a[index])} where {_number(b[index])} was expected"

    def diagnose_all(self, cases: list[dict], observations: list[dict]) -> Mistake | None:
        if not all("returned" in observation for observation in observations):
            return None
        for key, (what, _code) in self.wrong_versions.items():
            if all(
                self.same(observation["returned"], case["wrong"].get(key))
                for case, observation in zip(cases, observations)
            ):
                return Mistake(
                    key,
                    f"Your {self.skeleton_path} gives the same results, on every test case, as a version that {what}.",
                )
        return None

    def same(self, got: dict, wanted: dict | None) -> bool:
        """Whether two results agree: the same kind of result, shape and values (floats within the
        tolerance), whatever container they came in (a tf.Tensor, a NumPy array, a list)."""
        if wanted is None or ("values" in got) != ("values" in wanted) or ("items" in got) != ("items" in wanted):
            return False
        if "items" in got:
            return len(got["items"]) == len(wanted["items"]) and all(map(self.same, got["items"], wanted["items"]))
        if "values" not in got:
            return got["kind"] == wanted["kind"]
        a, b = got["values"], wanted["values"]
        if a.shape != b.shape or _family(got) != _family(wanted):
            return False
        if _family(got) == "floating-point":
            return bool(np.allclose(a, b, rtol=self.rtol, atol=self.atol, equal_nan=True))
        return bool(np.array_equal(a, b))


def _family(result: dict) -> str:
    kind = np.dtype(result["dtype"]).kind
    return {"b": "boolean", "i": "integer", "u": "integer", "f": "floating-point", "c": "complex"}.get(kind, "other")


def _kind(result: dict, hidden: bool) -> str:
    if result["kind"] == "None":
        return "None"
    if "items" in result:
        return f"a {result['kind']} of {'several' if hidden else len(result['items'])} items"
    if "values" not in result:
        return f"an object of type {result['kind']}"
    shape = "" if hidden else f" of shape {result['values'].shape}"
    return f"{_family(result)} values{shape}"


#: Results of up to this many values are shown whole; longer ones by their ends.
_SHOWN_WHOLE = 12


def _values(result: dict) -> str:
    if "items" in result:
        return "[" + ", ".join(_values(item) for item in result["items"]) + "]"
    values = result["values"]
    shown = np.array2string(values, precision=4, threshold=_SHOWN_WHOLE, edgeitems=3, separator=", ")
    return " ".join(shown.split())


def _number(value) -> str:
    return f"{value:.4g}" if isinstance(value, (float, np.floating)) else str(value)


def _shown(value) -> str:
    if isinstance(value, np.ndarray):
        return (
            f"an array of shape {value.shape}"
            if value.size > 8
            else " ".join(np.array2string(value, separator=", ").split())
        )
    return repr(value)
