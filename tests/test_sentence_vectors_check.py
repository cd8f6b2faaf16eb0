"""The sentence_vectors check, beyond its table of answers (tests/answers/sentence_vectors.py, run by
test_answers_check.py): what the cases hold, that padding can never pass unnoticed, and what the
messages on hidden cases leave out."""

import itertools
import re

import numpy as np
import pytest
from answers.sentence_vectors import WRONG, canonical

import checks
import checks.observing
from checks import Status
from checks import expected as reference

EXERCISE = checks.sentence_vectors
SECRETS = ["spring-2027", "a much longer secret of another course", "7"]
GROUPS = {"sentences with padding", "another pad id", "a sentence of padding only", "no padding at all", "one sentence"}


def every_case():
    return EXERCISE.public_cases() + [case for secret in SECRETS for case in EXERCISE.hidden_cases(secret)]


def test_the_skeleton_is_not_attempted():
    skeleton = checks.observing.compile_function(EXERCISE.skeleton, "sentence_vectors")
    assert EXERCISE.evaluate(skeleton).status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("not_a_function", [None, "sentence_vectors", np.zeros((2, 3))])
def test_passing_something_else_than_the_function_is_explained(not_a_function):
    outcome = EXERCISE.evaluate(not_a_function)
    assert outcome.status is Status.INCORRECT and "check(sentence_vectors)" in outcome.message


@pytest.mark.parametrize("secret", [None] + SECRETS)
def test_every_draw_has_every_group_and_every_way_the_inputs_come(secret):
    cases = EXERCISE.public_cases() if secret is None else EXERCISE.hidden_cases(secret)
    assert {case["group"] for case in cases} == GROUPS
    assert {case["sentences_as"] for case in cases} == {"tensor", "array", "list"}
    assert {case["matrix_as"] for case in cases} == {"variable", "tensor"}
    assert not all(case["pad_id_given"] for case in cases)  # the default pad_id is relied on once
    has_padding = [np.any(case["sentences"] == case["pad_id"]) for case in cases]
    assert all(has_padding[i] != (case["group"] == "no padding at all") for i, case in enumerate(cases))
    pre_padded = [
        case
        for case in cases
        for row in case["sentences"]
        if row[0] == case["pad_id"] and np.any(row != case["pad_id"])
    ]
    assert pre_padded, "padding before the words too, not only after them"


def test_hidden_cases_are_other_batches_than_the_public_ones():
    public = {case["sentences"].tobytes() for case in EXERCISE.public_cases()}
    for secret in SECRETS:
        assert not public & {case["sentences"].tobytes() for case in EXERCISE.hidden_cases(secret)}


@pytest.mark.parametrize("case", every_case(), ids=lambda case: case["group"])
def test_each_case_is_built_so_that_a_mistake_shows(case):
    batch, length = case["sentences"].shape
    vocab_size, embedding_dim = case["matrix"].shape
    pad_id, sentences = case["pad_id"], case["sentences"]
    assert case["matrix"].dtype == np.float32 and 0 <= pad_id < vocab_size
    assert np.all((0 <= sentences) & (sentences < vocab_size))
    # Sizes that differ, so an average along another axis has another shape.
    assert length != embedding_dim and (batch == 1 or len({batch, length, embedding_dim}) == 3)
    # The pad id's row is far from zero, so padding that is added in shows in the values.
    assert np.min(np.abs(case["matrix"][pad_id])) >= 4
    words = (sentences != pad_id).sum(axis=1)
    if case["group"] == "a sentence of padding only":
        assert np.sum(words == 0) == 1
    else:
        assert np.all(words >= 2)  # so a sum is not an average
    if pad_id != 0:
        assert np.any(sentences == 0), "with another pad id, id 0 is a word"
    assert (case["group"] == "one sentence") == (batch == 1)


@pytest.mark.parametrize("case", every_case(), ids=lambda case: case["group"])
def test_the_reference_never_reads_the_pad_ids_row_and_gives_zeros_for_a_sentence_of_padding(case):
    found = reference.compute(EXERCISE, [case])[0]["reference"]
    assert found["values"].dtype == np.float32 and np.all(np.isfinite(found["values"]))
    moved = dict(case, matrix=case["matrix"].copy())
    moved["matrix"][case["pad_id"]] += 100
    again = reference.result(EXERCISE.call(canonical, moved))["values"]
    np.testing.assert_allclose(again, found["values"], rtol=1e-6)
    empty = ~np.any(case["sentences"] != case["pad_id"], axis=1)
    assert np.all(found["values"][empty] == 0)
    by_hand = [np.mean(case["matrix"][row[row != case["pad_id"]]], axis=0) for row in case["sentences"][~empty]]
    np.testing.assert_allclose(found["values"][~empty], by_hand, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("secret", [None] + SECRETS)
def test_each_wrong_version_is_told_apart_from_the_reference_and_from_every_other(secret):
    # Otherwise a right answer could be named as a mistake, or one mistake be named as another.
    cases = EXERCISE.public_cases() if secret is None else EXERCISE.hidden_cases(secret)
    found = reference.compute(EXERCISE, cases)
    versions = {"reference": [entry["reference"] for entry in found]}
    versions |= {key: [entry["wrong"][key] for entry in found] for key in EXERCISE.wrong_versions}
    for (a, results_a), (b, results_b) in itertools.combinations(versions.items(), 2):
        assert not all(EXERCISE.same(x, y) for x, y in zip(results_a, results_b)), (a, b)
    assert all("values" in result for results in versions.values() for result in results)  # none raised


def test_a_sentence_of_padding_only_that_gives_nan_is_named_and_its_row_quoted():
    nan_version = next(answer for answer, _, key, _ in WRONG if key == "nan-for-padding-only")
    cases = [case for case in EXERCISE.public_cases() if case["group"] == "a sentence of padding only"]
    outcome = EXERCISE.decide(EXERCISE.observe_all(nan_version, cases), cases)
    assert outcome.mistake == "nan-for-padding-only" and "NaN" in outcome.message


def test_an_answer_that_changes_its_inputs_in_place_is_told_so_and_changes_no_case():
    def overwrites(matrix, sentences, pad_id=0):
        result = canonical(matrix, sentences, pad_id)
        if isinstance(sentences, np.ndarray):
            sentences[:] = pad_id
        elif isinstance(sentences, list):
            sentences.clear()
        return result

    cases = EXERCISE.public_cases()
    before = [case["sentences"].copy() for case in cases]
    outcome = EXERCISE.decide(EXERCISE.observe_all(overwrites, cases), cases)
    assert outcome.mistake == "changes-sentences" and "changed the sentences it was given" in outcome.message
    assert all(np.array_equal(case["sentences"], kept) for case, kept in zip(cases, before))


def hidden_numbers(case) -> set:
    """What a message on a hidden case must not show: its ids and pad id, its sizes, its matrix's values."""
    numbers = {int(i) for i in case["sentences"].ravel()} | {
        case["pad_id"],
        *case["sentences"].shape,
        *case["matrix"].shape,
    }
    shown = {str(n) for n in numbers if n > 1}
    shown |= {f"{value:.4f}".rstrip("0") for value in case["matrix"].ravel() if abs(value) >= 0.01}
    return shown


@pytest.mark.parametrize("answer, status, mistake, words", WRONG, ids=[answer.__name__ for answer, *_ in WRONG])
def test_a_message_on_hidden_cases_quotes_none_of_their_inputs(answer, status, mistake, words):
    for secret in SECRETS:
        hidden = EXERCISE.hidden_cases(secret)
        message = EXERCISE.decide(EXERCISE.observe_all(answer, hidden), hidden).message
        assert "sentences=" not in message and "matrix (given" not in message
        for group in GROUPS:
            message = message.replace(group, "")
        numbers = set(re.findall(r"-?\d+(?:\.\d+)?", re.sub(r"\b(float|int)\d+\b", "", message)))
        leaked = numbers & set().union(*(hidden_numbers(case) for case in hidden))
        assert not leaked, f"{leaked} in: {message}"


def test_no_hint_and_no_description_of_a_mistake_holds_a_line_of_the_solution():
    lines = [line.strip() for line in EXERCISE.solution_code.splitlines()[1:] if line.strip()]
    texts = list(EXERCISE.hints) + [what for what, _ in EXERCISE.wrong_versions.values()]
    assert len(EXERCISE.hints) == 3
    for text in texts:
        for line in lines:
            assert line not in text
        assert "tf." not in text.replace("tf.math", "") and "=" not in text  # a tool may be named, no code
