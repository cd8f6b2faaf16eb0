"""What the instructor reads at the end of a run: counted by learner (the copy graded for each), with
the files set aside and the late ones listed apart."""

from __future__ import annotations

from pathlib import Path

from grader.outputs.text import number
from grader.pipeline.progress import printable
from grader.results import SubmissionResult


def summary(graded, out: Path | None = None, kept: int = 0) -> str:
    results = graded.results
    judged = [r for r in results if r.graded]
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r.status_word] = statuses.get(r.status_word, 0) + 1
    others = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if s != "graded")
    files = sum(len(r.files) + len(r.set_aside) for r in results)
    lines = [
        f"Graded {len(judged)} of {len(results)} learner{'s' if len(results) != 1 else ''}' work "
        f"({files} file{'s' if files != 1 else ''}) in {graded.seconds:.1f} s with {graded.jobs} "
        f"worker{'s' if graded.jobs != 1 else ''}" + (f" ({others})" if others else "") + "."
    ]
    if graded.startup_seconds is not None:
        restarts = graded.server_restarts
        lines.append(
            f"Sandbox start-up (TensorFlow imported once per worker): {graded.startup_seconds:.1f} s"
            + (
                f"; restarted {restarts} time{'s' if restarts != 1 else ''} after a submission stopped it"
                if restarts
                else ""
            )
            + "."
        )
    if results:
        lines += _rates(results)
    aside = [(r, name) for r in results for name in r.set_aside]
    if aside:
        lines.append(
            f"Set aside ({len(aside)}), each learner's newer copy graded instead: "
            + ", ".join(printable(name) for _, name in aside[:20])
            + (" ..." if len(aside) > 20 else "")
            + "."
        )
    late = [r for r in results if r.late]
    if late:
        lines.append(
            f"Late ({len(late)}): "
            + ", ".join(printable(r.submission) for r in late[:20])
            + (" ..." if len(late) > 20 else "")
            + "."
        )
    if results:
        recorded = sum(1 for r in results if r.record is not None)
        lines.append(f"Attempt records (self-reported, never graded): {recorded} of {len(results)} rows carry one.")
    lines.append(graded.cases_line)
    lines.append(graded.sandbox_line)
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


def _rates(results: list[SubmissionResult]) -> list[str]:
    rates = []
    for name in dict.fromkeys(t.name for r in results for t in r.tests):
        attempts = [t for r in results for t in r.tests if t.name == name]
        passed = sum(1 for t in attempts if t.passed)
        rates.append(f"{name} {passed}/{len(attempts)} ({100 * passed / len(attempts):.0f}%)")
    lines = ["Passed (learners): " + ", ".join(rates) + "."]
    for assignment in dict.fromkeys(r.assignment for r in results if r.max_score > 0):
        rows = [r for r in results if r.assignment == assignment]
        mean = sum(r.score for r in rows) / len(rows)
        top = max(r.max_score for r in rows)
        lines.append(
            f"Mean score{f' ({assignment})' if assignment else ''}: {mean:.2f} / {number(top)} "
            f"over {len(rows)} learner{'s' if len(rows) != 1 else ''}."
        )
    slowest = sorted((r for r in results if r.seconds > 0), key=lambda r: -r.seconds)[:3]
    if slowest:
        lines.append(
            "Slowest: "
            + ", ".join(
                f"{printable(r.submission)} {r.seconds:.1f} s" + (f" ({r.status_word})" if not r.graded else "")
                for r in slowest
            )
            + "."
        )
    return lines
