"""Exercise: ``get_initializer(embedding_dim, vocab_size)`` returns the initial embedding matrix values."""

from __future__ import annotations

import numpy as np

from checks.exercise import Exercise
from checks.observing import recording_calls, snapshot
from checks.outcome import Mistake
from checks.random_values import (
    GAP_IN_AVERAGE_SPACINGS,
    UNIFORM_MODULES,
    bell_shape_mistake,
    bounds_swapped,
    independence_mistake,
    looks_drawn,
    not_a_float32_tensor,
    numpy_argument_order,
    numpy_order_mistake,
    seeded_draws,
    swapped_bounds_mistake,
    uniform_places,
)
from checks.registry import register

# How the values are judged, on cases this large (checks/random_values.py states each threshold's
# chance of failing a right answer): near the uniform distribution on the rule's range but not too near,
# with no neighbours that depend on each other. A right answer fails a large case with probability
# false_alarm_per_case(ends=False) = 3.6e-8, a check's six large cases (public and hidden) 2.2e-7.
_MIN_VALUES_FOR_STATISTICS = 2000
# A fair draw of n values has no negative one (or no positive one) with probability 2**-n: the signs are
# judged from 30 values up, where either happens with probability 2 * 2**-30 = 1.9e-9 a case.
_MIN_VALUES_FOR_SIGNS = 30


@register
class GetInitializer(Exercise):
    name = "get_initializer"
    notebook = "04_time_to_code"
    order = 1
    graded = True
    points = 1.0
    partial_credit = False
    tf_modules = UNIFORM_MODULES
    skeleton_path = "get_initializer"
    skeleton = """\
def get_initializer(embedding_dim, vocab_size):
    # CODE HERE
    pass
"""
    expects = "your get_initializer function"
    hints = (
        "Each row of the matrix is one word's vector. Every value starts small and random, spread "
        "evenly between a negative and a positive bound, and the bound shrinks as the vectors get "
        "longer: notebook 2 showed the rule and where it comes from.",
        "Notebook 2 drew values spread evenly between two bounds with one TensorFlow function: its "
        "first argument is the shape of the result, and two keyword arguments set the bounds. Which of "
        "vocab_size and embedding_dim counts the rows?",
        "The shape of the code: work out the bound from embedding_dim, then return what that function "
        "gives for the matrix's shape, from minus the bound to plus the bound.",
    )
    solution_code = """\
def get_initializer(embedding_dim, vocab_size):
    initial_bounds = 0.5 / embedding_dim
    initializer = tf.random.uniform(
        (vocab_size, embedding_dim), minval=-initial_bounds, maxval=initial_bounds)
    return initializer
"""

    def public_cases(self) -> list[dict]:
        # The notebook shows (vocab_size=10, embedding_dim=4); these sizes are new to the learner,
        # and the large ones hold enough values for the statistics above.
        return [
            {"group": "large matrices", "vocab_size": 500, "embedding_dim": 8, "seed": 11},
            {"group": "large matrices", "vocab_size": 120, "embedding_dim": 50, "seed": 12},
            {"group": "large matrices", "vocab_size": 3000, "embedding_dim": 3, "seed": 13},
            {"group": "a single column or row", "vocab_size": 7, "embedding_dim": 1, "seed": 14},
            {"group": "a single column or row", "vocab_size": 1, "embedding_dim": 300, "seed": 15},
        ]

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        public = {(c["vocab_size"], c["embedding_dim"]) for c in self.public_cases()}
        cases = []
        while len(cases) < 3:  # at least _MIN_VALUES_FOR_STATISTICS values, so the statistics apply
            d = int(rng.integers(2, 65))
            v = int(rng.integers(-(-_MIN_VALUES_FOR_STATISTICS // d), 4000))
            if (v, d) not in public and v != d:
                cases.append({"group": "large matrices", "vocab_size": v, "embedding_dim": d})
        cases.append({"group": "a single column or row", "vocab_size": int(rng.integers(2, 40)), "embedding_dim": 1})
        cases.append({"group": "a single column or row", "vocab_size": 1, "embedding_dim": int(rng.integers(2, 400))})
        for case in cases:
            case["seed"] = int(rng.integers(1000, 2**31))
        return cases

    def describe(self, case: dict) -> str:
        return f"embedding_dim={case['embedding_dim']}, vocab_size={case['vocab_size']}"

    def answer_problem(self, answer) -> str | None:
        if not callable(answer):
            return (
                f"check() needs {self.expects} itself, as in `check(get_initializer)`; it got {type(answer).__name__}."
            )
        return None

    def observe(self, answer, case: dict, facts: dict) -> None:
        uniform_calls: list = []
        # Every name the learner may reach tf.random.uniform by, including their own imports of it.
        try:
            with seeded_draws(case["seed"]), recording_calls(uniform_places(answer), uniform_calls):
                returned = answer(case["embedding_dim"], case["vocab_size"])
        finally:  # also when the learner's code raised: which arguments tf.random.uniform got says why
            facts["bounds_swapped"] = any(bounds_swapped(args, kwargs) for args, kwargs, _ in uniform_calls)
            facts["numpy_order"] = any(numpy_argument_order(args, kwargs) for args, kwargs, _ in uniform_calls)
        facts["returned"] = snapshot(returned)

    def diagnose_before_error(self, case: dict, observation: dict) -> Mistake | None:
        if observation.get("numpy_order"):
            mistake = numpy_order_mistake(self.where(case))
            return mistake
        return None

    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        d, v, hidden = case["embedding_dim"], case["vocab_size"], case.get("hidden", False)
        where = self.where(case)
        got = observation["returned"]
        mistake = not_a_float32_tensor(
            "get_initializer", got, where, hidden, "the tensor of initial values, from which forward makes the variable"
        )
        if mistake is not None:
            return mistake
        if tuple(got["shape"]) == (d, v) != (v, d):
            return Mistake(
                "swapped-shape",
                f"{where}, the shape is (embedding_dim, vocab_size): the two sizes are "
                "swapped, and a row per vocabulary word is expected."
                if hidden
                else f"{where}, the shape "
                f"is {got['shape']}; expected {(v, d)}, one row per vocabulary word, so (vocab_size, "
                "embedding_dim): the two sizes are swapped.",
            )
        if tuple(got["shape"]) != (v, d):
            return Mistake(
                "wrong-shape",
                f"{where}, the shape is not the expected (vocab_size, embedding_dim)."
                if hidden
                else f"{where}, the shape is {got['shape']}; expected (vocab_size, embedding_dim) = {(v, d)}.",
            )
        if observation["bounds_swapped"]:
            mistake = swapped_bounds_mistake()
            return mistake
        return _diagnose_values(got["values"], d, v, where, hidden)


def _diagnose_values(values: np.ndarray, d: int, v: int, where: str, hidden: bool) -> Mistake | None:
    """Whether the values are drawn uniformly from the rule's range; if not, what they show."""
    bound = 0.5 / d  # the chapter's rule, which the statement gives
    low, high = np.float32(-bound), np.float32(bound)
    # A hidden case's bound would give embedding_dim away, and the values its bound.
    expected = (
        "[-0.5 / embedding_dim, 0.5 / embedding_dim)"
        if hidden
        else f"[-{bound:.4g}, {bound:.4g}) (0.5 / embedding_dim)"
    )
    lowest, highest = float(values.min()), float(values.max())
    reach = f"[{lowest:.4g}, {highest:.4g}]"
    if lowest == highest:
        return Mistake(
            "constant-values",
            f"{where}, every value is {'the same' if hidden else f'{lowest:.4g}'}, so "
            f"every word starts the same; expected random values spread evenly over {expected}.",
        )
    slack = 1e-6 * bound
    out_of_range = lowest < low - slack or highest > high + slack
    n = values.size
    if out_of_range and lowest >= 0 and abs(highest - 1) < 0.01:
        return Mistake(
            "default-range",
            f"{where}, your values " + ("lie" if hidden else f"reach {reach},") + " in tf.random.uniform's "
            "default range [0, 1), which it uses when no bounds are given; expected values spread evenly over "
            f"{expected}.",
        )
    if n >= _MIN_VALUES_FOR_SIGNS and (lowest >= 0 or highest <= 0):  # one side of 0: say so before the range
        none, side = ("negative", "starts at 0 or above") if lowest >= 0 else ("positive", "ends at 0 or below")
        found = "" if hidden else f" (your values reach {reach})"
        return Mistake(
            f"no-{none}-values",
            f"{where}, no value is {none}: the range {side}{found}; expected values on both sides of 0, in {expected}.",
        )
    statistics = n >= _MIN_VALUES_FOR_STATISTICS
    measured = "" if hidden else f"their standard deviation is {float(values.astype(np.float64).std()):.4g}"
    if out_of_range:
        return _diagnose_out_of_range(values, expected, measured, statistics, d, v, where, hidden)
    if not statistics or looks_drawn(values, low, high, ends=False):
        return None
    return _diagnose_uneven(values, low, high, expected, measured, d, v, where, hidden)


def _diagnose_out_of_range(
    values: np.ndarray, expected: str, measured: str, statistics: bool, d: int, v: int, where: str, hidden: bool
) -> Mistake:
    """Values that go outside the rule's range: bell-shaped, or uniform with another bound."""
    lowest, highest = float(values.min()), float(values.max())
    shape = (
        bell_shape_mistake(
            values, where, measured or "they go outside the range", f"values spread evenly over {expected}"
        )
        if statistics
        else None
    )
    if shape is not None:
        return shape
    found = "go" if hidden else f"reach [{lowest:.4g}, {highest:.4g}],"
    return _bound_mistake(
        Mistake("values-out-of-range", f"{where}, your values {found} outside {expected}."),
        lowest,
        highest,
        d,
        v,
        hidden,
    )


def _diagnose_uneven(
    values: np.ndarray, low, high, expected: str, measured: str, d: int, v: int, where: str, hidden: bool
) -> Mistake:
    """Values inside the rule's range that a uniform draw would not give: not independent, bell-shaped,
    too narrow, or otherwise not spread evenly."""
    mistake = independence_mistake(values, low, high, where) or bell_shape_mistake(
        values, where, measured or "they stay inside the range", f"values spread evenly over {expected}"
    )
    if mistake is not None:
        return mistake
    lowest, highest = float(values.min()), float(values.max())
    gap = GAP_IN_AVERAGE_SPACINGS * (high - low) / values.size
    if lowest > low + gap or highest < high - gap:
        found = "stay well inside the range" if hidden else f"only reach [{lowest:.4g}, {highest:.4g}]"
        return _bound_mistake(
            Mistake(
                "range-too-narrow",
                f"{where}, your values {found}; drawn uniformly from {expected} they would come close to both ends.",
            ),
            lowest,
            highest,
            d,
            v,
            hidden,
        )
    return Mistake(
        "not-uniform",
        f"{where}, the values are in range but not spread evenly over {expected}, as a uniform distribution's are.",
    )


def _bound_mistake(mistake: Mistake, lowest: float, highest: float, d: int, v: int, hidden: bool) -> Mistake:
    """``mistake`` (the values' range is wrong), named for the bound used instead when the range shows it."""
    reach = max(abs(lowest), abs(highest))
    sign = "±" if lowest < 0 < highest else ""  # a few values on one side of 0 say nothing of the other
    for key, label, value in _other_bounds(d, v):
        if value != 0.5 / d and abs(reach - value) <= 0.03 * value:
            if hidden:
                return Mistake(key, f"{mistake.message} The bound looks like {label}; the rule is 0.5 / embedding_dim.")
            return Mistake(
                key,
                f"{mistake.message} A bound of {sign}{value:.4g} looks like {label}; the rule is "
                f"0.5 / embedding_dim = {0.5 / d:.4g}.",
            )
    return mistake


def _other_bounds(d: int, v: int) -> list[tuple[str, str, float]]:
    """Bounds learners use in place of 0.5 / embedding_dim: the mistake's key, how it reads, its value."""
    return [
        ("bound-uses-vocab-size", "0.5 / vocab_size", 0.5 / v),
        ("bound-one-over-dim", "1 / embedding_dim", 1 / d),
        ("bound-not-divided", "0.5 (not divided by embedding_dim)", 0.5),
        ("bound-one", "1", 1.0),
        ("bound-keras-default", "0.05 (the Keras default)", 0.05),
        ("bound-over-dim-squared", "0.5 / embedding_dim**2", 0.5 / d**2),
    ]
