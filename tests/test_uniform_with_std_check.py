"""The uniform_with_std check, beyond its table of answers (tests/answers/uniform_with_std.py, run by
test_answers_check.py): the skeleton, what check() accepts, the cases, determinism, how rarely the
statistics fail a right answer, what the check leaves in place, and that messages on hidden cases
keep their inputs to themselves."""

import math
import re

import numpy as np
import pytest
import tensorflow as tf
from answers import uniform_with_std as table
from answers.uniform_with_std import bound_is_std, canonical, numpy_argument_order, numpy_then_tensor

import checks
from checks import Status
from checks.exercises import uniform_with_std as module
from checks.random_values import GAP_IN_AVERAGE_SPACINGS, KS_CRITICAL, false_alarm_per_case, ks_to_uniform

EXERCISE = checks.uniform_with_std
SECRETS = ["spring-2027", "a much longer secret of another course", "7"]


def test_skeleton_is_not_attempted_even_with_comments_edited():
    def uniform_with_std(shape, std):
        # the bound first, then the draw
        pass

    assert EXERCISE.evaluate(uniform_with_std).status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("not_a_function", [None, 0.1, "uniform_with_std"])
def test_passing_something_else_than_the_function_is_explained(not_a_function):
    outcome = EXERCISE.evaluate(not_a_function)
    assert outcome.status is Status.INCORRECT and "check(uniform_with_std)" in outcome.message


@pytest.mark.parametrize("secret", [None, *SECRETS])
def test_cases_have_every_kind_of_shape_and_enough_values_for_the_statistics(secret):
    cases = EXERCISE.public_cases() if secret is None else EXERCISE.hidden_cases(secret)
    assert [c["group"] for c in cases] == ["large tensors"] * 3 + ["3-D tensors"] + ["small tensors"] * 2
    assert [len(c["shape"]) for c in cases[:4]] == [2, 1, 2, 3] and len(cases[-1]["shape"]) == 1
    for case in cases:
        size = math.prod(case["shape"])
        assert size >= module._MIN_VALUES_FOR_STATISTICS if case["group"] != "small tensors" else size < 20
        # Every named wrong bound is 10% or more from the right one and from the others, for this std.
        assert module._tells_mistakes_apart(case["std"]) and 0.005 <= case["std"] <= 3


@pytest.mark.parametrize("secret", SECRETS)
def test_hidden_cases_are_new(secret):
    public = {(c["shape"], c["std"]) for c in EXERCISE.public_cases()}
    hidden = EXERCISE.hidden_cases(secret)
    assert not {c["shape"] for c in hidden} & {shape for shape, _ in public}
    assert len({c["seed"] for c in hidden}) == len(hidden)


@pytest.mark.parametrize("answer", [canonical, numpy_then_tensor, bound_is_std, numpy_argument_order])
def test_the_same_answer_twice_gets_the_same_verdict(answer):
    # A seed per case (TensorFlow's and NumPy's): the verdict and its message do not change between runs.
    cases = EXERCISE.cases(SECRETS[0])
    first = EXERCISE.decide(EXERCISE.observe_all(answer, cases), cases)
    tf.random.uniform((3,))  # whatever ran in between
    np.random.uniform(size=3)
    assert EXERCISE.decide(EXERCISE.observe_all(answer, cases), cases) == first
    assert EXERCISE.evaluate(answer) == EXERCISE.evaluate(answer)


def test_the_statistics_fail_a_right_answer_far_less_often_than_once_in_a_million_checks():
    # A large case is failed by either tail of the Kolmogorov-Smirnov statistic, the neighbours'
    # correlation along an axis, or a gap at either end of the range; each threshold's tail probability is
    # known, and a check (public and hidden cases) judges eight large cases.
    large = [c for c in EXERCISE.cases(SECRETS[0]) if math.prod(c["shape"]) >= module._MIN_VALUES_FOR_STATISTICS]
    assert len(large) == 8 and len(large) * false_alarm_per_case(ends=True) < 1e-6
    # And the statistics behave as that theory says on fair float32 draws made the way tf.random.uniform
    # makes them (23 random bits, scaled into [-a, a)): none fails, and 5% exceed the 5% points.
    rng = np.random.default_rng(2027)
    n, trials, std = module._MIN_VALUES_FOR_STATISTICS, 3000, 0.1
    a = np.float32(math.sqrt(3) * std)
    ks, gaps = [], []
    for _ in range(trials):
        values = rng.integers(0, 2**23, n).astype(np.float32) / np.float32(2**23) * (a - -a) + -a
        assert module._diagnose_values(values, std, "For a fair draw", hidden=False) is None
        ks.append(ks_to_uniform(values, -a, a) * math.sqrt(n))
        gaps.append((values.min() + a) * n / (2 * a))
    assert 0.04 < np.mean(np.array(ks) > 1.358) < 0.06  # the Kolmogorov distribution's 95% point
    assert 0.04 < np.mean(np.array(gaps) > 3.0) < 0.06  # exp(-3): the gap is exponential
    assert max(ks) < 2.3 and max(gaps) < 12 and min(ks) > 0.3


def test_the_named_mistakes_are_far_from_the_thresholds():
    # The smallest case a mistake is judged on has 4,000 values; every wrong bound leaves a gap or a
    # Kolmogorov-Smirnov statistic many times the threshold there.
    rng = np.random.default_rng(5)
    n, std = module._MIN_VALUES_FOR_STATISTICS, 0.1
    a = math.sqrt(3) * std
    for multiple in [1.0, 1.5, 1 / math.sqrt(3)]:  # narrower than the right bound: gaps at both ends
        values = rng.uniform(-multiple * std, multiple * std, n).astype(np.float32)
        assert (values.min() + a) * n / (2 * a) > 5 * GAP_IN_AVERAGE_SPACINGS
    normal = rng.normal(0, std, n).astype(np.float32)
    assert ks_to_uniform(normal, -a, a) * math.sqrt(n) > 2 * KS_CRITICAL


@pytest.mark.parametrize("answer", [canonical, numpy_argument_order, bound_is_std])
def test_check_leaves_tf_random_uniform_and_numpys_state_as_they_were(answer):
    before = (tf.random.uniform, tf.compat.v1.random_uniform, tf.compat.v1.random.uniform)
    np.random.seed(99)
    expected_next = np.random.uniform(size=3)
    np.random.seed(99)
    EXERCISE.evaluate(answer)
    assert (tf.random.uniform, tf.compat.v1.random_uniform, tf.compat.v1.random.uniform) == before
    assert np.array_equal(np.random.uniform(size=3), expected_next)


def _shown(message: str, case: dict) -> list[str]:
    """The hidden case's inputs that ``message`` shows: its std (as a message would write it) or its sizes."""
    numbers = set(re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.])", message.replace(case["group"], "")))
    std = case["std"]
    written = {f"{std:g}", f"{std:.4g}", repr(std)}
    sizes = {str(d) for d in case["shape"] if d > 3}  # 1, 2 and 3 are in the wording ("√3", "[0, 1)")
    return sorted((written | sizes) & numbers) + ([str(case["shape"])] if str(case["shape"]) in message else [])


@pytest.mark.parametrize(
    "answer", [a for a in table.RIGHT[:1]] + [row[0] for row in table.WRONG] + table.TUNED, ids=lambda a: a.__name__
)
def test_messages_on_hidden_cases_show_neither_std_nor_shape(answer):
    for secret in SECRETS:
        hidden = EXERCISE.hidden_cases(secret)
        message = EXERCISE.decide(EXERCISE.observe_all(answer, hidden), hidden).message
        for case in hidden:
            assert _shown(message, case) == [], message


def test_the_hint_levels_go_from_the_idea_to_the_shape_of_the_code_without_a_line_of_it():
    assert len(EXERCISE.hints) == 3
    answer_lines = [line.strip() for line in EXERCISE.solution_code.splitlines()[1:]]
    for hint in EXERCISE.hints:
        assert not any(line in hint for line in answer_lines)
        assert "sqrt(3)" not in hint and "minval=-" not in hint
