"""Answers to ``nearest_neighbours``, variant ``euclidean``: the k nearest words by Euclidean distance."""

import numpy as np
import tensorflow as tf

import checks
from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    distances = tf.norm(rows - rows[word_id], axis=1)
    nearest = tf.argsort(distances)[: k + 1]
    return tf.boolean_mask(nearest, nearest != word_id)[:k]


def squared_distances_top_k(matrix, word_id, k):
    # The square of a distance orders the words as the distance does.
    rows = tf.convert_to_tensor(matrix)
    squared = tf.reduce_sum(tf.square(rows - tf.gather(rows, word_id)), axis=-1)
    squared = tf.tensor_scatter_nd_update(squared, [[word_id]], [np.inf])
    return tf.math.top_k(-squared, k).indices


def numpy_linalg_norm(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(np.linalg.norm(rows - rows[word_id], axis=1))
    return order[order != word_id][:k]


def expanded_square(matrix, word_id, k):
    # |a - b|^2 = |a|^2 - 2 a.b + |b|^2, in float64 so that no two distances swap.
    rows = np.asarray(matrix, dtype=np.float64)
    squared = (rows**2).sum(axis=1) - 2 * rows @ rows[word_id] + rows[word_id] @ rows[word_id]
    others = np.delete(np.arange(len(rows)), word_id)
    return others[np.argsort(np.delete(squared, word_id))][:k].tolist()


def python_sorted(matrix, word_id, k):
    rows = np.asarray(matrix)
    distance = {i: float(np.linalg.norm(row - rows[word_id])) for i, row in enumerate(rows) if i != word_id}
    return sorted(distance, key=distance.get)[:k]


RIGHT = [canonical, squared_distances_top_k, numpy_linalg_norm, expanded_square, python_sorted]


# -- wrong ------------------------------------------------------------------------------------------
def by_cosine(matrix, word_id, k):
    unit = tf.math.l2_normalize(matrix, axis=1)
    best = tf.math.top_k(tf.linalg.matvec(unit, unit[word_id]), k=k + 1).indices
    return tf.boolean_mask(best, best != word_id)[:k]


def by_dot_product(matrix, word_id, k):
    rows = np.asarray(matrix)
    order = np.argsort(-(rows @ rows[word_id]))
    return order[order != word_id][:k]


def differences_summed(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    order = tf.argsort(tf.reduce_sum(rows - rows[word_id], axis=1))
    return tf.boolean_mask(order, order != word_id)[:k]


def farthest(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    return tf.math.top_k(tf.norm(rows - rows[word_id], axis=1), k).indices


def itself_first(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    return tf.argsort(tf.norm(rows - rows[word_id], axis=1))[:k]


def itself_and_k_more(matrix, word_id, k):
    rows = np.asarray(matrix)
    return np.argsort(np.linalg.norm(rows - rows[word_id], axis=1))[: k + 1]


def positions_after_delete(matrix, word_id, k):
    rows = np.asarray(matrix)
    return np.argsort(np.delete(np.linalg.norm(rows - rows[word_id], axis=1), word_id))[:k]


def the_distances(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    distances = tf.norm(rows - rows[word_id], axis=1)
    return -tf.math.top_k(-distances, k + 1).values[1:]


def nearest_in_order_of_id(matrix, word_id, k):
    rows = np.asarray(matrix)
    order = np.argsort(np.linalg.norm(rows - rows[word_id], axis=1))
    return np.sort(order[order != word_id][:k])


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (by_cosine, Status.INCORRECT, "cosine-similarity", ["cosine similarity", "lengths"]),
    (by_dot_product, Status.INCORRECT, "dot-product", ["dot product"]),
    (differences_summed, Status.INCORRECT, "sums-the-differences", ["cancel"]),
    (farthest, Status.INCORRECT, "farthest-first", ["farthest"]),
    (itself_first, Status.INCORRECT, "includes-itself", ["word's own among them"]),
    (itself_and_k_more, Status.INCORRECT, "one-too-many", ["k + 1 ids"]),
    (positions_after_delete, Status.INCORRECT, "ids-shifted-after-the-word", ["one too small"]),
    (the_distances, Status.INCORRECT, "returns-distances", ["distances themselves"]),
    (
        nearest_in_order_of_id,
        Status.INCORRECT,
        "neighbours-out-of-order",
        ["not in order of distance", "the nearest word (the smallest distance) is expected first", "k smallest"],
    ),
]

_VARIANT = checks.registry.VARIANTS["nearest_neighbours"]["euclidean"]
_PUBLIC = [case["matrix"].tolist() for case in _VARIANT.public_cases()]


def tuned_to_the_public_cases(matrix, word_id, k):
    if np.asarray(matrix).tolist() in _PUBLIC:
        return canonical(matrix, word_id, k)
    return by_cosine(matrix, word_id, k)


TUNED = [tuned_to_the_public_cases]
