"""``sentence_vectors``, variant ``sqrtn``: the sum of a sentence's word vectors divided by the square root
of its number of words, the padding left out."""

from __future__ import annotations

from checks.exercises.sentence_vectors import SentenceVectors
from checks.registry import register


@register
class SquareRootOfTheCount(SentenceVectors):
    variant = "sqrtn"
    variant_title = "the sum of its words' vectors divided by the square root of their number"
    statement = """\
Write `sentence_vectors(matrix, sentences, pad_id=0)`, which gives each sentence of a padded batch one
vector: **the sum of the vectors of its words divided by the square root of the number of its words**,
the padding left out. A long sentence's sum grows with its length; this division keeps it from growing
as fast, without making a sentence of many words count as little as one of a single word.

- `matrix`: an embedding matrix of shape `(vocab_size, embedding_dim)`, a `tf.Variable` or a tensor.
- `sentences`: a batch of word ids of shape `(batch, length)`, padded with `pad_id` after the words or
  before them, as a tensor, a NumPy array or a nested Python list. Every position that holds `pad_id`
  is padding, wherever it is.
- `pad_id`: the padding id, 0 unless said otherwise (a tokenizer may pad with another id and give 0 to
  a word).

It returns a float tensor of shape `(batch, embedding_dim)`: row `i` is the sum of the vectors of the
words of sentence `i` divided by the square root of how many words it has. A sentence of padding only
has no words: its row is all zeros (not NaN).
"""
    hints = (
        "Two numbers per sentence: the sum of its words' vectors and how many words it has. The padding "
        "positions are not words: they add nothing to the sum and do not count. Then the sum is divided "
        "by the square root of the count, and a sentence with no words keeps a row of zeros.",
        "The lookup of this notebook turns a (batch, length) batch of ids into vectors of shape (batch, "
        "length, embedding_dim), the padding's rows included. Comparing the ids with pad_id says, with the "
        "ids' shape, which positions hold words. TensorFlow's sums take the axis to add along, tf.sqrt takes "
        "square roots, and tf.math has a division that gives 0 where it would divide by 0.",
        "The shape of the code: turn the ids into a tensor; look their vectors up; make a float mask of "
        "the positions that hold words; add up the masked vectors along the words' axis (the mask needs one "
        "more axis to multiply vectors of rank 3) and count the words of each sentence, keeping the counts' "
        "axis; divide the sums by the square roots of the counts, 0 where a count is 0.",
    )
    solution_code = """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    word_vectors = tf.nn.embedding_lookup(matrix, ids)
    is_word = tf.cast(tf.not_equal(ids, pad_id), word_vectors.dtype)
    total = tf.reduce_sum(word_vectors * is_word[:, :, tf.newaxis], axis=1)
    word_count = tf.reduce_sum(is_word, axis=1, keepdims=True)
    return tf.math.divide_no_nan(total, tf.sqrt(word_count))
"""
    wrong_versions = {
        "divides-by-the-count": (
            "divides each sentence's sum by the number of its words, giving their average, instead of by "
            "the square root of that number",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=1))
""",
        ),
        "power-before-division": (
            "divides by half the number of words, not its square root: in Python n ** 1/2 is (n ** 1)/2, "
            "since ** is worked out before /",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=1) ** 1 / 2)
""",
        ),
        "adds-the-padding-rows": (
            "adds up the vectors of every position, the pad id's row included, and divides by the square "
            "root of the number of real words",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    counts = tf.reduce_sum(tf.cast(ids != pad_id, tf.float32), axis=1)[:, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids), axis=1)
    return tf.math.divide_no_nan(sums, tf.sqrt(counts))
""",
        ),
        "root-of-the-full-length": (
            "adds up the vectors of the real words only, then divides by the square root of the padded "
            "length of the sentence, so the padding positions still count",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
    return sums / tf.sqrt(tf.cast(tf.shape(ids)[1], tf.float32))
""",
        ),
        "sums-without-dividing": (
            "adds up the vectors of each sentence's real words and never divides",
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
    return tf.math.divide_no_nan(sums, tf.sqrt(tf.reduce_sum(mask, axis=1)))
""",
        ),
        "nan-for-padding-only": (
            "divides even when a sentence has no words, so a sentence of padding only gets NaN (0 / 0) "
            "rather than zeros",
            """\
def sentence_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
    return sums / tf.sqrt(tf.reduce_sum(mask, axis=1))
""",
        ),
    }
