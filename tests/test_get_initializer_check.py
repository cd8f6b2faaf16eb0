"""The get_initializer check, beyond its table of answers (tests/answers/get_initializer.py, run by
test_answers_check.py): the skeleton, what check() accepts, the cases, what it leaves in place."""

import pytest
import tensorflow as tf
from answers.get_initializer import canonical, raises

import checks
from checks import Status


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
