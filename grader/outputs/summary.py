"""What the instructor reads at the end of a run: counted by learner (the copy graded for each), with
the files set aside and the late ones listed apart."""

from __future__ import annotations

from pathlib import Path

from grader.outputs import variants
from grader.outputs.text import number, printable
from grader.results import Grading, SubmissionGrade


def summary(grading: Grading, out: Path | None = None, kept: int = 0) -> str:
    rows = grading.rows
    lines = [_graded(grading)]
    if grading.startup_seconds is not None:
        restarts = grading.server_restarts
        lines.append(
            f"Sandbox start-up (TensorFlow imported once per worker): {grading.startup_seconds:.1f} s"
            + (
                f"; restarted {restarts} time{'s' if restarts != 1 else ''} after a submission stopped it"
                if restarts
                else ""
            )
            + "."
        )
    if rows:
        lines += _rates(rows)
        lines += variants.summary_lines(rows)
    aside = [(r, name) for r in rows for name in r.set_aside]
    if aside:
        lines.append(
            f"Set aside ({len(aside)}), each learner's newer copy graded instead: "
            + ", ".join(printable(name) for _, name in aside[:20])
            + (" ..." if len(aside) > 20 else "")
            + "."
        )
    lines += _where_handed_in(rows)
    late = [r for r in rows if r.late]
    if late:
        lines.append(
            f"Late ({len(late)}): "
            + ", ".join(printable(r.submission) for r in late[:20])
            + (" ..." if len(late) > 20 else "")
            + "."
        )
    if rows:
        recorded = sum(1 for r in rows if r.record is not None)
        lines.append(f"Attempt records (self-reported, never graded): {recorded} of {len(rows)} rows carry one.")
    lines.append(grading.cases_line)
    lines.append(grading.sandbox_line)
    if out is not None:
        lines.append(
            f"Wrote {out / 'results.json'}, {out / 'grades.csv'}, {out / 'item-statistics.csv'}, "
            f"{out / 'attempts.csv'} and the feedback files in "
            f"{out / 'feedback'}/"
            + (
                f"; kept {kept} earlier result{'s' if kept != 1 else ''} of files not graded in this run."
                if kept
                else "."
            )
        )
    return "\n".join(line for line in lines if line)


def _graded(grading: Grading) -> str:
    """How many rows were graded, of how many files, in how long."""
    rows = grading.rows
    judged = [r for r in rows if r.ran_to_the_end]
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r.status_word] = statuses.get(r.status_word, 0) + 1
    others = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if s != "graded")
    files = sum(len(r.files) + len(r.set_aside) for r in rows)
    whose = "learners'" if len(rows) != 1 else "learner's"
    return (
        f"Graded {len(judged)} of {len(rows)} {whose} work "
        f"({files} file{'s' if files != 1 else ''}) in {grading.seconds:.1f} s with {grading.jobs} "
        f"worker{'s' if grading.jobs != 1 else ''}" + (f" ({others})" if others else "") + "."
    )


def _rates(rows: list[SubmissionGrade]) -> list[str]:
    rates = []
    for name in dict.fromkeys(t.name for r in rows for t in r.tests):
        of_exercise = [t for r in rows for t in r.tests if t.name == name]
        passed = sum(1 for t in of_exercise if t.passed)
        rates.append(f"{name} {passed}/{len(of_exercise)} ({100 * passed / len(of_exercise):.0f}%)")
    lines = ["Passed (learners): " + ", ".join(rates) + "."]
    for assignment in dict.fromkeys(r.assignment for r in rows if r.max_score > 0):
        of_it = [r for r in rows if r.assignment == assignment]
        mean = sum(r.score for r in of_it) / len(of_it)
        top = max(r.max_score for r in of_it)
        lines.append(
            f"Mean score{f' ({assignment})' if assignment else ''}: {mean:.2f} / {number(top)} "
            f"over {len(of_it)} learner{'s' if len(of_it) != 1 else ''}."
        )
    slowest = sorted((r for r in rows if r.seconds > 0), key=lambda r: -r.seconds)[:3]
    if slowest:
        lines.append(
            "Slowest: "
            + ", ".join(
                f"{printable(r.submission)} {r.seconds:.1f} s" + (f" ({r.status_word})" if not r.ran_to_the_end else "")
                for r in slowest
            )
            + "."
        )
    return lines


def _where_handed_in(rows: list[SubmissionGrade]) -> list[str]:
    """The files handed in to another notebook's assignment; or, when nobody said which assignment the
    files were handed in to and they are several notebooks, how many of each, and how to say it."""
    misfiled = [r for r in rows if r.misfiled]
    if misfiled:
        return [
            f"Handed in to another notebook's assignment ({len(misfiled)}), each graded as the notebook it is: "
            + ", ".join(f"{printable(r.submission)} is {r.assignment}" for r in misfiled[:20])
            + (" ..." if len(misfiled) > 20 else "")
            + f" (handed in to {misfiled[0].handed_in_to}; where OUT holds a copy a learner handed in to that "
            "notebook's own assignment, that one is kept)."
        ]
    counts: dict[str, int] = {}
    for r in rows:
        if r.max_score > 0:  # a notebook of the course's, or a file taken for one
            counts[r.assignment] = counts.get(r.assignment, 0) + 1
    if any(r.handed_in_to for r in rows) or len([a for a in counts if a]) < 2:
        return []
    return [
        "The files are copies of several notebooks ("
        + ", ".join(f"{assignment} {n}" for assignment, n in counts.items())
        + "). If they are one assignment's download, grade them again with --handed-in-to NOTEBOOK "
        "(make grade NOTEBOOK=...): a file handed in to the wrong assignment is then flagged."
    ]
