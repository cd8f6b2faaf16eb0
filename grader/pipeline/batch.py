"""Grading a batch of submitted files end to end: the state the steps share, and the run of the steps.

``grade(course, submissions, ...)`` passes one ``Batch`` through ``steps.STEPS`` in order and returns
what the outputs are written from (``grader.results.Grading``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.results import Grading
from grader.sandbox.isolation.limits import Limits


@dataclass
class Batch:
    """What the steps read and fill in, one batch of files."""

    course: object  # grader.course.graded.Course
    submissions: list  # [(name, path)]
    secret: str | None = None
    limits: Limits = field(default_factory=Limits)
    jobs: int | None = None
    sandboxed: bool = True
    run_as: str | None = None  # without a sandbox: the unprivileged user submissions run as
    progress: object = field(default_factory=lambda: Quiet())  # what the steps report progress to
    # filled in by the steps
    notebooks: dict = field(default_factory=dict)  # file name -> grader.pipeline.read.Notebook
    results: dict = field(default_factory=dict)  # file name -> SubmissionResult (read, then marked)
    units: list = field(default_factory=list)  # steps.Unit: what gets one row each
    graded_on: dict = field(default_factory=dict)  # file name -> the graded exercises it is observed on
    cases: dict = field(default_factory=dict)  # exercise name -> its cases (kept here, sent into sandboxes)
    expected: dict = field(default_factory=dict)  # exercise name -> what the reference gives on its cases
    runs: list = field(default_factory=list)  # grader.sandbox.runs.Run, one per file to observe
    rows: list = field(default_factory=list)  # SubmissionResult, one per unit: the batch's outcome
    jobs_used: int = 0
    startup_seconds: float | None = None
    server_restarts: int = 0
    cgroups: bool = False


class Quiet:
    """What the steps report progress to when nobody watches."""

    def advance(self, label: str = "") -> None:
        pass

    def say(self, text: str) -> None:
        pass

    def finish(self) -> None:
        pass


def grade(
    course,
    submissions: list[tuple[str, Path]],
    limits: Limits | None = None,
    jobs: int | None = None,
    sandboxed: bool = True,
    secret: str | None = None,
    run_as: str | None = None,
    progress=None,
) -> Grading:
    """Grade ``submissions`` [(name, path)] on ``course``; raises SandboxUnavailable if nothing could
    run. ``run_as``: without a sandbox, the unprivileged user the submissions run as (root only).
    ``progress``: what the steps report to as files are done (``grader/outputs/progress.py``'s bar),
    or nothing."""
    from grader.pipeline.steps import STEPS

    started = time.monotonic()
    batch = Batch(
        course,
        list(submissions),
        secret,
        limits or Limits(),
        jobs,
        sandboxed,
        run_as,
        progress or Quiet(),
    )
    try:
        for step in STEPS:
            step().run(batch)
    finally:
        batch.progress.finish()
    return Grading(
        batch.rows,
        time.monotonic() - started,
        batch.jobs_used,
        batch.startup_seconds,
        batch.server_restarts,
        cases_line(batch.cases, bool(secret)),
        sandbox_line(sandboxed, batch.cgroups, run_as),
    )


def cases_line(cases: dict, secret_given: bool) -> str:
    counts = []
    for name, listed in cases.items():
        hidden = sum(1 for case in listed if case.get("hidden"))
        counts.append(f"{name} {len(listed) - hidden}" + (f" + {hidden} hidden" if hidden else ""))
    which = (
        "public and hidden cases (drawn from the secret)"
        if secret_given
        else "public cases only (no secret given: --secret-file or GRADE_SECRET adds hidden ones)"
    )
    return f"Judged on {which}: " + (", ".join(counts) or "no exercise was reached") + "."


def sandbox_line(sandboxed: bool, cgroups: bool, run_as: str | None = None) -> str:
    if run_as is not None:
        return (
            f"Sandbox: none (bubblewrap cannot run here); submissions ran as the unprivileged user {run_as}, "
            "the grader's files read-only to it."
        )
    if not sandboxed:
        return (
            "WARNING: graded WITHOUT a sandbox (--unsafe-no-sandbox): submissions could read and change "
            "anything this user can, open connections and signal other processes."
        )
    memory = (
        "a cgroup per worker" if cgroups else "per-process limits, with the grader adding up each submission's memory"
    )
    return f"Sandbox: bubblewrap, one per worker; memory bounded by {memory}."
