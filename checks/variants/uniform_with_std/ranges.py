"""What the variants of ``uniform_with_std`` share: values judged against a uniform range given by its
bounds (a function of std), and named when they fill a range learners use instead.

The course's own task judges its range centred on 0 (checks/exercises/uniform_with_std.py); a variant
declares ``bounds(std)``, the range in words for a hidden case's messages, and ``named_ranges(std)``.
The statistics and their thresholds are the course's own task's, so a right answer fails a case with
the same small probability (about 3e-8 a case, stated there).
"""

from __future__ import annotations

import math

import numpy as np

from checks.exercises.uniform_with_std import (
    _FLAT_KURTOSIS,
    _GAP_IN_AVERAGE_SPACINGS,
    _KS_CRITICAL,
    _MIN_VALUES_FOR_STATISTICS,
    _NAMED_TOLERANCE,
    UniformWithStd,
)
from checks.outcome import Mistake
from checks.random_values import excess_kurtosis, ks_to_uniform, not_a_float32_tensor

#: A hidden case's std keeps every named range and the right one this far apart (a share of half the
#: right range's width: 10%, as the course's own task keeps its bounds), so that the range a wrong answer
#: fills names one mistake only.
_APART = 0.05


class UniformRange(UniformWithStd):
    #: The range in words, for messages on hidden cases (whose numbers are not shown): "[0, 2√3 × std)".
    range_in_words: str

    def bounds(self, std: float) -> tuple[float, float]:
        """The range ``[low, high)`` whose uniform values have the standard deviation ``std``."""
        raise NotImplementedError

    def named_ranges(self, std: float) -> list[tuple[str, tuple[float, float], str]]:
        """Ranges learners draw from instead: the mistake's key, the range, and why it is not the one."""
        raise NotImplementedError

    def tells_mistakes_apart(self, std: float) -> bool:
        """Whether, for this std, the right range, [0, 1) and every named range differ each from each by
        a tenth of half the right range's width or more, at one end or the other."""
        low, high = self.bounds(std)
        ranges = [(low, high), (0.0, 1.0)] + [bounds for _, bounds, _ in self.named_ranges(std)]
        width = high - low
        return all(
            max(abs(a[0] - b[0]), abs(a[1] - b[1])) >= _APART * width
            for i, a in enumerate(ranges)
            for b in ranges[i + 1 :]
        )

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        cases = super().draw_cases(rng)
        for case in cases:
            while not self.tells_mistakes_apart(case["std"]):
                case["std"] = float(f"{math.exp(rng.uniform(math.log(0.005), math.log(3.0))):.4g}")
        return cases

    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        shape, std, hidden = tuple(case["shape"]), case["std"], case.get("hidden", False)
        where, got = self.where(case), observation["returned"]
        mistake = not_a_float32_tensor("uniform_with_std", got, where, hidden, "the tensor of random values itself")
        if mistake is not None:
            return mistake
        if tuple(got["shape"]) != shape:
            found = "" if hidden else f" {tuple(got['shape'])}; expected {shape}"
            return Mistake("wrong-shape", f"{where}, the tensor's shape is not the shape asked for{found}.")
        if any(call["bounds_swapped"] for call in observation["uniform_calls"]):
            return Mistake(
                "swapped-bounds",
                "tf.random.uniform got a minval larger than its maxval: the range is upside down. TensorFlow "
                "does not complain for floats, but the lower bound is expected in minval and the upper one in "
                "maxval.",
            )
        return _diagnose_range(self, got["values"], std, where, hidden)


def _diagnose_range(variant: UniformRange, values: np.ndarray, std: float, where: str, hidden: bool) -> Mistake | None:
    """What the values of one case show against the variant's range, or None when they fill it evenly."""
    low, high = (float(np.float32(bound)) for bound in variant.bounds(std))
    over = variant.range_in_words if hidden else f"[{low:.4g}, {high:.4g})"
    expected = f"values spread evenly over {over}"
    lowest, highest, n = float(values.min()), float(values.max()), values.size
    if lowest == highest and n > 1:
        return Mistake(
            "constant-values",
            f"{where}, every value is {'the same' if hidden else f'{lowest:.4g}'}, so nothing is random; "
            f"expected {expected}.",
        )
    width = high - low
    out_of_range = lowest < low - 1e-6 * width or highest > high + 1e-6 * width
    found = (
        "your values fill another range than the one asked for"
        if hidden
        else f"your values lie in [{lowest:.4g}, {highest:.4g}]"
    )
    if n < _MIN_VALUES_FOR_STATISTICS:  # too few values to judge their spread: only their range
        if not out_of_range:
            return None
        return Mistake(
            "values-out-of-range",
            f"{where}, {'some of your values lie' if hidden else found + ','} outside the range asked for: "
            f"expected {expected}.",
        )
    gap = _GAP_IN_AVERAGE_SPACINGS * width / n
    if (
        not out_of_range
        and lowest <= low + gap
        and highest >= high - gap
        and ks_to_uniform(values, low, high) <= _KS_CRITICAL / math.sqrt(n)
    ):
        return None
    if excess_kurtosis(values) > _FLAT_KURTOSIS:
        return Mistake(
            "normal-not-uniform",
            f"{where}, your values are bunched toward their middle and thin out at the ends, as a normal "
            f"distribution's are, not spread evenly; expected {expected}.",
        )
    if lowest >= 0 and abs(highest - 1) < 0.01:
        return Mistake(
            "default-range",
            f"{where}, your values lie in [0, 1), tf.random.uniform's default range, which it uses when it is "
            f"given no bounds; expected {expected}.",
        )
    for key, (named_low, named_high), why in variant.named_ranges(std):
        tolerance = _NAMED_TOLERANCE * (named_high - named_low)
        if abs(lowest - named_low) <= tolerance and abs(highest - named_high) <= tolerance:
            return Mistake(key, f"{where}, {found}: {why}")
    if not out_of_range and lowest <= low + gap and highest >= high - gap:
        return Mistake(
            "not-uniform",
            f"{where}, your values stay in the expected range but are not spread evenly over it, as a "
            "uniform distribution's are.",
        )
    if hidden:
        spread = float(values.astype(np.float64).std())
        found += f" (their standard deviation is {spread / std:.2f} times the std asked for)"
    return Mistake(
        "wrong-range",
        f"{where}, {found}; expected {expected}. For a uniform range of width w the standard deviation is w/√12.",
    )
