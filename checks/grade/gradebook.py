"""What the grader writes: results.json, grades.csv, a feedback file per submission, and the summary.

Everything is written by the grader after every sandbox has ended, from its own results, so a file a
submission wrote (a fake results.json, say) is overwritten or ignored.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import checks
from checks.grade.grading import GRADED, SubmissionResult
from checks.grade.progress import printable

FEEDBACK_DIR = "feedback"
_HEADINGS = {"passed": "\u2714 Correct", "incorrect": "\u2718 Incorrect", "not attempted": "\u2026 Not attempted",
             "error": "\u26a0 Your code raised an error", "timed out": "\u23f1 Timed out",
             "crashed": "\u26a0 Crashed", "interfered": "\u26d4 Not graded", "not graded": "\u2014 Not graded"}


def write_all(results: list[SubmissionResult], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    feedback = out / FEEDBACK_DIR
    if feedback.is_symlink() or feedback.is_file():
        feedback.unlink()
    elif feedback.exists():
        shutil.rmtree(feedback)
    feedback.mkdir()
    used: set[str] = set()
    for result in results:
        name = _feedback_name(result.submission, used)
        result.feedback = f"{FEEDBACK_DIR}/{name}"
        _write(feedback / name, feedback_markdown(result))
    _write(out / "results.json", json.dumps({"submissions": [r.as_json() for r in results]}, indent=2,
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
    names = [ex.name for ex in checks.GRADED]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", *names, "total", "max_score", "status", *[f"{n} result" for n in names]])
    for result in results:
        tests = {t.name: t for t in result.tests}
        writer.writerow([_cell(result.submission), *[_number(tests[n].score) for n in names],
                         _number(result.score), _number(result.max_score), result.status,
                         *[tests[n].result for n in names]])
    return buffer.getvalue()


def _cell(text: str) -> str:
    # A file name like "=HYPERLINK(...)" must not become a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(value: float) -> str:
    return f"{value:g}"


def feedback_markdown(result: SubmissionResult) -> str:
    lines = [f"# Feedback on {_inline(result.submission)}", "",
             f"**Score: {_number(result.score)} / {_number(result.max_score)}**", ""]
    if result.status != GRADED:
        lines += [f"**Not graded ({result.status}).** {result.message}", ""]
    for test in result.tests:
        lines += [f"## {test.name}: {_number(test.score)} / {_number(test.max_score)} "
                  f"({_HEADINGS.get(test.result, test.result)})", "", _quote(test.output), ""]
    if result.problems:
        lines += ["## Notes on your notebook", "", "When the grader ran your notebook from top to bottom:", ""]
        lines += [f"- {_escape(p)}" for p in result.problems]
        lines.append("")
    lines += ["---", "Graded by the course's checks, the same ones your notebook's check cells run. Run the "
              "check cells in your notebook to see the same messages while you work."]
    return "\n".join(lines) + "\n"


def _inline(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _escape(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines()) or ">"


def gradescope_results(result: SubmissionResult, seconds: float | None = None) -> dict:
    """One submission in Gradescope's results.json format."""
    output = [f"Score: {_number(result.score)} / {_number(result.max_score)}."]
    if result.status != GRADED:
        output.append(f"Not graded ({result.status}): {result.message}")
    if result.problems:
        output.append("When the grader ran your notebook from top to bottom:")
        output += [f"- {_escape(p)}" for p in result.problems]
    document = {"score": result.score, "output": "\n".join(output), "output_format": "text",
                "visibility": "visible", "stdout_visibility": "hidden",
                "tests": [t.as_gradescope() for t in result.tests],
                "extra_data": {"submission": result.submission, "status": result.status}}
    if seconds is not None:
        document["execution_time"] = round(seconds)
    return document


def summary(results: list[SubmissionResult], seconds: float, jobs: int, out: Path | None = None,
            startup: float | None = None, restarts: int = 0, hidden: bool | None = None) -> str:
    graded = [r for r in results if r.status == GRADED]
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    others = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if s != GRADED)
    lines = [f"Graded {len(graded)} of {len(results)} submissions in {seconds:.1f} s with {jobs} "
             f"worker{'s' if jobs != 1 else ''}" + (f" ({others})" if others else "") + "."]
    if startup is not None:
        lines.append(f"Sandbox start-up (TensorFlow imported once): {startup:.1f} s"
                     + (f"; restarted {restarts} time{'s' if restarts != 1 else ''} after a submission "
                        "stopped it" if restarts else "") + ".")
    if results:
        rates = []
        for ex in checks.GRADED:
            passed = sum(1 for r in results for t in r.tests if t.name == ex.name and t.passed)
            rates.append(f"{ex.name} {passed}/{len(results)} ({100 * passed / len(results):.0f}%)")
        lines.append("Passed: " + ", ".join(rates) + ".")
        scores = [r.score for r in results]
        lines.append(f"Mean score {sum(scores) / len(scores):.2f} / {_number(results[0].max_score)}.")
        slowest = sorted((r for r in results if r.seconds > 0), key=lambda r: -r.seconds)[:3]
        if slowest:
            lines.append("Slowest: " + ", ".join(f"{printable(r.submission)} {r.seconds:.1f} s"
                                                 + (f" ({r.status})" if r.status != GRADED else "")
                                                 for r in slowest) + ".")
    if hidden is False:
        lines.append("Note: this system allows no mount namespaces, so submissions could see solutions/, the other "
                     "submissions and the output folder while they ran (grade in a container or as a dedicated user).")
    if out is not None:
        lines.append(f"Wrote {out / 'results.json'}, {out / 'grades.csv'} and {len(results)} feedback "
                     f"file{'s' if len(results) != 1 else ''} in {out / FEEDBACK_DIR}/.")
    return "\n".join(lines)
