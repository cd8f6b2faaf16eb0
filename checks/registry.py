"""Every exercise of the course, found where it is declared.

Each module of ``checks/exercises/`` ends its class with one line, ``@register``; ``discover()``
imports them all, so adding an exercise needs no edit anywhere else in ``checks``. An exercise's other
variants (other tasks for the same skeleton, ``checks/variants/<exercise>/``) register the same way:
a class with the exercise's name and a ``variant`` key of its own joins the exercise's family.
"""

from __future__ import annotations

import importlib
import pkgutil

#: name -> exercise object, for every exercise (graded or practice): the course's own task.
EXERCISES: dict = {}
#: name -> {variant key: exercise object}, the course's own task first, for every exercise.
VARIANTS: dict = {}


def register(cls):
    """Class decorator: make one exercise object of ``cls`` and add it to ``EXERCISES``, or, for a
    class that declares another ``variant`` of an exercise already registered, to its family."""
    exercise = cls()
    first = EXERCISES.get(exercise.name)
    if first is not None and type(first) is not cls:
        family = VARIANTS[exercise.name]
        if not (exercise.variant and first.variant):
            raise ValueError(f"two exercises are named {exercise.name!r}")
        if type(family.get(exercise.variant, exercise)) is not cls:
            raise ValueError(f"two variants of {exercise.name!r} are keyed {exercise.variant!r}")
        cls.variant_id = f"{exercise.name}.{exercise.variant}"  # the course's own keeps the plain name
        family[exercise.variant] = exercise
        return cls
    _refuse_a_taken_place(exercise)
    EXERCISES[exercise.name] = exercise
    others = {key: ex for key, ex in VARIANTS.get(exercise.name, {}).items() if key != exercise.variant}
    VARIANTS[exercise.name] = {exercise.variant: exercise, **others}
    return cls


def _refuse_a_taken_place(exercise) -> None:
    """Each exercise has its own place in its notebook, so the course order never falls back on file names
    (an exercise's variants share its place: they join its family above and never come here)."""
    for other in EXERCISES.values():
        if other.name != exercise.name and (other.notebook, other.order) == (exercise.notebook, exercise.order):
            raise ValueError(
                f"{exercise.name!r} ({type(exercise).__module__}) and {other.name!r} ({type(other).__module__}) "
                f"both have order {exercise.order} in {exercise.notebook}: give each exercise its own place"
            )


def discover() -> dict:
    """Import every module of ``checks.exercises`` (each registers its exercise), then of
    ``checks.variants`` (each adds a variant to its exercise's family); return EXERCISES."""
    import checks.exercises
    import checks.variants

    for module in pkgutil.iter_modules(checks.exercises.__path__):
        importlib.import_module(f"checks.exercises.{module.name}")
    for module in pkgutil.walk_packages(checks.variants.__path__, "checks.variants."):
        importlib.import_module(module.name)
    ordered = in_course_order(EXERCISES.values())
    EXERCISES.clear()
    EXERCISES.update((ex.name, ex) for ex in ordered)
    return EXERCISES


def in_course_order(exercises) -> tuple:
    """The exercises in the order the course asks for them: by notebook, then place in it (``order``,
    which ``register`` keeps unique within a notebook)."""
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


def variants(name: str) -> tuple:
    """Every variant of the exercise ``name``, the course's own task first (one, if it has no others)."""
    return tuple(VARIANTS[name].values())


def every_variant() -> tuple:
    """Every variant of every exercise, in course order, each exercise's own task first."""
    return tuple(variant for exercise in EXERCISES for variant in variants(exercise))
