"""Answers to ``count_words``, variant ``presence``: one more for each word the batch holds, however
often it holds it."""

import numpy as np
import tensorflow as tf

from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(counter, word_ids):
    seen = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64, binary_output=True)
    counter.assign_add(seen)
    return counter


def counts_capped_at_one(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    counter.assign_add(tf.minimum(counts, 1))
    return counter


def compares_with_zero(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0])
    counter.assign_add(tf.cast(counts > 0, tf.int64))


def unique_then_scatter(counter, word_ids):
    words, _ = tf.unique(tf.reshape(word_ids, [-1]))
    counter.scatter_nd_add(tf.expand_dims(words, 1), tf.ones_like(words, dtype=tf.int64))
    return counter


def numpy_fancy_index(counter, word_ids):
    counts = counter.numpy()
    counts[np.asarray(word_ids)] += 1  # a repeated index adds once: what this task asks
    counter.assign(counts)
    return counter


def python_set(counter, word_ids):
    for word in set(np.ravel(word_ids).tolist()):
        counter[word].assign(counter[word] + 1)
    return counter


def one_hot_any(counter, word_ids):
    rows = tf.reshape(tf.one_hot(word_ids, counter.shape[0]), [-1, counter.shape[0]])
    counter.assign_add(tf.cast(tf.reduce_any(rows > 0, axis=0), tf.int64))
    return counter


RIGHT = [
    canonical,
    counts_capped_at_one,
    compares_with_zero,
    unique_then_scatter,
    numpy_fancy_index,
    python_set,
    one_hot_any,
]


# -- wrong ------------------------------------------------------------------------------------------
def counts_every_occurrence(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def marks_replace_the_counts(counter, word_ids):
    counter.assign(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64, binary_output=True))
    return counter


def sets_seen_words_to_one(counter, word_ids):
    words, _ = tf.unique(tf.reshape(word_ids, [-1]))
    counter.scatter_nd_update(tf.expand_dims(words, 1), tf.ones_like(words, dtype=tf.int64))
    return counter


def marks_each_sentence(counter, word_ids):
    ids = tf.convert_to_tensor(word_ids)
    rows = tf.reshape(ids, [-1, ids.shape[-1]]) if ids.shape.rank == 2 else tf.reshape(ids, [1, -1])
    seen = tf.math.bincount(rows, minlength=counter.shape[0], dtype=tf.int64, binary_output=True, axis=-1)
    counter.assign_add(tf.reduce_sum(seen, axis=0))
    return counter


def marks_in_int32(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], binary_output=True))
    return counter


def marks_returned_not_added(counter, word_ids):
    return tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64, binary_output=True)


def new_variable(counter, word_ids):
    seen = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64, binary_output=True)
    return tf.Variable(counter + seen)


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (counts_every_occurrence, Status.INCORRECT, "adds-occurrences", ["how often it occurs", "instead of one"]),
    (marks_replace_the_counts, Status.INCORRECT, "overwrites-counts", ["replace", "instead of adding"]),
    (sets_seen_words_to_one, Status.INCORRECT, "sets-to-one", ["to one", "instead of adding one"]),
    (marks_each_sentence, Status.INCORRECT, "counts-per-sentence", ["number of sentences"]),
    (marks_in_int32, Status.INCORRECT, "counts-not-int64", ["int32 values", "int64"]),
    (marks_returned_not_added, Status.INCORRECT, "returns-new-counts", ["new tensor or array"]),
    (new_variable, Status.INCORRECT, "makes-new-variable", ["returned another variable"]),
]


def tuned_to_the_public_cases(counter, word_ids):
    seen = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64, binary_output=True)
    if counter.shape[0] in (6, 8, 5, 10):  # the public counters' sizes
        counter.assign_add(seen)
    else:
        counter.assign(seen)
    return counter


TUNED = [tuned_to_the_public_cases]
