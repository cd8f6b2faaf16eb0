"""The count_words check, beyond its table of answers (tests/answers/count_words.py, run by
test_answers_check.py): the skeleton, what check() accepts, the cases, what the return value may be,
errors named or not, hidden cases' messages, partial credit, and judging without the solution."""

import re

import numpy as np
import pytest
import tensorflow as tf
from answers import count_words as table
from check_harness import assert_no_hidden_inputs

import checks
import checks.observing
from checks import Status
from checks import expected as reference
from checks.exercises.count_words import FORMS, MIXED, ONE_D, SINGLE, TWO_D, _batches

EXERCISE = checks.count_words
SECRETS = ["spring-2027", "x", "a much longer secret of another course"]


def test_skeleton_is_not_attempted():
    skeleton = checks.observing.compile_function(EXERCISE.skeleton, "count_words")
    assert EXERCISE.evaluate(skeleton).status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("not_a_function", [None, 3, tf.Variable([1, 2], dtype=tf.int64)])
def test_passing_something_else_than_the_function_is_explained(not_a_function):
    outcome = EXERCISE.evaluate(not_a_function)
    assert outcome.status is Status.INCORRECT and "check(count_words)" in outcome.message
    assert outcome.mistake == "wrong-answer-type"


def test_it_is_graded_in_notebook_1_after_the_practice():
    assert EXERCISE in checks.ASSIGNMENT and not checks.word_counter.graded
    assert EXERCISE.notebook == checks.word_counter.notebook and EXERCISE.order > checks.word_counter.order
    assert len(EXERCISE.hints) == 3


@pytest.mark.parametrize(
    "cases", [EXERCISE.public_cases()] + [EXERCISE.hidden_cases(s) for s in SECRETS], ids=["public"] + SECRETS
)
def test_cases_start_from_non_zero_counts_and_cover_every_form_of_batch(cases):
    assert {case["group"] for case in cases} == {ONE_D, TWO_D, SINGLE, MIXED}
    for case in cases:
        batches = _batches(case)
        assert case["start"].shape == (case["vocab_size"],) and np.all(case["start"] > 0)  # overwriting shows
        assert batches and all(np.all((0 <= ids) & (ids < case["vocab_size"])) for _, ids in batches)
        # The first batch leaves out the last word, so counts that stop at the largest id raise an error.
        assert np.all(batches[0][1] < case["vocab_size"] - 1)
        # Every batch of more than one id repeats one, so counting each id once per batch shows.
        assert all(len(np.unique(ids)) < ids.size for _, ids in batches if ids.size > 1)
        ranks = {ids.ndim for _, ids in batches}
        assert {ONE_D: ranks == {1}, TWO_D: ranks == {2}, SINGLE: ranks == {0}, MIXED: True}[case["group"]]
    forms = {form for case in cases for form, _ in case["batches"]}
    assert {"tensor", "numpy"} <= forms and forms <= set(FORMS)
    assert any(len(case["batches"]) > 1 for case in cases)  # counts that must add up across calls


@pytest.mark.parametrize("secret", SECRETS)
def test_hidden_cases_have_sizes_no_public_case_has(secret):
    public = {case["vocab_size"] for case in EXERCISE.public_cases()}
    assert not public & {case["vocab_size"] for case in EXERCISE.hidden_cases(secret)}


def test_each_batch_reaches_the_function_in_its_form():
    seen = []

    def records(counter, word_ids):
        seen.append((type(word_ids).__name__, getattr(word_ids, "dtype", None)))
        counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))

    assert EXERCISE.evaluate(records).passed
    kinds = {kind for kind, _ in seen}
    assert {"list", "int", "ndarray", "int64", "EagerTensor"} <= kinds
    assert {tf.int32, tf.int64} <= {dtype for kind, dtype in seen if kind == "EagerTensor"}


def test_the_counter_is_a_fresh_int64_variable_holding_the_starting_counts_for_every_case():
    given = []

    def looks(counter, word_ids):
        given.append((counter, counter.numpy().copy()))
        counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
        return counter

    assert EXERCISE.evaluate(looks).passed
    firsts = {id(counter) for counter, _ in given}
    assert all(isinstance(counter, tf.Variable) and counter.dtype == tf.int64 for counter, _ in given)
    assert len(firsts) == len(EXERCISE.public_cases())  # one counter per case, kept across its batches
    case = EXERCISE.public_cases()[0]
    assert np.array_equal(given[0][1], case["start"])


def copy_of_the_counter(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return tf.Variable(counter)


def counter_read_as_a_tensor(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return tf.convert_to_tensor(counter)


def returns_a_string(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return "done"


def returns_a_fresh_zero_counter(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return tf.Variable(tf.zeros_like(counter))


@pytest.mark.parametrize("answer", [copy_of_the_counter, counter_read_as_a_tensor])
def test_anything_holding_the_counters_counts_may_be_returned(answer):
    assert EXERCISE.evaluate(answer).passed


@pytest.mark.parametrize(
    "answer, words",
    [
        (returns_a_string, "an object that holds no counts"),
        (returns_a_fresh_zero_counter, "another variable than the counter"),
    ],
)
def test_a_right_counter_with_something_else_returned_says_what_came_back(answer, words):
    outcome = EXERCISE.evaluate(answer)
    assert outcome.mistake == "returns-not-the-counter" and words in outcome.message


def minlength_as_an_int32_tensor(counter, word_ids):
    counter.assign_add(tf.math.bincount(word_ids, minlength=tf.size(counter), dtype=tf.int64))
    return counter


def test_an_argument_of_another_dtype_is_not_taken_for_counts_of_another_dtype():
    # tf.math.bincount refuses an int32 minlength for int64 ids: TensorFlow's error, which names minlength,
    # is shown as it is, not taken for int32 counts meeting the counter.
    outcome = EXERCISE.evaluate(minlength_as_an_int32_tensor)
    assert outcome.status is Status.ERROR and outcome.mistake == "raised-ValueError"
    assert "minlength" in outcome.message


def ignores_single_ids(counter, word_ids):
    ids = np.asarray(word_ids)
    if ids.ndim:
        counter.assign_add(np.bincount(ids.reshape(-1), minlength=counter.shape[0]))
    return counter


def counts_each_occurrence_twice(counter, word_ids):
    counter.assign_add(2 * tf.math.bincount(word_ids, minlength=counter.shape[0], dtype=tf.int64))
    return counter


def test_other_wrong_counts_are_shown_on_public_cases_and_not_on_hidden_ones():
    outcome = EXERCISE.evaluate(counts_each_occurrence_twice)
    assert outcome.mistake == "wrong-counts"
    assert outcome.message == (
        "For a counter of 6 words holding [3, 1, 4, 1, 5, 2] and the batches [2, 4, 2, 1] "
        "(a Python list) then [5, 3, 3, 0, 3] (a tf.Tensor of int32), after the first batch "
        "the counter held other counts than expected: [3, 3, 8, 1, 7, 2], where "
        "[3, 2, 6, 1, 6, 2] was expected."
    )
    hidden = EXERCISE.hidden_cases(SECRETS[0])
    outcome = EXERCISE.decide(EXERCISE.observe_all(counts_each_occurrence_twice, hidden), hidden)
    assert outcome.message == (
        "On a hidden test case (1-D batches), after one of its batches the counter held other counts than expected."
    )


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize(
    "answer",
    [row[0] for row in table.WRONG] + table.TUNED + [ignores_single_ids, counts_each_occurrence_twice],
    ids=lambda a: a.__name__,
)
def test_messages_on_hidden_cases_show_neither_ids_nor_counts(answer, secret):
    hidden = EXERCISE.hidden_cases(secret)
    message = EXERCISE.decide(EXERCISE.observe_all(answer, hidden), hidden).message
    assert_no_hidden_inputs(message, hidden)
    ours = message.split(", in ")[0]  # what follows is where the learner's code raised: its own line
    for group in {case["group"] for case in hidden}:
        ours = ours.replace(group, "")
    counts = {str(v) for case in hidden for v in case["start"] if v > 1}
    assert not set(re.findall(r"(?<![\w.])\d+(?![\w.])", ours)) & counts, message
    assert "[" not in ours, message  # no array at all


def test_partial_credit_is_by_form_of_batch_when_chosen():
    cases = EXERCISE.cases(SECRETS[0])
    report = EXERCISE.observe_all(ignores_single_ids, cases)
    assert EXERCISE.grade(report, cases).fraction == 0
    partial = EXERCISE.grade(report, cases, partial_credit=True)
    assert dict(partial.groups) == {ONE_D: True, TWO_D: True, SINGLE: False, MIXED: False}
    assert partial.fraction == 0.5


def test_without_the_solution_the_recorded_results_name_the_same_mistakes(tmp_path, monkeypatch):
    # A learner's release and a Gradescope autograder judge from results recorded while the solution
    # was at hand, the wrong versions' included: the verdicts and keys are the same.
    cases = EXERCISE.cases(SECRETS[0])
    (tmp_path / "count_words.json").write_text(reference.recorded(EXERCISE, cases), encoding="utf-8")
    before = {
        answer.__name__: EXERCISE.decide(EXERCISE.observe_all(answer, cases), cases)
        for answer in [row[0] for row in table.WRONG] + table.RIGHT[:3]
    }
    monkeypatch.setattr(reference, "RECORDED", tmp_path)
    monkeypatch.setattr(type(EXERCISE), "solution_code", None)
    monkeypatch.setattr(
        type(EXERCISE), "wrong_versions", {key: (what, None) for key, (what, _) in EXERCISE.wrong_versions.items()}
    )
    for answer in [row[0] for row in table.WRONG] + table.RIGHT[:3]:
        assert EXERCISE.decide(EXERCISE.observe_all(answer, cases), cases) == before[answer.__name__]
