"""Answers to ``word_counter``, the practice exercise of notebook 1: each a ``WordCounter`` class."""

import tensorflow as tf
import tensorflow.compat.v1 as tf1
from tensorflow.compat.v1 import get_variable

from checks import Status


class canonical:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size

    def counts(self):
        if not hasattr(self, "word_counts"):
            self.word_counts = tf.compat.v1.get_variable("word_counts", shape=(self.vocab_size,), dtype=tf.int64)
        return self.word_counts


class made_in_init:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size
        self.word_counts = get_variable("word_counts", shape=[vocab_size], dtype="int64")

    def counts(self):
        return self.word_counts


class plain_variable_in_init:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size
        self.kept = tf.Variable(tf.zeros((vocab_size,), tf.int64), name="word_counts")

    def counts(self):
        return self.kept


class with_a_template:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size
        self.template = tf1.make_template(
            "word_counter", lambda: tf1.get_variable("word_counts", shape=(vocab_size,), dtype=tf1.int64)
        )

    def counts(self):
        return self.template()


class none_until_the_first_call:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size
        self.counter = None

    def counts(self):
        if self.counter is None:
            self.counter = tf.compat.v1.get_variable(
                name="counts", shape=(self.vocab_size,), dtype=tf.int64, initializer=tf.compat.v1.zeros_initializer()
            )
        return self.counter


RIGHT = [canonical, made_in_init, plain_variable_in_init, with_a_template, none_until_the_first_call]


class get_variable_at_every_call:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size

    def counts(self):
        return tf.compat.v1.get_variable("word_counts", shape=(self.vocab_size,), dtype=tf.int64)


class float32_default:
    def __init__(self, vocab_size):
        self.word_counts = tf.compat.v1.get_variable("word_counts", shape=(vocab_size,))

    def counts(self):
        return self.word_counts


class int32:
    def __init__(self, vocab_size):
        self.word_counts = tf.compat.v1.get_variable("word_counts", shape=(vocab_size,), dtype=tf.int32)

    def counts(self):
        return self.word_counts


class row_shape:
    def __init__(self, vocab_size):
        self.word_counts = tf.compat.v1.get_variable("word_counts", shape=(1, vocab_size), dtype=tf.int64)

    def counts(self):
        return self.word_counts


class tensor_not_variable:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size

    def counts(self):
        return tf.zeros((self.vocab_size,), tf.int64)


class starts_at_one:
    def __init__(self, vocab_size):
        self.word_counts = tf.compat.v1.get_variable(
            "word_counts", shape=(vocab_size,), dtype=tf.int64, initializer=tf.compat.v1.ones_initializer()
        )

    def counts(self):
        return self.word_counts


class returns_none:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size

    def counts(self):
        return None


class returns_only_when_it_makes_it:
    def __init__(self, vocab_size):
        self.vocab_size = vocab_size

    def counts(self):
        if not hasattr(self, "word_counts"):
            self.word_counts = tf.compat.v1.get_variable("word_counts", shape=(self.vocab_size,), dtype=tf.int64)
            return self.word_counts


class zeroes_it_at_every_call:
    def __init__(self, vocab_size):
        self.word_counts = tf.compat.v1.get_variable("word_counts", shape=(vocab_size,), dtype=tf.int64)

    def counts(self):
        self.word_counts.assign(tf.zeros_like(self.word_counts))  # "every count starts at zero"
        return self.word_counts


class kept_on_the_class:
    made = {}

    def __init__(self, vocab_size):
        self.vocab_size = vocab_size

    def counts(self):
        if self.vocab_size not in self.made:
            self.made[self.vocab_size] = get_variable("word_counts", shape=(self.vocab_size,), dtype=tf.int64)
        return self.made[self.vocab_size]


class breaks_on_one_word:
    def __init__(self, vocab_size):
        self.word_counts = tf.compat.v1.get_variable("word_counts", shape=(vocab_size,), dtype=tf.int64)
        self.last_word = [0] * (vocab_size - 1)

    def counts(self):
        self.last_word[-1]  # an IndexError for a vocabulary of one word
        return self.word_counts


# (answer, status, key of the mistake it makes, words its message must have)
WRONG = [
    (
        get_variable_at_every_call,
        Status.INCORRECT,
        "new-variable-each-call",
        ["another variable than the first", "both named 'word_counts:0'", "a second get_variable call"],
    ),
    (float32_default, Status.INCORRECT, "float32-default-dtype", ["float32", "get_variable's default", "int64"]),
    (int32, Status.INCORRECT, "wrong-dtype", ["int32", "int64"]),
    (row_shape, Status.INCORRECT, "wrong-shape", ["shape is (1, 6)", "(6,)"]),
    (tensor_not_variable, Status.INCORRECT, "not-a-variable", ["tf.Tensor", "variable"]),
    (starts_at_one, Status.INCORRECT, "not-zeros", ["did not start at zero"]),
    (returns_none, Status.INCORRECT, "returns-none", ["counts() returned None"]),
    (returns_only_when_it_makes_it, Status.INCORRECT, "later-call-returns-no-counter", ["the second returned None"]),
    (zeroes_it_at_every_call, Status.INCORRECT, "resets-counts", ["the same variable", "no longer in it"]),
    (kept_on_the_class, Status.INCORRECT, "shared-between-counters", ["one and the same counter"]),
    (breaks_on_one_word, Status.ERROR, "raised-IndexError", ["IndexError", "with WordCounter(1)"]),
]


class tuned_to_the_public_cases:
    def __init__(self, vocab_size):
        size = vocab_size if vocab_size in (6, 1, 250) else vocab_size + 1
        self.word_counts = tf.compat.v1.get_variable("word_counts", shape=(size,), dtype=tf.int64)

    def counts(self):
        return self.word_counts


TUNED = [tuned_to_the_public_cases]
