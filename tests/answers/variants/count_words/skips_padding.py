"""Answers to ``count_words``, variant ``skips-padding``: how often each word occurs, id 0 never counted."""

import numpy as np
import tensorflow as tf

import checks
from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(counter, word_ids):
    ids = tf.reshape(word_ids, [-1])
    words = tf.boolean_mask(ids, ids != 0)
    counter.assign_add(tf.math.bincount(words, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def count_all_then_zero_the_padding(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    counter.assign_add(tf.concat([[0], counts[1:]], axis=0))


def multiplied_by_a_mask(counter, word_ids):
    size = counter.shape[0]
    counts = tf.math.bincount(word_ids, minlength=size, dtype=tf.int64)
    counter.assign_add(counts * tf.cast(tf.range(size) > 0, tf.int64))
    return counter


def scatter_update_of_place_zero(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    counter.assign_add(tf.tensor_scatter_nd_update(counts, [[0]], [0]))
    return counter


def numpy_add_at_of_the_words(counter, word_ids):
    ids = np.ravel(word_ids)
    counts = counter.numpy()
    np.add.at(counts, ids[ids != 0], 1)
    counter.assign(counts)
    return counter


def python_loop(counter, word_ids):
    for word in np.ravel(word_ids).tolist():
        if word != 0:
            counter[word].assign(counter[word] + 1)
    return counter


RIGHT = [
    canonical,
    count_all_then_zero_the_padding,
    multiplied_by_a_mask,
    scatter_update_of_place_zero,
    numpy_add_at_of_the_words,
    python_loop,
]


# -- wrong ------------------------------------------------------------------------------------------
def counts_the_padding(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def padding_count_set_to_zero(counter, word_ids):
    counts = counter.numpy() + np.bincount(np.ravel(word_ids), minlength=counter.shape[0])
    counts[0] = 0
    counter.assign(counts)
    return counter


def fancy_index(counter, word_ids):
    ids = np.ravel(word_ids)
    counts = counter.numpy()
    counts[ids[ids != 0]] += 1
    counter.assign(counts)
    return counter


def assigned(counter, word_ids):
    ids = tf.reshape(word_ids, [-1])
    counter.assign(tf.math.bincount(tf.boolean_mask(ids, ids > 0), minlength=counter.shape[0], dtype=tf.int64))
    return counter


def last_word_left_out(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    counter.assign_add(tf.concat([counts[:-1], [0]], axis=0))
    return counter


def mask_without_flattening(counter, word_ids):
    ids = tf.convert_to_tensor(word_ids)
    counter.assign_add(tf.math.bincount(tf.boolean_mask(ids, ids != 0), minlength=counter.shape[0], dtype=tf.int64))
    return counter


def padding_dropped_in_int32(counter, word_ids):
    ids = tf.reshape(word_ids, [-1])
    counter.assign_add(tf.math.bincount(tf.boolean_mask(ids, ids != 0), minlength=counter.shape[0]))
    return counter


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (counts_the_padding, Status.INCORRECT, "counts-the-padding", ["padding id 0 as a word"]),
    (padding_count_set_to_zero, Status.INCORRECT, "resets-the-padding-count", ["instead of leaving it"]),
    (fancy_index, Status.INCORRECT, "duplicates-counted-once", ["however often"]),
    (assigned, Status.INCORRECT, "overwrites-counts", ["replace"]),
    (last_word_left_out, Status.INCORRECT, "skips-the-last-word", ["last word of the vocabulary"]),
    (mask_without_flattening, Status.ERROR, "raised-ValueError", ["ValueError"]),
    (padding_dropped_in_int32, Status.INCORRECT, "counts-not-int64", ["int32 values"]),
]

_VARIANT = checks.registry.VARIANTS["count_words"]["skips-padding"]
_PUBLIC_SIZES = {case["vocab_size"] for case in _VARIANT.public_cases()}


def tuned_to_the_public_cases(counter, word_ids):
    if counter.shape[0] in _PUBLIC_SIZES:
        return canonical(counter, word_ids)
    return counts_the_padding(counter, word_ids)


TUNED = [tuned_to_the_public_cases]
