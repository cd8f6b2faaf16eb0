"""The steps a batch goes through, in order (``STEPS``), each a small class with one ``run(batch)``.

Read       read each file into its code cells, without running anything (``read.py``)
Recognise  which notebook each file is, whose it is, and which files are graded: the newest of a
           learner's copies of an assignment (a notebook beats a file that is not one)
Expect     the cases (public, and hidden ones from the secret) and what the reference solutions
           give on them, worked out outside every sandbox (``grader/course/expected.py``)
Observe    run each graded file in a sandbox and observe its exercises (``grader/sandbox/``)
Mark       each file's result, from what was observed (``mark.py``)
Combine    one row per learner and assignment: a notebook's, or, with the course graded as one
           assignment, every notebook of the learner's together
"""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from checks import record
from checks.learner_work import needed_source
from checks.outcome import Status
from grader.course import expected, recognise, withholding
from grader.course.graded import WHOLE_COURSE
from grader.pipeline import mark
from grader.pipeline.learners import identify
from grader.pipeline.read import Rejected, read_submission
from grader.results import ExerciseResult, SubmissionResult, Unjudged
from grader.sandbox.isolation.processes import become_subreaper, kill_strays, reap_exited
from grader.sandbox.pool import Pool
from grader.sandbox.runs import Run

NOT_RECOGNISED = "not recognised"


@dataclass
class Unit:
    """What gets one row: a learner's copy of one assignment (a notebook, or the whole course)."""

    learner: str
    label: str
    assignment: str  # a notebook's name, "course", or NOT_RECOGNISED
    files: dict = field(default_factory=dict)  # notebook -> the file graded for it
    set_aside: list = field(default_factory=list)  # the learner's other files for it
    late: bool = False


class Read:
    def run(self, batch) -> None:
        for name, path in batch.submissions:
            notebook = read_submission(path)
            if isinstance(notebook, Rejected):
                batch.results[name] = mark.rejected(name, notebook, ())
                batch.progress.advance(name)
            else:
                batch.notebooks[name] = notebook


class Recognise:
    def run(self, batch) -> None:
        course = batch.course
        units: dict[tuple, Unit] = {}
        candidates: dict[tuple, list] = {}
        found = {
            name: recognise.notebook_of(
                course, name, [cell.source for cell in batch.notebooks[name].cells] if name in batch.notebooks else []
            )  # by its name alone, if no notebook
            for name, _ in batch.submissions
        }
        # A batch of one notebook's copies (an LMS assignment's download), or a course of one graded notebook:
        # a file that shows no notebook (unreadable, or its exercises deleted) is a copy of that one.
        known = set(found.values()) - {None}
        sole = course.notebooks()[0] if len(course.notebooks()) == 1 else (known.pop() if len(known) == 1 else None)
        for name, _ in batch.submissions:
            who = identify(name)
            learner, label, order, late = f"{who.lms or 'file'}:{who.learner}", who.label, who.order, who.late
            notebook = batch.notebooks.get(name)
            which = found[name] or sole
            if notebook is not None and which is None:
                assignment, key = NOT_RECOGNISED, (name, NOT_RECOGNISED)
            elif course.per_notebook:
                assignment = which
                key = (learner, which) if which else (learner, None)
            else:
                assignment, key = WHOLE_COURSE, (learner, WHOLE_COURSE)
            unit = units.setdefault(key, Unit(learner, label if which else name, assignment or NOT_RECOGNISED))
            unit.late = unit.late or late
            # The newest copy wins: a notebook before a file that is none, one whose content shows the
            # notebook before one only taken for it, the LMS's order, then a file named as the notebook it
            # is before another name, then a later copy ("x (1).ipynb").
            rank = (notebook is not None, found[name] is not None, order[0], bool(which) and which in name, order)
            candidates.setdefault(key, []).append((rank, name, which))
        for key, unit in units.items():
            if key[1] is None:  # a learner's files that are no notebook: join their notebooks' unit
                home = next(
                    (
                        other
                        for (learner, _), other in units.items()
                        if learner == key[0] and other.assignment not in ("", NOT_RECOGNISED)
                    ),
                    None,
                )
                if home is not None:
                    home.set_aside += [name for _, name, _ in candidates[key]]
                    continue
            chosen: dict = {}
            for _, name, which in sorted(candidates[key], reverse=True):
                slot = which or ""
                if slot in chosen:
                    unit.set_aside.append(name)
                else:
                    chosen[slot] = name
            unit.files = chosen
            batch.units.append(unit)
        for unit in batch.units:
            for notebook, name in unit.files.items():
                if name in batch.notebooks and unit.assignment != NOT_RECOGNISED:
                    batch.graded_on[name] = course.in_notebook(notebook)
            for name in unit.set_aside:
                batch.progress.advance(name)


class Expect:
    def run(self, batch) -> None:
        wanted = {ex.name for exercises in batch.graded_on.values() for ex in exercises}
        course = batch.course.only(wanted)
        batch.cases = course.cases(batch.secret)  # computed here, kept here: they go into sandboxes, never back
        batch.expected = expected.expected_results(course, batch.cases)


class Observe:
    def run(self, batch) -> None:
        runs = [
            Run(
                name=name,
                cells=cells_to_run(batch.notebooks[name], exercises),
                first_lines={c.number: c.first_line for c in batch.notebooks[name].cells},
                notes=list(batch.notebooks[name].notes),
                tasks=tuple(ex.name for ex in exercises),
            )
            for name, exercises in batch.graded_on.items()
        ]
        batch.runs = runs
        if not runs:
            return
        workdir = Path(tempfile.mkdtemp(prefix="grader-"))
        code = Path(tempfile.mkdtemp(prefix="grader-code-"))  # the grader's alone, read-only to submissions
        if not batch.sandboxed:  # no PID namespace: what a submission leaves behind becomes ours to end
            become_subreaper()
        user = pwd.getpwnam(batch.run_as) if batch.run_as is not None else None
        try:
            code.chmod(0o755)
            withholding.sandbox_code(code, Path(__file__).resolve().parents[2])
            jobs = min(batch.jobs or os.cpu_count() or 1, len(runs))  # no more sandboxes than notebooks
            pool = Pool(
                workdir,
                batch.course.workload(code),
                batch.cases,
                batch.limits,
                jobs,
                sandboxed=batch.sandboxed,
                run_as=(user.pw_uid, user.pw_gid) if user is not None else None,
            )
            try:
                batch.progress.say("grading: starting the sandboxes (TensorFlow is imported once in each) ...")

                def finished(run: Run) -> None:
                    batch.results[run.name] = mark.mark(run, batch.graded_on[run.name], batch.cases, batch.expected)
                    batch.progress.advance(run.name)

                pool.run_all(runs, finished)
            finally:
                pool.close()
                batch.jobs_used, batch.cgroups = pool.jobs, pool.slots.cgroups
                batch.startup_seconds = pool.slots.startup_seconds
                batch.server_restarts = max(0, pool.slots.starts - pool.jobs)
        finally:
            if not batch.sandboxed:
                kill_strays(keep=set())
                reap_exited()
            shutil.rmtree(workdir, ignore_errors=True)
            shutil.rmtree(code, ignore_errors=True)


def cells_to_run(notebook, exercises) -> list:
    """[(number, source)]: the notebook's code cells, or, when none of its exercises needs the whole
    notebook, each cut down to what defining their answers needs (cells left empty are not run)."""
    cells = [(cell.number, cell.source) for cell in notebook.cells]
    if any(ex.exercise.needs_the_whole_notebook for ex in exercises):
        return cells
    cut = needed_source([source for _, source in cells], [ex.answer_name for ex in exercises])
    return [(number, source) for (number, _), source in zip(cells, cut) if source.strip()]


class Mark:
    """Files that were read but are graded on nothing: a notebook that is none of the course's."""

    def run(self, batch) -> None:
        notebooks = ", ".join(f"{notebook}.ipynb" for notebook in batch.course.notebooks())
        for unit in batch.units:
            if unit.assignment != NOT_RECOGNISED:
                continue
            for name in unit.files.values():
                if name not in batch.notebooks:  # no notebook at all: its row says so already
                    continue
                batch.results[name] = SubmissionResult(
                    name,
                    Unjudged.NOT_GRADED,
                    f"This notebook is none of the course's graded notebooks ({notebooks}): "
                    "it holds none of their exercises' check cells or answers, so nothing in it was graded.",
                    files=(name,),
                )
                batch.progress.advance(name)


class Combine:
    def run(self, batch) -> None:
        for unit in batch.units:
            batch.rows.append(self.row(batch, unit))

    def row(self, batch, unit: Unit) -> SubmissionResult:
        files = list(unit.files.values())
        common = dict(learner=unit.learner, assignment=unit.assignment, set_aside=tuple(unit.set_aside), late=unit.late)
        common["record"] = record.merged(
            {notebook: batch.notebooks[name].record for notebook, name in unit.files.items() if name in batch.notebooks}
        )
        if unit.assignment != WHOLE_COURSE:
            result = batch.results[files[0]]
            if not result.tests and unit.assignment in batch.course.notebooks():  # a file that is no notebook
                common["tests"] = tuple(
                    mark.not_graded(ex, result.message) for ex in batch.course.in_notebook(unit.assignment)
                )
            return SubmissionResult(**{**result.__dict__, **common})
        tests, problems, notes, seconds = [], [], [], 0.0
        for notebook in batch.course.notebooks():
            name = unit.files.get(notebook)
            if name is None:
                tests += [_absent(ex, notebook) for ex in batch.course.in_notebook(notebook)]
                continue
            result = batch.results[name]
            tests += list(result.tests) or [
                _absent(ex, notebook, result.message) for ex in batch.course.in_notebook(notebook)
            ]
            problems += [f"{notebook}: {p}" for p in result.problems]
            notes += [f"{name}: {n}" for n in result.notes]
            seconds += result.seconds
        readable = [name for name in files if name in batch.notebooks]
        # named by a file of the learner's, whose name carries the LMS's ids for the gradebook
        return SubmissionResult(
            files[0] if files else unit.label,
            None if readable else Unjudged.NOT_A_NOTEBOOK,
            "" if readable else "None of the files handed in is a notebook.",
            tuple(tests),
            tuple(problems),
            tuple(notes),
            seconds,
            files=tuple(files),
            **common,
        )


def _absent(ex, notebook: str, why: str = "") -> ExerciseResult:
    message = f"No copy of {notebook}.ipynb was graded" + (f": {why}" if why else ": none was handed in.")
    return ExerciseResult(ex.name, 0.0, ex.points, Status.NOT_ATTEMPTED, message, Status.NOT_ATTEMPTED.key)


STEPS = (Read, Recognise, Expect, Observe, Mark, Combine)
