"""The instructor's choices for a graded class, read from ``classroom.toml`` (at the repository's top,
or at the top of the Gradescope autograder's source folder).

    from grader.course import classroom
    room = classroom.load()          # or load(path); a missing file gives the course's defaults
    course = room.course()           # the graded copies of the exercises, with the points chosen here
    room.choices["forward"].hints    # how many hint levels the release keeps

Per exercise: ``points`` and ``partial_credit`` (the grader), ``hints`` and ``solution`` (the release
builder). Under ``[assignments]``, ``mode``: each notebook its own assignment ("per-notebook") or the
course as one ("course"). Under ``[variants]``, whether each learner gets a task of their own
(``checks.allocation`` reads it; off unless ``enabled = true``). Anything the file leaves out keeps
the exercise's declaration, every hint level, a withheld solution and one task for all. A file that
says something the course cannot do (an unknown exercise or key, a value of the wrong kind) stops with
one sentence naming the file and what is wrong. The exercises themselves are never changed: the
choices live in the copies ``course()`` makes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import checks
from checks import allocation as allocating
from checks import fingerprints, registry
from grader.course.graded import Course, GradedExercise

#: Where the grader and the release builder look unless told otherwise.
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "classroom.toml"
SOLUTION_STATES = ("withheld", "published")
GRADING_KEYS = ("points", "partial_credit")
KEYS = (*GRADING_KEYS, "hints", "solution")
MODES = ("per-notebook", "course")


class ClassroomError(ValueError):
    """classroom.toml says something the course cannot do; the message says what, in one sentence."""


@dataclass(frozen=True)
class Choices:
    points: float
    partial_credit: bool
    hints: int  # how many of the exercise's hint levels the release keeps
    solution_published: bool


@dataclass(frozen=True)
class Classroom:
    source: Path | None  # the file read, or None when there was none
    choices: dict  # exercise name -> Choices, for every exercise of checks.EXERCISES
    mode: str = MODES[0]  # "per-notebook" or "course"
    allocation: allocating.Allocation | None = None  # whose variant is whose, or None: one task for all

    @property
    def released(self) -> Path:
        """Where ``make release`` records the class's variants as released: beside classroom.toml."""
        return (self.source or DEFAULT_PATH).with_name(fingerprints.RELEASED_NAME)

    def variant_changes(self) -> list[str] | None:
        """What changed in the variants handed out since the release (one sentence each; empty: nothing),
        or None when there is no release's record to compare with. Empty without variants."""
        if self.allocation is None:
            return []
        recorded = fingerprints.read(self.released)
        return None if recorded is None else fingerprints.changes(recorded, self.allocation)

    def course(self, exercises: dict | None = None) -> Course:
        """What the grader grades: a graded copy of each graded exercise, with this class's points."""
        exercises = checks.EXERCISES if exercises is None else exercises
        offered = self.allocation.offered if self.allocation is not None else {}
        graded = [
            GradedExercise(
                ex,
                self.choices[name].points,
                self.choices[name].partial_credit,
                tuple(registry.VARIANTS[name][key] for key in offered.get(name, ()) if key != ex.variant),
            )
            for name, ex in exercises.items()
            if ex.graded
        ]
        return Course(tuple(graded), per_notebook=self.mode == "per-notebook", allocation=self.allocation)

    def with_solutions_published(self) -> Classroom:
        """The same class, every solution published (the release made once grading is done)."""
        return self._every_solution(published=True)

    def with_solutions_hidden(self) -> Classroom:
        """The same class, no solution published (the autograder never needs one)."""
        return self._every_solution(published=False)

    def _every_solution(self, published: bool) -> Classroom:
        return replace(
            self, choices={name: replace(c, solution_published=published) for name, c in self.choices.items()}
        )


def defaults(exercise) -> Choices:
    return Choices(
        points=float(exercise.points),
        partial_credit=bool(exercise.partial_credit),
        hints=len(exercise.hints),
        solution_published=False,
    )


def load(path: Path | str | None = None, exercises: dict | None = None) -> Classroom:
    """The choices in ``path`` (default: classroom.toml beside checks/ and grader/), over the defaults."""
    exercises = checks.EXERCISES if exercises is None else exercises
    path = DEFAULT_PATH if path is None else Path(path)
    if not path.is_file():
        return Classroom(None, {name: defaults(ex) for name, ex in exercises.items()})
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ClassroomError(f"{path} is not valid TOML: {exc}.") from None
    unknown_tables = sorted(set(document) - {"exercises", "assignments", "variants"})
    if unknown_tables:
        raise ClassroomError(
            f"{path}: unknown section {unknown_tables[0]!r}; the sections are [assignments], [exercises.<name>] "
            "and [variants]."
        )
    given = document.get("exercises", {})
    for name in given:
        if name not in exercises:
            raise ClassroomError(
                f"{path}: there is no exercise named {name!r}{_did_you_mean(name, exercises)}; "
                f"the course's exercises are {', '.join(exercises)}."
            )
    families = {name: tuple(registry.VARIANTS.get(name, {ex.variant: ex})) for name, ex in exercises.items()}
    try:
        allotting = allocating.from_table(document.get("variants", {}), families, str(path))
    except allocating.AllocationError as exc:
        raise ClassroomError(str(exc)) from None
    if allotting is not None:  # a copy of the course a release made (a GitHub template) records moved learners
        allotting = allotting.with_moved(allocating.read_record())
    return Classroom(
        path,
        {name: _choices(path, exercises[name], given.get(name, {})) for name in exercises},
        _mode(path, document.get("assignments", {})),
        allotting,
    )


def _mode(path: Path, table) -> str:
    where = f"{path}, [assignments]"
    if not isinstance(table, dict):
        raise ClassroomError(f"{where} must be a table with the key mode.")
    for key in table:
        if key != "mode":
            raise ClassroomError(f"{where}: unknown key {key!r}; the only key is mode.")
    mode = table.get("mode", MODES[0])
    if mode not in MODES:
        raise ClassroomError(f'{where}: mode must be "per-notebook" or "course"; it is {mode!r}.')
    return mode


def _choices(path: Path, exercise, table) -> Choices:
    where = f"{path}, [exercises.{exercise.name}]"
    if not isinstance(table, dict):
        raise ClassroomError(f"{where} must be a table of keys ({', '.join(KEYS)}).")
    for key in table:
        if key not in KEYS:
            raise ClassroomError(
                f"{where}: unknown key {key!r}{_did_you_mean(key, KEYS)}; the keys are {', '.join(KEYS)}."
            )
        if key in GRADING_KEYS and not exercise.graded:
            raise ClassroomError(f"{where}: {exercise.name} is practice, never graded, so {key!r} does not apply.")
    choices = defaults(exercise)
    if "points" in table:
        points = table["points"]
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            raise ClassroomError(f"{where}: points must be a number, 0 or more; it is {points!r}.")
        choices = replace(choices, points=float(points))
    if "partial_credit" in table:
        if not isinstance(table["partial_credit"], bool):
            raise ClassroomError(f"{where}: partial_credit must be true or false; it is {table['partial_credit']!r}.")
        choices = replace(choices, partial_credit=table["partial_credit"])
    if "hints" in table:
        hints, levels = table["hints"], len(exercise.hints)
        if isinstance(hints, bool) or not isinstance(hints, int) or not 0 <= hints <= levels:
            raise ClassroomError(
                f"{where}: hints is how many of the exercise's {levels} hint levels learners get, "
                f"0 to {levels}; it is {hints!r}."
            )
        choices = replace(choices, hints=hints)
    if "solution" in table:
        if table["solution"] not in SOLUTION_STATES:
            raise ClassroomError(f'{where}: solution must be "withheld" or "published"; it is {table["solution"]!r}.')
        choices = replace(choices, solution_published=table["solution"] == "published")
    return choices


def _did_you_mean(word: str, candidates) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
