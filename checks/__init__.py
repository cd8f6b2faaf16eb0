"""Checks for the Embedding Matrix course.

Each exercise is declared once, in ``checks/exercises/``; the notebooks call it through the
instances below and the instructor grader (``checks.grade``) uses the same declarations, so there is
one definition of "correct"::

    import checks
    checks.get_initializer.check(get_initializer)
    checks.get_initializer.hint()
    checks.get_initializer.solution()
"""
from checks.exercises.forward import Forward
from checks.exercises.get_initializer import GetInitializer
from checks.exercises.make_counter import MakeCounter
from checks.outcome import CheckFailed, Incorrect, LearnerCodeError, NotAttempted, Outcome, Status

make_counter = MakeCounter()
get_initializer = GetInitializer()
forward = Forward()

# The exercises instructors grade, in the order the "Time to code" notebook asks for them.
GRADED = (get_initializer, forward)

__all__ = [
    "CheckFailed", "Incorrect", "LearnerCodeError", "NotAttempted", "Outcome", "Status",
    "make_counter", "get_initializer", "forward", "GRADED",
]

from checks.version import __version__  # noqa: E402  (pyproject.toml's [project] version)
