"""What is particular to ``nearest_neighbours`` (notebook 5): cases drawn without ties, the matrix in
each of its forms, named wrong versions that never agree with each other, and the reference worked
out by the grader outside its sandbox. The table of answers is in tests/answers/nearest_neighbours.py."""

import re

import numpy as np
import pytest
import tensorflow as tf
from answers import nearest_neighbours as table
from check_harness import assert_check_failed, assert_check_passed

import checks
from checks import Status, expected
from checks.exercises.nearest_neighbours import GROUPS

EXERCISE = checks.nearest_neighbours
SECRETS = ["spring-2027", "a much longer secret of another course", "7", "autumn", "x"]
CASE_SETS = {"public": EXERCISE.public_cases(), **{s: EXERCISE.hidden_cases(s) for s in SECRETS}}


@pytest.mark.parametrize("which", CASE_SETS)
def test_cases_have_no_ties_and_the_word_is_clearly_its_own_nearest(which):
    for case in CASE_SETS[which]:
        rows, word = case["matrix"].astype(np.float64), case["word_id"]
        assert case["matrix"].dtype == np.float32 and 0 <= word < len(rows) and 1 <= case["k"] <= len(rows) - 1
        lengths = np.linalg.norm(rows, axis=1)
        cosines = np.delete(rows @ rows[word] / (lengths * lengths[word]), word)
        assert np.all(lengths > 0) and cosines.max() < 0.96
        assert np.diff(np.sort(cosines)).min() > 1e-3  # far above any float32 rounding
        assert lengths.argmax() == word  # so ranking by the dot product sets the word itself first too


def test_every_group_and_every_form_of_the_matrix_is_checked():
    for cases in CASE_SETS.values():
        assert {case["group"] for case in cases} == set(GROUPS)
        assert {case["as"] for case in cases} == {"NumPy array", "tf.Tensor", "tf.Variable"}
        assert {case["word_id"] for case in cases if case["group"].startswith("the word is the first")} >= {0}
        assert all(case["k"] == 1 for case in cases if case["group"] == "k = 1")
        assert all(case["k"] == len(case["matrix"]) - 1 for case in cases if case["group"].startswith("every other"))


@pytest.mark.parametrize(
    "select",
    [
        lambda cosines, k: np.argpartition(-cosines, k - 1)[:k],
        lambda cosines, k: np.argpartition(-cosines, min(k, len(cosines) - 1))[:k],
        lambda cosines, k: np.argpartition(cosines, -k)[-k:][::-1],
        lambda cosines, k: tf.math.top_k(cosines, k, sorted=False).indices.numpy(),
        lambda cosines, k: np.sort(np.argsort(-cosines)[:k]),
    ],
    ids=["argpartition", "argpartition past k", "argpartition from the top", "top_k unsorted", "in order of id"],
)
@pytest.mark.parametrize("which", CASE_SETS)
def test_every_set_of_cases_shows_an_answer_that_selects_the_neighbours_without_sorting_them(which, select):
    # Each set, the public cases and each secret's hidden ones, holds a case where such a selection comes
    # out in another order than most similar first (the large vocabulary: on a CPU with AVX-512 NumPy
    # sorts arrays of up to 256 values whole, so on smaller ones its selection comes out sorted).
    def selects(matrix, word_id, k):
        unit = tf.math.l2_normalize(matrix, axis=1).numpy()
        cosines = unit @ unit[word_id]
        cosines[word_id] = -np.inf
        return select(cosines, k)

    cases = CASE_SETS[which]
    outcome = EXERCISE.decide(EXERCISE.observe_all(selects, cases), cases)
    assert outcome.mistake == "neighbours-out-of-order", outcome.message


def test_the_function_gets_the_matrix_in_the_form_its_group_says():
    given = []

    def recording(matrix, word_id, k):
        given.append(type(matrix))
        return table.canonical(matrix, word_id, k)

    assert_check_passed(EXERCISE, recording)
    expected_types = {"NumPy array": np.ndarray, "tf.Tensor": tf.Tensor, "tf.Variable": tf.Variable}
    for case, seen in zip(EXERCISE.public_cases(), given):
        assert issubclass(seen, expected_types[case["as"]]), (case["as"], seen)


@pytest.mark.parametrize("which", CASE_SETS)
def test_each_named_wrong_version_is_told_apart_from_the_reference_and_from_every_other(which):
    cases = CASE_SETS[which]
    found = expected.compute(EXERCISE, cases)
    names = list(EXERCISE.wrong_versions)
    for key in names:
        assert not all(EXERCISE.same(entry["wrong"][key], entry["reference"]) for entry in found), key
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not all(EXERCISE.same(entry["wrong"][first], entry["wrong"][second]) for entry in found), (
                first,
                second,
            )


@pytest.mark.parametrize(
    "convert",
    [
        list,
        np.asarray,
        tf.constant,
        lambda ids: np.asarray(ids, dtype=np.int16),
        lambda ids: tf.cast(ids, tf.int64),
        tuple,
    ],
    ids=["list", "ndarray", "tensor", "int16", "int64 tensor", "tuple"],
)
def test_any_1d_sequence_of_integer_ids_is_accepted(convert):
    def answer(matrix, word_id, k):
        return convert([int(i) for i in table.canonical(matrix, word_id, k)])

    assert_check_passed(EXERCISE, answer)


def test_an_answer_that_normalises_the_matrix_in_place_is_told_so_and_changes_no_case():
    def in_place(matrix, word_id, k):
        if isinstance(matrix, np.ndarray):
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        return table.canonical(matrix, word_id, k)

    cases = EXERCISE.cases("spring-2027")
    before = [case["matrix"].copy() for case in cases]
    words = ["changed the matrix it was given: every row has length 1 after the call"]
    assert assert_check_failed(EXERCISE, in_place, Status.INCORRECT, words, cases).mistake == "changes-matrix"
    assert all(np.array_equal(case["matrix"], kept) for case, kept in zip(cases, before))


def test_ties_come_out_smaller_id_first_as_the_statement_says():
    solution = {"tf": tf, "np": np}
    exec(EXERCISE.solution_code, solution)
    # Row 2 is the word; rows 1 and 3 are equally similar to it (1 / sqrt 2), and so are rows 0 and 4 (0).
    matrix = np.array([[0, 1], [1, -1], [1, 0], [1, 1], [0, -1]], dtype=np.float32)
    for given in (matrix, tf.constant(matrix), tf.Variable(matrix)):
        assert [int(i) for i in solution["nearest_neighbours"](given, 2, 4)] == [1, 3, 0, 4]


def test_the_wrong_answers_messages_name_the_form_of_the_matrix_and_no_line_of_the_solution():
    answer_lines = [line.strip() for line in EXERCISE.solution_code.splitlines()[1:]]
    for answer, status, key, words in table.WRONG:
        outcome = assert_check_failed(EXERCISE, answer, status, words)
        assert not any(line in outcome.message for line in answer_lines), outcome.message
        if key.startswith(("wrong-", "returns-none", "raised-")):
            assert any(form in outcome.message for form in GROUPS.values()), outcome.message
    for hint in EXERCISE.hints:
        assert not any(line in hint for line in answer_lines)


def test_named_descriptions_say_what_the_code_did_not_what_to_type():
    for key, (what, _code) in EXERCISE.wrong_versions.items():
        assert not re.search(r"\b(should|instead|use|must|try)\b|tf\.|np\.|\(", what), (key, what)


def test_a_wrong_version_is_named_whatever_container_its_results_come_in():
    def dot_product_as_a_list(matrix, word_id, k):
        return [int(i) for i in table.dot_product(matrix, word_id, k)]

    outcome = assert_check_failed(EXERCISE, dot_product_as_a_list, Status.INCORRECT, ["dot product"])
    assert outcome.mistake == "dot-product"


def test_the_grader_works_the_reference_out_in_a_process_of_its_own():
    from grader.course.expected import expected_results
    from grader.course.graded import Course, GradedExercise

    course = Course((GradedExercise(EXERCISE, 1.0, False),))
    cases = EXERCISE.cases("spring-2027")
    found = expected_results(course, {EXERCISE.name: cases})[EXERCISE.name]
    here = expected.compute(EXERCISE, cases)
    assert len(found) == len(cases)
    for theirs, ours in zip(found, here):
        assert EXERCISE.same(theirs["reference"], ours["reference"])
        assert all(EXERCISE.same(theirs["wrong"][key], ours["wrong"][key]) for key in EXERCISE.wrong_versions)


@pytest.mark.parametrize("task", checks.registry.variants("nearest_neighbours"), ids=lambda task: task.variant)
def test_neighbours_out_of_order_are_told_the_order_of_their_own_task(task):
    # The right neighbours in order of id: the message says the order the task asks for, most similar
    # first (cosine similarity, dot product) or nearest first (Euclidean distance).
    namespace = {"tf": tf, "np": np}
    exec(task.solution_code, namespace)

    def in_order_of_id(matrix, word_id, k):
        return np.sort(np.asarray(namespace["nearest_neighbours"](matrix, word_id, k)))

    outcome = task.evaluate(in_order_of_id)
    assert outcome.mistake == "neighbours-out-of-order", outcome.message
    if task.variant == "euclidean":
        assert "not in order of distance" in outcome.message and "similar" not in outcome.message
        assert "the nearest word (the smallest distance) is expected first" in outcome.message
    else:
        assert "not in order of similarity" in outcome.message
        assert "the most similar word is expected first" in outcome.message
