"""Exercise of notebook 3: ``sentence_vectors(matrix, sentences, pad_id=0)``, each sentence's average word
vector, the padding left out (a short exercise: judged against the reference on drawn batches)."""

from __future__ import annotations

import numpy as np

from checks.registry import register
from checks.short import ShortExercise

# Each case: its group, the batch size (None: drawn), the pad id (None: drawn, not 0), where the padding
# goes, what the sentences come as, what the matrix comes as, and whether pad_id is passed at all.
PLAN = (
    ("sentences with padding", None, 0, "post", "tensor", "variable", False),
    ("sentences with padding", None, 0, "pre", "array", "tensor", True),
    ("another pad id", None, None, "post", "array", "tensor", True),
    ("another pad id", None, None, "pre", "list", "variable", True),
    ("a sentence of padding only", None, 0, "post", "list", "variable", True),
    ("no padding at all", None, 0, "none", "tensor", "tensor", True),
    ("one sentence", 1, 0, "post", "array", "variable", True),
)
GIVEN_AS = {"tensor": "a tensor", "array": "a NumPy array", "list": "a nested Python list", "variable": "a tf.Variable"}


@register
class SentenceVectors(ShortExercise):
    name = "sentence_vectors"
    notebook = "03_embedding_lookup"
    graded = True
    points = 1.0
    partial_credit = False
    tf_modules = ("tensorflow", "tensorflow.nn", "tensorflow.math")
    variant = "mean"
    variant_title = "the average of its words' vectors"
    statement = """\
Write `sentence_vectors(matrix, sentences, pad_id=0)`, which gives each sentence of a padded batch one
vector: **the average of the vectors of its words**, the padding left out.

- `matrix`: an embedding matrix of shape `(vocab_size, embedding_dim)`, a `tf.Variable` or a tensor.
- `sentences`: a batch of word ids of shape `(batch, length)`, padded with `pad_id` after the words or
  before them, as a tensor, a NumPy array or a nested Python list. Every position that holds `pad_id`
  is padding, wherever it is.
- `pad_id`: the padding id, 0 unless said otherwise (a tokenizer may pad with another id and give 0 to
  a word).

It returns a float tensor of shape `(batch, embedding_dim)`: row `i` is the average of the vectors of
the words of sentence `i`. A sentence of padding only has no words: its row is all zeros (not NaN).
"""
    skeleton = """\
def sentence_vectors(matrix, sentences, pad_id=0):
    # CODE HERE
    pass
"""
    hints = (
        "A sentence's vector is the average of its words' vectors: their sum divided by how many words "
        "there are. The padding positions are not words, so they must add nothing to the sum and not "
        "count in the number; a sentence of padding only has no words, and its vector is all zeros.",
        "The lookup turns a (batch, length) batch of ids into vectors of shape (batch, length, "
        "embedding_dim), the padding's rows included (the shape rule). The section on leaving positions "
        "out has the tools: comparing the ids with pad_id gives a mask of the positions that hold words, "
        "reduce_sum adds along the axis you name (with keepdims, that axis stays), and "
        "tf.math.divide_no_nan gives 0 where it would divide by 0.",
        "The shape of the code: turn the ids into a tensor (they may come as a list); look their vectors "
        "up; make a float mask of the positions that hold words; add up the masked vectors along the "
        "words' axis (the mask needs one more axis to multiply vectors of rank 3) and count the words of "
        "each sentence the same way; divide the sums by the counts, keeping the counts' axis so that they "
        "line up with the sums.",
    )
    solution_code = """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    word_vectors = tf.nn.embedding_lookup(matrix, ids)
    is_word = tf.cast(tf.not_equal(ids, pad_id), word_vectors.dtype)
    total = tf.reduce_sum(word_vectors * is_word[:, :, tf.newaxis], axis=1)
    word_count = tf.reduce_sum(is_word, axis=1, keepdims=True)
    return tf.math.divide_no_nan(total, word_count)
"""
    wrong_versions = {
        "averages-the-padding-in": (
            "averages the vectors of every position, so the pad id's row is added in once for each padding "
            "position and the padding counts as words",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    return tf.reduce_mean(tf.nn.embedding_lookup(matrix, sentences), axis=1)
""",
        ),
        "adds-the-padding-rows": (
            "adds up the vectors of every position, the pad id's row included, and divides by the number of real words",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    counts = tf.reduce_sum(tf.cast(ids != pad_id, tf.float32), axis=1)[:, None]
    return tf.math.divide_no_nan(tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids), axis=1), counts)
""",
        ),
        "divides-by-the-full-length": (
            "adds up the vectors of the real words only, then divides by the padded length of the "
            "sentence, so the padding positions still count",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    return tf.reduce_mean(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
""",
        ),
        "sums-instead-of-averaging": (
            "adds up the vectors of each sentence's real words and never divides by their number",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    return tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
""",
        ),
        "masks-id-0-not-pad-id": (
            "leaves out the positions that hold id 0, whatever pad_id is: with another pad id, the "
            "padding counts as words and the word with id 0 is left out",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != 0, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=1))
""",
        ),
        "averages-over-the-batch": (
            "averages along the batch's axis instead of the words' axis: one vector per position of the "
            "sentences, of shape (length, embedding_dim), not one per sentence",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=0)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=0))
""",
        ),
        "nan-for-padding-only": (
            "divides the sum of the real words' vectors by their number even when that number is 0, so a "
            "sentence of padding only gets NaN (0 / 0) rather than zeros",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    return tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1) / tf.reduce_sum(mask, axis=1)
""",
        ),
        "assumes-padding-after-the-words": (
            "averages the first positions of each sentence, as many as it has words, as if the padding always "
            "came after the words: where it comes before them, padding is averaged in and words are left out",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    counts = tf.reduce_sum(tf.cast(ids != pad_id, tf.int32), axis=1)
    first = tf.sequence_mask(counts, tf.shape(ids)[1], dtype=tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * first, axis=1)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(first, axis=1))
""",
        ),
        "averages-the-ids": (
            "averages the ids of each sentence (a whole-number average, the padding included) and looks up "
            "the row of that one id",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    return tf.nn.embedding_lookup(matrix, tf.reduce_mean(tf.convert_to_tensor(sentences), axis=1))
""",
        ),
        "returns-every-word-vector": (
            "returns the vector of every position, words and padding, of shape (batch, length, "
            "embedding_dim), without averaging them into one vector per sentence",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    return tf.nn.embedding_lookup(matrix, sentences)
""",
        ),
    }

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        return [_draw(rng, *plan) for plan in PLAN]

    def call(self, function, case: dict):
        import tensorflow as tf

        matrix = (tf.Variable if case["matrix_as"] == "variable" else tf.constant)(case["matrix"])
        sentences = {"tensor": tf.constant, "array": np.array, "list": np.ndarray.tolist}[case["sentences_as"]](
            case["sentences"]
        )
        if case["pad_id_given"]:
            return function(matrix, sentences, case["pad_id"])
        return function(matrix, sentences)

    def named_rows(self, case: dict, argument: str) -> dict:
        return {case["pad_id"]: "the pad id's row"} if argument == "matrix" else {}

    def describe(self, case: dict) -> str:
        pad = f"pad_id={case['pad_id']}" if case["pad_id_given"] else "pad_id left at its default"
        vocab_size, embedding_dim = case["matrix"].shape
        return (
            f"sentences={case['sentences'].tolist()} (given as {GIVEN_AS[case['sentences_as']]}), {pad}, "
            f"and a {vocab_size} x {embedding_dim} matrix (given as {GIVEN_AS[case['matrix_as']]})"
        )


def _draw(rng, group, batch, pad_id, padding, sentences_as, matrix_as, pad_id_given) -> dict:
    """A padded batch: sizes that differ from each other (so an axis taken for another shows in the
    shape), every sentence of at least two words but one of the full length, the pad id's row far from
    zero (so padding that is counted shows in the values), and, with another pad id, id 0 among the words."""
    embedding_dim = int(rng.integers(3, 7))
    length = int(rng.choice([n for n in range(3, 8) if n != embedding_dim]))
    if batch is None:
        batch = int(rng.choice([n for n in range(2, 7) if n not in (embedding_dim, length)]))
    vocab_size = int(rng.integers(10, 40))
    if pad_id is None:
        pad_id = int(rng.integers(1, vocab_size))
    counts = np.full(batch, length) if padding == "none" else rng.integers(2, length, batch)
    if batch > 1 and padding != "none":
        counts[rng.integers(batch)] = length
    if group == "a sentence of padding only":
        counts[int(np.flatnonzero(counts < length)[0])] = 0
    words = np.setdiff1d(np.arange(vocab_size), [pad_id])
    sentences = np.full((batch, length), pad_id, dtype=np.int64 if sentences_as == "array" and pad_id else np.int32)
    for row, count in enumerate(counts):
        chosen = rng.choice(words, count)
        if pad_id != 0 and row == 0:
            chosen[rng.integers(count)] = 0
        if padding == "pre":
            sentences[row, length - count :] = chosen
        else:
            sentences[row, :count] = chosen
    matrix = rng.normal(0.0, 1.0, (vocab_size, embedding_dim))
    matrix[pad_id] = rng.uniform(4.0, 8.0, embedding_dim) * rng.choice([-1, 1], embedding_dim)
    return {
        "group": group,
        "matrix": matrix.astype(np.float32),
        "sentences": sentences,
        "pad_id": pad_id,
        "pad_id_given": pad_id_given,
        "sentences_as": sentences_as,
        "matrix_as": matrix_as,
    }
