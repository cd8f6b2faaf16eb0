"""``count_words``, variant ``unknown-bucket``: the counter's last place counts every id that is not a
known word's, ids past the end of the vocabulary included (a tokenizer built on another corpus)."""

from __future__ import annotations

import numpy as np

from checks.exercises.count_words import MIXED, ONE_D, SINGLE, TWO_D, CountWords, _case
from checks.registry import register
from checks.short import ShortExercise

#: Counter sizes drawn for hidden cases: none of the public cases' sizes.
HIDDEN_SIZES = np.setdiff1d(np.arange(5, 40), [6, 7, 8, 10])
#: How far past the counter's end the drawn ids reach.
BEYOND = 12


@register
class UnknownBucket(CountWords):
    variant = "unknown-bucket"
    variant_title = "how often each word occurs, unknown ids counted in the last place"
    statement = """\
Write `count_words(counter, word_ids)`, which adds one batch's word counts to a counter whose last
place counts the words it does not know.

- `counter` is an int64 variable with `vocab_size` counts, as `make_counter` makes it: places `0` to
  `vocab_size - 2` are the words of the vocabulary, and the last place, `vocab_size - 1`, counts
  every unknown word. It may already hold the counts of earlier batches.
- `word_ids` is one batch of word ids, in any form a batch comes in: a list of ids, a 2-D batch of
  sentences (a row of ids for each) or a single id, as a Python list or number, a NumPy array or a
  `tf.Tensor`. An id may be past the end of the counter: a tokenizer built on another corpus knows
  more words.
- `count_words` adds to each known word's count **the number of times its id occurs in the batch**,
  and to the last place **the number of ids that are no known word's** (every id from
  `vocab_size - 1` up), in the variable `counter` itself, and returns `counter`.
"""
    hints = (
        "Think of every id from vocab_size - 1 up as one and the same word, the unknown word, whose count "
        "is the last place: once each id is turned into the place it counts in, the batch is counted as "
        "usual, one for every occurrence, added to the counts the variable already holds.",
        "An element-wise minimum (TensorFlow and NumPy both have one) turns every id past the last place "
        "into the last place and leaves the others as they are. Then the counting function shown just "
        "before the exercise, with as many counts as the counter has places and in its dtype, and the "
        "variable method of section 4 that adds in place.",
        "The shape of the code: one expression gives each id's place; one gives the batch's counts per place, "
        "one per place of the counter and of its dtype; one statement adds them to the counter in place; "
        "then the counter goes back to the caller.",
    )
    solution_code = """\
def count_words(counter, word_ids):
    places = tf.minimum(word_ids, counter.shape[0] - 1)
    counter.assign_add(tf.math.bincount(places, minlength=counter.shape[0], dtype=tf.int64))
    return counter
"""
    wrong_versions = {
        "drops-unknown-ids": (
            "leaves out the ids past the counter's end, so that the last place counts only the id "
            "vocab_size - 1 itself",
            """\
def count_words(counter, word_ids):
    size = counter.shape[0]
    counter.assign_add(tf.math.bincount(word_ids, minlength=size, maxlength=size, dtype=tf.int64))
    return counter
""",
        ),
        "wraps-unknown-ids": (
            "counts an id past the counter's end in the place of its remainder after division by "
            "vocab_size, a known word's, instead of the last place",
            """\
def count_words(counter, word_ids):
    size = counter.shape[0]
    places = tf.math.floormod(tf.cast(word_ids, tf.int64), size)
    counter.assign_add(tf.math.bincount(places, minlength=size, dtype=tf.int64))
    return counter
""",
        ),
        "unknown-counted-once": (
            "adds one to the last place when the batch holds unknown ids, however many it holds",
            """\
def count_words(counter, word_ids):
    size = counter.shape[0]
    ids = tf.reshape(tf.cast(word_ids, tf.int64), [-1])
    known = tf.math.bincount(ids, minlength=size - 1, maxlength=size - 1, dtype=tf.int64)
    unknown = tf.cast(tf.reduce_any(ids >= size - 1), tf.int64)
    counter.assign_add(tf.concat([known, [unknown]], axis=0))
    return counter
""",
        ),
        "overwrites-counts": (
            "replaces the counts the counter held with this batch's counts instead of adding to them",
            """\
def count_words(counter, word_ids):
    places = tf.minimum(word_ids, counter.shape[0] - 1)
    counter.assign(tf.math.bincount(places, minlength=counter.shape[0], dtype=tf.int64))
    return counter
""",
        ),
    }
    diagnose_all = ShortExercise.diagnose_all

    def public_cases(self) -> list[dict]:
        # Every case has ids past the end and the id vocab_size - 1 itself, several unknown ids in a batch,
        # and an unknown id whose remainder is a known word's (so that each wrong version shows).
        return [
            _case(ONE_D, [3, 1, 4, 1, 5, 2], [("list", [2, 4, 9, 1, 5, 13]), ("tensor", [5, 3, 3, 0, 17])]),
            _case(
                TWO_D,
                [2, 7, 1, 8, 2, 8, 1, 8, 2, 8],
                [("tensor", [[1, 12, 2], [9, 1, 14]]), ("numpy", [[7, 7], [3, 21]])],
            ),
            _case(SINGLE, [9, 2, 6, 5, 3, 5, 8], [("int", 3), ("tensor", 11), ("numpy", 6), ("int", 15)]),
            _case(
                MIXED,
                [1, 4, 1, 4, 2, 1, 3, 5],
                [("numpy", [4, 9, 8, 0, 4, 7]), ("list", [[2, 12], [9, 10]]), ("tensor64", 19)],
            ),
        ]

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        cases = []
        for group, forms in (
            (ONE_D, ("list", "tensor", "tensor64", "numpy")),
            (TWO_D, ("tensor", "numpy", "list")),
            (SINGLE, ("int", "tensor", "numpy", "tensor64")),
            (MIXED, ("numpy", "list", "tensor")),
        ):
            for _ in range(2):
                v = int(rng.choice(HIDDEN_SIZES))
                batches = []
                for number in range(int(rng.integers(2, 4)) if group == SINGLE else int(rng.integers(1, 4))):
                    form = str(rng.choice(forms))
                    shape = {
                        ONE_D: (int(rng.integers(5, 12)),),
                        TWO_D: (int(rng.integers(2, 5)), int(rng.integers(3, 6))),
                        SINGLE: (),
                    }.get(group, [(), (int(rng.integers(5, 9)),), (2, int(rng.integers(3, 5)))][number % 3])
                    if not shape and form == "list":
                        form = "int"
                    batches.append((form, _ids(rng, v, shape, first=number == 0)))
                cases.append(_case(group, rng.integers(1, 60, v).tolist(), batches))
        return cases


def _ids(rng: np.random.Generator, v: int, shape: tuple, first: bool):
    """Ids of ``shape`` below v + BEYOND. A batch of several ids holds a known word twice, the last
    place's own id, and two ids past the end, one of whose remainder is not that of the other; a single
    id of a first batch is past the end."""
    if not shape:
        return int(rng.integers(v, v + BEYOND)) if first else int(rng.integers(0, v + BEYOND))
    drawn = rng.integers(0, v + BEYOND, shape)
    flat = drawn.reshape(-1)
    places = rng.permutation(flat.size)[:5]
    known = int(rng.integers(0, v - 1))
    flat[places[:2]] = known
    flat[places[2]] = v - 1
    flat[places[3]] = int(rng.integers(v, v + BEYOND))
    flat[places[4]] = v + (int(flat[places[3]]) - v + 1 + int(rng.integers(0, BEYOND - 1))) % BEYOND
    return drawn.tolist()
