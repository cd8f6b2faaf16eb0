"""``nearest_neighbours``, variant ``dot-product``: the k words whose rows have the largest dot product with
the word's row, the largest first, the word itself left out."""

from __future__ import annotations

import numpy as np

from checks.exercises.nearest_neighbours import NearestNeighbours
from checks.registry import register

#: In these cases another row outscores the word's own: the word need not have its own highest score.
OUTSCORED = (1, 4)
#: How much higher that row's score is than the word's own (far above every other score).
OUTSCORED_BY = 1.5


@register
class DotProduct(NearestNeighbours):
    variant = "dot-product"
    variant_title = "the highest-scoring by dot product"
    statement = """\
Write `nearest_neighbours(matrix, word_id, k)`, which returns **the ids of the `k` words whose rows have
the largest dot product with the row of word `word_id`, the largest first**, the word itself left out.
A dot product is the score a model gives a pair of words when it multiplies their vectors: unlike cosine
similarity, a row's length counts as well as its direction, so a long row can outscore one that points
closer to the word's direction.

- `matrix`: an embedding matrix of float32 values, one row per word id, as a NumPy array, a tensor or
  a `tf.Variable`.
- `word_id` and `k`: Python integers, `k` from 1 to `vocab_size - 1`.

It returns `k` ids, as a 1-D tensor, NumPy array or list of integers. Do not count on the word itself
having the largest dot product with its own row: leave it out by its id.
"""
    hints = (
        "Each row of the matrix is one word's vector, and a pair of words scores the dot product of their "
        "rows. One word's scores with every word are one product of the matrix with that word's row, and "
        "the k best are the k largest scores, apart from the word's own (its id, wherever its score falls).",
        "TensorFlow multiplies a matrix by a vector in one call (in tf.linalg; NumPy's @ operator does the "
        "same), and has a function that returns the positions of the largest values of a vector, largest "
        "first (in tf.math); a sort that returns positions (tf.argsort, np.argsort) works too.",
        "The shape of the code: compute every word's score with the word `word_id`; take the positions of "
        "the k + 1 highest (or first make the word's own score lower than any other); leave out `word_id`; "
        "return k positions.",
    )
    solution_code = """\
def nearest_neighbours(matrix, word_id, k):
    rows = tf.convert_to_tensor(matrix)
    scores = tf.linalg.matvec(rows, rows[word_id])
    best = tf.math.top_k(scores, k=k + 1).indices
    return tf.boolean_mask(best, best != word_id)[:k]
"""
    wrong_versions = {
        "cosine-similarity": (
            "ranks the other words by cosine similarity, which leaves the rows' lengths out, instead of by dot product",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    order = np.argsort(-(unit @ unit[word_id]), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "euclidean-distance": (
            "ranks the other words by the Euclidean distance between their rows and the word's row, nearest first",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(np.linalg.norm(rows - rows[word_id], axis=1), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "lowest-first": (
            "returns the k words of lowest dot product, the lowest first",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(rows @ rows[word_id], kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "includes-itself": (
            "returns the k ids of highest dot product, the word's own among them, first",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    return np.argsort(-(rows @ rows[word_id]), kind="stable")[:k]
""",
        ),
        "one-too-few": (
            "returns k - 1 ids: the k ids of highest dot product, less the word itself",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    return np.argsort(-(rows @ rows[word_id]), kind="stable")[1:k]
""",
        ),
        "ids-shifted-after-the-word": (
            "removes the word's own score from the vector of scores and returns positions in that shorter "
            "vector, so every neighbour whose id is larger than the word's comes out one too small",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    return np.argsort(-np.delete(rows @ rows[word_id], word_id), kind="stable")[:k]
""",
        ),
        "drops-the-first": (
            "drops the highest-scoring id, taking it for the word itself, which it is not when another "
            "row's score is higher than the word's own",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    return np.argsort(-(rows @ rows[word_id]), kind="stable")[1:k + 1]
""",
        ),
        "returns-scores": (
            "returns the k highest dot products themselves, not the ids of the words that have them",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    return -np.sort(-np.delete(rows @ rows[word_id], word_id))[:k]
""",
        ),
    }

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        cases = super().draw_cases(rng)
        for number in OUTSCORED:  # the row most like the word's, made long enough to outscore it
            matrix, word_id = cases[number]["matrix"], cases[number]["word_id"]
            rows = matrix.astype(np.float64)
            scores = rows @ rows[word_id]
            scores[word_id] = -np.inf
            closest = int(np.argmax(scores))
            matrix[closest] *= np.float32(OUTSCORED_BY * (rows[word_id] @ rows[word_id]) / scores[closest])
        return cases
