"""Answers to ``make_counter``, the practice exercise of notebook 1."""

import tensorflow as tf
import tensorflow.compat.v1 as tf1
from tensorflow.compat.v1 import get_variable

from checks import Status


def canonical(vocab_size):
    return tf.compat.v1.get_variable("word_counts", shape=(vocab_size,), dtype=tf.int64)


def explicit_zeros(vocab_size):
    return tf.compat.v1.get_variable(
        name="word_counts", shape=[vocab_size], dtype="int64", initializer=tf.compat.v1.zeros_initializer()
    )


def imported_get_variable(vocab_size):
    return get_variable("word_counts", shape=(vocab_size,), dtype=tf.int64)


def compat_v1_as_tf1(vocab_size):
    return tf1.get_variable("word_counts", shape=(vocab_size,), dtype=tf1.int64)


RIGHT = [canonical, explicit_zeros, imported_get_variable, compat_v1_as_tf1]


def float32_default(v):
    return tf.compat.v1.get_variable("word_counts", shape=(v,))


def int32(v):
    return tf.compat.v1.get_variable("word_counts", shape=(v,), dtype=tf.int32)


def named_counts(v):
    return tf.compat.v1.get_variable("counts", shape=(v,), dtype=tf.int64)


def row_shape(v):
    return tf.compat.v1.get_variable("word_counts", shape=(1, v), dtype=tf.int64)


def tensor_not_variable(v):
    return tf.zeros((v,), tf.int64)


def plain_variable(v):
    return tf.Variable(tf.zeros((v,), tf.int64), name="word_counts")


def starts_at_one(v):
    return tf.compat.v1.get_variable(
        "word_counts", shape=(v,), dtype=tf.int64, initializer=tf.compat.v1.ones_initializer()
    )


def returns_none(v):
    return None


def breaks_on_one_word(v):
    return tf.compat.v1.get_variable("word_counts", shape=(v,), dtype=tf.int64) if v > 1 else [][0]


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (float32_default, Status.INCORRECT, "float32-default-dtype", ["float32", "get_variable's default"]),
    (int32, Status.INCORRECT, "wrong-dtype", ["int32", "int64"]),
    (named_counts, Status.INCORRECT, "wrong-name", ["named 'counts'"]),
    (row_shape, Status.INCORRECT, "wrong-shape", ["shape is (1, 6)"]),
    (tensor_not_variable, Status.INCORRECT, "not-a-variable", ["tf.Tensor", "variable"]),
    (plain_variable, Status.INCORRECT, "not-from-get-variable", ["tf.compat.v1.get_variable did not make"]),
    (starts_at_one, Status.INCORRECT, "not-zeros", ["do not all start at zero"]),
    (returns_none, Status.INCORRECT, "returns-none", ["returned None"]),
    (
        breaks_on_one_word,
        Status.ERROR,
        "raised-IndexError",
        ["IndexError", "with vocab_size=1", "in breaks_on_one_word()"],
    ),
]


def tuned_to_the_public_cases(vocab_size):
    shape = (vocab_size,) if vocab_size in (6, 1, 250) else (vocab_size + 1,)
    return tf.compat.v1.get_variable("word_counts", shape=shape, dtype=tf.int64)


TUNED = [tuned_to_the_public_cases]
