"""Answers to ``forward``: each a subclass of the chapter's EmbeddingModel with its own ``forward``,
which calls ``get_initializer`` from this module's globals, as it would from a notebook's."""

import numpy as np
import tensorflow as tf
import tensorflow.compat.v1 as tf1
from tensorflow.compat.v1 import get_variable

from checks import Status


def get_initializer(embedding_dim, vocab_size):
    # Deliberately wrong: the forward check must not depend on the learner's get_initializer.
    return tf.zeros((vocab_size, embedding_dim))


class EmbeddingModel(object):
    def __init__(self, vocab_size, embedding_dim):
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.tokenizer = tf.keras.preprocessing.text.Tokenizer(num_words=self.vocab_size)


def model(forward):
    return type(forward.__name__, (EmbeddingModel,), {"forward": forward})


@model
def canonical(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    embeddings = tf.compat.v1.nn.embedding_lookup(self.embedding_matrix, target_ids)
    return embeddings


@model
def tf2_names_and_keywords(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable(
        name="embedding_matrix", initializer=initializer, dtype=tf.float32, trainable=True
    )
    return tf.nn.embedding_lookup(params=self.embedding_matrix, ids=target_ids)


@model
def gather(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.gather(self.embedding_matrix, target_ids)


@model
def inside_a_scope(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    with tf.compat.v1.variable_scope("skipgram"):
        self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def calls_get_initializer_again(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable(
        "embedding_matrix", initializer=get_initializer(self.embedding_dim, self.vocab_size)
    )
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def from_imported_get_variable(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def compat_v1_as_tf1(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf1.get_variable("embedding_matrix", initializer=initializer)
    return tf1.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def v1_module_in_a_local_name(self, target_ids):
    v1 = tf.compat.v1
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    with v1.variable_scope("model", reuse=v1.AUTO_REUSE):
        self.embedding_matrix = v1.get_variable(initializer=initializer, name="embedding_matrix")
    return tf.gather(params=self.embedding_matrix, indices=target_ids)


@model
def initializer_by_keywords(self, target_ids):
    initializer = get_initializer(vocab_size=self.vocab_size, embedding_dim=self.embedding_dim)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def reads_the_variable_first(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(tf.convert_to_tensor(self.embedding_matrix), target_ids)


RIGHT = [
    canonical,
    tf2_names_and_keywords,
    gather,
    inside_a_scope,
    calls_get_initializer_again,
    from_imported_get_variable,
    compat_v1_as_tf1,
    v1_module_in_a_local_name,
    initializer_by_keywords,
    reads_the_variable_first,
]


@model
def forgot_return(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def local_matrix(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(embedding_matrix, target_ids)


@model
def plain_variable(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.Variable(initializer, name="embedding_matrix")
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def wrong_name(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embeddings", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def default_initializer(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", shape=(self.vocab_size, self.embedding_dim))
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def shape_and_initializer(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable(
        "embedding_matrix", shape=(self.vocab_size, self.embedding_dim), initializer=initializer
    )
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def returns_matrix(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return self.embedding_matrix


@model
def returns_numpy(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return self.embedding_matrix.numpy()[np.asarray(target_ids)]


@model
def flattens_ids(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, tf.reshape(target_ids, [-1]))


@model
def drops_repeats(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    unique_ids, _ = tf.unique(tf.reshape(target_ids, [-1]))
    return tf.nn.embedding_lookup(self.embedding_matrix, unique_ids)


@model
def shifted_rows(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, (target_ids + 1) % self.vocab_size)


@model
def float64_embeddings(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.cast(tf.nn.embedding_lookup(self.embedding_matrix, target_ids), tf.float64)


@model
def transposed_lookup(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.transpose(tf.nn.embedding_lookup(self.embedding_matrix, target_ids))


@model
def scaled(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer * 2)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def swapped_lookup_arguments(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(target_ids, self.embedding_matrix)


@model
def lookup_in_numpy_copy(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix.numpy(), target_ids)


@model
def lookup_in_constant_copy(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    frozen = tf.constant(self.embedding_matrix.numpy())
    return tf.gather(frozen, target_ids)


@model
def lookup_in_initializer(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(initializer, target_ids)


@model
def gather_from_initializer(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.gather(initializer, target_ids)


@model
def lookup_in_stopped_gradient(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.stop_gradient(tf.nn.embedding_lookup(self.embedding_matrix, target_ids))


@model
def not_trainable(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer, trainable=False)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def swapped_initializer_arguments(self, target_ids):
    initializer = get_initializer(self.vocab_size, self.embedding_dim)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def swapped_initializer_keywords(self, target_ids):
    initializer = get_initializer(embedding_dim=self.vocab_size, vocab_size=self.embedding_dim)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def initializer_square(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.embedding_dim)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def breaks_on_a_single_id(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    if len(target_ids) == 0:
        return tf.zeros((0, self.embedding_dim))
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


@model
def breaks_on_numpy_ids(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids.numpy())


@model
def sorts_the_callers_ids(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    if isinstance(target_ids, np.ndarray):
        order = np.argsort(target_ids, kind="stable")
        target_ids.sort(kind="stable")  # each row read once, in order: in the caller's own array
        rows = tf.nn.embedding_lookup(self.embedding_matrix, target_ids)
        return tf.gather(rows, np.argsort(order))
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)


# (answer, status, key of the mistake it makes, words its message must have)
@model
def returns_none_at_once(self, target_ids):
    # `return None` compiles to the bytecode of the skeleton's `pass`: it is an answer all the same.
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    return None


WRONG = [
    (forgot_return, Status.INCORRECT, "returns-none", ["returned None"]),
    (returns_none_at_once, Status.INCORRECT, "matrix-not-stored", ["did not set self.embedding_matrix"]),
    (local_matrix, Status.INCORRECT, "matrix-not-stored", ["did not set self.embedding_matrix"]),
    (plain_variable, Status.INCORRECT, "matrix-not-from-get-variable", ["not made by tf.compat.v1.get_variable"]),
    (wrong_name, Status.INCORRECT, "wrong-name", ["named 'embeddings'", "'embedding_matrix'"]),
    (
        default_initializer,
        Status.INCORRECT,
        "matrix-not-initializer-values",
        ["does not start from the values get_initializer returned", "Glorot"],
    ),
    (
        shape_and_initializer,
        Status.ERROR,
        "raised-ValueError",
        ["ValueError", "do not specify shape", "in shape_and_initializer()"],
    ),
    (returns_matrix, Status.INCORRECT, "returns-variable", ["returned the variable"]),
    (returns_numpy, Status.INCORRECT, "returns-numpy", ["NumPy array", "gradients"]),
    (flattens_ids, Status.INCORRECT, "flattened-ids", ["flattened", "(2, 3, 4)"]),
    (drops_repeats, Status.INCORRECT, "drops-repeated-ids", ["repeated id", "4 rows for 5 ids"]),
    (shifted_rows, Status.INCORRECT, "wrong-rows", ["row 4 of the matrix, not row 3"]),
    (float64_embeddings, Status.INCORRECT, "wrong-dtype", ["float64", "float32"]),
    (
        transposed_lookup,
        Status.INCORRECT,
        "transposed-embeddings",
        ["transposed", "the ids' shape first, then embedding_dim"],
    ),
    (
        scaled,
        Status.INCORRECT,
        "matrix-not-initializer-values",
        ["does not start from the values get_initializer returned"],
    ),
    (swapped_lookup_arguments, Status.ERROR, "raised-InvalidArgumentError", ["in swapped_lookup_arguments()"]),
    (
        lookup_in_numpy_copy,
        Status.INCORRECT,
        "lookup-not-in-variable",
        ["right values", "a copy", "no gradient reaches the variable"],
    ),
    (
        lookup_in_constant_copy,
        Status.INCORRECT,
        "lookup-not-in-variable",
        ["right values", "a copy", "no gradient reaches the variable"],
    ),
    (
        lookup_in_initializer,
        Status.INCORRECT,
        "lookup-not-in-variable",
        ["in the initializer tensor", "not in self.embedding_matrix"],
    ),
    (
        gather_from_initializer,
        Status.INCORRECT,
        "lookup-not-in-variable",
        ["in the initializer tensor", "not in self.embedding_matrix"],
    ),
    (lookup_in_stopped_gradient, Status.INCORRECT, "lookup-not-in-variable", ["no gradient reaches the variable"]),
    (not_trainable, Status.INCORRECT, "not-trainable", ["not trainable", "not trainable"]),
    (
        swapped_initializer_arguments,
        Status.INCORRECT,
        "swapped-initializer-arguments",
        ["vocab_size first and embedding_dim second", "swapped"],
    ),
    (
        swapped_initializer_keywords,
        Status.INCORRECT,
        "swapped-initializer-arguments",
        ["vocab_size first and embedding_dim second", "swapped"],
    ),
    (
        initializer_square,
        Status.INCORRECT,
        "other-initializer-arguments",
        ["with embedding_dim=5, vocab_size=5", "embedding_dim=5, vocab_size=5"],
    ),
    (
        breaks_on_a_single_id,
        Status.ERROR,
        "raised-TypeError",
        ["with target_ids=42, a single id", "TypeError", "in breaks_on_a_single_id(), at: if len(target_ids) == 0:"],
    ),
    (
        breaks_on_numpy_ids,
        Status.ERROR,
        "raised-AttributeError",
        ["given as a NumPy array", "AttributeError", "target_ids.numpy()"],
    ),
    (
        sorts_the_callers_ids,
        Status.INCORRECT,
        "changes-target-ids",
        ["forward changed the target_ids it was given", "in another order after the call"],
    ),
]


def one_d_only(answer):
    """``answer``'s class, changed to raise for ids that are not a 1-D list or tensor."""

    def forward(self, target_ids):
        if np.ndim(target_ids) != 1 or isinstance(target_ids, np.ndarray):
            raise ValueError("only 1-D ids")
        return answer.forward(self, target_ids)

    return type("one_d_only", (answer,), {"forward": forward})


@model
def tuned_to_the_public_cases(self, target_ids):
    initializer = get_initializer(self.embedding_dim, self.vocab_size)
    self.embedding_matrix = tf.compat.v1.get_variable("embedding_matrix", initializer=initializer)
    if (self.vocab_size, self.embedding_dim) in {(12, 5), (30, 4), (6, 9), (50, 16), (20, 6)}:
        return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)
    return tf.nn.embedding_lookup(self.embedding_matrix, tf.zeros_like(target_ids))


TUNED = [tuned_to_the_public_cases]
