"""Answers to ``count_words``, variant ``unknown-bucket``: every id from vocab_size - 1 up is counted in
the counter's last place."""

import numpy as np
import tensorflow as tf

from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(counter, word_ids):
    places = tf.minimum(word_ids, counter.shape[0] - 1)
    counter.assign_add(tf.math.bincount(places, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def clip_by_value(counter, word_ids):
    size = counter.shape[0]
    places = tf.clip_by_value(tf.cast(word_ids, tf.int64), 0, size - 1)
    counter.assign_add(tf.math.bincount(places, minlength=size, dtype=tf.int64))


def where_past_the_end(counter, word_ids):
    ids = tf.convert_to_tensor(word_ids)
    last = counter.shape[0] - 1
    places = tf.where(ids >= last, tf.cast(last, ids.dtype), ids)
    counter.assign_add(tf.math.bincount(places, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def numpy_minimum_and_add_at(counter, word_ids):
    counts = counter.numpy()
    np.add.at(counts, np.minimum(np.asarray(word_ids), len(counts) - 1), 1)
    counter.assign(counts)
    return counter


def known_and_unknown_apart(counter, word_ids):
    size = counter.shape[0]
    ids = tf.reshape(tf.cast(word_ids, tf.int64), [-1])
    known = tf.math.bincount(ids, minlength=size - 1, maxlength=size - 1, dtype=tf.int64)
    unknown = tf.math.count_nonzero(ids >= size - 1, dtype=tf.int64)
    counter.assign_add(tf.concat([known, [unknown]], axis=0))
    return counter


def python_loop(counter, word_ids):
    last = counter.shape[0] - 1
    for word in np.ravel(word_ids).tolist():
        place = min(word, last)
        counter[place].assign(counter[place] + 1)
    return counter


RIGHT = [
    canonical,
    clip_by_value,
    where_past_the_end,
    numpy_minimum_and_add_at,
    known_and_unknown_apart,
    python_loop,
]


# -- wrong ------------------------------------------------------------------------------------------
def counts_as_the_course_does(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def maxlength_drops_them(counter, word_ids):
    size = counter.shape[0]
    counter.assign_add(tf.math.bincount(word_ids, minlength=size, maxlength=size, dtype=tf.int64))
    return counter


def remainder(counter, word_ids):
    size = counter.shape[0]
    counter.assign_add(tf.math.bincount(np.asarray(word_ids) % size, minlength=size, dtype=tf.int64))
    return counter


def one_for_any_unknown(counter, word_ids):
    size = counter.shape[0]
    ids = np.ravel(word_ids)
    counts = np.bincount(ids[ids < size - 1], minlength=size)
    counts[-1] += int((ids >= size - 1).any())
    counter.assign_add(counts)
    return counter


def assign_instead_of_add(counter, word_ids):
    places = tf.minimum(word_ids, counter.shape[0] - 1)
    counter.assign(tf.math.bincount(places, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def minimum_in_the_wrong_place(counter, word_ids):
    size = counter.shape[0]
    counts = tf.math.bincount(word_ids, minlength=size, dtype=tf.int64)
    counter.assign_add(counts[:size])
    return counter


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (
        counts_as_the_course_does,
        Status.INCORRECT,
        "counts-wrong-shape",
        ["another shape than the counter's", "one count per word"],
    ),
    (maxlength_drops_them, Status.INCORRECT, "drops-unknown-ids", ["leaves out the ids past the counter's end"]),
    (remainder, Status.INCORRECT, "wraps-unknown-ids", ["remainder"]),
    (one_for_any_unknown, Status.INCORRECT, "unknown-counted-once", ["however many"]),
    (assign_instead_of_add, Status.INCORRECT, "overwrites-counts", ["replace", "instead of adding"]),
    (minimum_in_the_wrong_place, Status.INCORRECT, "drops-unknown-ids", ["leaves out the ids past"]),
]


def tuned_to_the_public_cases(counter, word_ids):
    places = tf.minimum(word_ids, counter.shape[0] - 1)
    if counter.shape[0] in (6, 10, 7, 8):  # the public counters' sizes
        counter.assign_add(tf.math.bincount(places, minlength=counter.shape[0], dtype=tf.int64))
    else:
        counter.assign(tf.math.bincount(places, minlength=counter.shape[0], dtype=tf.int64))
    return counter


TUNED = [tuned_to_the_public_cases]
