"""Every exercise of the course, found where it is declared.

Each module of ``checks/exercises/`` ends its class with one line, ``@register``; ``discover()``
imports them all, so adding an exercise needs no edit anywhere else in ``checks``.
"""

from __future__ import annotations

import importlib
import pkgutil

#: name -> exercise object, for every exercise (graded or practice).
EXERCISES: dict = {}


def register(cls):
    """Class decorator: make one exercise object of ``cls`` and add it to ``EXERCISES``."""
    exercise = cls()
    if exercise.name in EXERCISES and type(EXERCISES[exercise.name]) is not cls:
        raise ValueError(f"two exercises are named {exercise.name!r}")
    EXERCISES[exercise.name] = exercise
    return cls


def discover() -> dict:
    """Import every module of ``checks.exercises`` (each registers its exercise); return EXERCISES."""
    import checks.exercises

    for module in pkgutil.iter_modules(checks.exercises.__path__):
        importlib.import_module(f"checks.exercises.{module.name}")
    ordered = in_course_order(EXERCISES.values())
    EXERCISES.clear()
    EXERCISES.update((ex.name, ex) for ex in ordered)
    return EXERCISES


def in_course_order(exercises) -> tuple:
    """The exercises in the order the course asks for them: by notebook, then place in it."""
    return tuple(sorted(exercises, key=lambda ex: (ex.notebook, ex.order)))


def assignment() -> tuple:
    """The graded exercises, in the order the notebooks ask for them."""
    return in_course_order(ex for ex in EXERCISES.values() if ex.graded)


def graded_by_notebook() -> dict:
    """Each notebook that has graded exercises -> those exercises, in course order."""
    found: dict = {}
    for exercise in assignment():
        found.setdefault(exercise.notebook, []).append(exercise)
    return {notebook: tuple(exercises) for notebook, exercises in found.items()}
