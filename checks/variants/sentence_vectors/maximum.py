"""``sentence_vectors``, variant ``maximum``: for each dimension, the largest value among a sentence's
words (max pooling), the padding left out."""

from __future__ import annotations

import numpy as np

from checks.exercises.sentence_vectors import SentenceVectors
from checks.registry import register

#: How far the words' rows are moved below 0: most of a sentence's words then have negative values in
#: some dimension, so that padding counted as zeros shows (a padding row far from 0 shows either way).
SHIFT = 1.0


@register
class Maximum(SentenceVectors):
    variant = "maximum"
    variant_title = "the largest value of each dimension among its words"
    statement = """\
Write `sentence_vectors(matrix, sentences, pad_id=0)`, which gives each sentence of a padded batch one
vector: **in each dimension, the largest value that any of its words has there** ("max pooling"), the
padding left out. Where a sentence's words are all negative in a dimension, its value there is the
largest of those negative values.

- `matrix`: an embedding matrix of shape `(vocab_size, embedding_dim)`, a `tf.Variable` or a tensor.
- `sentences`: a batch of word ids of shape `(batch, length)`, padded with `pad_id` after the words or
  before them, as a tensor, a NumPy array or a nested Python list. Every position that holds `pad_id`
  is padding, wherever it is.
- `pad_id`: the padding id, 0 unless said otherwise (a tokenizer may pad with another id and give 0 to
  a word).

It returns a float tensor of shape `(batch, embedding_dim)`: entry `(i, j)` is the largest value in
dimension `j` among the words of sentence `i`. A sentence of padding only has no words: its row is all
zeros.
"""
    hints = (
        "For each sentence and each dimension, the largest value among its words. The padding positions "
        "are not words, so they must never win, whatever their values; a value of 0 would win over "
        "negative values, so masking them by multiplying with 0 does not leave them out. A sentence with no "
        "words at all has no largest value: its row is zeros.",
        "The lookup of this notebook turns a (batch, length) batch of ids into vectors of shape (batch, "
        "length, embedding_dim), the padding's rows included. Comparing the ids with pad_id says which "
        "positions hold words. tf.where picks, position by position, a value from one tensor or another "
        "(such as minus infinity, which never wins), TensorFlow's reductions take the largest value along "
        "an axis, and tf.reduce_any says whether a sentence has any word.",
        "The shape of the code: turn the ids into a tensor; look their vectors up; make a boolean mask of "
        "the positions that hold words, with one more axis so that it lines up with the vectors; replace the "
        "padding positions' vectors by a value that never wins; take the largest along the words' axis; "
        "where a sentence has no word, put zeros instead.",
    )
    solution_code = """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    word_vectors = tf.nn.embedding_lookup(matrix, ids)
    is_word = tf.not_equal(ids, pad_id)[:, :, tf.newaxis]
    largest = tf.reduce_max(tf.where(is_word, word_vectors, -np.inf), axis=1)
    return tf.where(tf.reduce_any(is_word, axis=1), largest, tf.zeros_like(largest))
"""
    wrong_versions = {
        "padding-in-the-max": (
            "takes the largest value of every position, the pad id's row included",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    return tf.reduce_max(tf.nn.embedding_lookup(matrix, sentences), axis=1)
""",
        ),
        "padding-counts-as-zero": (
            "multiplies the padding positions' vectors by 0 before taking the largest value, so where all of "
            "a padded sentence's words are negative in a dimension its value there is 0, not the largest "
            "word's",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    return tf.reduce_max(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
""",
        ),
        "minimum-instead": (
            "takes the smallest value of each dimension among the words instead of the largest",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    is_word = (ids != pad_id)[:, :, None]
    smallest = tf.reduce_min(tf.where(is_word, tf.nn.embedding_lookup(matrix, ids), np.inf), axis=1)
    return tf.where(tf.reduce_any(is_word, axis=1), smallest, 0.0)
""",
        ),
        "padding-only-not-zero": (
            "gives a sentence of padding only minus infinity, the value the padding was replaced by, rather than zeros",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    is_word = (ids != pad_id)[:, :, None]
    return tf.reduce_max(tf.where(is_word, tf.nn.embedding_lookup(matrix, ids), -np.inf), axis=1)
""",
        ),
        "max-over-the-batch": (
            "takes the largest along the batch's axis instead of the words' axis: one vector per position "
            "of the sentences, of shape (length, embedding_dim), not one per sentence",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    is_word = (ids != pad_id)[:, :, None]
    largest = tf.reduce_max(tf.where(is_word, tf.nn.embedding_lookup(matrix, ids), -np.inf), axis=0)
    return tf.where(tf.reduce_any(is_word, axis=0), largest, 0.0)
""",
        ),
        "averages-instead": (
            "averages the vectors of each sentence's words instead of taking their largest values",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=1))
""",
        ),
        "masks-id-0-not-pad-id": (
            "leaves out the positions that hold id 0, whatever pad_id is: with another pad id, the "
            "padding counts as words and the word with id 0 is left out",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    is_word = (ids != 0)[:, :, None]
    largest = tf.reduce_max(tf.where(is_word, tf.nn.embedding_lookup(matrix, ids), -np.inf), axis=1)
    return tf.where(tf.reduce_any(is_word, axis=1), largest, 0.0)
""",
        ),
    }

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        cases = super().draw_cases(rng)
        for case in cases:  # every row but the pad id's moved below 0
            words = np.arange(len(case["matrix"])) != case["pad_id"]
            case["matrix"][words] -= np.float32(SHIFT)
        return cases
