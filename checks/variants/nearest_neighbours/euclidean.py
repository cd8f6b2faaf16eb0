"""``nearest_neighbours``, variant ``euclidean``: the k words whose rows are nearest to the word's row by
Euclidean distance, nearest first, the word itself left out."""

from __future__ import annotations

from checks.exercises.nearest_neighbours import NearestNeighbours
from checks.registry import register


@register
class Euclidean(NearestNeighbours):
    variant = "euclidean"
    variant_title = "the nearest by Euclidean distance"
    statement = """\
Write `nearest_neighbours(matrix, word_id, k)`, which returns **the ids of the `k` words whose rows are
nearest to the row of word `word_id` by Euclidean distance, the nearest first**, the word itself left
out. The distance of two rows is the length of their difference: unlike cosine similarity, it depends on
the rows' lengths as well as their directions.

- `matrix`: an embedding matrix of float32 values, one row per word id, as a NumPy array, a tensor or
  a `tf.Variable`.
- `word_id` and `k`: Python integers, `k` from 1 to `vocab_size - 1`.

It returns `k` ids, as a 1-D tensor, NumPy array or list of integers.
"""
    hints = (
        "Each row of the matrix is one word's vector. The distance between two words is the length of the "
        "difference of their rows: the smaller it is, the nearer they are, and one word's distances to "
        "every word come from one subtraction of its row from the whole matrix. The word itself is at "
        "distance 0, nearer than any other: it is no neighbour of its own.",
        "Subtracting one row from a matrix subtracts it from every row (broadcasting). TensorFlow's norm "
        "function (in tf and in tf.linalg) measures lengths along the axis it is given, and a sort that "
        "returns positions instead of values (tf.argsort, np.argsort) puts the smallest first. NumPy offers "
        "the same steps. Which axis holds a row's numbers?",
        "The shape of the code: the difference of every row with the word's row; its length along the "
        "dimensions' axis; the positions in order of increasing distance; leave out `word_id`; return k "
        "positions.",
    )
    solution_code = """\
def nearest_neighbours(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    distances = tf.norm(rows - rows[word_id], axis=1)
    nearest = tf.argsort(distances)[: k + 1]
    return tf.boolean_mask(nearest, nearest != word_id)[:k]
"""
    in_order = "order of distance"
    expected_order = "the nearest word (the smallest distance) is expected first, then the next nearest, and so on"
    selected = "smallest"
    wrong_versions = {
        "cosine-similarity": (
            "ranks the other words by cosine similarity, which leaves the rows' lengths out, instead of by distance",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    order = np.argsort(-(unit @ unit[word_id]), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "dot-product": (
            "ranks the other words by the dot product of their rows with the word's row, largest first",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(-(rows @ rows[word_id]), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "sums-the-differences": (
            "ranks the other words by the sum of the differences of their numbers with the word's, where "
            "positive and negative differences cancel, instead of by the length of the difference",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(np.sum(rows - rows[word_id], axis=1), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "farthest-first": (
            "returns the k words farthest from the word, the farthest first",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(-np.linalg.norm(rows - rows[word_id], axis=1), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "includes-itself": (
            "returns the k nearest rows, the word's own among them, first (at distance 0)",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    return np.argsort(np.linalg.norm(rows - rows[word_id], axis=1), kind="stable")[:k]
""",
        ),
        "one-too-many": (
            "returns k + 1 ids: the word itself, then its k nearest neighbours",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    return np.argsort(np.linalg.norm(rows - rows[word_id], axis=1), kind="stable")[:k + 1]
""",
        ),
        "ids-shifted-after-the-word": (
            "removes the word's own distance from the vector of distances and returns positions in that "
            "shorter vector, so every neighbour whose id is larger than the word's comes out one too small",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    distances = np.delete(np.linalg.norm(rows - rows[word_id], axis=1), word_id)
    return np.argsort(distances, kind="stable")[:k]
""",
        ),
        "returns-distances": (
            "returns the k smallest distances themselves, not the ids of the words at those distances",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    return np.sort(np.delete(np.linalg.norm(rows - rows[word_id], axis=1), word_id))[:k]
""",
        ),
    }
