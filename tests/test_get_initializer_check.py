"""The get_initializer check: every correct way passes, each typical mistake is named."""
import numpy as np
import pytest
import tensorflow as tf

import checks
from checks import Status


def canonical(embedding_dim, vocab_size):
    initial_bounds = 0.5 / embedding_dim
    return tf.random.uniform((vocab_size, embedding_dim), minval=-initial_bounds, maxval=initial_bounds)


def positional_list_shape(embedding_dim, vocab_size):
    bound = 1 / (2 * embedding_dim)
    return tf.random.uniform([vocab_size, embedding_dim], -bound, bound)


def compat_v1_name(embedding_dim, vocab_size):
    return tf.compat.v1.random_uniform(
        shape=(vocab_size, embedding_dim), minval=-0.5 / embedding_dim, maxval=0.5 / embedding_dim,
        dtype=tf.float32)


def keras_initializer_called(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.keras.initializers.RandomUniform(-bound, bound)(shape=(vocab_size, embedding_dim))


def stateless(embedding_dim, vocab_size):
    bound = 0.5 / embedding_dim
    return tf.random.stateless_uniform((vocab_size, embedding_dim), seed=(1, 2), minval=-bound, maxval=bound)


@pytest.mark.parametrize("answer", [canonical, positional_list_shape, compat_v1_name,
                                    keras_initializer_called, stateless])
def test_correct_variants_pass(answer):
    outcome = checks.get_initializer.evaluate(answer)
    assert outcome.status is Status.PASSED, outcome.message


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


@pytest.mark.parametrize("answer, status, words", [
    (forgot_return, Status.INCORRECT, ["returned None", "return"]),
    (normal, Status.INCORRECT, ["normal distribution", "tf.random.uniform"]),
    (swapped_bounds, Status.INCORRECT, ["minval larger than maxval"]),
    (divided_by_vocab, Status.INCORRECT, ["0.5 / vocab_size", "0.0625"]),
    (not_divided, Status.INCORRECT, ["outside", "not divided by embedding_dim"]),
    (default_range, Status.INCORRECT, ["default range [0, 1)"]),
    (shape_swapped, Status.INCORRECT, ["(8, 500)", "(500, 8)", "swapped"]),
    (float64, Status.INCORRECT, ["float64", "float32"]),
    (returns_variable, Status.INCORRECT, ["tf.Variable", "forward"]),
    (numpy_values, Status.INCORRECT, ["NumPy array"]),
    (initializer_object, Status.INCORRECT, ["initializer object", "RandomUniform"]),
    (floor_division, Status.INCORRECT, ["every value is 0"]),
    (only_positive, Status.INCORRECT, ["no value is negative", "minval"]),
    (half_bound, Status.INCORRECT, ["only reach", "0.0625"]),
    (flat, Status.INCORRECT, ["shape is (4000,)", "(500, 8)"]),
    (keras_default, Status.INCORRECT, ["0.05 (the Keras default)"]),
    (raises, Status.ERROR, ["in raises()", "maxval=\"big\""]),
])
def test_mistakes_are_named(answer, status, words):
    outcome = checks.get_initializer.evaluate(answer)
    assert outcome.status is status, outcome.message
    for word in words:
        assert word in outcome.message


def test_skeleton_is_not_attempted_even_with_comments_edited():
    def get_initializer(embedding_dim, vocab_size):
        # I will do this later
        pass

    assert checks.get_initializer.evaluate(get_initializer).status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("not_a_function", [None, 42, "get_initializer"])
def test_passing_something_else_than_the_function_is_explained(not_a_function):
    outcome = checks.get_initializer.evaluate(not_a_function)
    assert outcome.status is Status.INCORRECT
    assert "check(get_initializer)" in outcome.message


def test_cases_include_sizes_the_notebook_never_shows():
    sizes = {(c["vocab_size"], c["embedding_dim"]) for c in checks.get_initializer.cases()}
    assert (10, 4) not in sizes and (3, 4) not in sizes and len(sizes) >= 4


def test_check_leaves_tf_random_uniform_as_it_was():
    before = (tf.random.uniform, tf.compat.v1.random_uniform, tf.compat.v1.random.uniform)
    checks.get_initializer.evaluate(canonical)
    checks.get_initializer.evaluate(raises)
    assert (tf.random.uniform, tf.compat.v1.random_uniform, tf.compat.v1.random.uniform) == before
