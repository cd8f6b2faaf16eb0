"""Exercise of notebook 5: ``nearest_neighbours(matrix, word_id, k)``, the ids of a word's k nearest
neighbours by cosine similarity, most similar first, the word itself left out."""

from __future__ import annotations

import numpy as np

from checks.outcome import Mistake
from checks.registry import register
from checks.short import ShortExercise

#: Each group of cases, and the form its matrix is passed in (what notebook 5 has: NumPy arrays such
#: as trained_matrix, and embedding_matrix, a tf.Variable).
GROUPS = {
    "several neighbours, rows of very different lengths": "NumPy array",
    "k = 1": "tf.Tensor",
    "the word is the first or the last row": "tf.Variable",
    "every other word of a large vocabulary, k = vocab_size - 1": "tf.Tensor",
}
#: How far apart the cases keep the similarities that decide the order: far more than the rounding
#: of any correct way of computing them (float32 or float64, TensorFlow or NumPy: below 1e-6 of the
#: largest), so none may swap.
_COSINE_GAP = 1e-3
_RELATIVE_GAP = 1e-4
#: The vocabulary of the case that ranks every other word. Above 256 words, so that an answer that
#: selects the k nearest without sorting them shows it: NumPy's np.argpartition on a CPU with AVX-512
#: sorts arrays of up to 256 values whole, so on smaller ones its selection happens to come out sorted.
_LARGE_VOCABULARY = (300, 400)


def _matrix(rng: np.random.Generator, vocab_size: int, dim: int, word_id: int) -> np.ndarray:
    """A float32 matrix without ties: the other rows' cosines with row ``word_id`` lie at least
    _COSINE_GAP apart and at most 0.95 (so the word itself is clearly its own nearest), their dot products
    and distances with it are apart as well, and row ``word_id`` is the longest, so that a dot product
    ranks the word itself first, as cosine similarity does."""
    others = vocab_size - 1
    grid = np.linspace(-0.95, 0.95, 2 * others)
    while True:
        word = rng.normal(size=dim)
        word /= np.linalg.norm(word)
        cosines = rng.choice(grid, others, replace=False) + rng.uniform(-0.2, 0.2, others) * (grid[1] - grid[0])
        sideways = rng.normal(size=(others, dim))
        sideways -= np.outer(sideways @ word, word)
        sideways /= np.linalg.norm(sideways, axis=1, keepdims=True)
        rows = cosines[:, None] * word + np.sqrt(1 - cosines[:, None] ** 2) * sideways
        lengths = _lengths(rng, cosines)
        matrix = (np.insert(rows * lengths[:, None], word_id, word, axis=0) * rng.uniform(0.5, 4.0)).astype(np.float32)
        if _apart(matrix, word_id):
            return matrix


def _lengths(rng: np.random.Generator, cosines: np.ndarray) -> np.ndarray:
    """The other rows' lengths, 0.05 to 0.95 of the word's, drawn again for rows whose dot product or
    distance with the word comes too close to another row's (in a large vocabulary many would)."""

    def draw(n):
        return np.exp(rng.uniform(np.log(0.05), np.log(0.95), n))

    lengths = draw(cosines.size)
    for _ in range(100):
        crowded = set()
        for measure in (cosines * lengths, np.sqrt(1 + lengths**2 - 2 * lengths * cosines)):
            order = np.argsort(measure)
            close = np.diff(measure[order]) <= 2 * _RELATIVE_GAP * np.abs(measure).max()
            crowded.update(order[1:][close].tolist())
        if not crowded:
            break
        lengths[sorted(crowded)] = draw(len(crowded))
    return lengths


def _apart(matrix: np.ndarray, word_id: int) -> bool:
    rows = matrix.astype(np.float64)
    others = np.delete(rows, word_id, axis=0)
    dots = others @ rows[word_id]
    cosines = dots / np.linalg.norm(others, axis=1) / np.linalg.norm(rows[word_id])
    distances = np.linalg.norm(others - rows[word_id], axis=1)
    return bool(
        cosines.max() < 0.96
        and np.diff(np.sort(cosines)).min() > _COSINE_GAP
        and np.diff(np.sort(dots)).min() > _RELATIVE_GAP * np.abs(dots).max()
        and np.diff(np.sort(distances)).min() > _RELATIVE_GAP * distances.max()
    )


@register
class NearestNeighbours(ShortExercise):
    name = "nearest_neighbours"
    notebook = "05_training"
    needs_the_whole_notebook = False  # the notebook trains on a corpus the grader's sandbox does not have
    tf_modules = ("tensorflow", "tensorflow.math", "tensorflow.linalg", "tensorflow.nn")
    variant = "cosine"
    variant_title = "the most similar by cosine similarity"
    statement = """\
Write `nearest_neighbours(matrix, word_id, k)`, which returns **the ids of the `k` words most similar
to word `word_id` by cosine similarity, the most similar first**, the word itself left out.

- `matrix`: an embedding matrix of float32 values, one row per word id, as a NumPy array, a tensor or
  a `tf.Variable`. No row is all zeros.
- `word_id` and `k`: Python integers, `k` from 1 to `vocab_size - 1`.

It returns `k` ids, as a 1-D tensor, NumPy array or list of integers.
"""
    skeleton = """\
def nearest_neighbours(matrix, word_id, k):
    # CODE HERE
    pass
"""
    hints = (
        "Each row of the matrix is one word's vector, and cosine similarity compares only their "
        "directions. Once every row has length 1, the cosine of two words is the dot product of their "
        "rows, and one word's similarity with every word is one product of the matrix with a vector. "
        "The word itself always comes out on top, with a cosine of 1: it is no neighbour of its own.",
        "The cell before the exercise tried two functions of tf.math: one scales vectors to length 1 "
        "along an axis (along which axis does one row's numbers run?), the other returns the positions of "
        "the largest values of a vector, largest first. For the product of a matrix with a vector, "
        "tf.linalg has a function, or use the @ operator. NumPy offers the same steps: the norm of each "
        "row, the @ operator and a sort that returns positions.",
        "The shape of the code: scale the rows, compute the similarity of every word with the word "
        "`word_id`, take the positions of the k + 1 highest (or first make the word's own similarity "
        "lower than any other), leave out `word_id`, and return k positions.",
    )
    solution_code = """\
def nearest_neighbours(matrix, word_id, k):
    unit_rows = tf.math.l2_normalize(matrix, axis=1)
    cosines = tf.linalg.matvec(unit_rows, unit_rows[word_id])
    best = tf.math.top_k(cosines, k=k + 1).indices
    return tf.boolean_mask(best, best != word_id)[:k]
"""
    #: The order the neighbours come in, as the message about another order says it.
    in_order = "order of similarity"
    expected_order = "the most similar word is expected first, then the next most similar, and so on"
    selected = "largest"
    wrong_versions = {
        "dot-product": (
            "ranks the other words by the dot product of their rows with the word's row, which "
            "grows with a row's length as well as with its direction",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(-(rows @ rows[word_id]), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "euclidean-distance": (
            "ranks the other words by the Euclidean distance between their rows and the "
            "word's row, nearest first, which depends on the rows' lengths",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    order = np.argsort(np.linalg.norm(rows - rows[word_id], axis=1), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "normalises-columns": (
            "divides each column of the matrix by its length, not each row, before taking dot products",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    rows = rows / np.linalg.norm(rows, axis=0, keepdims=True)
    order = np.argsort(-(rows @ rows[word_id]), kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "includes-itself": (
            "returns the k ids of highest cosine similarity, the word's own id among them, first",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return np.argsort(-(unit @ unit[word_id]), kind="stable")[:k]
""",
        ),
        "one-too-many": (
            "returns k + 1 ids: the word itself, then its k nearest neighbours",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return np.argsort(-(unit @ unit[word_id]), kind="stable")[:k + 1]
""",
        ),
        "one-too-few": (
            "returns k - 1 ids: the k ids of highest cosine similarity, less the word itself",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return np.argsort(-(unit @ unit[word_id]), kind="stable")[1:k]
""",
        ),
        "least-similar": (
            "returns the k words of lowest cosine similarity, the least similar first",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    order = np.argsort(unit @ unit[word_id], kind="stable")
    return order[order != word_id][:k]
""",
        ),
        "most-similar-last": (
            "returns the k nearest neighbours in increasing order of similarity, the nearest last",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    order = np.argsort(-(unit @ unit[word_id]), kind="stable")
    return order[order != word_id][:k][::-1]
""",
        ),
        "ids-shifted-after-the-word": (
            "removes the word's own similarity from the vector of similarities "
            "and returns positions in that shorter vector, so every neighbour "
            "whose id is larger than the word's comes out one too small",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return np.argsort(-np.delete(unit @ unit[word_id], word_id), kind="stable")[:k]
""",
        ),
        "returns-similarities": (
            "returns the k highest cosine similarities themselves, not the ids of the words that have them",
            """\
def nearest_neighbours(matrix, word_id, k):
    rows = np.asarray(matrix, dtype=np.float64)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return -np.sort(-np.delete(unit @ unit[word_id], word_id))[:k]
""",
        ),
    }

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        def case(group: str, vocab_size: int, word_id: int, k: int) -> dict:
            dim = int(rng.integers(3, 9))
            return {
                "group": group,
                "as": GROUPS[group],
                "matrix": _matrix(rng, vocab_size, dim, word_id),
                "word_id": int(word_id),
                "k": int(k),
            }

        several, one, ends, every = GROUPS
        sizes = [int(v) for v in rng.integers(12, 31, 4)]
        last = int(rng.integers(*_LARGE_VOCABULARY))
        return [
            case(several, sizes[0], rng.integers(1, sizes[0] - 1), rng.integers(3, 6)),
            case(several, sizes[1], rng.integers(1, sizes[1] - 1), rng.integers(3, 6)),
            case(one, sizes[2], rng.integers(0, sizes[2]), 1),
            case(ends, sizes[3], 0, rng.integers(2, 6)),
            case(ends, sizes[3], sizes[3] - 1, rng.integers(2, 6)),
            case(every, last, rng.integers(0, last), last - 1),
        ]

    def call(self, function, case: dict):
        import tensorflow as tf

        matrix = case["matrix"].copy()  # code that changes the matrix in place changes no other version's
        given = {"NumPy array": matrix, "tf.Tensor": tf.constant(matrix), "tf.Variable": tf.Variable(matrix)}
        return function(given[case["as"]], case["word_id"], case["k"])

    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        mistake = super().diagnose(case, observation)
        got, wanted = observation["returned"], case["expected"]
        if mistake is None or mistake.key != "wrong-values" or "values" not in got:
            return mistake
        ids, right = got["values"].ravel(), wanted["values"].ravel()
        if not np.array_equal(np.sort(ids), np.sort(right)):
            return mistake
        first = int(np.flatnonzero(ids != right)[0])
        at = "" if case.get("hidden") else f" (at index {first}, id {ids[first]} where {right[first]} was expected)"
        return Mistake(
            "neighbours-out-of-order",
            f"{self.where(case)}, nearest_neighbours returned the ids of the k nearest neighbours, but not in "
            f"{self.in_order}{at}: {self.expected_order}. A selection of the k {self.selected} values need "
            "not come out sorted.",
        )

    def named_rows(self, case: dict, argument: str) -> dict:
        return {case["word_id"]: "the word's own row"} if argument == "matrix" else {}

    def describe(self, case: dict) -> str:
        return f"a {case['as']} of shape {case['matrix'].shape} as matrix, word_id={case['word_id']} and k={case['k']}"
