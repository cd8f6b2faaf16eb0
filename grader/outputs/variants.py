"""Each learner their own task, as the instructor reads it: each task's pass rate among the learners it
was allotted to, the exercises whose tasks' rates differ by more than ``UNEVEN`` points (one task may be
harder, or broken), and the possible copies: answers that fail their learner's own task and do another.

It reads results.json's rows (dicts: the report) or ``SubmissionGrade`` rows (the summary) alike: a
test's ``variant`` and ``solves`` (``extra_data``'s in results.json). Without variants there is nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.results import SubmissionGrade

#: Tasks of one exercise whose pass rates differ by more than this many points are flagged.
UNEVEN = 10


@dataclass(frozen=True)
class TaskRate:
    exercise: str
    variant: str
    learners: int
    passed: int

    @property
    def rate(self) -> float:
        return 100 * self.passed / self.learners if self.learners else 0.0


@dataclass(frozen=True)
class PossibleCopy:
    submission: str
    learner: str
    exercise: str
    solves: str  # the task the answer does
    own: str  # the task allotted to its learner


def _tests(row) -> list[dict]:
    """A row's tests as plain dicts: name, passed, variant, solves."""
    if isinstance(row, SubmissionGrade):
        return [{"name": t.name, "passed": t.passed, "variant": t.variant, "solves": t.solves} for t in row.tests]
    found = []
    for test in row.get("tests", []):
        extra = test.get("extra_data") or {}
        passed = extra.get("result", test.get("status")) == "passed"
        variant, solves = extra.get("variant", ""), extra.get("solves", "")
        found.append({"name": test["name"], "passed": passed, "variant": variant, "solves": solves})
    return found


def _field(row, name: str) -> str:
    return str(getattr(row, name, "") if isinstance(row, SubmissionGrade) else row.get(name, ""))


def task_rates(rows) -> list[TaskRate]:
    """Each task's learners and passes, by exercise, in the order they first appear (tasks by key)."""
    counts: dict[tuple, list] = {}
    for row in rows:
        for test in _tests(row):
            if test["variant"]:
                tally = counts.setdefault((test["name"], test["variant"]), [0, 0])
                tally[0] += 1
                tally[1] += bool(test["passed"])
    order = {name: i for i, name in enumerate(dict.fromkeys(name for name, _ in counts))}
    ordered = sorted(counts.items(), key=lambda item: (order[item[0][0]], item[0][1]))
    return [TaskRate(name, variant, learners, passed) for (name, variant), (learners, passed) in ordered]


def uneven(rates: list[TaskRate]) -> dict[str, float]:
    """Exercise -> how many points its tasks' pass rates span, where that is more than ``UNEVEN``."""
    spans: dict[str, list] = {}
    for rate in rates:
        spans.setdefault(rate.exercise, []).append(rate.rate)
    return {name: max(r) - min(r) for name, r in spans.items() if len(r) > 1 and max(r) - min(r) > UNEVEN}


def possible_copies(rows) -> list[PossibleCopy]:
    """Every answer that failed its learner's own task and does another one handed out."""
    return [
        PossibleCopy(_field(row, "submission"), _field(row, "learner"), t["name"], t["solves"], t["variant"])
        for row in rows
        for t in _tests(row)
        if t["solves"]
    ]


def summary_lines(rows: list[SubmissionGrade]) -> list[str]:
    """What the end-of-run summary says of the tasks, when the class hands out variants."""
    rates = task_rates(rows)
    if not rates:
        return []
    by_exercise: dict[str, list] = {}
    for rate in rates:
        by_exercise.setdefault(rate.exercise, []).append(
            f"{rate.variant} {rate.passed}/{rate.learners} ({rate.rate:.0f}%)"
        )
    passed = "; ".join(f"{name}: {', '.join(tasks)}" for name, tasks in by_exercise.items())
    lines = [f"Each learner's own task, passed: {passed}."]
    lines += [
        f"{name}: its tasks' pass rates differ by {span:.0f} points (more than {UNEVEN}): is one task harder?"
        for name, span in uneven(rates).items()
    ]
    copies = possible_copies(rows)
    if copies:
        lines.append(
            f"Possible copies ({len(copies)}), an answer doing another learner's task: "
            + "; ".join(f'{c.submission} ({c.exercise}: does "{c.solves}", theirs is "{c.own}")' for c in copies[:20])
            + (" ..." if len(copies) > 20 else "")
            + "."
        )
    return lines
