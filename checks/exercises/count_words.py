"""Graded exercise of notebook 1: ``count_words(counter, word_ids)`` adds a batch's word counts to the
int64 counter a ``WordCounter`` keeps, in place, batch after batch.

A case starts a counter from given counts (none of them zero, so counts that replace rather than add
show), calls the learner's function on one or more batches of ids in the forms a batch may come in
(a list, a NumPy array, a tf.Tensor, one id), and records after each call the counter's values and
what the function returned (``call``). A case is right when the counter holds the reference's counts
after every batch and each call returned the counter (the same variable, or anything holding its
values) or nothing. ``diagnose`` names the first wrong case by what the counter went through: the
named wrong versions' counts on that very case (their results come from ``checks.expected``), a
counter that never changed, counts that are right but returned with something else, and two errors
whose text says what the code added (counts of another dtype or shape than the counter's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from checks.outcome import Mistake
from checks.registry import register
from checks.short import ShortExercise

# The groups of cases: the forms a batch of word ids arrives in.
ONE_D, TWO_D, SINGLE, MIXED = "1-D batches", "2-D batches of sentences", "single ids", "batches of mixed forms"
# What a call returned, as the last column of each row ``call`` records.
THE_COUNTER, OTHER_VARIABLE, OTHER_NUMBERS, NO_NUMBERS = 0, 1, 2, 3
FORMS = {
    "list": "a Python list",
    "numpy": "a NumPy array",
    "tensor": "a tf.Tensor of int32",
    "tensor64": "a tf.Tensor of int64",
    "int": "a Python int",
}
#: Counter sizes drawn for hidden cases: none of the public cases' sizes.
HIDDEN_SIZES = np.setdiff1d(np.arange(5, 40), [5, 6, 8, 10])
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


@register
class CountWords(ShortExercise):
    name = "count_words"
    notebook = "01_creating_variables"
    order = 2
    graded = True
    points = 1.0
    partial_credit = False
    tf_modules = ("tensorflow",)
    may_change = ("counter",)  # the counts grow in it, in place; word_ids is the caller's to keep
    variant = "occurrences"
    variant_title = "how often each word occurs in the batches"
    statement = """\
Write `count_words(counter, word_ids)`, which adds one batch's word counts to a counter.

- `counter` is a counter as a `WordCounter` keeps it: an int64 variable with one count for every word
  of the vocabulary. It may already hold the counts of earlier batches.
- `word_ids` is one batch of word ids, in any form a batch comes in: a list of ids, a 2-D batch of
  sentences (a row of ids for each) or a single id, as a Python list or number, a NumPy array or a
  `tf.Tensor`.
- `count_words` adds to each word's count **the number of times its id occurs in the batch**, in
  the variable `counter` itself, and returns `counter`.
"""
    skeleton = """\
def count_words(counter, word_ids):
    # CODE HERE
    pass
"""
    hints = (
        "The counter already holds the counts of earlier batches and must keep them: for every word, how "
        "often its id occurs in this batch is added to the count already there, in the very variable "
        "that was passed in. Nothing new is made: a variable made inside count_words would be a new one "
        "at every call (section 2).",
        "Two tools of this notebook do the work. The counting function shown just before the exercise "
        "turns ids of any shape into one count per value; it can be told how many values there are (here "
        "as many as the counter has words) and which dtype to count in (the counter's). The variable "
        "method that section 2's stand-in training step used adds to a variable in place.",
        "The shape of the code: one expression gives this batch's counts, one per word of the vocabulary "
        "and of the counter's dtype; one statement adds them to the counter in place; then the counter "
        "goes back to the caller.",
    )
    solution_code = """\
def count_words(counter, word_ids):
    counts = tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64)
    counter.assign_add(counts)
    return counter
"""
    # Each clause completes "a version that ..."; diagnose names the first wrong case by them.
    wrong_versions = {
        "overwrites-counts": (
            "replaces the counts the counter held with the batch's counts instead of adding to them",
            """\
def count_words(counter, word_ids):
    counter.assign(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter
""",
        ),
        "duplicates-counted-once": (
            "adds one to each word that occurs in the batch, however often it occurs",
            """\
def count_words(counter, word_ids):
    counts = counter.numpy()
    counts[np.asarray(word_ids)] += 1
    counter.assign(counts)
    return counter
""",
        ),
        "adds-ids": (
            "adds to each word's count its id, once for each time it occurs, instead of one",
            """\
def count_words(counter, word_ids):
    ids = tf.reshape(tf.cast(word_ids, tf.int64), [-1])
    counter.scatter_nd_add(tf.expand_dims(ids, 1), ids)
    return counter
""",
        ),
    }

    # -- cases --------------------------------------------------------------------------------------
    def public_cases(self) -> list[dict]:
        return [
            _case(ONE_D, [3, 1, 4, 1, 5, 2], [("list", [2, 4, 2, 1]), ("tensor", [5, 3, 3, 0, 3])]),
            _case(TWO_D, [2, 7, 1, 8, 2, 8, 1, 8], [("tensor", [[1, 2, 2], [6, 1, 0]]), ("numpy", [[7, 7], [3, 2]])]),
            _case(SINGLE, [9, 2, 6, 5, 3], [("int", 3), ("tensor", 1), ("numpy", 3)]),
            _case(
                MIXED,
                [1, 4, 1, 4, 2, 1, 3, 5, 6, 2],
                [("numpy", [4, 4, 8, 0, 4]), ("list", [[2, 9], [9, 9]]), ("tensor64", 7)],
            ),
        ]

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        return _drawn_cases(rng)

    def describe(self, case: dict) -> str:
        shown = [f"{_array(ids)} ({FORMS[form]})" for form, ids in _batches(case)]
        return (
            f"a counter of {case['vocab_size']} words holding {_array(case['start'])} and "
            f"the batch{'es' if len(shown) > 1 else ''} " + " then ".join(shown)
        )

    # -- running ------------------------------------------------------------------------------------
    def call(self, function, case: dict):
        """One row per batch: the counter's values after the call, then what the call returned."""
        import tensorflow as tf

        counter = tf.Variable(case["start"], dtype=tf.int64, name="word_counts")
        rows = []
        for form, ids in _batches(case):
            returned = function(counter, _as_given(form, ids))
            counts = counter.numpy().copy()
            rows.append(np.append(counts, _returned(returned, counter, counts)))
        return np.array(rows, dtype=np.int64)

    # -- judging ------------------------------------------------------------------------------------
    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        """The first mistake that what the counter went through shows: what a call returned, a counter
        left as it was, a named wrong version's counts, or other counts."""
        if self.same(observation["returned"], case["expected"]):
            return None
        run = _Run.of(case, observation, self.where(case))
        return (
            _diagnose_returned_not_the_counter(run)
            or _diagnose_counter_unchanged(run)
            or _diagnose_wrong_version(run)
            or _diagnose_wrong_counts(run)
        )

    def diagnose_before_error(self, case: dict, observation: dict) -> Mistake | None:
        """The two errors whose text says what the code added to the counter: another dtype, another shape."""
        return _diagnose_counts_not_int64(observation["error"], self.where(case)) or _diagnose_counts_wrong_shape(
            observation["error"], self.where(case), case.get("hidden", False)
        )

    def diagnose_all(self, cases: list[dict], observations: list[dict]) -> Mistake | None:
        return None  # diagnose names the wrong versions already, case by case, with what the counter held


def _drawn_cases(rng: np.random.Generator) -> list[dict]:
    """Two cases of each group, each a counter of a size no public case has and one to three batches in
    the group's forms."""
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
            for number in range(int(rng.integers(1, 4))):
                form = str(rng.choice(forms))
                shape = _drawn_shape(rng, group, number)
                if not shape and form == "list":
                    form = "int"
                batches.append((form, _drawn_ids(rng, v, shape, avoid_last=number == 0)))
            cases.append(_case(group, rng.integers(1, 60, v).tolist(), batches))
    return cases


def _drawn_shape(rng: np.random.Generator, group: str, number: int) -> tuple:
    """The shape of a case's batch ``number`` in ``group`` (a mixed case's batches take turns)."""
    mixed = [(), (int(rng.integers(2, 9)),), (2, int(rng.integers(2, 5)))][number % 3]
    return {
        ONE_D: lambda: (int(rng.integers(2, 12)),),
        TWO_D: lambda: (int(rng.integers(2, 5)), int(rng.integers(2, 6))),
        SINGLE: lambda: (),
    }.get(group, lambda shape=mixed: shape)()


def _drawn_ids(rng: np.random.Generator, v: int, shape: tuple, avoid_last: bool = False) -> list:
    """Ids of a vocabulary of ``v`` words in ``shape``, a word among them more than once."""
    top = v - 1 if avoid_last else v
    drawn = rng.integers(0, top, shape)
    if drawn.size > 1:  # a word that occurs more than once, whose count must grow by as much
        drawn.flat[-1] = drawn.flat[0]
    if drawn.size > 2 and np.all(drawn == drawn.flat[0]):  # and another, out of order: a reordering shows
        drawn.flat[1] = (drawn.flat[0] + 1) % top
    return drawn.tolist()


@dataclass(frozen=True)
class _Run:
    """What the counter went through in one wrong case, as the named mistakes read it."""

    case: dict
    where: str
    hidden: bool
    counts: np.ndarray  # the counter's values after each batch
    returned: np.ndarray  # what each call returned (THE_COUNTER, OTHER_VARIABLE, ...)
    right: np.ndarray  # the reference's counts after each batch

    @classmethod
    def of(cls, case: dict, observation: dict, where: str) -> _Run:
        v, got = case["vocab_size"], observation["returned"]["values"]
        right = case["expected"]["values"][:, :v]
        return cls(case, where, case.get("hidden", False), got[:, :v], got[:, v], right)

    @property
    def unchanged(self) -> bool:
        return np.array_equal(self.counts, np.broadcast_to(self.case["start"], self.counts.shape))

    def still_holds(self) -> str:
        return "the counter passed in still holds the counts it started with" + (
            "" if self.hidden else f", {_array(self.case['start'])}"
        )


def _diagnose_returned_not_the_counter(run: _Run) -> Mistake | None:
    if not np.array_equal(run.counts, run.right):
        return None
    what = {
        OTHER_VARIABLE: "another variable than the counter",
        OTHER_NUMBERS: "other numbers than the counter's counts",
        NO_NUMBERS: "an object that holds no counts",
    }[int(run.returned[run.returned != THE_COUNTER][0])]
    return Mistake(
        "returns-not-the-counter",
        f"{run.where}, the counter holds the right counts after every "
        f"batch, but count_words returned {what}; it is expected to return the counter it "
        "was given (or nothing), so what it returns shows the counts it keeps.",
    )


def _diagnose_counter_unchanged(run: _Run) -> Mistake | None:
    """A counter that still holds what it started with: the counts went into a new variable, into new
    numbers, or nowhere."""
    if not run.unchanged:
        return None
    if OTHER_VARIABLE in run.returned:
        return Mistake(
            "makes-new-variable",
            f"{run.where}, count_words returned another variable, and "
            f"{run.still_holds()}. A variable made inside count_words is a new one at every call, as "
            "calling get_variable twice showed: the counts were expected to grow in the "
            "variable passed in.",
        )
    if OTHER_NUMBERS in run.returned:
        return Mistake(
            "returns-new-counts",
            f"{run.where}, count_words returned counts in a new tensor or "
            f"array, and {run.still_holds()}. The counts were expected in that variable itself, "
            "changed in place, so that they are still there at the next batch.",
        )
    return Mistake(
        "counter-unchanged",
        f"{run.where}, {run.still_holds()}: count_words did not change it. The "
        "counts of each batch were expected to be added to that variable, in place.",
    )


def _diagnose_wrong_version(run: _Run) -> Mistake | None:
    """The named wrong version whose counts the counter held after every batch of this very case."""
    v, where, hidden = run.case["vocab_size"], run.where, run.hidden
    after, held = _after_and_held(run)
    messages = {
        "overwrites-counts": f"{where}, {after} the counter held only that batch's counts"
        + ("" if hidden else f" ({held})")
        + ": the counts it held before were replaced, "
        "not added to.",
        "duplicates-counted-once": f"{where}, a word that occurs several times in one batch was counted once"
        + ("" if hidden else f" ({after} the counter held {held})")
        + ": each occurrence was expected to add one to its count.",
        "adds-ids": f"{where}, {after} each word's count had grown by its id times the number of times it "
        "occurs" + ("" if hidden else f" ({held})") + ": it was expected to grow by that number "
        "of times alone.",
    }
    for key, message in messages.items():
        version = run.case["wrong"].get(key, {})
        if "values" in version and np.array_equal(run.counts, version["values"][:, :v]):
            return Mistake(key, message)
    return None


def _diagnose_wrong_counts(run: _Run) -> Mistake:
    after, held = _after_and_held(run)
    return Mistake(
        "wrong-counts",
        f"{run.where}, {after} the counter held other counts than expected" + ("." if run.hidden else f": {held}."),
    )


def _after_and_held(run: _Run) -> tuple[str, str]:
    """When the counter first went wrong, and (not for a hidden case) what it held then and what was expected."""
    batch = _first_wrong_batch(run.counts, run.right)
    after = f"after the {ORDINALS[batch]} batch" if not run.hidden else "after one of its batches"
    held = "" if run.hidden else f"{_array(run.counts[batch])}, where {_array(run.right[batch])} was expected"
    return after, held


def _diagnose_counts_not_int64(error: str, where: str) -> Mistake | None:
    dtype = _other_dtype(error)
    if not dtype:
        return None
    return Mistake(
        "counts-not-int64",
        f"{where}, count_words raised an error where {dtype} values met "
        "the int64 counter: TensorFlow adds to a variable only tensors of its own dtype, "
        "and the counts are int64, as in the counter a WordCounter keeps.",
    )


def _diagnose_counts_wrong_shape(error: str, where: str, hidden: bool) -> Mistake | None:
    found = re.search(
        r"Cannot update variable with shape \[([\d, ]*)\] using a Tensor with shape "
        r"\[([\d, ]*)\]",
        error,
    )
    if not found:
        return None
    shapes = "" if hidden else f" (shape [{found.group(2)}], the counter's is [{found.group(1)}])"
    return Mistake(
        "counts-wrong-shape",
        f"{where}, count_words raised an error where it added counts "
        f"of another shape than the counter's{shapes}: one count per word of the vocabulary "
        "was expected, whichever ids the batch holds.",
    )


def _case(group: str, start, batches) -> dict:
    """A case as plain data: the starting counts, every batch's ids in one flat array, and each batch's
    form and shape (so a case's fingerprint is its arrays' bytes)."""
    arrays = [np.asarray(ids, dtype=np.int64) for _, ids in batches]
    return {
        "group": group,
        "vocab_size": len(start),
        "start": np.asarray(start, dtype=np.int64),
        "ids": np.concatenate([a.reshape(-1) for a in arrays]),
        "batches": tuple((form, a.shape) for (form, _), a in zip(batches, arrays)),
    }


def _batches(case: dict):
    """(form, ids as an int64 array of the batch's shape) for each batch of ``case``."""
    found, offset = [], 0
    for form, shape in case["batches"]:
        size = int(np.prod(shape, dtype=np.int64))
        found.append((form, case["ids"][offset : offset + size].reshape(shape)))
        offset += size
    return found


def _as_given(form: str, ids: np.ndarray):
    import tensorflow as tf

    if form == "list":
        return ids.tolist()
    if form == "int":
        return int(ids)
    if form == "numpy":
        return ids.copy() if ids.ndim else ids[()]
    return tf.constant(ids, dtype=tf.int64 if form == "tensor64" else tf.int32)


def _returned(value, counter, counts: np.ndarray) -> int:
    """What a call returned: the counter (itself, anything holding its values, or nothing), another
    variable, other numbers, or something that holds no numbers."""
    import tensorflow as tf

    from checks.expected import result

    if value is None or value is counter:
        return THE_COUNTER
    got = result(value)
    if "values" in got and got["values"].shape == counts.shape and np.array_equal(got["values"], counts):
        return THE_COUNTER
    if isinstance(value, tf.Variable):
        return OTHER_VARIABLE
    return OTHER_NUMBERS if "values" in got else NO_NUMBERS


def _first_wrong_batch(counts: np.ndarray, right: np.ndarray) -> int:
    return int(np.flatnonzero(np.any(counts != right, axis=1))[0])


def _other_dtype(error: str) -> str | None:
    """The dtype that met int64 in a dtype-mismatch error's text (the error's own first words, so not
    an argument's, such as "minlength: ..."), or None for any other error."""
    found = re.match(r"\w+: Tensor conversion requested dtype int64 for Tensor with dtype (\w+)", error)
    if found:
        return found.group(1)
    for pattern in (
        r"\w+: cannot compute \w+ as input #\d+\(zero-based\) was expected to be a (\w+) tensor "
        r"but is a (\w+) tensor",
        r"\w+: Input '\w+' of '\w+' Op has type (\w+) that does not match type (\w+)",
    ):
        found = re.match(pattern, error)
        if found and "int64" in found.groups():
            others = [g for g in found.groups() if g != "int64"]
            if others:
                return others[0]
    return None


def _array(values) -> str:
    return " ".join(np.array2string(np.asarray(values), separator=", ", threshold=40).split())
