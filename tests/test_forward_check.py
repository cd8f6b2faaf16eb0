"""The forward check: every correct way passes, each typical mistake is named.

Each answer is a subclass of the chapter's EmbeddingModel with its own ``forward``; ``forward`` calls
``get_initializer`` from this module's globals, as it would from a notebook's.
"""
import numpy as np
import pytest
import tensorflow as tf

import checks
import checks.observing
from checks import Status


def get_initializer(embedding_dim, vocab_size):
    # Deliberately wrong: the forward check must not depend on the learner's get_initializer.
    return tf.zeros((vocab_size, embedding_dim))


class EmbeddingModel(object):
    def __init__(self, vocab_size, embedding_dim):
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.tokenizer = tf.keras.preprocessing.text.Tokenizer(num_words=self.vocab_size)


def model(forward):
    return type(forward.__name__, (EmbeddingModel,), {"forward": forward})


@model
def canonical(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    embeddings = tf.compat.v1.nn.embedding_lookup(self.embedding_matrix, target_ids)
    return embeddings


@model
def tf2_names_and_keywords(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable(name="embedding_matrix", initializer=initializer,
                                                      dtype=tf.float32, trainable=True)
    return tf.nn.embedding_lookup(params=self.embedding_matrix, ids=target_ids)


@model
def gather(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return tf.gather(self.embedding_matrix, target_ids)


@model
def inside_a_scope(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    with tf.compat.v1.variable_scope("skipgram"):
        self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def calls_get_initializer_again(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable(
        'embedding_matrix', initializer=get_initializer(self.embedding_dim, self.vocab_size))
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@pytest.mark.parametrize("answer", [canonical, tf2_names_and_keywords, gather, inside_a_scope,
                                    calls_get_initializer_again])
def test_correct_variants_pass(answer):
    outcome = checks.forward.evaluate(answer)
    assert outcome.status is Status.PASSED, outcome.message


@model
def forgot_return(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def local_matrix(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return tf.nn.embedding_lookup(embedding_matrix, target_ids)


@model
def plain_variable(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.Variable(initializer, name='embedding_matrix')
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def wrong_name(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embeddings', initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def default_initializer(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable(
        'embedding_matrix', shape=(self.vocab_size, self.embedding_dim))
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def shape_and_initializer(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable(
        'embedding_matrix', shape=(self.vocab_size, self.embedding_dim), initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def returns_matrix(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return self.embedding_matrix


@model
def returns_numpy(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return self.embedding_matrix.numpy()[np.asarray(target_ids)]


@model
def flattens_ids(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, tf.reshape(target_ids, [-1]))


@model
def drops_repeats(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    unique_ids, _ = tf.unique(tf.reshape(target_ids, [-1]))
    return tf.nn.embedding_lookup(self.embedding_matrix, unique_ids)


@model
def shifted_rows(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, (target_ids + 1) % self.vocab_size)


@model
def float64_embeddings(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return tf.cast(tf.nn.embedding_lookup(self.embedding_matrix, target_ids), tf.float64)


@model
def transposed_lookup(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return tf.transpose(tf.nn.embedding_lookup(self.embedding_matrix, target_ids))


@model
def scaled(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer * 2)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def swapped_lookup_arguments(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
    return tf.nn.embedding_lookup(target_ids, self.embedding_matrix)


@pytest.mark.parametrize("answer, status, words", [
    (forgot_return, Status.INCORRECT, ["returned None"]),
    (local_matrix, Status.INCORRECT, ["did not set self.embedding_matrix"]),
    (plain_variable, Status.INCORRECT, ["not made by tf.compat.v1.get_variable"]),
    (wrong_name, Status.INCORRECT, ["named 'embeddings'", "'embedding_matrix'"]),
    (default_initializer, Status.INCORRECT, ["initializer=initializer", "Glorot"]),
    (shape_and_initializer, Status.ERROR, ["ValueError", "do not specify shape", "in shape_and_initializer()"]),
    (returns_matrix, Status.INCORRECT, ["returned the variable"]),
    (returns_numpy, Status.INCORRECT, ["NumPy array", "gradients"]),
    (flattens_ids, Status.INCORRECT, ["flattened", "(2, 3, 4)"]),
    (drops_repeats, Status.INCORRECT, ["repeated id", "4 rows for 5 ids"]),
    (shifted_rows, Status.INCORRECT, ["row 4 of the matrix, not row 3"]),
    (float64_embeddings, Status.INCORRECT, ["float64", "float32"]),
    (transposed_lookup, Status.INCORRECT, ["not a row of the embedding matrix"]),
    (scaled, Status.INCORRECT, ["does not hold the values get_initializer returned"]),
    (swapped_lookup_arguments, Status.ERROR, ["in swapped_lookup_arguments()"]),
])
def test_mistakes_are_named(answer, status, words):
    outcome = checks.forward.evaluate(answer)
    assert outcome.status is status, outcome.message
    for word in words:
        assert word in outcome.message


def test_skeleton_is_not_attempted():
    skeleton = checks.observing.compile_function(checks.forward.skeleton, "EmbeddingModel")
    assert checks.forward.evaluate(skeleton).status is Status.NOT_ATTEMPTED


def test_forward_is_judged_apart_from_get_initializer_and_leaves_it_in_place():
    # This module's get_initializer returns zeros (wrong), yet canonical passes; afterwards the
    # module's own get_initializer is back.
    assert checks.forward.evaluate(canonical).passed
    assert np.all(globals()["get_initializer"](3, 2).numpy() == 0)


@pytest.mark.parametrize("not_a_class", [None, canonical.forward, canonical(3, 2)])
def test_passing_something_else_than_the_class_is_explained(not_a_class):
    outcome = checks.forward.evaluate(not_a_class)
    assert outcome.status is Status.INCORRECT and "check(EmbeddingModel)" in outcome.message


def test_cases_cover_repeats_two_dimensional_and_scalar_ids():
    shapes = [c["ids"].shape for c in checks.forward.cases()]
    assert () in shapes and any(len(s) == 2 for s in shapes)
    assert any(len(np.unique(c["ids"])) < c["ids"].size for c in checks.forward.cases())
