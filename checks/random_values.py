"""What the exercises whose answers draw random values share: where ``tf.random.uniform`` can be
reached (to record its calls), whether a call got its bounds the wrong way round, and the statistics
that tell a uniform sample from others.

A check of a random answer is made deterministic by a fixed seed per case; the statistics still decide,
so each exercise chooses thresholds far out in the tails, where a right answer drawn with any seed
fails with a probability it states (``ks_false_alarm`` gives the Kolmogorov-Smirnov test's).
"""

from __future__ import annotations

import math

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


def excess_kurtosis(values: np.ndarray) -> float:
    """How peaked the values are, less a normal distribution's: 0 for a normal, -1.2 for a uniform, about
    -0.63 for a normal truncated at two standard deviations (``tf.random.truncated_normal``)."""
    centred = values.astype(np.float64).ravel() - values.mean()
    return float(np.mean(centred**4) / np.mean(centred**2) ** 2 - 3)
