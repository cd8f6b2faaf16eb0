"""The get_initializer check, beyond its table of answers (tests/answers/get_initializer.py, run by
test_answers_check.py): the skeleton, what check() accepts, the cases, what it leaves in place, and how
rarely the statistics fail a right answer."""

import math

import numpy as np
import pytest
import tensorflow as tf
from answers.get_initializer import canonical, raises

import checks
from checks import Status
from checks.exercises import get_initializer as module
from checks.random_values import false_alarm_per_case, ks_to_uniform, neighbour_correlations


def test_skeleton_is_not_attempted_even_with_comments_edited():
    def get_initializer(embedding_dim, vocab_size):
        # I will do this later
        pass

    assert checks.get_initializer.evaluate(get_initializer).status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("not_a_function", [None, 42, "get_initializer"])
def test_passing_something_else_than_the_function_is_explained(not_a_function):
    outcome = checks.get_initializer.evaluate(not_a_function)
    assert outcome.status is Status.INCORRECT
    assert "check(get_initializer)" in outcome.message


def test_cases_include_sizes_the_notebook_never_shows():
    sizes = {(c["vocab_size"], c["embedding_dim"]) for c in checks.get_initializer.cases()}
    assert (10, 4) not in sizes and (3, 4) not in sizes and len(sizes) >= 4


@pytest.mark.parametrize("secret", ["spring-2027", "x"])
def test_hidden_cases_are_new_and_large_enough_for_the_statistics(secret):
    public, hidden = checks.get_initializer.public_cases(), checks.get_initializer.hidden_cases(secret)
    assert {c["group"] for c in hidden} == {c["group"] for c in public}
    sizes = {(c["vocab_size"], c["embedding_dim"]) for c in public}
    assert not {(c["vocab_size"], c["embedding_dim"]) for c in hidden} & sizes
    assert all(c["vocab_size"] * c["embedding_dim"] >= 2000 for c in hidden if c["group"] == "large matrices")


def test_check_leaves_tf_random_uniform_as_it_was():
    before = (tf.random.uniform, tf.compat.v1.random_uniform, tf.compat.v1.random.uniform)
    checks.get_initializer.evaluate(canonical)
    checks.get_initializer.evaluate(raises)
    assert (tf.random.uniform, tf.compat.v1.random_uniform, tf.compat.v1.random.uniform) == before


def test_the_statistics_fail_a_right_answer_far_less_often_than_once_in_a_million_checks():
    # A large case is failed by either tail of the Kolmogorov-Smirnov statistic or by the neighbours'
    # correlation along an axis; a smaller one of 30 values or more by having no value on one side of 0.
    # Each has a known tail probability; a check judges every public and hidden case.
    rate = 0.0
    for case in checks.get_initializer.cases("spring-2027"):
        n = case["vocab_size"] * case["embedding_dim"]
        if n >= module._MIN_VALUES_FOR_STATISTICS:
            rate += false_alarm_per_case(ends=False)
        elif n >= module._MIN_VALUES_FOR_SIGNS:
            rate += 2 * 2.0**-n
    assert rate < 1e-6
    # And the statistics behave as that theory says on fair float32 draws made the way tf.random.uniform
    # makes them: none fails, and about 5% exceed each statistic's 5% point.
    rng = np.random.default_rng(2028)
    v, d, trials = 250, 8, 3000
    n, a = v * d, np.float32(0.5 / d)
    ks, z = [], []
    for _ in range(trials):
        values = rng.integers(0, 2**23, (v, d)).astype(np.float32) / np.float32(2**23) * (a - -a) + -a
        assert module._diagnose_values(values, d, v, "For a fair draw", hidden=False) is None
        ks.append(ks_to_uniform(values, -a, a) * math.sqrt(n))
        z += [found for _, found, _ in neighbour_correlations(values)]
    assert 0.04 < np.mean(np.array(ks) > 1.358) < 0.06  # the Kolmogorov distribution's 95% point
    assert 0.04 < np.mean(np.abs(z) > 1.96) < 0.06  # the normal distribution's, either way
    assert max(ks) < 2.3 and min(ks) > 0.3 and max(np.abs(z)) < 4.5


def test_a_range_on_one_side_of_0_is_named_by_its_sign_before_its_bound():
    rng = np.random.default_rng(3)
    values = rng.uniform(0, 1 / 8, (500, 8)).astype(np.float32)  # [0, 1/d): twice the bound, nothing negative
    mistake = module._diagnose_values(values, 8, 500, "For a case", hidden=False)
    assert mistake.key == "no-negative-values" and "looks like" not in mistake.message
