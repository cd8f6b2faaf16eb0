"""Grading a batch of submitted files end to end: the steps, listed in order, and the run that passes
each one what it takes.

A step is a small class whose ``run`` says what it takes and what it gives. It takes, by the names of
its parameters, what the batch starts from (``grade``'s arguments, ``START``) or what an earlier step
gave; it gives a small frozen dataclass whose fields later steps take by name. A step sees nothing
else, and no name is given twice (``wiring`` says where that does not hold; a test asks it).
"""

from __future__ import annotations

import dataclasses
import inspect
import time
from pathlib import Path

from grader.course.graded import Course
from grader.pipeline.combine import Combine
from grader.pipeline.expect import Expect
from grader.pipeline.mark import Mark
from grader.pipeline.observe import Observe
from grader.pipeline.progress import Progress, Quiet
from grader.pipeline.read import Read
from grader.pipeline.recognise import Recognise
from grader.pipeline.shard import Shard
from grader.results import Grading, Judged
from grader.sandbox.isolation.limits import Limits

#: The steps a batch goes through, in order.
STEPS = (Read, Recognise, Expect, Observe, Mark, Combine)
#: What a batch starts from: ``grade``'s arguments.
START = (
    "course",
    "submissions",
    "secret",
    "limits",
    "jobs",
    "sandboxed",
    "run_as",
    "handed_in_to",
    "learner",
    "shard",
    "progress",
)


def grade(
    course: Course,
    submissions: list[tuple[str, Path]],
    limits: Limits | None = None,
    jobs: int | None = None,
    sandboxed: bool = True,
    secret: str | None = None,
    run_as: str | None = None,
    progress: Progress | None = None,
    handed_in_to: str | None = None,
    learner: str | None = None,
    shard: Shard | None = None,
) -> Grading:
    """Grade ``submissions`` [(name, path)] on ``course``; raises SandboxUnavailable if nothing could
    run. ``jobs``: sandboxes at once (default: one per core). ``sandboxed`` False: no bubblewrap, and
    then ``run_as`` is the unprivileged user the submissions run as (root only). ``progress``: what
    the steps report to as files are done (``grader/outputs/progress.py``'s bar), or nothing.
    ``handed_in_to``: the notebook whose assignment the files were handed in to, when the instructor
    says; ``learner``: whose every file is, when the instructor says (``canvas:4101``; where the class hands
    out variants, each learner's are allotted by that id); ``shard``:
    grade only that part of the learners (``grader/pipeline/shard.py``)."""
    started = time.monotonic()
    progress = progress or Quiet()
    try:
        values = run(
            STEPS,
            course=course,
            submissions=list(submissions),
            secret=secret,
            limits=limits or Limits(),
            jobs=jobs,
            sandboxed=sandboxed,
            run_as=run_as,
            handed_in_to=handed_in_to,
            learner=learner,
            shard=shard,
            progress=progress,
        )
    finally:
        progress.finish()
    usage = values["usage"]
    return Grading(
        values["rows"],
        time.monotonic() - started,
        usage.jobs,
        usage.startup_seconds,
        usage.restarts,
        Judged.of(values["cases"], bool(secret), sandbox_line(sandboxed, usage.cgroups, run_as)),
    )


def run(steps, **start) -> dict:
    """Run ``steps`` in order from the values ``start`` names; every value, by name, at the end."""
    values = dict(start)
    for step in steps:
        given = step().run(**{name: values[name] for name in takes(step)})
        values.update({field.name: getattr(given, field.name) for field in dataclasses.fields(given)})
    return values


def takes(step) -> list[str]:
    """The names of what ``step`` takes: its ``run``'s parameters."""
    return list(inspect.signature(step.run).parameters)[1:]


def gives(step) -> list[str]:
    """The names of what ``step`` gives: the fields of the dataclass its ``run`` returns."""
    annotation = inspect.signature(step.run).return_annotation
    returned = step.run.__globals__[annotation] if isinstance(annotation, str) else annotation
    return [field.name for field in dataclasses.fields(returned)]


def wiring(steps=STEPS, start=START) -> list[str]:
    """What is wrong with ``steps`` as a pipeline from ``start``: a name taken before anything gave
    it, or given twice. Empty when nothing is."""
    problems, known = [], set(start)
    for step in steps:
        problems += [
            f"{step.__name__} takes {name}, which nothing before it gives" for name in takes(step) if name not in known
        ]
        problems += [f"{step.__name__} gives {name}, which is given already" for name in gives(step) if name in known]
        known.update(gives(step))
    return problems


def sandbox_line(sandboxed: bool, cgroups: bool, run_as: str | None = None) -> str:
    if run_as is not None:
        return (
            f"Sandbox: none (no bubblewrap); submissions ran as the unprivileged user {run_as}, "
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
