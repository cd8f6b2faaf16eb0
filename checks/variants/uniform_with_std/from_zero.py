"""``uniform_with_std``, variant ``from-zero``: values drawn uniformly from a range that starts at 0, with
the standard deviation asked for: [0, 2√3 × std)."""

from __future__ import annotations

import math

from checks.registry import register
from checks.variants.uniform_with_std.ranges import UniformRange

_ROOT_3 = math.sqrt(3.0)


@register
class FromZero(UniformRange):
    variant = "from-zero"
    variant_title = "spread evenly from 0 up"
    anchor = 0.0
    asked = "values spread evenly from 0 up"
    statement = """\
Write `uniform_with_std(shape, std)`, which returns **a float32 tensor of the given `shape`, its values
drawn uniformly at random from a range that starts at 0 and whose standard deviation is `std`**: none
negative, as for a weight that must not be.

- `shape`: a tuple such as `(3, 4)`, of any length.
- `std`: a positive number, the standard deviation the values must have.
"""
    hints = (
        'The standard deviation is given and the range is what you need. Section 4 ("How spread out") tied '
        "the standard deviation of a uniform range to its bound, for a range centred on 0; it depends only "
        "on the range's width, not on where the range lies. So work out the width that std needs, and let "
        "the range start at 0.",
        "For a range centred on 0 the width is twice the bound. The relation, solved for the width, has a "
        "square root in it: np.sqrt gives one (so does ** 0.5, in parentheses). Section 3's TensorFlow "
        "function then draws the values: its first argument is the shape, and its minval and maxval set "
        "the range.",
        "The shape of the code: work out the width from std first, then return what that function gives for "
        "the shape asked for, from 0 to the width.",
    )
    solution_code = """\
def uniform_with_std(shape, std):
    width = std * np.sqrt(12)
    return tf.random.uniform(shape, minval=0.0, maxval=width)
"""

    def units(self) -> tuple[float, float]:
        return 0.0, 2 * _ROOT_3

    def named_ranges(self, std: float) -> list[tuple[str, tuple[float, float], str]]:
        return [
            (
                "centred-on-zero",
                (-_ROOT_3 * std, _ROOT_3 * std),
                "are centred on 0, half of them negative: they have the standard deviation asked for, but the "
                "range is to start at 0.",
            ),
            (
                "width-is-root-3-std",
                (0.0, _ROOT_3 * std),
                "look like a range [0, √3 × std): √3 × std is the bound of a range centred on 0 with that "
                "standard deviation, which is half that range's width; a range that starts at 0 spans the "
                "whole width.",
            ),
            (
                "width-is-std",
                (0.0, std),
                "look like a range [0, std): the standard deviation of a uniform range of width w is w/√12, so "
                "a width equal to std spreads the values √12 times too little.",
            ),
            (
                "power-before-division",
                (0.0, 6.0 * std),
                "look like a range [0, 6 × std): in Python 12 ** 1/2 is (12 ** 1)/2 = 6, since ** is worked "
                "out before /, while √12 is about 3.46.",
            ),
            (
                "width-three-times-std",
                (0.0, 3.0 * std),
                "look like a range [0, 3 × std); for a uniform range of width w the standard deviation is "
                "w/√12, the square root of the variance w²/12, not w/3.",
            ),
        ]
