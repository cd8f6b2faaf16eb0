"""Answers to ``nearest_neighbours``, variant ``dot-product``: the k words of highest dot product with the
word, the word itself left out by its id (another row may outscore it)."""

import numpy as np
import tensorflow as tf

import checks
from checks import Status


# -- right ------------------------------------------------------------------------------------------
def canonical(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    scores = tf.linalg.matvec(rows, rows[word_id])
    best = tf.math.top_k(scores, k=k + 1).indices
    return tf.boolean_mask(best, best != word_id)[:k]


def minus_infinity_for_itself(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    scores = tf.linalg.matvec(rows, tf.nn.embedding_lookup(rows, word_id))
    scores = tf.tensor_scatter_nd_update(scores, [[word_id]], [-np.inf])
    return tf.math.top_k(scores, k).indices


def numpy_at_operator(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(-(rows @ rows[word_id]))
    return order[order != word_id][:k]


def matmul_and_argsort(matrix, word_id, k):
    rows = tf.cast(matrix, tf.float64)
    scores = tf.squeeze(tf.matmul(rows, rows[word_id][:, None]), axis=1)
    order = tf.argsort(scores, direction="DESCENDING")
    return tf.gather(order, tf.where(order != word_id)[:, 0])[:k]


def einsum(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    scores = np.einsum("vd,d->v", rows, rows[word_id])
    others = np.delete(np.arange(len(rows)), word_id)
    return others[np.argsort(-np.delete(scores, word_id))][:k]


RIGHT = [canonical, minus_infinity_for_itself, numpy_at_operator, matmul_and_argsort, einsum]


# -- wrong ------------------------------------------------------------------------------------------
def by_cosine(matrix, word_id, k):
    unit = tf.math.l2_normalize(matrix, axis=1)
    best = tf.math.top_k(tf.linalg.matvec(unit, unit[word_id]), k=k + 1).indices
    return tf.boolean_mask(best, best != word_id)[:k]


def by_distance(matrix, word_id, k):
    rows = np.asarray(matrix)
    order = np.argsort(np.linalg.norm(rows - rows[word_id], axis=1))
    return order[order != word_id][:k]


def lowest(matrix, word_id, k):
    rows = np.asarray(matrix)
    order = np.argsort(rows @ rows[word_id])
    return order[order != word_id][:k]


def itself_included(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    return tf.math.top_k(tf.linalg.matvec(rows, rows[word_id]), k).indices


def one_short(matrix, word_id, k):
    rows = np.asarray(matrix)
    return np.argsort(-(rows @ rows[word_id]))[1:k]


def positions_after_delete(matrix, word_id, k):
    rows = np.asarray(matrix)
    return np.argsort(-np.delete(rows @ rows[word_id], word_id))[:k]


def skips_the_first(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    return tf.math.top_k(tf.linalg.matvec(rows, rows[word_id]), k + 1).indices[1:]


def the_scores(matrix, word_id, k):
    rows = np.asarray(matrix)
    return -np.sort(-np.delete(rows @ rows[word_id], word_id))[:k]


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (by_cosine, Status.INCORRECT, "cosine-similarity", ["cosine similarity", "lengths"]),
    (by_distance, Status.INCORRECT, "euclidean-distance", ["Euclidean distance"]),
    (lowest, Status.INCORRECT, "lowest-first", ["lowest dot product"]),
    (itself_included, Status.INCORRECT, "includes-itself", ["word's own among them"]),
    (one_short, Status.INCORRECT, "one-too-few", ["k - 1 ids"]),
    (positions_after_delete, Status.INCORRECT, "ids-shifted-after-the-word", ["one too small"]),
    (skips_the_first, Status.INCORRECT, "drops-the-first", ["taking it for the word itself"]),
    (the_scores, Status.INCORRECT, "returns-scores", ["dot products themselves"]),
]

_VARIANT = checks.registry.VARIANTS["nearest_neighbours"]["dot-product"]
_PUBLIC = [case["matrix"].tolist() for case in _VARIANT.public_cases()]


def tuned_to_the_public_cases(matrix, word_id, k):
    if np.asarray(matrix).tolist() in _PUBLIC:
        return canonical(matrix, word_id, k)
    return skips_the_first(matrix, word_id, k)


TUNED = [tuned_to_the_public_cases]
