"""What the variants of ``uniform_with_std`` share: values judged against a uniform range, in units of
the std asked for measured from where the task anchors the range (its start, or its centre), and named
when they fill a range learners use instead.

As for the course's own task (checks/exercises/uniform_with_std.py), a message says what the values
did (where they lie, how spread out they are) and what the task asked for in the task's own words,
never the range the learner is to work out. The statistics are the course's own task's
(``checks.random_values.looks_drawn``), so a right answer fails a case no more often than there.
"""

from __future__ import annotations

import math

import numpy as np

from checks.exercises.uniform_with_std import _MIN_VALUES_FOR_STATISTICS, _NAMED_TOLERANCE, UniformWithStd
from checks.outcome import Mistake
from checks.random_values import (
    FLAT_KURTOSIS,
    bell_shape_mistake,
    excess_kurtosis,
    independence_mistake,
    looks_drawn,
    not_a_float32_tensor,
    swapped_bounds_mistake,
)

#: A hidden case's std keeps every named range and the right one this far apart, at one end or the other
#: (a share of half the right range's width: 10%, as the course's own task keeps its bounds), so that
#: the range a wrong answer fills names one mistake only.
_APART = 0.05


class UniformRange(UniformWithStd):
    #: Where the task anchors the range, a number the statement gives (0 for a range that starts there, 1
    #: for one centred there): the values are measured from it, in units of the std asked for.
    anchor: float
    #: What the task asks for, in its words, for messages: "values spread evenly from 0 up".
    asked: str

    def units(self) -> tuple[float, float]:
        """The range the values must fill, measured from ``anchor`` in units of the std asked for."""
        raise NotImplementedError

    def named_ranges(self, std: float) -> list[tuple[str, tuple[float, float], str]]:
        """Ranges learners draw from instead: the mistake's key, the range (as the values lie, for this
        std), and what it shows, in the relation's terms, never the range to draw from."""
        raise NotImplementedError

    def tells_mistakes_apart(self, std: float) -> bool:
        """Whether, for this std, the right range, [0, 1) and every named range differ each from each by
        a tenth of half the right range's width or more, at one end or the other."""
        low, high = (self.anchor + std * end for end in self.units())
        ranges = [(low, high), (0.0, 1.0)] + [bounds for _, bounds, _ in self.named_ranges(std)]
        return all(
            max(abs(a[0] - b[0]), abs(a[1] - b[1])) >= _APART * (high - low)
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
            mistake = swapped_bounds_mistake()  # a Mistake the helper words, as the course's own task's
            return mistake
        return _diagnose_range(self, got["values"], std, where, hidden)


def _diagnose_range(variant: UniformRange, values: np.ndarray, std: float, where: str, hidden: bool) -> Mistake | None:
    """What one case's values show against the variant's range, or None when they fill it evenly."""
    low, high = variant.units()
    units = (values.astype(np.float64) - variant.anchor) / std
    expected = f"{variant.asked}, with the standard deviation asked for"
    lowest, highest, n = float(values.min()), float(values.max()), values.size
    if lowest == highest and n > 1:
        return Mistake(
            "constant-values",
            f"{where}, every value is {'the same' if hidden else f'{lowest:.4g}'}, so nothing is random; "
            f"expected {expected}.",
        )
    slack = 1e-6 * (high - low)
    out_of_range = float(units.min()) < low - slack or float(units.max()) > high + slack
    found = "your values" if hidden else f"your values, in [{lowest:.4g}, {highest:.4g}],"
    if n < _MIN_VALUES_FOR_STATISTICS:  # too few values to judge their spread: only where they lie
        if not out_of_range:
            return None
        return Mistake(
            "values-out-of-range",
            f"{where}, {found} go further than values drawn as the task asks ever go; expected {expected}.",
        )
    if not out_of_range and looks_drawn(units, low, high, ends=True):
        return None
    mistake = independence_mistake(units, low, high, where)
    if mistake is not None:
        return mistake
    spread = float(values.astype(np.float64).std())
    measured = (
        f"their standard deviation is {spread / std:.2f} times the std asked for"
        if hidden
        else f"their standard deviation is {spread:.4g}, for a std of {std:.4g} asked for"
    )
    shape = bell_shape_mistake(values - values.mean(), where, measured, expected)
    if shape is not None:
        return shape
    if lowest >= 0 and abs(highest - 1) < 0.01 and excess_kurtosis(values) <= FLAT_KURTOSIS:
        return Mistake(
            "default-range",
            f"{where}, your values lie in [0, 1), tf.random.uniform's default range, which it uses when it is "
            f"given no bounds; expected {expected}.",
        )
    for key, (named_low, named_high), why in variant.named_ranges(std):
        tolerance = _NAMED_TOLERANCE * (named_high - named_low)
        if abs(lowest - named_low) <= tolerance and abs(highest - named_high) <= tolerance:
            return Mistake(key, f"{where}, {found} {why}")
    if not out_of_range:
        return Mistake(
            "not-uniform",
            f"{where}, your values stay where the task asks but are not spread evenly there, as a uniform "
            f"distribution's are ({measured}).",
        )
    return Mistake(
        "wrong-range",
        f"{where}, {found} fill another range than the task asks for ({measured}); expected {expected}. For a "
        "uniform range of width w the standard deviation is w/√12.",
    )
