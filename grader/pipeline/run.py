"""Grading a batch of submitted files end to end: read them, run them, judge them."""
from __future__ import annotations

import pwd
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader import assignment, verdicts
from grader.progress import Progress
from grader.results import SubmissionResult
from grader.sandbox.attempt import Run
from grader.sandbox.isolation.processes import become_subreaper, kill_strays, reap_exited
from grader.sandbox.pool import Limits, Pool
from grader.submissions import Rejected, read_submission


@dataclass(frozen=True)
class Batch:
    results: list[SubmissionResult]
    seconds: float
    jobs: int
    startup_seconds: float | None
    server_restarts: int
    cases_line: str       # which cases were judged
    sandbox_line: str     # what kept submissions in their place

    def info(self) -> dict:
        """What results.json says about the run as a whole."""
        return {"cases": self.cases_line, "sandbox": self.sandbox_line}


def cases_line(cases: dict, secret_given: bool) -> str:
    counts = []
    for name, listed in cases.items():
        hidden = sum(1 for case in listed if case.get("hidden"))
        counts.append(f"{name} {len(listed) - hidden}" + (f" + {hidden} hidden" if hidden else ""))
    which = ("public and hidden cases (drawn from the secret)" if secret_given else
             "public cases only (no secret given: --secret-file or GRADE_SECRET adds hidden ones)")
    return f"Judged on {which}: " + ", ".join(counts) + "."


def sandbox_line(sandboxed: bool, cgroups: bool, run_as: str | None = None) -> str:
    if run_as is not None:
        return (f"Sandbox: none (bubblewrap cannot run here); submissions ran as the unprivileged user {run_as}, "
                "the grader's files read-only to it.")
    if not sandboxed:
        return ("WARNING: graded WITHOUT a sandbox (--unsafe-no-sandbox): submissions could read and change "
                "anything this user can, open connections and signal other processes.")
    memory = ("a cgroup per worker" if cgroups else
              "per-process limits, with the grader adding up each submission's memory")
    return f"Sandbox: bubblewrap, one per worker; memory bounded by {memory}."


def _runs(submissions: list[tuple[str, Path]], results: dict, progress: Progress) -> list[Run]:
    runs = []
    for name, path in submissions:
        notebook = read_submission(path)
        if isinstance(notebook, Rejected):
            results[name] = verdicts.rejected(name, notebook)
            progress.advance(name)
            continue
        runs.append(Run(name=name, cells=[(c.number, c.source) for c in notebook.cells],
                        first_lines={c.number: c.first_line for c in notebook.cells}, notes=list(notebook.notes)))
    return runs


def grade(submissions: list[tuple[str, Path]], limits: Limits | None = None, jobs: int | None = None,
          show_progress: bool = True, sandboxed: bool = True, secret: str | None = None,
          run_as: str | None = None) -> Batch:
    """Grade ``submissions`` [(name, path)]; raises SandboxUnavailable if nothing could run. ``run_as``:
    without a sandbox, the unprivileged user the submissions run as (only root can ask for it)."""
    started = time.monotonic()
    progress = Progress(len(submissions), enabled=show_progress)
    cases = assignment.all_cases(secret)  # computed here, kept here: they go into sandboxes, never back
    results: dict[str, SubmissionResult] = {}
    workdir = Path(tempfile.mkdtemp(prefix="grader-"))
    if not sandboxed:  # no PID namespace: what a submission leaves behind becomes ours to end
        become_subreaper()
    user = pwd.getpwnam(run_as) if run_as is not None else None
    pool = Pool(workdir, limits, jobs, sandboxed=sandboxed, cases=cases,
                run_as=(user.pw_uid, user.pw_gid) if user is not None else None)
    try:
        runs = _runs(submissions, results, progress)
        if runs:
            progress.say("grading: starting the sandboxes (TensorFlow is imported once in each) ...")

            def finished(run: Run) -> None:
                results[run.name] = verdicts.judge(run, cases)
                progress.advance(run.name)

            pool.run_all(runs, finished)
    finally:
        progress.finish()
        pool.close()
        if not sandboxed:
            kill_strays(keep=set())
            reap_exited()
        shutil.rmtree(workdir, ignore_errors=True)
    slots = pool.slots
    return Batch([results[name] for name, _ in submissions], time.monotonic() - started, pool.jobs,
                 slots.startup_seconds, max(0, slots.starts - pool.jobs), cases_line(cases, bool(secret)),
                 sandbox_line(sandboxed, slots.cgroups, run_as))
