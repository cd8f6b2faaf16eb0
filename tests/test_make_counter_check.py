"""The practice check of notebook 1."""
import pytest
import tensorflow as tf

import checks
from checks import Status


def canonical(vocab_size):
    return tf.compat.v1.get_variable('word_counts', shape=(vocab_size,), dtype=tf.int64)


def explicit_zeros(vocab_size):
    return tf.compat.v1.get_variable(name='word_counts', shape=[vocab_size], dtype='int64',
                                     initializer=tf.compat.v1.zeros_initializer())


@pytest.mark.parametrize("answer", [canonical, explicit_zeros])
def test_correct_variants_pass(answer):
    assert checks.make_counter.evaluate(answer).passed


@pytest.mark.parametrize("answer, words", [
    (lambda v: tf.compat.v1.get_variable('word_counts', shape=(v,)), ["float32", "get_variable's default"]),
    (lambda v: tf.compat.v1.get_variable('word_counts', shape=(v,), dtype=tf.int32), ["int32", "tf.int64"]),
    (lambda v: tf.compat.v1.get_variable('counts', shape=(v,), dtype=tf.int64), ["named 'counts'"]),
    (lambda v: tf.compat.v1.get_variable('word_counts', shape=(1, v), dtype=tf.int64), ["shape is (1, 6)"]),
    (lambda v: tf.zeros((v,), tf.int64), ["tf.Tensor", "variable"]),
    (lambda v: tf.Variable(tf.zeros((v,), tf.int64), name='word_counts'), ["not made by tf.compat.v1.get_variable"]),
    (lambda v: tf.compat.v1.get_variable('word_counts', shape=(v,), dtype=tf.int64,
                                         initializer=tf.compat.v1.ones_initializer()), ["do not start at zero"]),
    (lambda v: None, ["returned None"]),
])
def test_mistakes_are_named(answer, words):
    outcome = checks.make_counter.evaluate(answer)
    assert outcome.status is Status.INCORRECT, outcome.message
    for word in words:
        assert word in outcome.message
