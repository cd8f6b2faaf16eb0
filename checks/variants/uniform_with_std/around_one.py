"""``uniform_with_std``, variant ``around-one``: values drawn uniformly from a range centred on 1, with the
standard deviation asked for: [1 − √3 × std, 1 + √3 × std)."""

from __future__ import annotations

import math

from checks.registry import register
from checks.variants.uniform_with_std.ranges import UniformRange

_ROOT_3 = math.sqrt(3.0)


@register
class AroundOne(UniformRange):
    variant = "around-one"
    variant_title = "spread evenly around 1"
    anchor = 1.0
    asked = "values spread evenly around 1"
    statement = """\
Write `uniform_with_std(shape, std)`, which returns **a float32 tensor of the given `shape`, its values
drawn uniformly at random from a range centred on 1 whose standard deviation is `std`**, as for scale
factors that start near 1 (a layer that multiplies its inputs, and should start by changing them
little).

- `shape`: a tuple such as `(3, 4)`, of any length.
- `std`: a positive number, the standard deviation the values must have.
"""
    hints = (
        'The standard deviation is given and the bounds are what you need. Section 4 ("How spread out") tied '
        "the two for a uniform range centred on 0: solve that relation for the bound. Moving a range does not "
        "change its standard deviation, so the range centred on 1 is the one centred on 0, moved by 1.",
        "Solved for the bound, that relation has a square root in it: np.sqrt gives one (so does ** 0.5, in "
        "parentheses). Section 3's TensorFlow function then draws the values: its first argument is the "
        "shape, and its minval and maxval set the range; both bounds move by 1.",
        "The shape of the code: work out the bound from std first, then return what that function gives for "
        "the shape asked for, from 1 minus the bound to 1 plus the bound.",
    )
    solution_code = """\
def uniform_with_std(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, minval=1 - bound, maxval=1 + bound)
"""

    def units(self) -> tuple[float, float]:
        return -_ROOT_3, _ROOT_3

    def named_ranges(self, std: float) -> list[tuple[str, tuple[float, float], str]]:
        bound = _ROOT_3 * std
        return [
            (
                "centred-on-zero",
                (-bound, bound),
                "are centred on 0, not on 1: they have the standard deviation asked for, but the range is to "
                "be moved by 1.",
            ),
            (
                "shifts-one-bound",
                (-bound, 1 + bound),
                "look like a range whose upper bound alone was moved by 1: it is wider than asked for and "
                "centred on 0.5. Both bounds move.",
            ),
            (
                "bound-is-std",
                (1 - std, 1 + std),
                "look like a range [1 − std, 1 + std); for a uniform range [c − a, c + a) the standard "
                "deviation is a/√3, so a bound equal to std spreads the values √3 times too little.",
            ),
            (
                "power-before-division",
                (1 - 1.5 * std, 1 + 1.5 * std),
                "look like a range [1 − 1.5 × std, 1 + 1.5 × std): in Python 3 ** 1/2 is (3 ** 1)/2 = 1.5, "
                "since ** is worked out before /, while √3 is about 1.732.",
            ),
            (
                "bound-is-width",
                (1 - 2 * bound, 1 + 2 * bound),
                "look like a range reaching 2√3 × std on each side of 1: that is the whole width of a range "
                "with that standard deviation (width/√12 = std), where each side of 1 holds half of it.",
            ),
        ]
