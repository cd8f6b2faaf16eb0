"""What the grader writes: results.json, grades.csv, a feedback file per submission, and the summary.

Everything is written once, by ``write_all``, after every sandbox has ended, from the grader's own
results (which it never changes), so a file a submission wrote is overwritten or ignored; and no
sandbox can see the output folder anyway.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

from grader import assignment
from grader.progress import printable
from grader.results import ExerciseResult, Result, SubmissionResult

FEEDBACK_DIR = "feedback"


def test_json(test: ExerciseResult) -> dict:
    """One exercise's result, as results.json (and Gradescope) hold it."""
    return {"name": test.name, "score": test.score, "max_score": test.max_score,
            "status": "passed" if test.passed else "failed", "output": test.output, "output_format": "md",
            "visibility": "visible", "extra_data": {"result": test.result.value, "mistake": test.mistake_key,
                                                    **({"groups": dict(test.groups)} if test.groups else {})}}


def submission_json(result: SubmissionResult, feedback: str) -> dict:
    return {"submission": result.submission, "score": result.score, "max_score": result.max_score,
            "status": result.status.value, "message": result.message,
            "tests": [test_json(t) for t in result.tests], "problems": list(result.problems),
            "notes": list(result.notes), "seconds": round(result.seconds, 3), "feedback": feedback}


def write_all(results: list[SubmissionResult], out: Path, batch_info: dict | None = None) -> None:
    """results.json, grades.csv and the feedback folder, replacing what an earlier run left.
    ``batch_info``: what results.json says about the run as a whole (the cases used, the sandbox)."""
    out.mkdir(parents=True, exist_ok=True)
    feedback = out / FEEDBACK_DIR
    if feedback.is_symlink() or feedback.is_file():
        feedback.unlink()
    elif feedback.exists():
        shutil.rmtree(feedback)
    feedback.mkdir()
    used: set[str] = set()
    documents = []
    for result in results:
        name = _feedback_name(result.submission, used)
        _write(feedback / name, feedback_markdown(result))
        documents.append(submission_json(result, f"{FEEDBACK_DIR}/{name}"))
    _write(out / "results.json", json.dumps({"submissions": documents, **(batch_info or {})}, indent=2,
                                            ensure_ascii=False) + "\n")
    _write(out / "grades.csv", grades_csv(results))


def _write(path: Path, text: str) -> None:
    """Replace ``path`` (never follow a symlink someone put there)."""
    temporary = path.with_name(f".{path.name}.tmp")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    with open(temporary, "x", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(temporary, path)


def _feedback_name(submission: str, used: set) -> str:
    stem = re.sub(r"\.ipynb$", "", submission.replace("/", "__"))
    stem = re.sub(r"[^\w.\-]+", "_", stem).strip("._") or "submission"
    name, n = f"{stem[:120]}.md", 1
    while name.lower() in used:
        n += 1
        name = f"{stem[:120]}-{n}.md"
    used.add(name.lower())
    return name


def grades_csv(results: list[SubmissionResult]) -> str:
    names = assignment.names()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    groups = [(n, g) for n in names for g in assignment.partial_credit_groups(n)]
    writer.writerow(["submission", *names, "total", "max_score", "status", *[f"{n} result" for n in names],
                     *[f"{n}: {g}" for n, g in groups]])
    for result in results:
        tests = {t.name: t for t in result.tests}
        writer.writerow([_cell(result.submission), *[number(tests[n].score) for n in names],
                         number(result.score), number(result.max_score), result.status.value,
                         *[tests[n].result.value for n in names],
                         *[_group_cell(tests[n], g) for n, g in groups]])
    return buffer.getvalue()


def _group_cell(test: ExerciseResult, group: str) -> str:
    right = dict(test.groups).get(group)
    return "" if right is None else ("right" if right else "wrong")


def _cell(text: str) -> str:
    # A file name like "=HYPERLINK(...)" must not become a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def number(value: float) -> str:
    return f"{value:g}"


def feedback_markdown(result: SubmissionResult) -> str:
    lines = [f"# Feedback on {_inline(result.submission)}", "",
             f"**Score: {number(result.score)} / {number(result.max_score)}**", ""]
    if result.status is not Result.JUDGED:
        lines += [f"**Not graded ({result.status.value}).** {result.message}", ""]
    for test in result.tests:
        lines += [f"## {test.name}: {number(test.score)} / {number(test.max_score)} "
                  f"({test.result.heading})", "", _quote(test.output), ""]
        if test.groups:  # partial credit: which kinds of input were right
            lines += [f"- {'right' if right else 'not yet right'}: {escape(group)}" for group, right in test.groups]
            lines.append("")
    if result.problems:
        lines += ["## Notes on your notebook", "", "When the grader ran your notebook from top to bottom:", ""]
        lines += [f"- {escape(p)}" for p in result.problems]
        lines.append("")
    lines += ["---", "Graded by the course's checks, the same ones your notebook's check cells run. Run the "
              "check cells in your notebook to see the same messages while you work."]
    return "\n".join(lines) + "\n"


def _inline(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def escape(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines()) or ">"


def summary(batch, out: Path | None = None) -> str:
    """What the instructor reads at the end of a run."""
    results = batch.results
    judged = [r for r in results if r.status is Result.JUDGED]
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    others = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if s != Result.JUDGED.value)
    lines = [f"Graded {len(judged)} of {len(results)} submissions in {batch.seconds:.1f} s with {batch.jobs} "
             f"worker{'s' if batch.jobs != 1 else ''}" + (f" ({others})" if others else "") + "."]
    if batch.startup_seconds is not None:
        restarts = batch.server_restarts
        lines.append(f"Sandbox start-up (TensorFlow imported once per worker): {batch.startup_seconds:.1f} s"
                     + (f"; restarted {restarts} time{'s' if restarts != 1 else ''} after a submission "
                        "stopped it" if restarts else "") + ".")
    if results:
        lines += _rates(results)
    lines.append(batch.cases_line)
    lines.append(batch.sandbox_line)
    if out is not None:
        lines.append(f"Wrote {out / 'results.json'}, {out / 'grades.csv'} and {len(results)} feedback "
                     f"file{'s' if len(results) != 1 else ''} in {out / FEEDBACK_DIR}/.")
    return "\n".join(line for line in lines if line)


def _rates(results: list[SubmissionResult]) -> list[str]:
    rates = []
    for name in assignment.names():
        passed = sum(1 for r in results for t in r.tests if t.name == name and t.passed)
        rates.append(f"{name} {passed}/{len(results)} ({100 * passed / len(results):.0f}%)")
    scores = [r.score for r in results]
    lines = ["Passed: " + ", ".join(rates) + ".",
             f"Mean score {sum(scores) / len(scores):.2f} / {number(results[0].max_score)}."]
    slowest = sorted((r for r in results if r.seconds > 0), key=lambda r: -r.seconds)[:3]
    if slowest:
        lines.append("Slowest: " + ", ".join(f"{printable(r.submission)} {r.seconds:.1f} s"
                                             + (f" ({r.status.value})" if r.status is not Result.JUDGED else "")
                                             for r in slowest) + ".")
    return lines
