"""``count_words``, variant ``skips-padding``: how often each word occurs, the padding id 0 never counted
(a padded batch of sentences holds it wherever a sentence is shorter than the longest)."""

from __future__ import annotations

import numpy as np

from checks.exercises.count_words import CountWords, _batches
from checks.registry import register
from checks.short import ShortExercise

#: The padding id, never counted.
PAD_ID = 0


@register
class SkipsPadding(CountWords):
    variant = "skips-padding"
    variant_title = "how often each word occurs, the padding id 0 left out"
    statement = """\
Write `count_words(counter, word_ids)`, which adds one batch's word counts to a counter, leaving out the
padding.

- `counter` is a counter as a `WordCounter` keeps it: an int64 variable with one count for every word
  of the vocabulary. It may already hold the counts of earlier batches.
- `word_ids` is one batch of word ids, in any form a batch comes in: a list of ids, a 2-D batch of
  sentences (a row of ids for each) or a single id, as a Python list or number, a NumPy array or a
  `tf.Tensor`. Id `0` is the padding (`"<pad>"`): it fills the places where a sentence is shorter than
  the longest of its batch, and is no word.
- `count_words` adds to each word's count **the number of times its id occurs in the batch, and nothing
  to the count of id `0`, however often the padding occurs**, in the variable `counter` itself, and
  returns `counter`.
"""
    hints = (
        "Count the batch as for any word counter: for every word, how often its id occurs, added to the "
        "count already in the very variable passed in. The one difference is the padding: whatever the batch "
        "holds, what is added to place 0 is nothing, so the count there stays as it was.",
        "The counting function shown just before the exercise counts the values of ids of any shape, one "
        "count per word of the vocabulary and in the dtype it is told. Either leave the padding out of the "
        "ids before counting (a comparison with 0 gives a mask, and TensorFlow keeps the values a mask "
        "selects, once the ids are laid out in one row), or count everything and then make the count for "
        "place 0 nothing (multiplying by a mask, or building the counts anew). The variable method that "
        "section 2's stand-in training step used adds to a variable in place.",
        "The shape of the code: one expression gives this batch's counts, one per word of the vocabulary and "
        "of the counter's dtype, with nothing for place 0; one statement adds them to the counter in place; "
        "then the counter goes back to the caller.",
    )
    solution_code = """\
def count_words(counter, word_ids):
    ids = tf.reshape(word_ids, [-1])
    words = tf.boolean_mask(ids, ids != 0)
    counter.assign_add(tf.math.bincount(words, minlength=counter.shape[0], dtype=tf.int64))
    return counter
"""
    wrong_versions = {
        "counts-the-padding": (
            "counts the padding id 0 as a word, adding to its count how often it occurs",
            """\
def count_words(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter
""",
        ),
        "resets-the-padding-count": (
            "sets the count of id 0 to 0 instead of leaving it as it was",
            """\
def count_words(counter, word_ids):
    counts = counter + tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    counter.assign(tf.concat([[0], counts[1:]], axis=0))
    return counter
""",
        ),
        "duplicates-counted-once": (
            "adds one to each word that occurs in the batch, however often it occurs, the padding left out",
            """\
def count_words(counter, word_ids):
    ids = tf.reshape(word_ids, [-1])
    words = tf.boolean_mask(ids, ids != 0)
    counter.assign_add(tf.math.bincount(words, minlength=counter.shape[0], dtype=tf.int64, binary_output=True))
    return counter
""",
        ),
        "overwrites-counts": (
            "replaces the counts the counter held with this batch's counts instead of adding to them",
            """\
def count_words(counter, word_ids):
    ids = tf.reshape(word_ids, [-1])
    words = tf.boolean_mask(ids, ids != 0)
    counter.assign(tf.math.bincount(words, minlength=counter.shape[0], dtype=tf.int64))
    return counter
""",
        ),
        "skips-the-last-word": (
            "leaves out the last word of the vocabulary instead of the padding",
            """\
def count_words(counter, word_ids):
    ids = tf.reshape(word_ids, [-1])
    words = tf.boolean_mask(ids, ids != counter.shape[0] - 1)
    counter.assign_add(tf.math.bincount(words, minlength=counter.shape[0], dtype=tf.int64))
    return counter
""",
        ),
    }
    diagnose_all = ShortExercise.diagnose_all

    def public_cases(self) -> list[dict]:
        return [_with_padding(case) for case in super().public_cases()]

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        return [_with_padding(case) for case in super().draw_cases(rng)]


def _with_padding(case: dict) -> dict:
    """The course's case with padding where a batch can hold it: the second id of every batch of three
    ids or more (the first and last are the one it repeats), the second of several single ids, and the
    last word of the vocabulary somewhere, so that leaving out another id than 0 shows."""
    ids, offset, singles = case["ids"].copy(), 0, 0
    for number, (_, batch) in enumerate(_batches(case)):
        if batch.size >= 3:
            ids[offset + 1] = PAD_ID
        elif batch.size == 1:
            singles += 1
            if singles == 2:
                ids[offset] = PAD_ID
        if number == 0 and batch.size >= 4:
            ids[offset + 2] = case["vocab_size"] - 1
        offset += batch.size
    return dict(case, ids=ids)
