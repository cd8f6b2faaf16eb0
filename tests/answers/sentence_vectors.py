"""Answers to ``sentence_vectors``, the exercise of notebook 3: each sentence's average word vector, the
padding left out. The short kind would derive a table from the declaration (its reference right, each
wrong version wrong); this one has more right ways, and wrong ones written as a learner would."""

import numpy as np
import tensorflow as tf

import checks
from checks import Status


def canonical(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    word_vectors = tf.nn.embedding_lookup(matrix, ids)
    is_word = tf.cast(tf.not_equal(ids, pad_id), word_vectors.dtype)
    total = tf.reduce_sum(word_vectors * is_word[:, :, tf.newaxis], axis=1)
    word_count = tf.reduce_sum(is_word, axis=1, keepdims=True)
    return tf.math.divide_no_nan(total, word_count)


def where_and_count_nonzero(matrix, sentences, pad_id=0):
    ids = tf.constant(sentences)
    vectors = tf.gather(matrix, ids)
    keep = ids != pad_id
    summed = tf.reduce_sum(tf.where(keep[..., None], vectors, tf.zeros_like(vectors)), axis=-2)
    count = tf.cast(tf.math.count_nonzero(keep, axis=-1, keepdims=True), summed.dtype)
    return tf.math.divide_no_nan(summed, count)


def count_at_least_one(matrix, sentences, pad_id=0):
    # Dividing by max(count, 1) is right too: a sentence with no words has a sum of zeros.
    ids = tf.convert_to_tensor(sentences)
    mask = tf.expand_dims(tf.cast(ids != pad_id, tf.float32), -1)
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, ids) * mask, axis=1)
    return sums / tf.maximum(tf.reduce_sum(mask, axis=1), 1.0)


def ragged(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    words = tf.ragged.boolean_mask(ids, ids != pad_id)
    sums = tf.reduce_sum(tf.gather(matrix, words), axis=1)
    lengths = tf.cast(words.row_lengths(), sums.dtype)[:, None]
    return tf.math.divide_no_nan(sums, lengths)


def ragged_mean_nan_replaced(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    means = tf.reduce_mean(tf.gather(matrix, tf.ragged.boolean_mask(ids, ids != pad_id)), axis=1)
    return tf.where(tf.math.is_nan(means), tf.zeros_like(means), means)


def segment_mean(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    batch = tf.shape(ids)[0]
    rows = tf.repeat(tf.range(batch)[:, None], tf.shape(ids)[1], axis=1)
    segments = tf.where(ids == pad_id, -1, rows)  # negative segments are dropped
    return tf.math.unsorted_segment_mean(
        tf.gather(matrix, tf.reshape(ids, [-1])), tf.reshape(segments, [-1]), num_segments=batch
    )


def python_loop(matrix, sentences, pad_id=0):
    rows = []
    for sentence in tf.convert_to_tensor(sentences):
        words = tf.boolean_mask(sentence, sentence != pad_id)
        if tf.size(words) == 0:
            rows.append(tf.zeros(matrix.shape[1]))
        else:
            rows.append(tf.reduce_mean(tf.nn.embedding_lookup(matrix, words), axis=0))
    return tf.stack(rows)


def plain_python_loop(matrix, sentences, pad_id=0):
    table = np.asarray(matrix)
    averages = []
    for sentence in np.asarray(sentences).tolist():
        words = [table[i] for i in sentence if i != pad_id]
        averages.append(np.mean(words, axis=0) if words else np.zeros(table.shape[1]))
    return tf.constant(np.array(averages), dtype=tf.float32)


def numpy_then_tensor(matrix, sentences, pad_id=0):
    ids = np.asarray(sentences)
    vectors = np.asarray(matrix)[ids]
    mask = (ids != pad_id)[:, :, None]
    counts = mask.sum(axis=1)
    sums = (vectors * mask).sum(axis=1)
    return tf.constant(np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0))


def numpy_array_in_float64(matrix, sentences, pad_id=0):
    # A NumPy array of the same numbers passes (the statement says so), in float64 too.
    ids = np.array(sentences)
    vectors = np.array(matrix, dtype=np.float64)[ids]
    weights = (ids != pad_id) / np.maximum((ids != pad_id).sum(axis=1, keepdims=True), 1)
    return np.einsum("bl,bld->bd", weights, vectors)


def bag_of_words_product(matrix, sentences, pad_id=0):
    # A one-hot row of -1 is all zeros, so padding adds nothing; the matrix product adds up the rows.
    ids = tf.convert_to_tensor(sentences)
    one_hot = tf.one_hot(tf.where(ids == pad_id, -1, ids), tf.shape(matrix)[0])
    counts = tf.reduce_sum(one_hot, axis=1)
    return tf.math.divide_no_nan(counts, tf.reduce_sum(counts, axis=1, keepdims=True)) @ matrix


def einsum_weights(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)
    weights = tf.math.divide_no_nan(mask, tf.reduce_sum(mask, axis=1, keepdims=True))
    return tf.einsum("bl,bld->bd", weights, tf.nn.embedding_lookup(matrix, ids))


def keras_masked_pooling(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    pooled = tf.keras.layers.GlobalAveragePooling1D()(tf.gather(matrix, ids), mask=ids != pad_id)
    return tf.where(tf.math.is_nan(pooled), 0.0, pooled)


def in_float64(matrix, sentences, pad_id=0):
    ids = tf.cast(sentences, tf.int64)
    vectors = tf.cast(tf.gather(matrix, ids), tf.float64)
    mask = tf.cast(tf.not_equal(ids, tf.cast(pad_id, tf.int64)), tf.float64)[..., tf.newaxis]
    return tf.math.divide_no_nan(tf.reduce_sum(vectors * mask, 1), tf.reduce_sum(mask, 1))


RIGHT = [
    canonical,
    where_and_count_nonzero,
    count_at_least_one,
    ragged,
    ragged_mean_nan_replaced,
    segment_mean,
    python_loop,
    plain_python_loop,
    numpy_then_tensor,
    numpy_array_in_float64,
    bag_of_words_product,
    einsum_weights,
    keras_masked_pooling,
    in_float64,
]


def named(key):
    """A wrong version as the declaration writes it, under its key as the function's name."""
    namespace = {"tf": tf, "np": np}
    exec(checks.sentence_vectors.wrong_versions[key][1], namespace)
    function = namespace["sentence_vectors"]
    function.__name__ = "version_" + key.replace("-", "_")
    function.__source__ = checks.sentence_vectors.wrong_versions[key][1]  # no file holds it: for a notebook of it
    return function


# The same mistakes, written otherwise.
def keras_pooling_without_mask(matrix, sentences, pad_id=0):
    return tf.keras.layers.GlobalAveragePooling1D()(tf.gather(matrix, tf.convert_to_tensor(sentences)))


def ragged_mean(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    return tf.reduce_mean(tf.gather(matrix, tf.ragged.boolean_mask(ids, ids != pad_id)), axis=1)


def numpy_without_a_guard(matrix, sentences, pad_id=0):
    ids = np.asarray(sentences)
    mask = (ids != pad_id)[:, :, None]
    with np.errstate(invalid="ignore"):
        return (np.asarray(matrix)[ids] * mask).sum(axis=1) / mask.sum(axis=1)


def positive_ids_are_words(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids > 0, tf.float32)
    sums = tf.einsum("bl,bld->bd", mask, tf.gather(matrix, ids))
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=1, keepdims=True))


def loop_sum(matrix, sentences, pad_id=0):
    return tf.stack(
        [
            tf.reduce_sum(tf.gather(matrix, tf.constant([i for i in s if i != pad_id], tf.int32)), axis=0)
            for s in np.asarray(sentences).tolist()
        ]
    )


def padded_length_in_numpy(matrix, sentences, pad_id=0):
    ids = np.asarray(sentences)
    return (np.asarray(matrix)[ids] * (ids != pad_id)[:, :, None]).sum(axis=1) / ids.shape[1]


# Other mistakes: the short kind's own keys, or an error.
def counts_nonzero_ids(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    mask = tf.cast(ids != pad_id, tf.float32)[:, :, None]
    sums = tf.reduce_sum(tf.gather(matrix, ids) * mask, axis=1)
    return tf.math.divide_no_nan(sums, tf.cast(tf.math.count_nonzero(ids, axis=1, keepdims=True), tf.float32))


def assumes_padding_at_the_end(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    counts = tf.reduce_sum(tf.cast(ids != pad_id, tf.int32), axis=1)
    vectors = tf.gather(matrix, ids)
    first = tf.sequence_mask(counts, tf.shape(ids)[1], dtype=tf.float32)[:, :, None]
    return tf.math.divide_no_nan(tf.reduce_sum(vectors * first, 1), tf.reduce_sum(first, 1))


def averages_the_dimensions(matrix, sentences, pad_id=0):
    return tf.reduce_mean(tf.nn.embedding_lookup(matrix, sentences), axis=2)


def keeps_the_words_axis(matrix, sentences, pad_id=0):
    return tf.reduce_mean(canonical(matrix, sentences, pad_id)[:, None, :], axis=1, keepdims=True)


def squeezes(matrix, sentences, pad_id=0):
    return tf.squeeze(canonical(matrix, sentences, pad_id))


def ragged_word_vectors(matrix, sentences, pad_id=0):
    ids = tf.convert_to_tensor(sentences)
    return tf.gather(matrix, tf.ragged.boolean_mask(ids, ids != pad_id))


def whole_numbers(matrix, sentences, pad_id=0):
    return tf.cast(tf.round(canonical(matrix, sentences, pad_id)), tf.int32)


def returns_none(matrix, sentences, pad_id=0):
    return None


def compares_the_list_itself(matrix, sentences, pad_id=0):
    mask = tf.cast(sentences != pad_id, tf.float32)  # a list compared with a number is just True
    sums = tf.reduce_sum(tf.nn.embedding_lookup(matrix, sentences) * mask[:, :, None], axis=1)
    return tf.math.divide_no_nan(sums, tf.reduce_sum(mask, axis=1, keepdims=True))


def zeroes_the_pad_row_of_the_callers_matrix(matrix, sentences, pad_id=0):
    # Right results, by zeroing the padding's row so that padding adds nothing: in the caller's own
    # variable (notebook 3's later cells then read zeros for the pad id), or in a copy of a tensor.
    zeros = tf.zeros_like(matrix[pad_id])
    if isinstance(matrix, tf.Variable):
        matrix[pad_id].assign(zeros)
        table = matrix
    else:
        table = tf.tensor_scatter_nd_update(matrix, [[pad_id]], [zeros])
    ids = tf.convert_to_tensor(sentences)
    counts = tf.reduce_sum(tf.cast(ids != pad_id, table.dtype), axis=1, keepdims=True)
    return tf.math.divide_no_nan(tf.reduce_sum(tf.gather(table, ids), axis=1), counts)


def empties_the_callers_list(matrix, sentences, pad_id=0):
    result = canonical(matrix, sentences, pad_id)
    if isinstance(sentences, list):
        sentences.clear()  # "done with them"
    return result


ABOUT = "as a version that"
# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (named(key), Status.INCORRECT, key, [ABOUT, what])
    for key, (what, _) in checks.sentence_vectors.wrong_versions.items()
] + [
    (keras_pooling_without_mask, Status.INCORRECT, "averages-the-padding-in", [ABOUT, "padding counts as words"]),
    (ragged_mean, Status.INCORRECT, "nan-for-padding-only", [ABOUT, "NaN (0 / 0)"]),
    (numpy_without_a_guard, Status.INCORRECT, "nan-for-padding-only", [ABOUT, "NaN (0 / 0)"]),
    (positive_ids_are_words, Status.INCORRECT, "masks-id-0-not-pad-id", [ABOUT, "whatever pad_id is"]),
    (loop_sum, Status.INCORRECT, "sums-instead-of-averaging", [ABOUT, "never divides"]),
    (padded_length_in_numpy, Status.INCORRECT, "divides-by-the-full-length", [ABOUT, "padded length"]),
    (counts_nonzero_ids, Status.INCORRECT, "wrong-values", ["pad_id=", "returned [[", "expected [["]),
    (
        assumes_padding_at_the_end,
        Status.INCORRECT,
        "assumes-padding-after-the-words",
        [ABOUT, "as if the padding always came after the words"],
    ),
    (averages_the_dimensions, Status.INCORRECT, "wrong-shape", ["shape (2, 6)", "expected shape is (2, 4)"]),
    (keeps_the_words_axis, Status.INCORRECT, "wrong-shape", ["shape (2, 1, 4)", "expected shape is (2, 4)"]),
    (squeezes, Status.INCORRECT, "wrong-shape", ["shape (4,)", "expected shape is (1, 4)"]),
    (ragged_word_vectors, Status.INCORRECT, "not-a-result", ["RaggedTensor"]),
    (whole_numbers, Status.INCORRECT, "wrong-dtype", ["integer", "floating-point"]),
    (returns_none, Status.INCORRECT, "returns-none", ["returned None"]),
    (compares_the_list_itself, Status.ERROR, "raised-InvalidArgumentError", ["a nested Python list"]),
    (
        zeroes_the_pad_row_of_the_callers_matrix,
        Status.INCORRECT,
        "changes-matrix",
        ["sentence_vectors changed the matrix it was given: the pad id's row holds zeros after the call"],
    ),
    (
        empties_the_callers_list,
        Status.INCORRECT,
        "changes-sentences",
        ["changed the sentences it was given: the list is empty after the call"],
    ),
]


def tuned_to_the_public_cases(matrix, sentences, pad_id=0):
    ids = np.asarray(sentences)
    for case in checks.sentence_vectors.public_cases():
        if ids.shape == case["sentences"].shape and np.array_equal(ids, case["sentences"]):
            return canonical(matrix, sentences, pad_id)
    return tf.reduce_mean(tf.nn.embedding_lookup(matrix, sentences), axis=1)


TUNED = [tuned_to_the_public_cases]
