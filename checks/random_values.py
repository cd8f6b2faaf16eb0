"""What the exercises whose answers draw random values share: where ``tf.random.uniform`` can be
reached (to record its calls), whether a call got its bounds the wrong way round, and the statistics
that tell a uniform sample from others.

A check of a random answer is made deterministic by a fixed seed per case; the statistics still decide,
so the thresholds sit far out in the tails, where a right answer drawn with any seed fails a case with
the probability stated beside each (a false alarm), small enough that a whole check, every public and
hidden case of it, fails a right answer less than once in a million checks (``false_alarm_per_case``
adds them up; ``benchmarks/random_draws_false_alarms.py`` measures the tails they come from).

Draws are judged as draws too: values spread more evenly than chance spreads them (a grid from
``np.linspace``), sorted, repeated or depending on their neighbours are not random, whatever their
distribution looks like (``independence_mistake``).
"""

from __future__ import annotations

import contextlib
import math
import numbers
import random
import sys

import numpy as np

from checks.observing import kind_phrase
from checks.outcome import Mistake

#: The modules observing ``tf.random.uniform`` relies on (an exercise's ``tf_modules``).
UNIFORM_MODULES = (
    "tensorflow",
    "tensorflow.random",
    "tensorflow.compat.v1",
    "tensorflow.compat.v1.random",
    "tensorflow.python.ops.random_ops",
)


@contextlib.contextmanager
def seeded_draws(seed: int):
    """While it lasts, every way a learner may draw is seeded with ``seed``: TensorFlow's global seed,
    NumPy's and Python's global generators, and Keras' unseeded initializers (its global seed), so that
    a case's verdict never depends on what ran before it. NumPy's and Python's states are put back
    after, so the learner's own draws go on as they would have."""
    import tensorflow as tf

    numpy_state, python_state = np.random.get_state(), random.getstate()
    keras = sys.modules.get("keras")  # only where the learner's code has loaded it: importing it costs seconds
    if keras is not None:
        keras.utils.set_random_seed(seed)
    else:
        tf.random.set_seed(seed)
        np.random.seed(seed)
        random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(numpy_state)
        random.setstate(python_state)


def uniform_places(answer) -> list:
    """Every ``(owner, name)`` where ``tf.random.uniform`` can be reached, the learner's own imports of it
    included (``from tensorflow.random import uniform``, ``tf1.random_uniform``)."""
    import tensorflow as tf
    from tensorflow.python.ops import random_ops

    from checks.observing import places_holding

    return places_holding(
        random_ops.random_uniform,
        ("uniform", "random_uniform"),
        [tf.random, tf.compat.v1.random, tf.compat.v1, random_ops],
        [getattr(answer, "__globals__", {})],
    )


def not_a_float32_tensor(function: str, got: dict, where: str, hidden: bool, wanted: str) -> Mistake | None:
    """The mistake when what ``function`` returned (a snapshot) is not a float32 tf.Tensor, or None.
    ``wanted`` says what the tensor is for, after "the expected result is"."""
    kind, what = got["kind"], kind_phrase(got, with_shape=not hidden)
    if kind == "None":
        return Mistake(
            "returns-none",
            f"{where}, {function} returned None, so nothing came back; the expected "
            "result is a float32 tf.Tensor of random values.",
        )
    if kind == "variable":
        return Mistake("returns-variable", f"{where}, {function} returned {what}; the expected result is {wanted}.")
    if kind == "ndarray":
        return Mistake(
            "returns-numpy",
            f"{where}, {function} returned {what}; the expected result is a TensorFlow "
            "tensor (tf.Tensor), drawn by TensorFlow's own random functions.",
        )
    if kind != "tensor" and ("Initializer" in kind or "Uniform" in kind):
        return Mistake(
            "returns-initializer-object",
            f"{where}, {function} returned {what}, an initializer object, "
            "which only makes values when it is later called with a shape; the expected result is "
            "the tensor of values itself.",
        )
    if kind != "tensor":
        return Mistake("not-a-tensor", f"{where}, {function} returned {what}; the expected result is a tf.Tensor.")
    if got["dtype"] != "float32":
        return Mistake(
            "wrong-dtype",
            f"{where}, the tensor has dtype {got['dtype']}; the expected dtype is float32, "
            "the one TensorFlow's random functions draw by default.",
        )
    return None


def bounds_swapped(args, kwargs) -> bool:
    """Whether a call of ``tf.random.uniform`` with these arguments got a minval larger than its maxval
    (for floats TensorFlow does not complain, and the values even land between the two)."""
    minval = kwargs.get("minval", args[1] if len(args) > 1 else 0)
    maxval = kwargs.get("maxval", args[2] if len(args) > 2 else None)
    try:
        return maxval is not None and float(minval) > float(maxval)
    except (TypeError, ValueError):  # tensors or other types as bounds: judged by the values alone
        return False


#: sqrt(n) times the Kolmogorov-Smirnov statistic above this fails a case: a fair sample goes there with
#: probability ks_false_alarm(3.0) = 3.0e-8.
KS_CRITICAL = 3.0
#: sqrt(n) times it below this is too even for chance (a grid): a fair sample goes there with probability
#: ks_too_even_false_alarm(0.2) = 5.1e-13; a grid of n values stays near 1/sqrt(n), under 0.03.
KS_TOO_EVEN = 0.2
#: A gap between an end of the range and the values nearest it, in average spacings (range / n), above
#: this at either end fails a case: gap_false_alarm(20) = 4.1e-9.
GAP_IN_AVERAGE_SPACINGS = 20
#: sqrt(pairs) times the correlation of each value with its neighbour along an axis, above this (either
#: sign) along any axis fails a case: normal_false_alarm(6.0) = 2.0e-9 an axis, at most three axes.
NEIGHBOUR_CORRELATION = 6.0
#: Axes with fewer neighbouring pairs than this are not judged (the normal approximation needs many).
MIN_PAIRS = 1000
#: The most axes a case's tensor has (uniform_with_std's 3-D cases).
_MOST_AXES = 3


def ks_to_uniform(values: np.ndarray, low: float, high: float) -> float:
    """The Kolmogorov-Smirnov statistic of ``values`` against the uniform distribution on [low, high):
    the largest gap between their empirical distribution function and that one."""
    x = np.sort((values.astype(np.float64).ravel() - low) / (high - low))
    n = x.size
    steps = np.arange(1, n + 1) / n
    return float(max(np.max(steps - x), np.max(x - (steps - 1 / n))))


def ks_false_alarm(critical: float) -> float:
    """The chance that a fair sample's statistic exceeds ``critical / sqrt(n)``, for large n (the
    Kolmogorov distribution's tail; for the sizes the checks use it is a slight overestimate)."""
    return 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * critical * critical) for k in range(1, 101))


def ks_too_even_false_alarm(critical: float) -> float:
    """The chance that a fair sample's statistic stays below ``critical / sqrt(n)``, for large n (the
    Kolmogorov distribution's lower tail: sqrt(2 pi)/x times the sum of exp(-(2k-1)^2 pi^2 / (8 x^2)))."""
    x = critical
    return (
        math.sqrt(2 * math.pi) / x * sum(math.exp(-((2 * k - 1) ** 2) * math.pi**2 / (8 * x * x)) for k in range(1, 50))
    )


def gap_false_alarm(spacings: float) -> float:
    """The chance that a fair sample leaves a gap wider than ``spacings`` average spacings at one end or
    the other (each end's gap is exponential: exp(-g) for one end)."""
    return 1 - (1 - math.exp(-spacings)) ** 2


def normal_false_alarm(z: float) -> float:
    """The chance that a standard normal statistic is further than ``z`` from 0, either way."""
    return math.erfc(z / math.sqrt(2))


def false_alarm_per_case(ends: bool) -> float:
    """The chance that a right answer fails one large case: the Kolmogorov-Smirnov bound either way, the
    neighbours' correlation along each axis, and, where an exercise asks values to reach the ends of
    their range (``ends``), the gap at either end."""
    rate = ks_false_alarm(KS_CRITICAL) + ks_too_even_false_alarm(KS_TOO_EVEN)
    rate += _MOST_AXES * normal_false_alarm(NEIGHBOUR_CORRELATION)
    return rate + (gap_false_alarm(GAP_IN_AVERAGE_SPACINGS) if ends else 0.0)


def looks_drawn(values: np.ndarray, low: float, high: float, ends: bool) -> bool:
    """Whether ``values`` (in [low, high], at least a few thousand of them) pass for independent draws
    from the uniform distribution on [low, high): near it, but not too near, no neighbours that depend
    on each other, and, with ``ends``, no gap at either end that chance would not leave."""
    n = values.size
    statistic = ks_to_uniform(values, low, high) * math.sqrt(n)
    if not KS_TOO_EVEN <= statistic <= KS_CRITICAL:
        return False
    if any(abs(z) > NEIGHBOUR_CORRELATION for _, z, _ in neighbour_correlations(values)):
        return False
    if ends:
        gap = GAP_IN_AVERAGE_SPACINGS * (high - low) / n
        return float(values.min()) <= low + gap and float(values.max()) >= high - gap
    return True


def neighbour_correlations(values: np.ndarray) -> list[tuple[int, float, float]]:
    """(axis, z, correlation) for each axis with at least MIN_PAIRS pairs of neighbours along it: the
    correlation of each value with the next along that axis, and z, it times sqrt(pairs), about standard
    normal for independent draws."""
    values = values.astype(np.float64)
    found = []
    for axis in range(values.ndim):
        first = np.delete(values, -1, axis=axis).ravel()
        second = np.delete(values, 0, axis=axis).ravel()
        if first.size < MIN_PAIRS:
            continue
        a, b = first - first.mean(), second - second.mean()
        scale = math.sqrt(float(np.dot(a, a)) * float(np.dot(b, b)))
        correlation = float(np.dot(a, b)) / scale if scale else 1.0
        found.append((axis, correlation * math.sqrt(first.size), correlation))
    return found


def independence_mistake(values: np.ndarray, low: float, high: float, where: str) -> Mistake | None:
    """The mistake of values that are not independent draws (too evenly spread, repeated along an axis,
    sorted, or each depending on its neighbour), or None. Only for a case ``looks_drawn`` failed."""
    n = values.size
    expected = "Expected values drawn at random, each independently of the others."
    if ks_to_uniform(values, low, high) * math.sqrt(n) < KS_TOO_EVEN:
        return Mistake(
            "evenly-spaced-values",
            f"{where}, your values are spread over their range more evenly than values drawn at random ever "
            "are, as a grid of evenly spaced values is (np.linspace and tf.linspace make one), shuffled or not. "
            + expected,
        )
    dependent = [(axis, z, r) for axis, z, r in neighbour_correlations(values) if abs(z) > NEIGHBOUR_CORRELATION]
    if not dependent:
        return None
    axis, _, correlation = max(dependent, key=lambda found: abs(found[1]))
    along = _along(axis, values.ndim)
    if np.all(np.diff(values, axis=axis) == 0):
        copies = {(2, 0): "every row holds the same values", (2, 1): "every column holds the same values"}
        return Mistake(
            "repeated-values",
            f"{where}, {copies.get((values.ndim, axis), f'your values repeat {along}')}, as if one draw were "
            "copied. " + expected,
        )
    steps = np.diff(values.astype(np.float64), axis=axis)
    if np.all(steps >= 0) or np.all(steps <= 0):
        return Mistake(
            "sorted-values",
            f"{where}, your values are sorted {along}: each is {'at least' if np.all(steps >= 0) else 'at most'} "
            "as large as the one before it, where values drawn at random come in no order. " + expected,
        )
    return Mistake(
        "dependent-values",
        f"{where}, your values depend on their neighbours {along}: each value's correlation with the next "
        f"is {correlation:.2f}, where independent draws give about 0. " + expected,
    )


def _along(axis: int, rank: int) -> str:
    if rank == 1:
        return "along the tensor"
    if rank == 2:
        return "down each column" if axis == 0 else "along each row"
    return f"along the {('first', 'second', 'third', 'fourth')[min(axis, 3)]} axis"


#: Only to name a wrong answer, once it is wrong: a uniform sample's excess kurtosis is -1.2 (0.02 either
#: way at these sizes), a normal truncated at two standard deviations' -0.63, a normal's 0; a truncated
#: normal stops at 2.27 of its own standard deviations, a normal sample of 2,000 values or more goes past 3.2.
FLAT_KURTOSIS = -0.95
TRUNCATED_REACH = 2.6


def bell_shape_mistake(values: np.ndarray, where: str, measured: str, expected: str) -> Mistake | None:
    """The mistake of values bunched toward 0, as a normal distribution's or a truncated normal's are
    (``measured``: what their spread is; ``expected``: the values asked for), or None for flat ones."""
    if excess_kurtosis(values) <= FLAT_KURTOSIS:
        return None
    spread = float(values.astype(np.float64).std())
    reach = float(np.abs(values).max()) / spread
    if reach < TRUNCATED_REACH:
        return Mistake(
            "truncated-normal",
            f"{where}, your values are bunched toward 0 and stop sharply at {reach:.2f} of their standard "
            f"deviations from 0, as a truncated normal distribution's do ({measured}). Expected a uniform "
            f"distribution: {expected}.",
        )
    return Mistake(
        "normal-not-uniform",
        f"{where}, your values are bunched toward 0 and reach {reach:.2f} of their standard deviations from "
        f"0, as a normal distribution's do ({measured}). Expected a uniform distribution: {expected}.",
    )


def numpy_argument_order(args, kwargs) -> bool:
    """Whether a call of tf.random.uniform got NumPy's order (low, high, size): a number where the shape
    goes, and a shape among its bounds."""

    def is_number(value):
        return (isinstance(value, numbers.Real) and not isinstance(value, bool)) or getattr(value, "shape", None) == ()

    def is_shape(value):
        return isinstance(value, (list, tuple)) or len(getattr(value, "shape", ())) == 1

    shape = kwargs.get("shape", args[0] if args else None)
    bounds = [
        kwargs.get("minval", args[1] if len(args) > 1 else None),
        kwargs.get("maxval", args[2] if len(args) > 2 else None),
    ]
    try:
        return is_number(shape) and any(is_shape(bound) for bound in bounds if bound is not None)
    except (TypeError, ValueError):  # a shape whose length cannot be told: not NumPy's order
        return False


def numpy_order_mistake(where: str) -> Mistake:
    return Mistake(
        "numpy-argument-order",
        f"{where}, tf.random.uniform got a number as its first argument, where the shape goes, and a shape "
        "as one of its bounds, so it raised an error: that is the order of NumPy's np.random.uniform (low, "
        "high, size); TensorFlow's function takes the shape first, then minval and maxval.",
    )


def swapped_bounds_mistake() -> Mistake:
    return Mistake(
        "swapped-bounds",
        "tf.random.uniform got a minval larger than its maxval: the range is upside down. TensorFlow does "
        "not complain for floats, and the values even land between the two, but the lower bound is "
        "expected in minval and the upper one in maxval.",
    )


def excess_kurtosis(values: np.ndarray) -> float:
    """How peaked the values are, less a normal distribution's: 0 for a normal, -1.2 for a uniform, about
    -0.63 for a normal truncated at two standard deviations (``tf.random.truncated_normal``)."""
    centred = values.astype(np.float64).ravel() - values.mean()
    return float(np.mean(centred**4) / np.mean(centred**2) ** 2 - 3)
