"""The forward check, beyond its table of answers (tests/answers/forward.py, run by test_answers_check.py):
the skeleton, what check() accepts, the cases, partial credit."""

import numpy as np
import pytest
from answers.forward import canonical, one_d_only

import checks
import checks.observing
from checks import Status


def test_skeleton_is_not_attempted():
    skeleton = checks.observing.compile_function(checks.forward.skeleton, "EmbeddingModel")
    assert checks.forward.evaluate(skeleton).status is Status.NOT_ATTEMPTED


def test_forward_is_judged_apart_from_get_initializer_and_leaves_it_in_place():
    # The answers' module has a get_initializer that returns zeros (wrong), yet canonical passes;
    # afterwards the module's own get_initializer is back.
    import answers.forward as module

    assert checks.forward.evaluate(canonical).passed
    assert np.all(module.get_initializer(3, 2).numpy() == 0)


@pytest.mark.parametrize("not_a_class", [None, canonical.forward, canonical(3, 2)])
def test_passing_something_else_than_the_class_is_explained(not_a_class):
    outcome = checks.forward.evaluate(not_a_class)
    assert outcome.status is Status.INCORRECT and "check(EmbeddingModel)" in outcome.message


def test_cases_cover_repeats_two_dimensional_and_scalar_ids():
    shapes = [c["ids"].shape for c in checks.forward.cases()]
    assert () in shapes and any(len(s) == 2 for s in shapes)
    assert any(len(np.unique(c["ids"])) < c["ids"].size for c in checks.forward.cases())


@pytest.mark.parametrize("secret", ["spring-2027", "x"])
def test_hidden_cases_cover_every_group_with_new_sizes(secret):
    public, hidden = checks.forward.public_cases(), checks.forward.hidden_cases(secret)
    assert {c["group"] for c in hidden} == {c["group"] for c in public}
    assert not {(c["vocab_size"], c["embedding_dim"]) for c in hidden} & {
        (c["vocab_size"], c["embedding_dim"]) for c in public
    }
    assert all(c["vocab_size"] != c["embedding_dim"] for c in hidden)  # so swapped arguments show
    assert any(len(np.unique(c["ids"])) < c["ids"].size for c in hidden)


def test_partial_credit_is_by_group_of_ids_when_chosen():
    answer, cases = one_d_only(canonical), checks.forward.cases("a secret")
    report = checks.forward.observe_all(answer, cases)
    all_or_nothing = checks.forward.grade(report, cases)
    assert all_or_nothing.fraction == 0 and all_or_nothing.outcome.status is Status.ERROR
    partial = checks.forward.grade(report, cases, partial_credit=True)
    assert dict(partial.groups) == {
        "1-D ids": True,
        "2-D ids": False,
        "ids given as a NumPy array": False,
        "a single id": False,
        "ids given as a Python list": False,
    }
    assert partial.fraction == 0.2 and partial.score == 0.2 * checks.forward.points
    assert partial.outcome == all_or_nothing.outcome
