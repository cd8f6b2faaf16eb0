"""Grading a batch of submitted files end to end: find them, read them, run them, judge them."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from checks.grade import grading
from checks.grade.notebook_code import Rejected, read_submission
from checks.grade.progress import Progress
from checks.grade.sandbox import Limits, Run, Sandbox

#: The course's solution notebooks: sandboxes never see them where the system allows hiding.
SOLUTIONS = Path(__file__).resolve().parent.parent.parent / "solutions"
#: Not submissions: what operating systems and Jupyter leave in folders.
_IGNORED = {"__MACOSX", ".ipynb_checkpoints", ".DS_Store", "Thumbs.db", "desktop.ini"}


class NothingToGrade(Exception):
    pass


@dataclass
class Batch:
    results: list
    seconds: float
    jobs: int
    startup_seconds: float | None
    server_restarts: int
    hidden: bool | None  # whether sandboxes could be kept from seeing the folders to hide


def find_submissions(path: Path) -> list[tuple[str, Path]]:
    """Every file to grade, named as found: the file's name, or its path inside the folder."""
    if not path.exists() and not path.is_symlink():
        raise NothingToGrade(f"{path} does not exist.")
    if not path.is_dir():
        return [(path.name, path)]
    found = []
    for folder, subfolders, files in os.walk(path):  # does not follow symlinked folders
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in _IGNORED)
        for file in sorted(files):
            if not file.startswith(".") and file not in _IGNORED:
                item = Path(folder) / file
                found.append((item.relative_to(path).as_posix(), item))
    if not found:
        raise NothingToGrade(f"{path} holds no files to grade.")
    return found


def grade(submissions: list[tuple[str, Path]], limits: Limits | None = None, jobs: int | None = None,
          show_progress: bool = True, own_process: bool = False, on_result=None,
          hide: list | None = None) -> Batch:
    """Grade ``submissions`` [(name, path)]; raises SandboxUnavailable if nothing could run.
    ``hide``: folders the sandboxes must not see, besides solutions/ and the submissions' folders."""
    started = time.monotonic()
    progress = Progress(len(submissions), enabled=show_progress)
    results: dict[str, grading.SubmissionResult] = {}
    runs = []
    for name, path in submissions:
        notebook = read_submission(path)
        if isinstance(notebook, Rejected):
            results[name] = grading.rejected(name, notebook)
            continue
        runs.append(Run(name=name, cells=[(c.number, c.source) for c in notebook.cells],
                        first_lines={c.number: c.first_line for c in notebook.cells}, notes=list(notebook.notes)))
    workdir = Path(tempfile.mkdtemp(prefix="checks-grade-"))
    folders = [SOLUTIONS, *{(p if p.is_dir() else p.parent) for _, p in submissions}, *(hide or [])]
    sandbox = Sandbox(workdir, limits, jobs, own_process=own_process, hide=[str(f) for f in folders])
    try:
        for name in list(results):
            progress.advance(name)
            if on_result:
                on_result(results[name])
        if runs:
            progress.say("grading: starting the sandbox (TensorFlow is imported once, here) ...")
            sandbox.start()

            def finished(run: Run) -> None:
                results[run.name] = grading.judge(run, sandbox.cases)
                progress.advance(run.name)
                if on_result:
                    on_result(results[run.name])

            sandbox.run_all(runs, finished)
    finally:
        progress.finish()
        sandbox.close()
        shutil.rmtree(workdir, ignore_errors=True)
    ordered = [results[name] for name, _ in submissions]
    return Batch(ordered, time.monotonic() - started, sandbox.jobs, sandbox.startup_seconds,
                 max(0, sandbox.server_starts - 1), sandbox.hidden)
