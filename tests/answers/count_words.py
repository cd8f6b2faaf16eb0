"""Answers to ``count_words``, the graded exercise of notebook 1: every right way of counting we could
think of (TensorFlow and NumPy, with or without a return), the mistakes learners make, and an answer
tuned to the public cases."""

import collections

import numpy as np
import tensorflow as tf
import tensorflow.compat.v1 as tf1

from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    counter.assign_add(counts)
    return counter


def returns_nothing(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))


def returns_what_assign_add_returns(counter, word_ids):
    return counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))


def bincount_of_the_counters_dtype(counter, word_ids):
    ids = tf.reshape(tf.cast(word_ids, tf.int32), [-1])
    counter.assign_add(
        tf.math.bincount(ids, minlength=tf.size(counter), maxlength=tf.size(counter), dtype=counter.dtype)
    )
    return counter


def scatter_nd_add_method(counter, word_ids):
    ids = tf.reshape(word_ids, [-1, 1])
    counter.scatter_nd_add(ids, tf.ones(tf.shape(ids)[:1], dtype=tf.int64))
    return counter


def compat_v1_scatter_nd_add(counter, word_ids):
    ids = tf.reshape(word_ids, [-1, 1])
    tf1.scatter_nd_add(counter, ids, tf.ones_like(ids[:, 0], dtype=tf.int64))
    return counter


def tensor_scatter_nd_add_then_assign(counter, word_ids):
    ids = tf.expand_dims(tf.reshape(word_ids, [-1]), -1)
    counter.assign(tf.tensor_scatter_nd_add(counter, ids, tf.ones(tf.shape(ids)[0], tf.int64)))
    return counter


def scatter_add_indexed_slices(counter, word_ids):
    ids = tf.reshape(word_ids, [-1])
    counter.scatter_add(tf.IndexedSlices(tf.ones_like(ids, dtype=tf.int64), ids))
    return counter


def unique_with_counts(counter, word_ids):
    words, _, how_often = tf.unique_with_counts(tf.reshape(word_ids, [-1]))
    counter.scatter_nd_add(tf.expand_dims(words, 1), tf.cast(how_often, tf.int64))
    return counter


def one_hot_sum(counter, word_ids):
    vocab_size = counter.shape[0]
    rows = tf.reshape(tf.one_hot(word_ids, vocab_size, dtype=tf.int64), [-1, vocab_size])
    counter.assign_add(tf.reduce_sum(rows, axis=0))
    return counter


def loop_of_assign_add(counter, word_ids):
    for word in np.ravel(word_ids):
        counter.assign_add(tf.one_hot(word, counter.shape[0], dtype=tf.int64))
    return counter


def loop_of_sliced_assign(counter, word_ids):
    for word in np.asarray(word_ids).reshape(-1):
        counter[word].assign(counter[word] + 1)
    return counter


def numpy_bincount(counter, word_ids):
    counter.assign_add(np.bincount(np.ravel(word_ids), minlength=len(counter.numpy())))
    return counter


def numpy_add_at(counter, word_ids):
    counts = counter.numpy()
    np.add.at(counts, np.asarray(word_ids), 1)
    counter.assign(counts)
    return counter


def python_counter(counter, word_ids):
    for word, times in collections.Counter(np.ravel(word_ids).tolist()).items():
        counter[word].assign(counter[word] + times)
    return counter


def read_add_assign(counter, word_ids):
    counter.assign(counter + tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def returns_the_counts_as_numpy(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter.numpy()


@tf.function
def as_a_tf_function(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter


RIGHT = [
    canonical,
    returns_nothing,
    returns_what_assign_add_returns,
    bincount_of_the_counters_dtype,
    scatter_nd_add_method,
    compat_v1_scatter_nd_add,
    tensor_scatter_nd_add_then_assign,
    scatter_add_indexed_slices,
    unique_with_counts,
    one_hot_sum,
    loop_of_assign_add,
    loop_of_sliced_assign,
    numpy_bincount,
    numpy_add_at,
    python_counter,
    read_add_assign,
    returns_the_counts_as_numpy,
    as_a_tf_function,
]


# -- wrong ------------------------------------------------------------------------------------------
def overwrites_with_assign(counter, word_ids):
    counter.assign(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def starts_from_zero_each_batch(counter, word_ids):
    counter.assign(tf.zeros_like(counter))
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))


def numpy_fancy_index(counter, word_ids):
    counts = counter.numpy()
    counts[np.asarray(word_ids)] += 1
    counter.assign(counts)
    return counter


def unique_without_counts(counter, word_ids):
    words, _ = tf.unique(tf.reshape(word_ids, [-1]))
    counter.scatter_nd_add(tf.expand_dims(words, 1), tf.ones_like(words, dtype=tf.int64))
    return counter


def scatter_adds_the_ids(counter, word_ids):
    ids = tf.reshape(tf.cast(word_ids, tf.int64), [-1, 1])
    counter.scatter_nd_add(ids, ids[:, 0])
    return counter


def new_variable_from_the_sum(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    return tf.compat.v1.get_variable("word_counts", initializer=counter + counts)


def new_counter_for_each_batch(counter, word_ids):
    fresh = tf.compat.v1.get_variable("word_counts", shape=counter.shape, dtype=tf.int64)
    fresh.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return fresh


def new_tf_variable_not_returned(counter, word_ids):
    counter = tf.Variable(counter + tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))


def sum_is_a_new_tensor(counter, word_ids):
    counter = counter + tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    return counter


def numpy_copy_updated(counter, word_ids):
    counts = counter.numpy()
    np.add.at(counts, np.asarray(word_ids), 1)
    return counts


def counts_but_never_adds(counter, word_ids):
    tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    return counter


def returns_the_batch_counts(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    counter.assign_add(counts)
    return counts


def bincount_in_int32(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0]))
    return counter


def one_hot_in_float32(counter, word_ids):
    rows = tf.reshape(tf.one_hot(word_ids, counter.shape[0]), [-1, counter.shape[0]])
    counter.assign_add(tf.reduce_sum(rows, axis=0))
    return counter


def float_sum_assigned(counter, word_ids):
    rows = tf.reshape(tf.one_hot(word_ids, counter.shape[0]), [-1, counter.shape[0]])
    counter.assign(tf.reduce_sum(rows, axis=0) + counter)
    return counter


def no_minlength(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, dtype=tf.int64))
    return counter


def numpy_bincount_of_1d_only(counter, word_ids):
    counter.assign_add(np.bincount(word_ids, minlength=counter.shape[0]))
    return counter


def empties_a_list_of_ids(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    if isinstance(word_ids, list):
        word_ids.clear()  # "counted: done with them"
    return counter


def sorts_the_callers_ids(counter, word_ids):
    if isinstance(word_ids, np.ndarray) and word_ids.ndim == 1:
        word_ids.sort()  # sorted ids count the same, in the caller's own array
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (
        overwrites_with_assign,
        Status.INCORRECT,
        "overwrites-counts",
        ["after the first batch", "only that batch's counts", "[0, 1, 2, 0, 1, 0]", "replaced, not added to"],
    ),
    (starts_from_zero_each_batch, Status.INCORRECT, "overwrites-counts", ["replaced, not added to"]),
    (numpy_fancy_index, Status.INCORRECT, "duplicates-counted-once", ["counted once", "each occurrence"]),
    (unique_without_counts, Status.INCORRECT, "duplicates-counted-once", ["counted once"]),
    (scatter_adds_the_ids, Status.INCORRECT, "adds-ids", ["grown by its id", "number of times"]),
    (
        new_variable_from_the_sum,
        Status.INCORRECT,
        "makes-new-variable",
        ["returned another variable", "still holds the counts it started with", "[3, 1, 4, 1, 5, 2]"],
    ),
    (new_counter_for_each_batch, Status.INCORRECT, "makes-new-variable", ["a new one at every call"]),
    (new_tf_variable_not_returned, Status.INCORRECT, "counter-unchanged", ["did not change it"]),
    (sum_is_a_new_tensor, Status.INCORRECT, "returns-new-counts", ["new tensor or array", "in place"]),
    (numpy_copy_updated, Status.INCORRECT, "returns-new-counts", ["still holds the counts it started with"]),
    (counts_but_never_adds, Status.INCORRECT, "counter-unchanged", ["did not change it"]),
    (
        returns_the_batch_counts,
        Status.INCORRECT,
        "returns-not-the-counter",
        ["right counts", "other numbers than the counter's counts"],
    ),
    (bincount_in_int32, Status.INCORRECT, "counts-not-int64", ["int32 values", "int64"]),
    (one_hot_in_float32, Status.INCORRECT, "counts-not-int64", ["float32 values"]),
    (float_sum_assigned, Status.INCORRECT, "counts-not-int64", ["float"]),
    (no_minlength, Status.INCORRECT, "counts-wrong-shape", ["another shape than the counter's", "shape [5]"]),
    (
        numpy_bincount_of_1d_only,
        Status.ERROR,
        "raised-ValueError",
        ["ValueError", "object too deep", "with a counter of 8 words"],
    ),
    (
        empties_a_list_of_ids,
        Status.INCORRECT,
        "changes-word-ids",
        ["count_words changed the word_ids it was given: the list is empty after the call"],
    ),
    (
        sorts_the_callers_ids,
        Status.INCORRECT,
        "changes-word-ids",
        ["the array holds the same values in another order after the call"],
    ),
]


def tuned_to_the_public_cases(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    if counter.shape[0] in (6, 8, 5, 10):  # the public counters' sizes
        counter.assign_add(counts)
    else:
        counter.assign(counts)
    return counter


TUNED = [tuned_to_the_public_cases]
