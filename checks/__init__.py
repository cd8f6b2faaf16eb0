"""Checks for the Embedding Matrix course.

Each exercise is declared once, in its own module of ``checks/exercises/``, and registers itself; the
notebooks call it through ``checks.<name>`` and the instructor grader uses the same objects, so there
is one definition of "correct"::

    import checks
    checks.get_initializer.check(get_initializer)
    checks.get_initializer.hint()
    checks.get_initializer.solution()

``checks.EXERCISES`` maps every exercise's name to it; ``checks.ASSIGNMENT`` holds the graded ones in
the order the notebooks ask for them.
"""

from checks import registry
from checks.outcome import CheckFailed, Grade, Incorrect, LearnerCodeError, Mistake, NotAttempted, Outcome, Status
from checks.record import attempts  # what the notebook's attempt record holds

EXERCISES = registry.discover()
ASSIGNMENT = registry.assignment()
globals().update(EXERCISES)  # checks.get_initializer, checks.forward, ...

__all__ = [
    "CheckFailed",
    "Grade",
    "Incorrect",
    "LearnerCodeError",
    "Mistake",
    "NotAttempted",
    "Outcome",
    "Status",
    "EXERCISES",
    "ASSIGNMENT",
    "attempts",
    "__version__",
    *EXERCISES,
]

from checks.version import __version__  # noqa: E402  (pyproject.toml's [project] version)
