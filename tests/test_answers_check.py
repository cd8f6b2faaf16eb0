"""Every table of answers (tests/answers/) judged in the ways a verdict can be reached: the notebook's
check, the channel from the grader's sandbox, and hidden cases drawn from an instructor's secret."""

import check_harness
import numpy as np
import pytest
from check_harness import (
    assert_check_failed,
    assert_check_passed,
    assert_no_hidden_inputs,
    every_answer,
    observed,
    right_answers,
    through_the_grader,
    tuned_answers,
    wrong_answers,
)

from checks import Status

SECRETS = ["spring-2027", "a much longer secret of another course", "7"]
ANSWERS = every_answer()


@pytest.mark.parametrize("exercise, answer", right_answers())
def test_correct_variants_pass(exercise, answer):
    assert_check_passed(exercise, answer)


@pytest.mark.parametrize("exercise, answer, status, mistake, words", wrong_answers())
def test_mistakes_are_named(exercise, answer, status, mistake, words):
    assert assert_check_failed(exercise, answer, status, words).mistake == mistake


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("exercise, answer, status, mistake, words", wrong_answers())
def test_hidden_cases_name_the_mistake_the_public_ones_name(exercise, answer, status, mistake, words, secret):
    # The class report counts learners by this key: the same wrong answer gets it whichever case revealed it.
    hidden = exercise.hidden_cases(secret)
    outcome = exercise.decide(observed(exercise, answer, hidden), hidden)
    raises_on_public_inputs_only = status is Status.ERROR and outcome.passed  # e.g. vocab_size=1, never drawn
    assert outcome.mistake == mistake or raises_on_public_inputs_only, outcome.message


@pytest.mark.parametrize("exercise", check_harness.VARIANTS.values(), ids=lambda ex: ex.variant_id)
def test_every_exercise_has_its_table(exercise):
    table = check_harness.table(exercise.variant_id)
    assert table.RIGHT and table.WRONG and (table.TUNED or not exercise.graded)


@pytest.mark.parametrize("exercise, answer", ANSWERS)
def test_a_report_judged_after_the_trip_from_the_sandbox_gets_the_same_verdict(exercise, answer):
    cases = exercise.cases(SECRETS[0])
    report = observed(exercise, answer, cases)
    assert exercise.decide(through_the_grader(report), cases) == exercise.decide(report, cases)
    assert exercise.grade(through_the_grader(report), cases) == exercise.grade(report, cases)
    assert exercise.grade(report, cases).outcome.mistake == exercise.decide(report, cases).mistake
    public = exercise.public_cases()  # the notebook's check: evaluate() (some answers draw unseeded values)
    assert exercise.decide(exercise.observe_all(answer, public), public).status is exercise.evaluate(answer).status


@pytest.mark.parametrize("exercise, answer", ANSWERS)
def test_messages_on_hidden_cases_never_show_their_inputs(exercise, answer):
    hidden = exercise.hidden_cases(SECRETS[1])
    assert_no_hidden_inputs(exercise.decide(observed(exercise, answer, hidden), hidden).message, hidden)


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("exercise, answer", [p for p in ANSWERS if p not in tuned_answers()])
def test_hidden_cases_give_the_verdict_the_public_ones_give(exercise, answer, secret):
    # Right answers stay right, and wrong ones stay wrong, on cases the answer was never tried on.
    cases = exercise.cases(secret)
    graded = exercise.decide(observed(exercise, answer, cases), cases)
    assert graded.passed == exercise.decide(observed(exercise, answer, exercise.public_cases())).passed, graded.message


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("exercise, answer", tuned_answers())
def test_an_answer_tuned_to_the_public_cases_fails_on_hidden_ones(exercise, answer, secret):
    assert exercise.evaluate(answer).passed
    cases = exercise.cases(secret)
    graded = exercise.grade(observed(exercise, answer, cases), cases)
    assert graded.outcome.status is Status.INCORRECT and graded.fraction == 0
    assert graded.outcome.message.startswith("On a hidden test case (")
    assert_no_hidden_inputs(graded.outcome.message, cases)


@pytest.mark.parametrize("exercise", check_harness.VARIANTS.values(), ids=lambda ex: ex.variant_id)
def test_the_same_secret_draws_the_same_cases_and_another_secret_others(exercise):
    def plain(cases):
        return [{k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in c.items()} for c in cases]

    assert plain(exercise.hidden_cases("one")) == plain(exercise.hidden_cases("one"))
    assert plain(exercise.hidden_cases("one")) != plain(exercise.hidden_cases("two"))
    assert plain(exercise.cases()) == plain(exercise.public_cases())
    assert plain(exercise.cases("one")) == plain(exercise.public_cases() + exercise.hidden_cases("one"))
    assert all(c.get("hidden") for c in exercise.hidden_cases("one"))
    assert not any(c.get("hidden") for c in exercise.public_cases())
    assert all(isinstance(c["group"], str) for c in exercise.cases("one"))
