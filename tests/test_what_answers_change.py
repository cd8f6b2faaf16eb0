"""What an answer does to the arguments it is given (checks/changes.py), judged alike in the notebook and
in the grader, whatever kind of exercise; and a short exercise whose inputs and results are lists of
different lengths, with the table its declaration implies."""

import numpy as np
import pytest
import tensorflow as tf
from check_harness import declared_table, through_the_grader

from checks import Status
from checks import expected as reference
from checks.changes import Watched
from checks.short import ShortExercise


class Lengths(ShortExercise):
    """Not registered: a short exercise of lists, ``lengths(sentences)``, each sentence's length."""

    name = "lengths"
    notebook = "99_lists"
    skeleton = """\
def lengths(sentences):
    # CODE HERE
    pass
"""
    hints = ("A sentence is a list.", "len() counts.", "One length per sentence.")
    solution_code = """\
def lengths(sentences):
    return [len(sentence) for sentence in sentences]
"""
    wrong_versions = {
        "counts-the-sentences": (
            "gives the number of sentences, once for each sentence",
            """\
def lengths(sentences):
    return [len(sentences)] * len(sentences)
""",
        ),
    }

    def draw_cases(self, rng):
        def sentence():
            return [int(word) for word in rng.integers(0, 50, int(rng.integers(1, 7)))]

        return [
            {"group": "ragged", "sentences": [sentence() for _ in range(int(rng.integers(2, 6)))]} for _ in range(4)
        ]


class Tails(Lengths):
    """``tails(sentences)``: each sentence without its first word, lists of different lengths as the result."""

    name = "tails"
    skeleton = """\
def tails(sentences):
    # CODE HERE
    pass
"""
    solution_code = """\
def tails(sentences):
    return [sentence[1:] for sentence in sentences]
"""
    wrong_versions = {
        "drops-the-last-word": (
            "leaves out the last word of each sentence, not the first",
            """\
def tails(sentences):
    return [sentence[:-1] for sentence in sentences]
""",
        ),
    }


LENGTHS, TAILS = Lengths(), Tails()


def as_the_grader_judges(exercise, answer, secret=None):
    """The grader's order: the reference's results first, in a process of their own; then the learner's
    code in the sandbox; then the verdict, from the report as it comes out of the sandbox."""
    cases = exercise.cases(secret)
    expected = reference.results(exercise, cases)
    report = through_the_grader(exercise.observe_all(answer, cases))
    return exercise.decide(report, cases, expected)


@pytest.mark.parametrize("exercise", [LENGTHS, TAILS], ids=lambda ex: ex.name)
def test_the_table_a_short_exercise_of_ragged_lists_implies_works(exercise):
    table = declared_table(exercise)
    for answer in table.RIGHT:
        assert exercise.evaluate(answer, "spring").passed
    for answer, status, key, _ in table.WRONG:
        outcome = exercise.evaluate(answer)
        assert outcome.status is status and outcome.mistake == key, outcome.message
    for answer in table.TUNED:
        assert exercise.evaluate(answer).passed
        assert not exercise.evaluate(answer, "spring").passed


def test_ragged_results_are_compared_item_by_item():
    def one_too_many(sentences):
        return [sentence[1:] + [0] for sentence in sentences]

    outcome = TAILS.evaluate(one_too_many)
    assert outcome.mistake == "wrong-values" and "returned [[" in outcome.message
    assert TAILS.evaluate(lambda sentences: [[1]] * len(sentences)).mistake == "wrong-values"


def empties_its_list(sentences):
    found = [len(sentence) for sentence in sentences]
    sentences.clear()  # "done with them"
    return found


def empties_each_sentence(sentences):
    found = [len(sentence) for sentence in sentences]
    for sentence in sentences:
        del sentence[:]
    return found


@pytest.mark.parametrize("answer", [empties_its_list, empties_each_sentence])
def test_an_answer_that_empties_its_list_gets_one_verdict_in_the_notebook_and_the_grader(answer):
    notebook = LENGTHS.evaluate(answer)
    assert notebook.status is Status.INCORRECT and notebook.mistake == "changes-sentences"
    assert "lengths changed the sentences it was given: " in notebook.message
    assert as_the_grader_judges(LENGTHS, answer) == notebook
    hidden = as_the_grader_judges(LENGTHS, answer, "spring")
    assert hidden.mistake == "changes-sentences" and hidden == LENGTHS.evaluate(answer, "spring")


def test_the_list_is_named_empty_and_the_cases_stay_as_drawn():
    cases = LENGTHS.public_cases()
    kept = [[list(sentence) for sentence in case["sentences"]] for case in cases]
    outcome = LENGTHS.decide(LENGTHS.observe_all(empties_its_list, cases), cases)
    assert "the list is empty after the call" in outcome.message
    assert [case["sentences"] for case in cases] == kept


def test_the_reference_is_worked_out_before_the_learners_code_runs(monkeypatch):
    order = []
    monkeypatch.setattr(reference, "results", lambda exercise, cases: order.append("reference") or [])
    monkeypatch.setattr(Lengths, "observe_all", lambda self, answer, cases: order.append("learner") or {})
    monkeypatch.setattr("checks.exercise.decide_report", lambda exercise, report, cases: None)
    LENGTHS.evaluate(empties_its_list)
    assert order == ["reference", "learner"]


def test_an_argument_the_exercise_asks_to_change_may_change():
    def adds(counter, word_ids):
        counter.assign_add([1, 0, 0])
        word_ids.append(7)

    watched = Watched(adds, ("counter", "word_ids"), may_change=("counter",))
    watched(tf.Variable([0, 0, 0]), [1, 2])
    assert set(watched.changed) == {"word_ids"}
    assert watched.changed["word_ids"] == {"of": "list", "length": [2, 3]}


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda m: m.__setitem__(0, 0.0), "row 0 holds zeros after the call"),
        (lambda m: m.__setitem__(slice(1, 3), 5.0), "rows 1 and 2 hold other values after the call"),
        (lambda m: m.__itruediv__(np.linalg.norm(m, axis=1, keepdims=True)), "every row has length 1"),
        (lambda m: setattr(m, "shape", (2, 6)), "the array's shape went from (4, 3) to (2, 6)"),
    ],
)
def test_what_changed_in_an_array_is_said(change, words):
    from checks.changes import change_mistake

    watched = Watched(lambda matrix: change(matrix), ("matrix",))
    watched(np.arange(1.0, 13.0).reshape(4, 3).copy())
    mistake = change_mistake("f", "matrix", watched.changed["matrix"], "For a case", False, {})
    assert mistake.key == "changes-matrix" and words in mistake.message
    hidden = change_mistake("f", "matrix", watched.changed["matrix"], "On a hidden case", True, {})
    assert not any(digit in hidden.message.split(":")[1] for digit in "23456789"), hidden.message


def test_what_cannot_change_is_not_watched_and_reading_changes_nothing():
    def reads(shape, std, matrix, ids, options):
        return np.asarray(matrix).sum() + len(ids) + len(options) + std + len(shape)

    watched = Watched(reads, ("shape", "std", "matrix", "ids", "options"))
    watched((3, 4), 0.5, tf.Variable(np.ones((2, 2))), [[1, 2], [3]], {"a": [1]})
    assert watched.changed == {}
