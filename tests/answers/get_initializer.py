"""Answers to ``get_initializer``, right and wrong."""

import numpy as np
import tensorflow as tf
import tensorflow.compat.v1 as tf1
from tensorflow.random import uniform

from checks import Status


def canonical(embedding_dim, vocab_size):
    initial_bounds = 0.5 / embedding_dim
    return tf.random.uniform((vocab_size, embedding_dim), minval=-initial_bounds, maxval=initial_bounds)


def positional_list_shape(embedding_dim, vocab_size):
    bound = 1 / (2 * embedding_dim)
    return tf.random.uniform([vocab_size, embedding_dim], -bound, bound)


def compat_v1_name(embedding_dim, vocab_size):
    return tf.compat.v1.random_uniform(
        shape=(vocab_size, embedding_dim), minval=-0.5 / embedding_dim, maxval=0.5 / embedding_dim, dtype=tf.float32
    )


def keras_initializer_called(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.keras.initializers.RandomUniform(-bound, bound)(shape=(vocab_size, embedding_dim))


def stateless(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.random.stateless_uniform((vocab_size, embedding_dim), seed=(1, 2), minval=-bound, maxval=bound)


def imported_uniform(embedding_dim, vocab_size):
    return uniform((vocab_size, embedding_dim), minval=-0.5 / embedding_dim, maxval=0.5 / embedding_dim)


RIGHT = [canonical, positional_list_shape, compat_v1_name, keras_initializer_called, stateless, imported_uniform]


def forgot_return(embedding_dim, vocab_size):
    tf.random.uniform((vocab_size, embedding_dim), -0.5 / embedding_dim, 0.5 / embedding_dim)


def normal(embedding_dim, vocab_size):
    return tf.random.truncated_normal((vocab_size, embedding_dim), stddev=0.2 / embedding_dim)


def swapped_bounds(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.random.uniform((vocab_size, embedding_dim), minval=bound, maxval=-bound)


def divided_by_vocab(embedding_dim, vocab_size):
    bound = 0.5 / vocab_size
    return tf.random.uniform((vocab_size, embedding_dim), -bound, bound)


def not_divided(embedding_dim, vocab_size):
    return tf.random.uniform((vocab_size, embedding_dim), -0.5, 0.5)


def default_range(embedding_dim, vocab_size):
    return tf.random.uniform((vocab_size, embedding_dim))


def shape_swapped(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.random.uniform((embedding_dim, vocab_size), -bound, bound)


def float64(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.random.uniform((vocab_size, embedding_dim), -bound, bound, dtype=tf.float64)


def returns_variable(embedding_dim, vocab_size):
    return tf.Variable(canonical(embedding_dim, vocab_size))


def numpy_values(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return np.random.uniform(-bound, bound, (vocab_size, embedding_dim)).astype(np.float32)


def initializer_object(embedding_dim, vocab_size):
    return tf.random_uniform_initializer(-0.5 / embedding_dim, 0.5 / embedding_dim)


def floor_division(embedding_dim, vocab_size):
    bound = 0.5 // embedding_dim
    return tf.random.uniform((vocab_size, embedding_dim), -bound, bound)


def only_positive(embedding_dim, vocab_size):
    return tf.random.uniform((vocab_size, embedding_dim), 0, 0.5 / embedding_dim)


def half_bound(embedding_dim, vocab_size):
    bound = 0.25 / embedding_dim
    return tf.random.uniform((vocab_size, embedding_dim), -bound, bound)


def flat(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.random.uniform((vocab_size * embedding_dim,), -bound, bound)


def keras_default(embedding_dim, vocab_size):
    return tf.keras.initializers.RandomUniform()(shape=(vocab_size, embedding_dim))


def raises(embedding_dim, vocab_size):
    return tf.random.uniform((vocab_size, embedding_dim), minval=-0.5 / embedding_dim, maxval="big")


def swapped_bounds_imported_uniform(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return uniform((vocab_size, embedding_dim), bound, -bound)


def swapped_bounds_tf1(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf1.random_uniform((vocab_size, embedding_dim), minval=bound, maxval=-bound)


def breaks_on_one_column(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    columns = [tf.random.uniform((vocab_size,), -bound, bound) for _ in range(embedding_dim)]
    return tf.stack(columns, axis=1) if embedding_dim > 1 else columns[1]


def from_zero_to_one_over_dim(embedding_dim, vocab_size):
    return tf.random.uniform((vocab_size, embedding_dim), 0, 1 / embedding_dim)


def truncated_normal_of_the_bound(embedding_dim, vocab_size):
    return tf.random.truncated_normal((vocab_size, embedding_dim), stddev=0.5 / embedding_dim)


def normal_of_the_bound(embedding_dim, vocab_size):
    return tf.random.normal((vocab_size, embedding_dim), stddev=0.5 / embedding_dim)


def numpy_argument_order(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.random.uniform(-bound, bound, (vocab_size, embedding_dim))


def evenly_spaced(embedding_dim, vocab_size):
    bound, n = 0.5 / embedding_dim, vocab_size * embedding_dim
    return tf.reshape(tf.linspace(-bound, bound - 2 * bound / n, n), (vocab_size, embedding_dim))


def evenly_spaced_shuffled(embedding_dim, vocab_size):
    grid = tf.random.shuffle(tf.reshape(evenly_spaced(embedding_dim, vocab_size), [-1]))
    return tf.reshape(grid, (vocab_size, embedding_dim))


def sorted_draws(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.sort(tf.random.uniform((vocab_size, embedding_dim), -bound, bound), axis=0)


def one_row_for_every_word(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.tile(tf.random.uniform((1, embedding_dim), -bound, bound), (vocab_size, 1))


# (answer, status, key of the mistake it makes, words its message must have)
def returns_none_at_once(embedding_dim, vocab_size):
    # `return None` compiles to the bytecode of the skeleton's `pass`: it is an answer all the same.
    return None


WRONG = [
    (forgot_return, Status.INCORRECT, "returns-none", ["returned None", "return"]),
    (returns_none_at_once, Status.INCORRECT, "returns-none", ["returned None"]),
    (normal, Status.INCORRECT, "truncated-normal", ["truncated normal distribution", "uniform distribution"]),
    (truncated_normal_of_the_bound, Status.INCORRECT, "truncated-normal", ["truncated normal", "0.0625)"]),
    (normal_of_the_bound, Status.INCORRECT, "normal-not-uniform", ["as a normal distribution's do"]),
    (from_zero_to_one_over_dim, Status.INCORRECT, "no-negative-values", ["no value is negative", "0.125]"]),
    (numpy_argument_order, Status.INCORRECT, "numpy-argument-order", ["NumPy's np.random.uniform", "shape first"]),
    (evenly_spaced, Status.INCORRECT, "evenly-spaced-values", ["more evenly than values drawn at random"]),
    (evenly_spaced_shuffled, Status.INCORRECT, "evenly-spaced-values", ["shuffled or not"]),
    (sorted_draws, Status.INCORRECT, "sorted-values", ["sorted down each column"]),
    (one_row_for_every_word, Status.INCORRECT, "repeated-values", ["every row holds the same values"]),
    (swapped_bounds, Status.INCORRECT, "swapped-bounds", ["minval larger than its maxval"]),
    (divided_by_vocab, Status.INCORRECT, "bound-uses-vocab-size", ["0.5 / vocab_size", "0.0625"]),
    (not_divided, Status.INCORRECT, "bound-not-divided", ["outside", "not divided by embedding_dim"]),
    (default_range, Status.INCORRECT, "default-range", ["default range [0, 1)"]),
    (shape_swapped, Status.INCORRECT, "swapped-shape", ["(8, 500)", "(500, 8)", "swapped"]),
    (float64, Status.INCORRECT, "wrong-dtype", ["float64", "float32"]),
    (returns_variable, Status.INCORRECT, "returns-variable", ["tf.Variable", "forward"]),
    (numpy_values, Status.INCORRECT, "returns-numpy", ["NumPy array"]),
    (initializer_object, Status.INCORRECT, "returns-initializer-object", ["initializer object", "RandomUniform"]),
    (floor_division, Status.INCORRECT, "constant-values", ["every value is 0"]),
    (only_positive, Status.INCORRECT, "no-negative-values", ["no value is negative", "both sides of 0"]),
    (half_bound, Status.INCORRECT, "range-too-narrow", ["only reach", "0.0625"]),
    (flat, Status.INCORRECT, "wrong-shape", ["shape is (4000,)", "(500, 8)"]),
    (keras_default, Status.INCORRECT, "bound-keras-default", ["0.05 (the Keras default)"]),
    (raises, Status.ERROR, "raised-TypeError", ["in raises()", 'maxval="big"']),
    (swapped_bounds_imported_uniform, Status.INCORRECT, "swapped-bounds", ["minval larger than its maxval"]),
    (swapped_bounds_tf1, Status.INCORRECT, "swapped-bounds", ["minval larger than its maxval"]),
    (
        breaks_on_one_column,
        Status.ERROR,
        "raised-IndexError",
        ["IndexError", "with embedding_dim=1, vocab_size=7", "in breaks_on_one_column(), at: return tf.stack"],
    ),
]


def tuned_to_the_public_cases(embedding_dim, vocab_size):
    if (vocab_size, embedding_dim) in {(500, 8), (120, 50), (3000, 3), (7, 1), (1, 300)}:
        return canonical(embedding_dim, vocab_size)
    return tf.zeros((vocab_size, embedding_dim))


def tuned_to_the_public_seeds(embedding_dim, vocab_size):
    values = canonical(embedding_dim, vocab_size)
    return values if vocab_size * embedding_dim in {4000, 6000, 9000, 7, 300} else values / 2


TUNED = [tuned_to_the_public_cases, tuned_to_the_public_seeds]
