"""What the sandbox learns of a submission: the data both the pool (which fills it in) and the
grader's marking (which reads it) share. Plain records, no behaviour."""
from __future__ import annotations

from dataclasses import dataclass, field

from grader.results import Unjudged


@dataclass
class ExerciseRun:
    """What observing one exercise gave: a report (plain data), or why there is none."""
    report: dict | None = None
    changed: list = field(default_factory=list)  # guarded names the learner's code replaced meanwhile
    failure: Unjudged | None = None              # TIMED_OUT, CRASHED or INTERFERED
    detail: str = ""


@dataclass
class Run:
    """One submission through the sandbox, over all its attempts."""
    name: str
    cells: list                      # [(number, source)]
    first_lines: dict                # number -> first line as written
    exercises: dict = field(default_factory=dict)   # name -> ExerciseRun
    tasks: tuple = ()                # the exercises to observe, by name
    status: Unjudged | None = None   # None: run to the end; else TIMED_OUT, CRASHED or INTERFERED
    detail: str = ""
    cell_errors: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)     # cell number -> why it was skipped
    notes: list = field(default_factory=list)       # for the instructor
    output_characters: int = 0
    attempts: int = 0
    server_deaths: int = 0           # slot servers this submission's attempts ended
    seconds: float = 0.0
