"""Exercise: ``uniform_with_std(shape, std)`` draws values uniformly around 0 with standard deviation ``std``."""

from __future__ import annotations

import math

import numpy as np

from checks.exercise import Exercise
from checks.observing import recording_calls, snapshot
from checks.outcome import Mistake
from checks.random_values import (
    FLAT_KURTOSIS,
    GAP_IN_AVERAGE_SPACINGS,
    UNIFORM_MODULES,
    bell_shape_mistake,
    bounds_swapped,
    excess_kurtosis,
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

# The values are judged in units of the std asked for, as a learner's values would be measured: in those
# units a uniform distribution with that standard deviation is the one on [-√3, √3), and nothing here
# works out the bound of the values the learner must draw. On cases with at least this many values the
# statistics decide (checks/random_values.py states each threshold's chance of failing a right answer): a
# right answer fails a large case with probability false_alarm_per_case(ends=True) = 4.1e-8, a check's
# eight large cases (public and hidden) 3.3e-7; the mistakes miss the thresholds by far
# (tests/test_uniform_with_std_check.py measures both).
_MIN_VALUES_FOR_STATISTICS = 4000
_ROOT_3 = math.sqrt(3.0)
# Only to name a wrong answer, once it is wrong: a mean further from 0 than this many standard errors
# is off centre.
_CENTRE_IN_STANDARD_ERRORS = 6
#: How close the reach of the values (in multiples of std) must be to a named wrong bound's to be named.
_NAMED_TOLERANCE = 0.03
#: A reach within this (relative) of a right answer's, but not it, is a bound slightly off.
_SLIGHTLY = 0.1


def _named_bounds(std: float) -> list[tuple[str, float, str]]:
    """Bounds learners use instead, as multiples of std: the mistake's key, the multiple, what it shows."""
    return [
        (
            "bound-is-std",
            1.0,
            "The bound looks like std itself; but for a uniform range [-a, a) the standard "
            "deviation is a/√3, so a bound equal to std spreads the values √3 times too little.",
        ),
        (
            "bound-three-times-std",
            3.0,
            "The bound looks like 3 × std; for a uniform range [-a, a) the standard "
            "deviation is a/√3, the square root of the variance a²/3, not a/3.",
        ),
        (
            "bound-std-over-root-3",
            1 / _ROOT_3,
            'The bound looks like std/√3: the relation "standard deviation = '
            'bound/√3" was applied to std, which is the standard deviation already, not the bound.',
        ),
        (
            "bound-is-width",
            2 * _ROOT_3,
            "The bound looks like 2√3 × std, the whole width of a uniform range with "
            "that standard deviation (width/√12 = std); the bound is half the width.",
        ),
        (
            "power-before-division",
            1.5,
            "The bound looks like 1.5 × std: in Python 3 ** 1/2 is (3 ** 1)/2 = 1.5, "
            "since ** is worked out before /, while √3 is about 1.732.",
        ),
        (
            "std-as-variance",
            math.sqrt(3 / std),
            "The bound looks like √(3 × std), which takes std for the "
            "variance a²/3; the variance is the square of the standard deviation.",
        ),
    ]


def _tells_mistakes_apart(std: float) -> bool:
    """Whether, for this std, the right bound and the named wrong ones differ by 10% or more each, so
    that a case names the mistake whatever std a hidden case draws."""
    multiples = [_ROOT_3] + [multiple for _, multiple, _ in _named_bounds(std)]
    return all(abs(a / b - 1) >= 0.1 for i, a in enumerate(multiples) for b in multiples[i + 1 :])


@register
class UniformWithStd(Exercise):
    name = "uniform_with_std"
    notebook = "02_initializers"
    order = 1
    graded = True
    points = 1.0
    partial_credit = False
    tf_modules = UNIFORM_MODULES
    variant = "centred"
    variant_title = "spread evenly around 0"
    statement = """\
Write `uniform_with_std(shape, std)`, which returns **a float32 tensor of the given `shape`, its values
drawn uniformly at random from a range centred on 0 whose standard deviation is `std`**: centred on 0,
like the rule of thumb, so that values are as likely negative as positive.

- `shape`: a tuple such as `(3, 4)`, of any length.
- `std`: a positive number, the standard deviation the values must have.
"""
    skeleton_path = "uniform_with_std"
    skeleton = """\
def uniform_with_std(shape, std):
    # CODE HERE
    pass
"""
    expects = "your uniform_with_std function"
    hints = (
        'The standard deviation is given and the bounds are what you need. Section 4 ("How spread out") '
        "tied the two for a uniform range centred on 0: solve that relation for the bound.",
        "Solved for the bound, that relation has a square root in it: np.sqrt gives one (so does ** 0.5). "
        "Section 3's TensorFlow function then draws the values: its first argument is the shape, and its "
        "minval and maxval set the range.",
        "The shape of the code: work out the bound from std first, then return what that function gives for "
        "the shape asked for, from minus the bound to plus the bound.",
    )
    solution_code = """\
def uniform_with_std(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, minval=-bound, maxval=bound)
"""

    def public_cases(self) -> list[dict]:
        # The notebook draws from a (500, 100) matrix; these shapes and stds are new to the learner, and
        # the large ones hold enough values for the statistics above.
        return [
            {"group": "large tensors", "shape": (400, 50), "std": 0.1, "seed": 21},
            {"group": "large tensors", "shape": (6000,), "std": 2.0, "seed": 22},
            {"group": "large tensors", "shape": (2500, 4), "std": 0.02, "seed": 23},
            {"group": "3-D tensors", "shape": (20, 30, 16), "std": 0.5, "seed": 24},
            {"group": "small tensors", "shape": (2, 3), "std": 0.7, "seed": 25},
            {"group": "small tensors", "shape": (1,), "std": 0.04, "seed": 26},
        ]

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        # The same groups in the same order as the public cases: large ones first (a 2-D, a 1-D, a 2-D
        # shape), then a 3-D one, all with enough values for the statistics, then two small ones.
        public = {case["shape"] for case in self.public_cases()}
        low = _MIN_VALUES_FOR_STATISTICS
        cases = []

        def add(group, shape):
            cases.append({"group": group, "shape": tuple(int(d) for d in shape), "std": _draw_std(rng)})

        while len(cases) < 3:
            if len(cases) == 1:
                shape = (rng.integers(low, 30_000),)
            else:
                columns = int(rng.integers(2, 80))
                shape = (rng.integers(-(-low // columns), 30_000 // columns), columns)
            if tuple(int(d) for d in shape) not in public:
                add("large tensors", shape)
        while len(cases) < 4:
            shape = rng.integers(4, 41, 3)
            if int(np.prod(shape)) >= low and tuple(int(d) for d in shape) not in public:
                add("3-D tensors", shape)
        while len(cases) < 6:
            shape = (rng.integers(1, 5), rng.integers(2, 5)) if len(cases) == 4 else (rng.integers(1, 6),)
            if tuple(int(d) for d in shape) not in public:
                add("small tensors", shape)
        for case in cases:
            case["seed"] = int(rng.integers(1000, 2**31))
        return cases

    def describe(self, case: dict) -> str:
        return f"shape={tuple(case['shape'])}, std={case['std']}"

    def answer_problem(self, answer) -> str | None:
        if not callable(answer):
            return (
                f"check() needs {self.expects} itself, as in `check(uniform_with_std)`; it got {type(answer).__name__}."
            )
        return None

    def observe(self, answer, case: dict, facts: dict) -> None:
        calls: list = []
        try:
            with seeded_draws(case["seed"]), recording_calls(uniform_places(answer), calls):
                returned = answer(tuple(case["shape"]), case["std"])
        finally:  # also when the learner's code raised: which arguments tf.random.uniform got says why
            facts["uniform_calls"] = [
                {"bounds_swapped": bounds_swapped(args, kwargs), "numpy_order": numpy_argument_order(args, kwargs)}
                for args, kwargs, _ in calls
            ]
        facts["returned"] = snapshot(returned)

    def diagnose_before_error(self, case: dict, observation: dict) -> Mistake | None:
        if any(call["numpy_order"] for call in observation.get("uniform_calls", [])):
            mistake = numpy_order_mistake(self.where(case))
            return mistake
        return None

    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        shape, std, hidden = tuple(case["shape"]), case["std"], case.get("hidden", False)
        where = self.where(case)
        got = observation["returned"]
        mistake = not_a_float32_tensor(
            "uniform_with_std",
            got,
            where,
            hidden,
            "the tensor of random values itself, from which a variable can be made later",
        )
        if mistake is not None:
            return mistake
        if tuple(got["shape"]) != shape:
            same_size = int(np.prod(got["shape"])) == int(np.prod(shape))
            arranged = " The number of values is right, but they are arranged in another shape." if same_size else ""
            return Mistake(
                "wrong-shape",
                (
                    f"{where}, the tensor's shape is not the shape asked for."
                    if hidden
                    else f"{where}, the tensor's shape is {tuple(got['shape'])}; expected {shape}, the shape asked for."
                )
                + arranged,
            )
        if any(call["bounds_swapped"] for call in observation["uniform_calls"]):
            mistake = swapped_bounds_mistake()
            return mistake
        return _diagnose_values(got["values"], std, where, hidden)


def _diagnose_values(values: np.ndarray, std: float, where: str, hidden: bool) -> Mistake | None:
    """Whether the values are drawn uniformly around 0 with standard deviation ``std``; if not, what they show."""
    units = values.astype(np.float64) / std  # the values in multiples of the std asked for
    # A hidden case's numbers would give its std away: its messages speak in multiples of std.
    expected = "the standard deviation asked for" if hidden else f"standard deviation {std:.4g}"
    lowest, highest = float(values.min()), float(values.max())
    if lowest == highest and values.size > 1:
        return Mistake(
            "constant-values",
            f"{where}, every value is {'the same' if hidden else f'{lowest:.4g}'}, so "
            f"nothing is random; expected values drawn uniformly at random, centred on 0, with {expected}.",
        )
    out_of_range = float(np.abs(units).max()) > _ROOT_3 * (1 + 1e-6)
    if values.size < _MIN_VALUES_FOR_STATISTICS:  # too few values to judge their spread: only their range
        if not out_of_range:
            return None
        found = "some values lie" if hidden else f"your values reach [{lowest:.4g}, {highest:.4g}], which lies"
        return Mistake(
            "values-out-of-range",
            f"{where}, {found} further from 0 than values drawn uniformly with {expected} ever go. For a "
            "uniform range [-a, a) the standard deviation is a/√3.",
        )
    if not out_of_range and looks_drawn(units, -_ROOT_3, _ROOT_3, ends=True):
        return None
    mistake = independence_mistake(units, -_ROOT_3, _ROOT_3, where)
    return mistake or _diagnose_spread(values, units, std, where, hidden, expected)


def _diagnose_spread(
    values: np.ndarray, units: np.ndarray, std: float, where: str, hidden: bool, expected: str
) -> Mistake:
    """What a large case's values show, once they are known to be wrong: off centre, bell-shaped, or
    uniform with another bound (named when it is one learners use instead, or one slightly off)."""
    lowest, highest = float(values.min()), float(values.max())
    mean, spread, n = float(values.astype(np.float64).mean()), float(values.astype(np.float64).std()), values.size
    measured = _measured_spread(spread, std, hidden)
    if not (lowest < 0 < highest and abs(mean) <= _CENTRE_IN_STANDARD_ERRORS * spread / math.sqrt(n)):
        return _diagnose_off_centre(values, mean, std, measured, where, hidden, expected)
    shape = bell_shape_mistake(values, where, measured, f"values spread evenly, with {expected}")
    if shape is not None:
        return shape
    found = (
        f"{where}, your values' standard deviation is {spread / std:.2f} times the std asked for"
        if hidden
        else f"{where}, your values reach ±{max(-lowest, highest):.4g}, so their standard deviation is "
        f"{spread:.4g}; expected {std:.4g}"
    )
    multiple = float(np.abs(units).max())  # how far the values reach, in multiples of std
    for key, named, why in _named_bounds(std):
        if abs(multiple / named - 1) <= _NAMED_TOLERANCE:
            return Mistake(key, f"{found}. {why}")
    gap = GAP_IN_AVERAGE_SPACINGS * 2 * _ROOT_3 / n  # as looks_drawn allows at either end
    reaches_the_ends = float(units.min()) <= -_ROOT_3 + gap and float(units.max()) >= _ROOT_3 - gap
    if reaches_the_ends and multiple <= _ROOT_3 * (1 + 1e-6):
        return Mistake(
            "not-uniform",
            f"{where}, your values stay in the expected range and reach both its ends, but are not spread "
            f"evenly over it, as a uniform distribution's are ({measured}).",
        )
    if abs(multiple / _ROOT_3 - 1) <= _SLIGHTLY:
        return Mistake(
            "bound-slightly-off",
            f"{found}: the bound is slightly off, {multiple:.3g} × std"
            + ("" if hidden else f" = {multiple * std:.4g}")
            + ". For a uniform range [-a, a) the standard deviation is a/√3.",
        )
    return Mistake("wrong-spread", f"{found}. For a uniform range [-a, a) the standard deviation is a/√3.")


def _measured_spread(spread: float, std: float, hidden: bool) -> str:
    """The values' standard deviation, as a message says it (for a hidden case, in multiples of std)."""
    if abs(spread / std - 1) <= _NAMED_TOLERANCE:
        return (
            "their standard deviation is the one asked for"
            if hidden
            else f"their standard deviation, {spread:.4g}, is the one asked for"
        )
    return (
        f"their standard deviation is {spread / std:.2f} times the std asked for"
        if hidden
        else f"their standard deviation is {spread:.4g}"
    )


def _diagnose_off_centre(
    values: np.ndarray, mean: float, std: float, measured: str, where: str, hidden: bool, expected: str
) -> Mistake:
    """Values not centred on 0: tf.random.uniform's default range, or another off-centre one."""
    lowest, highest = float(values.min()), float(values.max())
    if lowest >= 0 and abs(highest - 1) < 0.01 and excess_kurtosis(values) <= FLAT_KURTOSIS:
        return Mistake(
            "default-range",
            f"{where}, your values lie in [0, 1), tf.random.uniform's default "
            f"range, which it uses when it is given no bounds; expected values centred on 0, with "
            f"{expected}.",
        )
    position = (
        f"your values' mean is {abs(mean) / std:.2f} times the std asked for away from 0"
        if hidden
        else f"your values lie in [{lowest:.4g}, {highest:.4g}], so their mean is {mean:.4g}"
    )
    return Mistake(
        "not-centred",
        f"{where}, {position}, not 0 ({measured}); expected values centred on 0, spread evenly with {expected}.",
    )


def _draw_std(rng: np.random.Generator) -> float:
    """A std for a hidden case, between 0.005 and 3, rounded to 4 significant digits (so that no
    multiple a message shows, written with 2 decimals, reads like it), that tells the named mistakes apart."""
    while True:
        std = float(f"{math.exp(rng.uniform(math.log(0.005), math.log(3.0))):.4g}")
        if _tells_mistakes_apart(std):
            return std
