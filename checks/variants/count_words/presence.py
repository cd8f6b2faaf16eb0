"""``count_words``, variant ``presence``: one more for each word that occurs in the batch, however often,
so that a count says in how many batches its word occurred (as a search engine counts documents)."""

from __future__ import annotations

from checks.exercises.count_words import CountWords
from checks.registry import register
from checks.short import ShortExercise


@register
class Presence(CountWords):
    variant = "presence"
    variant_title = "in how many batches each word occurs"
    statement = """\
Write `count_words(counter, word_ids)`, which records which words a batch holds.

- `counter` is a counter as a `WordCounter` keeps it: an int64 variable with one count for every word
  of the vocabulary. It may already hold the counts of earlier batches.
- `word_ids` is one batch of word ids, in any form a batch comes in: a list of ids, a 2-D batch of
  sentences (a row of ids for each) or a single id, as a Python list or number, a NumPy array or a
  `tf.Tensor`.
- `count_words` adds **one to the count of every word that occurs in the batch, however often it
  occurs there**, and nothing to the other words, in the variable `counter` itself, and returns
  `counter`. After many batches each count says in how many of them its word occurred, the way a
  search engine counts the documents that hold a word.
"""
    hints = (
        "The counter keeps what earlier batches added, in the very variable that was passed in, and one "
        "batch adds at most one to a word: a word that occurs three times in the batch gets as much as a "
        "word that occurs once, and a word the batch does not hold gets nothing. So the batch gives every "
        "word of the vocabulary a mark, 0 or 1, and the marks are what is added.",
        "The counting function shown just before the exercise counts the values of ids of any shape, one "
        "count per word of the vocabulary and in the dtype it is told; read its documentation for the "
        "argument that makes it mark each value that occurs with a 1 instead of counting it (capping the "
        "counts at 1 does the same). The variable method that section 2's stand-in training step used adds "
        "to a variable in place.",
        "The shape of the code: one expression gives this batch's marks, one per word of the vocabulary and "
        "of the counter's dtype; one statement adds them to the counter in place; then the counter goes "
        "back to the caller.",
    )
    solution_code = """\
def count_words(counter, word_ids):
    seen = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64, binary_output=True)
    counter.assign_add(seen)
    return counter
"""
    wrong_versions = {
        "adds-occurrences": (
            "adds to each word how often it occurs in the batch, instead of one for each batch it occurs in",
            """\
def count_words(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter
""",
        ),
        "overwrites-counts": (
            "replaces the counts the counter held with this batch's marks instead of adding the marks to them",
            """\
def count_words(counter, word_ids):
    seen = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64, binary_output=True)
    counter.assign(seen)
    return counter
""",
        ),
        "sets-to-one": (
            "sets the count of each word the batch holds to one, instead of adding one to the count it had",
            """\
def count_words(counter, word_ids):
    seen = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64, binary_output=True)
    counter.assign(tf.where(seen > 0, tf.ones_like(seen), counter))
    return counter
""",
        ),
        "counts-per-sentence": (
            "adds to each word the number of sentences (rows) of a batch of sentences that hold it, instead of one "
            "for the whole batch",
            """\
def count_words(counter, word_ids):
    ids = tf.convert_to_tensor(word_ids)
    rows = tf.reshape(ids, [-1, ids.shape[-1]]) if ids.shape.rank == 2 else tf.reshape(ids, [1, -1])
    seen = tf.math.bincount(rows, minlength=counter.shape[0], dtype=tf.int64, binary_output=True, axis=-1)
    counter.assign_add(tf.reduce_sum(seen, axis=0))
    return counter
""",
        ),
    }
    # The course's own names only its own wrong versions case by case; these are named across every case.
    diagnose_all = ShortExercise.diagnose_all
