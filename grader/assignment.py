"""The graded exercises, as the grader reads them from the registry in ``checks``.

Everything the grader knows about an exercise comes from its declaration: its name, the notebook it
lives in, its points, the TensorFlow modules its observation relies on, its cases (public, plus
hidden ones drawn from the instructor's secret) and how a report is judged. Nothing here lists
exercises by hand.
"""
from __future__ import annotations

from dataclasses import dataclass

import checks

#: What an exercise's observation relies on when its declaration names nothing.
DEFAULT_TF_MODULES = ("tensorflow.random", "tensorflow.nn", "tensorflow.compat.v1",
                      "tensorflow.compat.v1.random", "tensorflow.compat.v1.nn")


def exercises() -> tuple:
    """The graded exercises, in the order the notebook asks for them."""
    return tuple(checks.ASSIGNMENT)


def by_name() -> dict:
    return {ex.name: ex for ex in exercises()}


def names() -> list[str]:
    return [ex.name for ex in exercises()]


def points(ex) -> float:
    return float(ex.points)


def max_score() -> float:
    return sum(points(ex) for ex in exercises())


def partial_credit_groups(name: str) -> list[str]:
    """The case groups an exercise's points are shared among, or none when it is all or nothing."""
    ex = by_name()[name]
    return list(dict.fromkeys(case["group"] for case in ex.public_cases())) if ex.partial_credit else []


def answer_name(ex) -> str:
    """The name the notebook defines for this exercise (``EmbeddingModel`` for ``EmbeddingModel.forward``)."""
    return ex.skeleton_path.split(".")[0]


def notebook_file() -> str:
    """The notebook learners submit (every graded exercise lives in it)."""
    return f"{exercises()[0].notebook}.ipynb"


def tf_modules() -> tuple[str, ...]:
    """Every TensorFlow module the graded exercises' observations rely on (guarded and warmed up)."""
    found: dict[str, None] = {}
    for ex in exercises():
        for module in ex.tf_modules or DEFAULT_TF_MODULES:
            found[module] = None
    return tuple(found)


def all_cases(secret: str | None) -> dict[str, list]:
    """Each exercise's cases: the public ones, and hidden ones drawn from ``secret`` when given."""
    return {ex.name: list(ex.cases(secret)) for ex in exercises()}


@dataclass(frozen=True)
class Judgement:
    outcome: object       # checks.Outcome
    fraction: float       # of the exercise's points earned
    groups: tuple = ()    # with partial credit: (case group, right?) pairs


def judge(ex, report: dict, cases: list) -> Judgement:
    graded = ex.grade(report, cases)
    groups = tuple(graded.groups.items()) if ex.partial_credit else ()
    return Judgement(graded.outcome, float(graded.fraction), groups)
