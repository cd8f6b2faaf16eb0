"""Expect: the cases each exercise is judged on, and what the reference solutions give on them.

The cases are the public ones, and hidden ones drawn from the secret when there is one; they are
computed here and kept here (they go into sandboxes, never back). The reference results, for the
exercises judged against a reference, are worked out outside every sandbox
(``grader/course/expected.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.course.expected import expected_results
from grader.course.graded import Course


@dataclass(frozen=True)
class Expectations:
    cases: dict  # exercise name -> its cases
    expected: dict  # exercise name -> what its reference gives on each case (exercises judged against one)


class Expect:
    """The cases of the exercises some file is graded on, and the reference results on them."""

    def run(self, course: Course, graded_on: dict, secret: str | None) -> Expectations:
        wanted = {ex.name for exercises in graded_on.values() for ex in exercises}
        judged = course.only(wanted)
        cases = judged.cases(secret)
        return Expectations(cases, expected_results(judged, cases))
