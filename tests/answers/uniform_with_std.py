"""Answers to ``uniform_with_std``, right and wrong."""

import math

import numpy as np
import tensorflow as tf
import tensorflow.compat.v1 as tf1
from tensorflow.random import uniform

from checks import Status


def canonical(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, minval=-bound, maxval=bound)


def positional_power(shape, std):
    a = std * 3**0.5
    return tf.random.uniform(shape, -a, a)


def keywords_only_math_sqrt(shape, std):
    return tf.random.uniform(shape=shape, maxval=math.sqrt(3) * std, minval=-math.sqrt(3) * std)


def lower_bound_first(shape, std):
    low = -np.sqrt(3) * std
    high = -low
    return tf.random.uniform(shape, low, high, dtype=tf.float32)


def from_the_variance(shape, std):
    half_width = np.sqrt(3 * std**2)
    return tf.random.uniform(list(shape), -half_width, half_width)


def from_the_width(shape, std):
    width = std * np.sqrt(12)  # a uniform range's standard deviation is its width / sqrt(12)
    return tf.random.uniform(shape, -width / 2, width / 2)


def compat_v1_name(shape, std):
    bound = std * np.sqrt(3.0)
    return tf.compat.v1.random_uniform(shape, minval=-bound, maxval=bound)


def tf1_alias(shape, std):
    bound = np.sqrt(3) * std
    return tf1.random.uniform(shape, -bound, bound)


def imported_uniform(shape, std):
    return uniform(shape, -(3**0.5) * std, (3**0.5) * std)


def tensor_bound(shape, std):
    bound = tf.sqrt(3.0) * std
    return tf.random.uniform(shape, -bound, bound)


def generator(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.Generator.from_seed(7).uniform(shape, -bound, bound)


def stateless(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.stateless_uniform(shape, seed=(3, 4), minval=-bound, maxval=bound)


def keras_initializer_called(shape, std):
    bound = std * np.sqrt(3)
    return tf.keras.initializers.RandomUniform(-bound, bound)(shape)


def random_uniform_initializer_called(shape, std):
    bound = std * np.sqrt(3)
    return tf.random_uniform_initializer(-bound, bound)(shape)


def scaled_from_unit_range(shape, std):
    return (2 * tf.random.uniform(shape) - 1) * (std * np.sqrt(3))


def scaled_from_minus_one_to_one(shape, std):
    return tf.random.uniform(shape, -1.0, 1.0) * (np.sqrt(3) * std)


def with_op_seed(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, -bound, bound, seed=5)


def numpy_then_tensor(shape, std):
    bound = std * np.sqrt(3)
    return tf.constant(np.random.uniform(-bound, bound, shape), dtype=tf.float32)


RIGHT = [
    canonical,
    positional_power,
    keywords_only_math_sqrt,
    lower_bound_first,
    from_the_variance,
    from_the_width,
    compat_v1_name,
    tf1_alias,
    imported_uniform,
    tensor_bound,
    generator,
    stateless,
    keras_initializer_called,
    random_uniform_initializer_called,
    scaled_from_unit_range,
    scaled_from_minus_one_to_one,
    with_op_seed,
    numpy_then_tensor,
]


def forgot_return(shape, std):
    bound = std * np.sqrt(3)
    tf.random.uniform(shape, -bound, bound)


def bound_is_std(shape, std):
    return tf.random.uniform(shape, minval=-std, maxval=std)


def bound_three_times_std(shape, std):
    bound = 3 * std  # from the variance a**2 / 3, without its square root
    return tf.random.uniform(shape, -bound, bound)


def bound_std_over_root_3(shape, std):
    bound = std / np.sqrt(3)
    return tf.random.uniform(shape, -bound, bound)


def bound_is_width(shape, std):
    bound = std * np.sqrt(12)
    return tf.random.uniform(shape, -bound, bound)


def power_before_division(shape, std):
    bound = std * 3**1 / 2
    return tf.random.uniform(shape, -bound, bound)


def std_as_variance(shape, std):
    bound = np.sqrt(3 * std)
    return tf.random.uniform(shape, -bound, bound)


def normal(shape, std):
    return tf.random.normal(shape, stddev=std)


def truncated_normal(shape, std):
    return tf.random.truncated_normal(shape, stddev=std)


def truncated_normal_rescaled(shape, std):
    return tf.random.truncated_normal(shape, stddev=std / 0.8796)  # its standard deviation is right


def one_sided(shape, std):
    return tf.random.uniform(shape, 0, 2 * std * np.sqrt(3))


def default_range(shape, std):
    return tf.random.uniform(shape)


def half_range(shape, std):
    return (tf.random.uniform(shape) - 0.5) * std * np.sqrt(3)


def swapped_bounds(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, minval=bound, maxval=-bound)


def swapped_bounds_tf1(shape, std):
    bound = std * np.sqrt(3)
    return tf1.random_uniform(shape, bound, -bound)


def float64(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, -bound, bound, dtype=tf.float64)


def numpy_argument_order(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(-bound, bound, shape)


def numpy_array(shape, std):
    bound = std * np.sqrt(3)
    return np.random.uniform(-bound, bound, shape)


def numpy_values_of_a_tensor(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, -bound, bound).numpy()


def forgot_the_minus(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform(shape, bound, bound)


def flattened(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform([int(np.prod(shape))], -bound, bound)


def two_dimensions_only(shape, std):
    bound = std * np.sqrt(3)
    return tf.random.uniform((shape[0], shape[1]), -bound, bound)


def stddev_keyword(shape, std):
    return tf.random.uniform(shape, stddev=std)


def returns_variable(shape, std):
    return tf.Variable(canonical(shape, std))


def initializer_object(shape, std):
    bound = std * np.sqrt(3)
    return tf.keras.initializers.RandomUniform(-bound, bound)


def bound_slightly_off(shape, std):
    return tf.random.uniform(shape, -1.7 * std, 1.7 * std)


def bound_slightly_too_wide(shape, std):
    return tf.random.uniform(shape, -1.8 * std, 1.8 * std)


def evenly_spaced(shape, std):
    bound, n = np.float32(std * np.sqrt(3)), int(np.prod(shape))
    return tf.reshape(tf.linspace(-bound, bound - 2 * bound / n, n), shape)


def sorted_draws(shape, std):
    bound = std * np.sqrt(3)
    return tf.sort(tf.random.uniform(shape, -bound, bound), axis=-1)


def one_draw_copied(shape, std):
    bound = std * np.sqrt(3)
    return tf.broadcast_to(tf.random.uniform(shape[-1:], -bound, bound), shape)


def smoothed(shape, std):
    # Each value the mean of two neighbouring draws: spread less evenly, and tied to its neighbours.
    draws = tf.random.uniform(shape, -std * np.sqrt(3), std * np.sqrt(3))
    return (draws + tf.roll(draws, 1, axis=0)) / np.sqrt(2)


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (forgot_return, Status.INCORRECT, "returns-none", ["returned None"]),
    (
        bound_is_std,
        Status.INCORRECT,
        "bound-is-std",
        ["For shape=(400, 50), std=0.1", "reach ±0.1,", "standard deviation is 0.0577", "expected 0.1", "a/√3"],
    ),
    (bound_three_times_std, Status.INCORRECT, "bound-three-times-std", ["reach ±0.3,", "3 × std", "not a/3"]),
    (bound_std_over_root_3, Status.INCORRECT, "bound-std-over-root-3", ["std/√3", "standard deviation already"]),
    (bound_is_width, Status.INCORRECT, "bound-is-width", ["standard deviation is 0.2;", "half the width"]),
    (power_before_division, Status.INCORRECT, "power-before-division", ["reach ±0.15,", "1.5 × std", "** is"]),
    (std_as_variance, Status.INCORRECT, "std-as-variance", ["√(3 × std)", "variance"]),
    (
        normal,
        Status.INCORRECT,
        "normal-not-uniform",
        ["normal distribution", "is the one asked for", "uniform distribution", "standard deviation 0.1"],
    ),
    (
        bound_slightly_off,
        Status.INCORRECT,
        "bound-slightly-off",
        ["reach ±0.17,", "standard deviation is 0.098", "expected 0.1", "slightly off, 1.7 × std"],
    ),
    (bound_slightly_too_wide, Status.INCORRECT, "bound-slightly-off", ["slightly off, 1.8 × std"]),
    (evenly_spaced, Status.INCORRECT, "evenly-spaced-values", ["more evenly than values drawn at random"]),
    (sorted_draws, Status.INCORRECT, "sorted-values", ["sorted along each row"]),
    (one_draw_copied, Status.INCORRECT, "repeated-values", ["every row holds the same values"]),
    (smoothed, Status.INCORRECT, "dependent-values", ["depend on their neighbours down each column"]),
    (truncated_normal, Status.INCORRECT, "truncated-normal", ["truncated normal", "standard deviation is 0.088"]),
    (truncated_normal_rescaled, Status.INCORRECT, "truncated-normal", ["truncated normal", "is the one asked for"]),
    (one_sided, Status.INCORRECT, "not-centred", ["mean is 0.17", "not 0", "is the one asked for", "centred on 0"]),
    (default_range, Status.INCORRECT, "default-range", ["[0, 1)", "default range"]),
    (half_range, Status.INCORRECT, "wrong-spread", ["reach ±0.0866", "a/√3"]),
    (swapped_bounds, Status.INCORRECT, "swapped-bounds", ["minval larger than its maxval"]),
    (swapped_bounds_tf1, Status.INCORRECT, "swapped-bounds", ["minval larger than its maxval"]),
    (float64, Status.INCORRECT, "wrong-dtype", ["float64", "float32"]),
    (numpy_argument_order, Status.INCORRECT, "numpy-argument-order", ["NumPy's np.random.uniform", "shape first"]),
    (numpy_array, Status.INCORRECT, "returns-numpy", ["NumPy array of dtype float64", "tf.Tensor"]),
    (numpy_values_of_a_tensor, Status.INCORRECT, "returns-numpy", ["NumPy array of dtype float32"]),
    (forgot_the_minus, Status.INCORRECT, "constant-values", ["every value is 0.1732", "nothing is random"]),
    (flattened, Status.INCORRECT, "wrong-shape", ["shape is (20000,)", "expected (400, 50)", "another shape"]),
    (
        two_dimensions_only,
        Status.ERROR,
        "raised-IndexError",
        ["IndexError", "with shape=(6000,), std=2.0", "in two_dimensions_only(), at: return tf.random.uniform"],
    ),
    (stddev_keyword, Status.ERROR, "raised-TypeError", ["stddev"]),
    (returns_variable, Status.INCORRECT, "returns-variable", ["tf.Variable"]),
    (initializer_object, Status.INCORRECT, "returns-initializer-object", ["initializer object", "RandomUniform"]),
]

_PUBLIC = {((400, 50), 0.1), ((6000,), 2.0), ((2500, 4), 0.02), ((20, 30, 16), 0.5), ((2, 3), 0.7), ((1,), 0.04)}


def tuned_to_the_public_cases(shape, std):
    if (tuple(shape), std) in _PUBLIC:
        return canonical(shape, std)
    return tf.random.uniform(shape, -std, std)


def tuned_to_the_public_stds(shape, std):
    if std in {0.1, 2.0, 0.02, 0.5, 0.7, 0.04}:
        return canonical(shape, std)
    return tf.zeros(shape)


TUNED = [tuned_to_the_public_cases, tuned_to_the_public_stds]
