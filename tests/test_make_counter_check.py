"""The practice check of notebook 1 (tests/answers/make_counter.py)."""
import pytest

import checks
from check_harness import answers, assert_check_failed, assert_check_passed

RIGHT, WRONG, TUNED = answers("make_counter")


@pytest.mark.parametrize("answer", RIGHT)
def test_correct_variants_pass(answer):
    assert_check_passed(checks.make_counter, answer)


@pytest.mark.parametrize("answer, status, words", WRONG)
def test_mistakes_are_named(answer, status, words):
    assert_check_failed(checks.make_counter, answer, status, words)


def test_it_is_practice_not_graded():
    assert not checks.make_counter.graded and checks.make_counter not in checks.ASSIGNMENT
