"""Answers to ``uniform_with_std``, variant ``from-zero``: values uniform on [0, 2√3 × std)."""

import math

import numpy as np
import tensorflow as tf

from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(shape, std):
    width = std * np.sqrt(12)
    return tf.random.uniform(shape, minval=0.0, maxval=width)


def twice_the_bound(shape, std):
    bound = std * 3**0.5
    return tf.random.uniform(shape, 0, 2 * bound)


def keyword_maxval_only(shape, std):
    return tf.random.uniform(shape=shape, maxval=math.sqrt(12) * std)


def scaled_unit_range(shape, std):
    return tf.random.uniform(list(shape)) * (std * np.sqrt(12))


def shifted_centred_range(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, -bound, bound) + bound


def compat_v1(shape, std):
    return tf.compat.v1.random_uniform(shape, 0.0, np.sqrt(12.0) * std)


RIGHT = [
    canonical,
    twice_the_bound,
    keyword_maxval_only,
    scaled_unit_range,
    shifted_centred_range,
    compat_v1,
]


# -- wrong ------------------------------------------------------------------------------------------
def centred_as_the_course(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, -bound, bound)


def half_the_width(shape, std):
    return tf.random.uniform(shape, 0, std * np.sqrt(3))


def width_is_std(shape, std):
    return tf.random.uniform(shape, 0, std)


def power_before_division(shape, std):
    return tf.random.uniform(shape, 0, std * 12**1 / 2)


def three_times_std(shape, std):
    return tf.random.uniform(shape, 0, 3 * std)


def default_range(shape, std):
    return tf.random.uniform(shape)


def normal(shape, std):
    return tf.random.normal(shape, std * np.sqrt(3), std)


def swapped(shape, std):
    return tf.random.uniform(shape, std * np.sqrt(12), 0.0)


def numpy_values(shape, std):
    return np.random.uniform(0, std * np.sqrt(12), shape)


def flattened(shape, std):
    return tf.random.uniform([int(np.prod(shape))], 0, std * np.sqrt(12))


def float64(shape, std):
    return tf.random.uniform(shape, 0, std * np.sqrt(12), dtype=tf.float64)


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (centred_as_the_course, Status.INCORRECT, "centred-on-zero", ["centred on 0", "start at 0"]),
    (half_the_width, Status.INCORRECT, "width-is-root-3-std", ["[0, √3 × std)", "whole width"]),
    (width_is_std, Status.INCORRECT, "width-is-std", ["[0, std)", "w/√12"]),
    (power_before_division, Status.INCORRECT, "power-before-division", ["12 ** 1/2", "** is"]),
    (three_times_std, Status.INCORRECT, "width-three-times-std", ["[0, 3 × std)"]),
    (default_range, Status.INCORRECT, "default-range", ["[0, 1)", "default range", "from 0 up"]),
    (normal, Status.INCORRECT, "normal-not-uniform", ["normal distribution"]),
    (swapped, Status.INCORRECT, "swapped-bounds", ["minval larger than its maxval"]),
    (numpy_values, Status.INCORRECT, "returns-numpy", ["NumPy array"]),
    (flattened, Status.INCORRECT, "wrong-shape", ["(20000,)", "(400, 50)"]),
    (float64, Status.INCORRECT, "wrong-dtype", ["float64"]),
]

_PUBLIC = {0.1, 2.0, 0.02, 0.5, 0.7, 0.04}


def tuned_to_the_public_stds(shape, std):
    if std in _PUBLIC:
        return canonical(shape, std)
    return tf.random.uniform(shape, 0, 3 * std)


TUNED = [tuned_to_the_public_stds]
