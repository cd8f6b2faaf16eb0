"""Answers to ``sentence_vectors``, variant ``maximum``: in each dimension, the largest value among a
sentence's words, the padding left out, zeros for a sentence of padding only."""

import numpy as np
import tensorflow as tf

import checks
from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    word_vectors = tf.nn.embedding_lookup(matrix, ids)
    is_word = tf.not_equal(ids, pad_id)[:, :, tf.newaxis]
    largest = tf.reduce_max(tf.where(is_word, word_vectors, -np.inf), axis=1)
    return tf.where(tf.reduce_any(is_word, axis=1), largest, tf.zeros_like(largest))


def lowest_float_then_zeros(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    vectors = tf.gather(matrix, ids)
    keep = tf.expand_dims(ids != pad_id, -1)
    largest = tf.reduce_max(tf.where(keep, vectors, vectors.dtype.min), axis=1)
    return largest * tf.cast(tf.reduce_any(keep, axis=1), largest.dtype)


def ragged_max(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    words = tf.ragged.boolean_mask(ids, ids != pad_id)
    largest = tf.reduce_max(tf.gather(matrix, words), axis=1)  # an empty row gives the lowest float
    has_words = (words.row_lengths() > 0)[:, None]
    return tf.where(has_words, largest, 0.0)


def segment_max(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    batch, length = tf.shape(ids)[0], tf.shape(ids)[1]
    rows = tf.repeat(tf.range(batch)[:, None], length, axis=1)
    segments = tf.where(ids == pad_id, -1, rows)  # negative segments are dropped
    largest = tf.math.unsorted_segment_max(
        tf.gather(matrix, tf.reshape(ids, [-1])), tf.reshape(segments, [-1]), num_segments=batch
    )
    has_words = tf.reduce_any(ids != pad_id, axis=1)[:, None]
    return tf.where(has_words, largest, 0.0)


def numpy_loop(matrix, sentences, pad_id=0):
    table = np.asarray(matrix)
    rows = []
    for sentence in np.asarray(sentences).tolist():
        words = [table[i] for i in sentence if i != pad_id]
        rows.append(np.max(words, axis=0) if words else np.zeros(table.shape[1], np.float32))
    return tf.constant(np.array(rows))


RIGHT = [canonical, lowest_float_then_zeros, ragged_max, segment_max, numpy_loop]


# -- wrong ------------------------------------------------------------------------------------------
def every_position(matrix, sentences, pad_id=0):
    return tf.reduce_max(tf.gather(matrix, sentences), axis=1)


def masked_by_multiplying(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    return tf.reduce_max(tf.gather(matrix, ids) * mask, axis=1)


def the_smallest(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    keep = (ids != pad_id)[:, :, None]
    smallest = tf.reduce_min(tf.where(keep, tf.gather(matrix, ids), np.inf), axis=1)
    return tf.where(tf.reduce_any(keep, axis=1), smallest, 0.0)


def minus_infinity_left(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    keep = (ids != pad_id)[:, :, None]
    return tf.reduce_max(tf.where(keep, tf.gather(matrix, ids), -np.inf), axis=1)


def over_the_batch(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    keep = (ids != pad_id)[:, :, None]
    largest = tf.reduce_max(tf.where(keep, tf.gather(matrix, ids), -np.inf), axis=0)
    return tf.where(tf.reduce_any(keep, axis=0), largest, 0.0)


def the_average(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=1))


def zero_is_padding(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    keep = (ids != 0)[:, :, None]
    largest = tf.reduce_max(tf.where(keep, tf.gather(matrix, ids), -np.inf), axis=1)
    return tf.where(tf.reduce_any(keep, axis=1), largest, 0.0)


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (every_position, Status.INCORRECT, "padding-in-the-max", ["pad id's row included"]),
    (masked_by_multiplying, Status.INCORRECT, "padding-counts-as-zero", ["by 0", "negative"]),
    (the_smallest, Status.INCORRECT, "minimum-instead", ["smallest"]),
    (minus_infinity_left, Status.INCORRECT, "padding-only-not-zero", ["minus infinity"]),
    (over_the_batch, Status.INCORRECT, "max-over-the-batch", ["batch's axis"]),
    (the_average, Status.INCORRECT, "averages-instead", ["averages"]),
    (zero_is_padding, Status.INCORRECT, "masks-id-0-not-pad-id", ["id 0"]),
]

_VARIANT = checks.registry.VARIANTS["sentence_vectors"]["maximum"]
_PUBLIC = [case["sentences"].tolist() for case in _VARIANT.public_cases()]


def tuned_to_the_public_cases(matrix, sentences, pad_id=0):
    if np.asarray(sentences).tolist() in _PUBLIC:
        return canonical(matrix, sentences, pad_id)
    return every_position(matrix, sentences, pad_id)


TUNED = [tuned_to_the_public_cases]
