"""Answers to ``uniform_with_std``, variant ``around-one``: values uniform on [1 − √3 × std, 1 + √3 × std)."""

import math

import numpy as np
import tensorflow as tf

from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, minval=1 - bound, maxval=1 + bound)


def centred_range_moved(shape, std):
    bound = std * 3**0.5
    return 1.0 + tf.random.uniform(shape, -bound, bound)


def from_the_width(shape, std):
    width = math.sqrt(12) * std
    return tf.random.uniform(shape=shape, minval=1 - width / 2, maxval=1 + width / 2)


def scaled_unit_range(shape, std):
    width = std * np.sqrt(12)
    return 1 - width / 2 + width * tf.random.uniform(list(shape))


def compat_v1(shape, std):
    bound = np.sqrt(3.0) * std
    return tf.compat.v1.random_uniform(shape, 1.0 - bound, 1.0 + bound)


RIGHT = [canonical, centred_range_moved, from_the_width, scaled_unit_range, compat_v1]


# -- wrong ------------------------------------------------------------------------------------------
def centred_as_the_course(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, -bound, bound)


def upper_bound_moved_only(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, -bound, 1 + bound)


def bound_is_std(shape, std):
    return tf.random.uniform(shape, 1 - std, 1 + std)


def power_before_division(shape, std):
    bound = std * 3**1 / 2
    return tf.random.uniform(shape, 1 - bound, 1 + bound)


def whole_width_each_side(shape, std):
    width = std * np.sqrt(12)
    return tf.random.uniform(shape, 1 - width, 1 + width)


def default_range(shape, std):
    return tf.random.uniform(shape)


def normal(shape, std):
    return tf.random.normal(shape, 1.0, std)


def swapped(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, 1 + bound, 1 - bound)


def numpy_values(shape, std):
    bound = std * np.sqrt(3)
    return np.random.uniform(1 - bound, 1 + bound, shape)


def returns_variable(shape, std):
    return tf.Variable(canonical(shape, std))


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (centred_as_the_course, Status.INCORRECT, "centred-on-zero", ["centred on 0, not on 1"]),
    (upper_bound_moved_only, Status.INCORRECT, "shifts-one-bound", ["upper bound alone", "Both bounds move"]),
    (bound_is_std, Status.INCORRECT, "bound-is-std", ["[1 − std, 1 + std)", "a/√3"]),
    (power_before_division, Status.INCORRECT, "power-before-division", ["3 ** 1/2", "** is"]),
    (whole_width_each_side, Status.INCORRECT, "bound-is-width", ["whole width"]),
    (default_range, Status.INCORRECT, "default-range", ["[0, 1)", "around 1"]),
    (normal, Status.INCORRECT, "normal-not-uniform", ["normal distribution"]),
    (swapped, Status.INCORRECT, "swapped-bounds", ["minval larger than its maxval"]),
    (numpy_values, Status.INCORRECT, "returns-numpy", ["NumPy array"]),
    (returns_variable, Status.INCORRECT, "returns-variable", ["tf.Variable"]),
]

_PUBLIC = {0.1, 2.0, 0.02, 0.5, 0.7, 0.04}


def tuned_to_the_public_stds(shape, std):
    if std in _PUBLIC:
        return canonical(shape, std)
    return tf.random.uniform(shape, 1 - std, 1 + std)


TUNED = [tuned_to_the_public_stds]
