"""What the sandbox learns of a submission: the data both the pool (which fills it in) and the
grader's marking (which reads it) share, and ``Unjudged``, the words for why there is no verdict (the
grader's vocabulary, ``grader/results.py``, takes it from here: the sandbox imports nothing of the
course). Plain records, no behaviour."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Unjudged(str, enum.Enum):
    """Why there is no verdict, on one exercise or on a whole submission."""

    TIMED_OUT = "timed out"
    CRASHED = "crashed"
    INTERFERED = "interfered"
    NOT_GRADED = "not graded"
    NOT_A_NOTEBOOK = "not a notebook"

    @property
    def heading(self) -> str:
        return _HEADINGS[self][0]

    @property
    def icon(self) -> str:
        return _HEADINGS[self][1]

    @property
    def key(self) -> str:
        return self.value.replace(" ", "-")


#: Each with a symbol that DejaVu Sans (the fallback font of most Linux desktops) has, so none shows as
#: an empty box; a symbol always comes with its word.
_HEADINGS = {
    Unjudged.TIMED_OUT: ("Timed out", "\u25f7"),
    Unjudged.CRASHED: ("Crashed", "\u26a1"),
    Unjudged.INTERFERED: ("Not graded: it interfered with the grader", "\u2298"),
    Unjudged.NOT_GRADED: ("Not graded", "\u2014"),
    Unjudged.NOT_A_NOTEBOOK: ("Not a notebook", "\u2014"),
}


@dataclass
class ExerciseRun:
    """What observing one exercise gave: a report (plain data), or why there is none."""

    report: dict | None = None
    changed: list = field(default_factory=list)  # guarded names the learner's code replaced meanwhile
    failure: Unjudged | None = None  # TIMED_OUT, CRASHED or INTERFERED
    detail: str = ""


@dataclass
class Run:
    """One submission through the sandbox, over all its attempts."""

    name: str
    cells: list  # [(number, source)]
    first_lines: dict  # number -> first line as written
    exercises: dict = field(default_factory=dict)  # name -> ExerciseRun
    tasks: tuple = ()  # the exercises to observe, by name
    status: Unjudged | None = None  # None: run to the end; else TIMED_OUT, CRASHED or INTERFERED
    detail: str = ""
    cell_errors: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # cell number -> why it was skipped
    notes: list = field(default_factory=list)  # for the instructor
    output_characters: int = 0
    attempts: int = 0
    server_deaths: int = 0  # slot servers this submission's attempts ended
    seconds: float = 0.0
