"""Observe: each graded file run in a sandbox, and its exercises observed there (``grader/sandbox/``).

The sandbox runs the notebook's cells (or, when none of its exercises needs the whole notebook, only
what defining their answers needs), then each exercise's ``observe_all`` on the cases, and gives back
plain data: what it observed, or why it could not. Nothing here reaches a verdict (``mark.py`` does).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from checks.learner_work import needed_source
from grader.course import withholding
from grader.course.graded import Course
from grader.pipeline.progress import Progress
from grader.pipeline.read import Notebook
from grader.sandbox.isolation.limits import Limits
from grader.sandbox.pool import Usage, opened
from grader.sandbox.runs import Run

#: The repository: the code the sandboxes import is copied from it, without solutions.
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Observed:
    runs: dict  # file name -> Run: what the sandbox observed of it
    usage: Usage  # how the sandboxes went


class Observe:
    """Each file of ``graded_on`` run in a sandbox and its exercises observed (each file is then done)."""

    def run(
        self,
        course: Course,
        notebooks: dict[str, Notebook],
        graded_on: dict,
        cases: dict,
        limits: Limits,
        jobs: int | None,
        sandboxed: bool,
        run_as: str | None,
        progress: Progress,
    ) -> Observed:
        runs = {name: run_of(name, notebooks[name], exercises) for name, exercises in graded_on.items()}
        if not runs:
            return Observed({}, Usage(0, None, 0, False))
        jobs = min(jobs or os.cpu_count() or 1, len(runs))  # no more sandboxes than notebooks

        def place_code(folder: Path):  # checks/ and grader/ without solutions, for the sandboxes to import
            return course.workload(withholding.sandbox_code(folder, ROOT))

        with opened(place_code, cases, limits, jobs, sandboxed, run_as) as pool:
            progress.say("grading: starting the sandboxes (TensorFlow is imported once in each) ...")
            pool.run_all(list(runs.values()), lambda run: progress.advance(run.name))
            return Observed(runs, pool.usage())


def run_of(name: str, notebook: Notebook, exercises) -> Run:
    """What the sandbox is given of a file: the cells to run and the exercises to observe."""
    return Run(
        name=name,
        cells=cells_to_run(notebook, exercises),
        first_lines={cell.number: cell.first_line for cell in notebook.cells},
        notes=list(notebook.notes),
        tasks=tuple(task.variant_id for ex in exercises for task in ex.tasks()),  # every variant handed out
    )


def cells_to_run(notebook: Notebook, exercises) -> list:
    """[(number, source)]: the notebook's code cells, or, when none of its exercises needs the whole
    notebook, each cut down to what defining their answers needs (cells left empty are not run)."""
    cells = [(cell.number, cell.source) for cell in notebook.cells]
    if any(ex.exercise.needs_the_whole_notebook for ex in exercises):
        return cells
    cut = needed_source([source for _, source in cells], [ex.answer_name for ex in exercises])
    return [(number, source) for (number, _), source in zip(cells, cut) if source.strip()]
