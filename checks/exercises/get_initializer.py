"""Exercise: ``get_initializer(embedding_dim, vocab_size)`` returns the initial embedding matrix values."""
from __future__ import annotations

import numpy as np

from checks.exercise import Exercise
from checks.learner_code import kind_phrase, recording_calls, snapshot

# Spread a correct answer must reach, and how uniform it must look, on cases this large. With a
# fixed seed per case the check is deterministic; the thresholds sit far out in the tails (a fair
# uniform sample fails them with probability below 1e-5), yet catch a normal or a half range at once.
_MIN_VALUES_FOR_STATISTICS = 2000
_KS_CRITICAL = 2.4  # Kolmogorov-Smirnov statistic bound is _KS_CRITICAL / sqrt(n)
_GAP_IN_AVERAGE_SPACINGS = 20


def _bound(embedding_dim: int) -> float:
    return 0.5 / embedding_dim


def _ks_to_uniform(values: np.ndarray, low: float, high: float) -> float:
    x = np.sort((values.astype(np.float64).ravel() - low) / (high - low))
    n = x.size
    steps = np.arange(1, n + 1) / n
    return float(max(np.max(steps - x), np.max(x - (steps - 1 / n))))


def _excess_kurtosis(values: np.ndarray) -> float:
    centred = values.astype(np.float64).ravel() - values.mean()
    return float(np.mean(centred**4) / np.mean(centred**2) ** 2 - 3)


class GetInitializer(Exercise):
    name = "get_initializer"
    skeleton_path = "get_initializer"
    skeleton = '''\
def get_initializer(embedding_dim, vocab_size):
    # CODE HERE
    pass
'''
    expects = "your get_initializer function"
    hint_text = (
        "Compute `initial_bounds = 0.5 / embedding_dim`. Each row of the matrix is one word, so the "
        "shape is `(vocab_size, embedding_dim)`. Return `tf.random.uniform(shape, minval=..., maxval=...)` "
        "with the negative bound as `minval` and the positive bound as `maxval`."
    )
    solution_code = '''\
def get_initializer(embedding_dim, vocab_size):
    initial_bounds = 0.5 / embedding_dim
    initializer = tf.random.uniform(
        (vocab_size, embedding_dim), minval=-initial_bounds, maxval=initial_bounds)
    return initializer
'''

    def cases(self) -> list[dict]:
        # The notebook shows (vocab_size=10, embedding_dim=4); these sizes are new to the learner,
        # and the first are large enough for the statistics above.
        return [
            {"vocab_size": 500, "embedding_dim": 8, "seed": 11},
            {"vocab_size": 120, "embedding_dim": 50, "seed": 12},
            {"vocab_size": 3000, "embedding_dim": 3, "seed": 13},
            {"vocab_size": 7, "embedding_dim": 1, "seed": 14},
            {"vocab_size": 1, "embedding_dim": 300, "seed": 15},
        ]

    def answer_problem(self, answer) -> str | None:
        if not callable(answer):
            return f"check() needs {self.expects} itself, as in `check(get_initializer)`; it got {type(answer).__name__}."
        return None

    def observe(self, answer, case: dict) -> dict:
        import tensorflow as tf

        tf.random.set_seed(case["seed"])
        uniform_calls: list = []
        aliases = [(tf.random, "uniform"), (tf.compat.v1.random, "uniform"), (tf.compat.v1, "random_uniform")]
        with recording_calls(aliases, uniform_calls):
            returned = answer(case["embedding_dim"], case["vocab_size"])
        swapped = any(_bounds_swapped(args, kwargs) for args, kwargs, _ in uniform_calls)
        return {"returned": snapshot(returned), "bounds_swapped": swapped}

    def judge(self, case: dict, observation: dict) -> str | None:
        d, v = case["embedding_dim"], case["vocab_size"]
        where = f"For embedding_dim={d}, vocab_size={v}"
        got = observation["returned"]
        kind = got["kind"]
        if kind == "None":
            return f"{where}, get_initializer returned None. Did you forget to `return` the tensor?"
        if kind == "variable":
            return (f"{where}, get_initializer returned {kind_phrase(got)}. Return the tensor of initial "
                    "values; `forward` is where the variable gets made.")
        if kind == "ndarray":
            return (f"{where}, get_initializer returned {kind_phrase(got)}. Return a TensorFlow tensor: "
                    "use `tf.random.uniform`, not NumPy.")
        if kind != "tensor":
            hint = (" That looks like an initializer object; call `tf.random.uniform(shape, ...)` to get "
                    "the tensor of values itself." if "Initializer" in kind or "Uniform" in kind else "")
            return f"{where}, get_initializer returned {kind_phrase(got)}, not a tf.Tensor.{hint}"
        if got["dtype"] != "float32":
            return (f"{where}, the tensor has dtype {got['dtype']}; embeddings are float32 "
                    "(tf.random.uniform's default dtype).")
        if tuple(got["shape"]) != (v, d):
            if tuple(got["shape"]) == (d, v):
                return (f"{where}, the shape is {got['shape']} but should be {(v, d)}: one row per "
                        "vocabulary word, so (vocab_size, embedding_dim). You have the two swapped.")
            return f"{where}, the shape is {got['shape']} but should be (vocab_size, embedding_dim) = {(v, d)}."
        if observation["bounds_swapped"]:
            return ("tf.random.uniform got minval larger than maxval. It does not complain, but the bounds "
                    "are the wrong way round: minval=-initial_bounds, maxval=+initial_bounds.")
        return _judge_values(got["values"], d, v, where)


def _bounds_swapped(args, kwargs) -> bool:
    minval = kwargs.get("minval", args[1] if len(args) > 1 else 0)
    maxval = kwargs.get("maxval", args[2] if len(args) > 2 else None)
    try:
        return maxval is not None and float(minval) > float(maxval)
    except (TypeError, ValueError):  # tensors or other types as bounds: judged by the values alone
        return False


def _judge_values(values: np.ndarray, d: int, v: int, where: str) -> str | None:
    bound = _bound(d)
    low, high = np.float32(-bound), np.float32(bound)
    expected = f"[-{bound:.4g}, {bound:.4g}) (0.5 / embedding_dim)"
    lowest, highest = float(values.min()), float(values.max())
    if lowest == highest:
        return (f"{where}, every value is {lowest:.4g}. The matrix must start random, so that words "
                f"start different: draw uniformly from {expected}.")
    slack = 1e-6 * bound
    if lowest < low - slack or highest > high + slack:
        return f"{where}, your values reach [{lowest:.4g}, {highest:.4g}], outside {expected}.{_name_the_bound(lowest, highest, d, v)}"
    if lowest >= 0:
        return f"{where}, no value is negative: minval should be -initial_bounds, giving {expected}."
    if highest <= 0:
        return f"{where}, no value is positive: maxval should be +initial_bounds, giving {expected}."
    n = values.size
    if n < _MIN_VALUES_FOR_STATISTICS:
        return None
    if _ks_to_uniform(values, low, high) <= _KS_CRITICAL / np.sqrt(n):
        return None
    if _excess_kurtosis(values) > -0.8:
        return (f"{where}, the values are bunched toward 0, as a normal distribution is "
                "(tf.random.normal or truncated_normal?). Use tf.random.uniform, which spreads them evenly.")
    gap = _GAP_IN_AVERAGE_SPACINGS * (high - low) / n
    if lowest > low + gap or highest < high - gap:
        return (f"{where}, your values only reach [{lowest:.4g}, {highest:.4g}]; drawn uniformly from "
                f"{expected} they would come close to both ends.{_name_the_bound(lowest, highest, d, v)}")
    return f"{where}, the values are in range but not spread evenly over {expected}; use tf.random.uniform."


def _name_the_bound(lowest: float, highest: float, d: int, v: int) -> str:
    reach = max(abs(lowest), abs(highest))
    if lowest >= 0 and abs(highest - 1) < 0.01:
        return " That is tf.random.uniform's default range [0, 1): pass minval and maxval."
    candidates = {
        "0.5 / vocab_size": 0.5 / v,
        "1 / embedding_dim": 1 / d,
        "0.5 (not divided by embedding_dim)": 0.5,
        "1": 1.0,
        "0.05 (the Keras default)": 0.05,
        "0.5 / embedding_dim**2": 0.5 / d**2,
    }
    for label, value in candidates.items():
        if value != 0.5 / d and abs(reach - value) <= 0.03 * value:
            return f" A bound of ±{value:.4g} looks like {label}; the rule is 0.5 / embedding_dim = {0.5 / d:.4g}."
    return ""
