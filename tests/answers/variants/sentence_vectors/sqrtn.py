"""Answers to ``sentence_vectors``, variant ``sqrtn``: the sum of a sentence's word vectors divided by the
square root of its number of words, the padding left out."""

import numpy as np
import tensorflow as tf

import checks
from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    word_vectors = tf.nn.embedding_lookup(matrix, ids)
    is_word = tf.cast(tf.not_equal(ids, pad_id), word_vectors.dtype)
    total = tf.reduce_sum(word_vectors * is_word[:, :, tf.newaxis], axis=1)
    word_count = tf.reduce_sum(is_word, axis=1, keepdims=True)
    return tf.math.divide_no_nan(total, tf.sqrt(word_count))


def rsqrt_with_at_least_one(matrix, sentences, pad_id=0):
    # A sentence with no words has a sum of zeros: dividing by max(count, 1) leaves it zeros.
    ids = tf.convert_to_tensor(sentences)
    mask = tf.expand_dims(tf.cast(ids != pad_id, tf.float32), -1)
    sums = tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1)
    return sums * tf.math.rsqrt(tf.maximum(tf.reduce_sum(mask, axis=1), 1.0))


def ragged(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    words = tf.ragged.boolean_mask(ids, ids != pad_id)
    sums = tf.reduce_sum(tf.gather(matrix, words), axis=1)
    lengths = tf.cast(words.row_lengths(), sums.dtype)[:, None]
    return tf.math.divide_no_nan(sums, lengths**0.5)


def mean_times_root(matrix, sentences, pad_id=0):
    # sum / sqrt(n) = (sum / n) * sqrt(n)
    ids = tf.convert_to_tensor(sentences)
    keep = tf.cast(ids != pad_id, tf.float32)
    count = tf.reduce_sum(keep, axis=1, keepdims=True)
    means = tf.math.divide_no_nan(tf.einsum("bl,bld->bd", keep, tf.gather(matrix, ids)), count)
    return means * tf.sqrt(count)


def numpy_loop(matrix, sentences, pad_id=0):
    table = np.asarray(matrix)
    rows = []
    for sentence in np.asarray(sentences).tolist():
        words = [table[i] for i in sentence if i != pad_id]
        rows.append(np.sum(words, axis=0) / np.sqrt(len(words)) if words else np.zeros(table.shape[1]))
    return np.array(rows, dtype=np.float32)


RIGHT = [canonical, rsqrt_with_at_least_one, ragged, mean_times_root, numpy_loop]


# -- wrong ------------------------------------------------------------------------------------------
def the_average(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=1))


def half_the_count(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1)
    count = tf.reduce_sum(mask, axis=1)
    return tf.math.divide_no_nan(sums, count**1 / 2)


def padding_summed(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    count = tf.reduce_sum(tf.cast(ids != pad_id, tf.float32), axis=1, keepdims=True)
    return tf.math.divide_no_nan(tf.reduce_sum(tf.gather(matrix, ids), axis=1), tf.sqrt(count))


def root_of_the_length(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    return tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1) / np.sqrt(ids.shape[1])


def no_division(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    return tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1)


def zero_is_padding(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != 0, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1)
    return tf.math.divide_no_nan(sums, tf.sqrt(tf.reduce_sum(mask, axis=1)))


def plain_division(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1)
    return sums / tf.sqrt(tf.reduce_sum(mask, axis=1))


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (the_average, Status.INCORRECT, "divides-by-the-count", ["number of its words", "square root"]),
    (half_the_count, Status.INCORRECT, "power-before-division", ["n ** 1/2"]),
    (padding_summed, Status.INCORRECT, "adds-the-padding-rows", ["pad id's row included"]),
    (root_of_the_length, Status.INCORRECT, "root-of-the-full-length", ["padded length"]),
    (no_division, Status.INCORRECT, "sums-without-dividing", ["never divides"]),
    (zero_is_padding, Status.INCORRECT, "masks-id-0-not-pad-id", ["id 0"]),
    (plain_division, Status.INCORRECT, "nan-for-padding-only", ["NaN"]),
]


_VARIANT = checks.registry.VARIANTS["sentence_vectors"]["sqrtn"]
_PUBLIC = [case["sentences"].tolist() for case in _VARIANT.public_cases()]


def tuned_to_the_public_cases(matrix, sentences, pad_id=0):
    if np.asarray(sentences).tolist() in _PUBLIC:
        return canonical(matrix, sentences, pad_id)
    return the_average(matrix, sentences, pad_id)


TUNED = [tuned_to_the_public_cases]
