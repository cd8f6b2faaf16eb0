"""Each learner their own task, in the notebook: which variant of an exercise is in force in this
kernel, the task it shows, and the verdict on an answer that does another variant's task.

An exercise may have variants: other tasks for the same skeleton, which use the same teaching
(``checks/variants/<exercise>/``). Where the class hands them out (classroom.toml's [variants], recorded
by the release in ``checks/variants.json``), the learner gives their id once, in the notebook's first
cell (``prepare(seed=42, learner="...")``; the other notebooks of the course folder remember it), and
``checks.allocation`` says which variant is theirs. Under nbgrader's autograde the id is the student's
folder, never what the notebook says. Without a class's allocation (the self-paced course), the course's
own task is in force, and ``checks.<exercise>.task("<variant>")`` practises another.

``in_force(exercise)`` is the one answer to "which variant": check, hint and solution follow it, and
``Exercise.in_force()`` asks it.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from checks import allocation as allocating
from checks import registry
from checks.outcome import Mistake, Outcome, Status, show_markdown

#: The course folder: where the id a learner gave is remembered for the course's other notebooks.
COURSE = Path(__file__).resolve().parent.parent
REMEMBERED = COURSE / ".learner-id"
#: The id given in this kernel (None: none yet), and the variants chosen to practise: name -> key.
_GIVEN: list = [None]
_PRACTISED: dict = {}
#: The key of the mistake an answer makes when it does another variant's task and fails its own.
ANOTHER_VARIANT = "solves-another-variant"


# -- the class's allocation and the learner -----------------------------------------------------------
@functools.cache
def allocation() -> allocating.Allocation | None:
    """The allocation of this copy of the course: the release's record, else the course's own
    classroom.toml (an instructor's copy, where nbgrader autogrades), else None (no variants handed out)."""
    record = allocating.read_record()
    if record is not None:
        given = record.get("allocation")
        return allocating.Allocation.from_record(given) if given else None
    path = COURSE / "classroom.toml"
    if not path.is_file():
        return None
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("variants", {})
    return allocating.from_table(table, families(), str(path))


def families() -> dict:
    """Exercise name -> its variants' keys, the course's own first."""
    return {name: tuple(registry.VARIANTS[name]) for name in registry.EXERCISES}


def give_learner(learner: str | None) -> str:
    """The first cell's ``prepare(learner=...)``: take the learner's id (remembered for the course's
    other notebooks), or, when it is left empty, the id given in another notebook. Returns what to
    print: whose tasks these are, or how to give an id."""
    typed = (learner or "").strip()
    if typed:
        _GIVEN[0] = typed
        try:
            REMEMBERED.write_text(typed + "\n", encoding="utf-8")
        except OSError:  # a read-only copy of the course (the grader's sandbox): this kernel knows it
            pass
    found = learner_id()
    if allocation() is None:
        return "Every learner of this course has the same tasks."
    if found is None:
        return (
            'Your instructor gives each learner tasks of their own: type your id between the quotes of learner="" '
            "in this cell and run it again. Until then the checks follow the course's first tasks."
        )
    source = "" if typed else " (as given in another notebook of this course folder)"
    return f"The tasks shown are those of learner {found}{source}."


def learner_id() -> str | None:
    """The learner whose tasks are in force: nbgrader's student (the folder autograde runs the notebook
    in, whatever the notebook says), else the id given in this kernel, else the one remembered."""
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return Path.cwd().parent.name  # autograded/<student>/<assignment>/
    if _GIVEN[0]:
        return _GIVEN[0]
    try:
        remembered = REMEMBERED.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return remembered or None


# -- which variant is in force -----------------------------------------------------------------------
def allotted(name: str) -> str | None:
    """The key of the variant of exercise ``name`` allotted to the learner, or None where the class
    hands out none of its variants or the learner has given no id."""
    allotting, learner = allocation(), learner_id()
    if allotting is None or learner is None or name not in allotting.varied():
        return None
    return allotting.variant_of(learner, name)


def in_force(exercise):
    """The variant whose task the learner's check, hints and solution follow in this kernel."""
    family = registry.VARIANTS.get(exercise.name, {})
    if len(family) < 2:
        return exercise
    key = _PRACTISED.get(exercise.name) or allotted(exercise.name) or next(iter(family))
    return family.get(key, exercise)


def show_task(exercise, key: str | None = None) -> None:
    """Show the task in force (``key``: practise that variant first) and what else there is."""
    family = registry.VARIANTS.get(exercise.name, {exercise.variant: exercise})
    if key is not None:
        if key not in family:
            show_markdown(
                f"`{exercise.name}` has no task {key!r}; its tasks are " + ", ".join(f'"{k}"' for k in family) + "."
            )
            return
        _PRACTISED[exercise.name] = key
    chosen = in_force(exercise)
    title = f", {chosen.variant_title}" if chosen.variant_title else ""
    show_markdown(f"**Your task: `{chosen.skeleton_path}`{title}.**\n\n{chosen.statement.strip()}\n\n{_whose(chosen)}")


def _whose(chosen) -> str:
    """Whose task ``chosen`` is, and how to reach the others, in a paragraph under the task."""
    name, family = chosen.name, registry.VARIANTS.get(chosen.name, {})
    call = f"checks.{name}.task"
    own = allotted(name)
    if own is not None:
        if chosen.variant == own:
            return (
                f"*This task is yours, learner {learner_id()}: the check, the hints and the solution follow it, "
                "and it is the one your instructor grades.*"
            )
        return (
            f'*You are practising the task "{chosen.variant}". Yours is "{own}", the one your instructor grades: '
            f'`{call}("{own}")` goes back to it.*'
        )
    if allocation() is not None and name in allocation().varied():
        return (
            "*Your instructor gives each learner a task of their own: type your id in the notebook's first cell "
            '(`learner="..."`) and run it, then this cell again. Until then this is the course\'s first task.*'
        )
    first = next(iter(family), chosen.variant)
    if chosen.variant != first:
        return f'*You are practising the task "{chosen.variant}"; `{call}("{first}")` goes back to the course\'s own.*'
    others = [ex for key, ex in family.items() if key != first]
    if not others:
        return ""
    listed = "; ".join(f'"{ex.variant}" ({ex.variant_title})' for ex in others)
    return (
        f"*For more practice afterwards, the same function has other tasks: {listed}. "
        f'`{call}("{others[0].variant}")` shows one, and the check, hints and solution then follow it.*'
    )


# -- the verdict -------------------------------------------------------------------------------------
def judged(exercise, answer, secret: str | None = None) -> Outcome:
    """What the notebook's check says of ``answer`` on ``exercise`` (the variant in force): its own
    verdict, or, in a class that hands out variants, that it does another variant's task instead."""
    outcome = exercise.evaluate(answer, secret)
    allotting = allocation()
    if outcome.status not in (Status.INCORRECT, Status.ERROR) or allotting is None:
        return outcome
    if exercise.name not in allotting.varied():
        return outcome
    family = registry.VARIANTS[exercise.name]
    for key in allotting.offered[exercise.name]:
        other = family[key]
        if other.variant != exercise.variant and other.evaluate(answer, secret).passed:
            return another_variant(exercise, other)
    return outcome


def another_variant(assigned, solved) -> Outcome:
    """The verdict on an answer that passes every case of ``solved`` and not those of ``assigned``,
    the learner's own: a copied notebook, or an id typed wrong. The notebook's check and the grader
    say it in the same words."""
    name = assigned.skeleton_path
    mistake = Mistake(
        ANOTHER_VARIANT,
        f'Your {name} does another task than yours: it passes every test case of the task "{solved.variant}" '
        f'({solved.variant_title}), and your task is "{assigned.variant}" ({assigned.variant_title}). Each '
        f"learner has a task of their own: `checks.{assigned.name}.task()` shows yours, in a notebook whose "
        "first cell has your id. Was the notebook someone else's, or your id typed wrong?",
    )
    return Outcome(assigned.name, Status.INCORRECT, mistake.message, mistake.key)
