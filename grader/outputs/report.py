"""The class report, OUT/report.html: what the class got right and wrong, for the instructor.

From results.json alone: each assignment's score distribution (a row of results.json is one learner's
work on one assignment, so everything is counted by learner), each exercise's pass rate, the named
mistakes ranked by how many learners made each (with the exercise's first hint), errors by exception,
crashes and time-outs, submissions not graded and why, late work, and the files set aside for a
learner's newer copy; and an item analysis of each exercise (``item_analysis.py``, shown by
``item_report.py``), partly from the attempt records the notebooks carry. It opens in any browser,
offline: no script, pictures in inline SVG. It never shows learner code (an error is counted by its
exception's name only, since its message quotes the learner's line) nor hidden inputs (the checks'
messages never print them).

Everyone can read it (WCAG 2.1 AA): each result is shown by its symbol and word, never by colour alone;
each chart is an image whose text alternative says what it shows with every number, with the numbers
also in a table; tables have captions and headers with scope; headings go h1, h2, h3; text contrast is
at least 7:1; the page's language is declared. tests/browser/test_report_page.py audits it with axe-core.

``python -m grader.commands.report OUT`` reads OUT/results.json and writes OUT/report.html.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from pathlib import Path

import checks
from checks.figures import COLOURS
from checks.outcome import Status
from grader.files import write_text
from grader.outputs import charts, item_analysis, item_report, variants
from grader.results import GRADED, Unjudged, result_named

PASSED, INCORRECT, ERROR = Status.PASSED.value, Status.INCORRECT.value, Status.ERROR.value
#: Results that mean the exercise was never judged on its merits.
TROUBLES = (Unjudged.TIMED_OUT.value, Unjudged.CRASHED.value, Unjudged.INTERFERED.value)
#: The bars' colours, from the Okabe-Ito palette (checks.figures.COLOURS): pass rates in bluish green,
#: mistakes in vermillion; each chart has one kind of bar, so no colour is needed to read it. Each
#: result is told by its symbol and its word (``Status.icon``, ``Unjudged.icon``), never by colour.
RESULT_COLOURS = {PASSED: COLOURS[2], INCORRECT: COLOURS[1]}
MAX_EXAMPLE = 400


@dataclass
class MistakeCount:
    """A mistake (``checks.Mistake``'s key) and how many learners made it, for the ranking."""

    exercise: str
    key: str  # stable: extra_data["mistake"], else the message with its numbers masked
    learners: int
    example: str  # one learner's message for it
    named: bool  # the key is the checks' own id for the mistake


@dataclass
class ClassResults:
    submissions: int
    max_score: float
    scores: list
    exercises: dict  # name -> Counter of results
    assignments: dict = field(default_factory=dict)  # assignment -> (max score, [scores]): one row a learner
    mistakes: list = field(default_factory=list)  # MistakeCount, most learners first
    errors: list = field(default_factory=list)  # (exercise, exception name, learners)
    troubles: list = field(default_factory=list)  # (submission, exercise, result, output)
    not_graded: list = field(default_factory=list)  # (submission, status, message)
    late: list = field(default_factory=list)  # submissions the LMS marked late
    set_aside: list = field(default_factory=list)  # (file set aside, the submission graded instead)
    tasks: list = field(default_factory=list)  # variants.TaskRate: each learner's own task, where there are variants
    copies: list = field(default_factory=list)  # variants.PossibleCopy: answers doing another learner's task
    items: list = field(default_factory=list)  # item_analysis.Item, one per exercise
    learners: int = 0  # distinct learners among the rows


def mistake_key(test: dict) -> str:
    named = (test.get("extra_data") or {}).get("mistake")
    if named:
        return str(named)
    return re.sub(r"\d+(?:\.\d+)?(?:e-?\d+)?", "#", test.get("output", "")).strip()


def exception_name(output: str) -> str:
    found = re.search(r"\b([A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning))\b", output)
    return found[1] if found else "an exception"


def summarise(submissions: list[dict]) -> ClassResults:
    summary = ClassResults(
        len(submissions),
        max((s.get("max_score", 0) for s in submissions), default=0),
        [s.get("score", 0) for s in submissions],
        {},
    )
    summary.learners = len({s.get("learner") or s["submission"] for s in submissions})
    mistakes: dict[tuple, list] = {}
    errors: Counter = Counter()
    for submission in submissions:
        if submission.get("status", GRADED) != GRADED:
            summary.not_graded.append((submission["submission"], submission["status"], submission.get("message", "")))
        if submission.get("max_score"):
            top, scores = summary.assignments.get(submission.get("assignment", ""), (0.0, []))
            summary.assignments[submission.get("assignment", "")] = (
                max(top, submission["max_score"]),
                scores + [submission.get("score", 0)],
            )
        if submission.get("late"):
            summary.late.append(submission["submission"])
        summary.set_aside += [(name, submission["submission"]) for name in submission.get("set_aside", ())]
        for test in submission.get("tests", []):
            result = (test.get("extra_data") or {}).get("result", test.get("status", ""))
            summary.exercises.setdefault(test["name"], Counter())[result] += 1
            if result == INCORRECT:
                mistakes.setdefault((test["name"], mistake_key(test)), []).append(test.get("output", ""))
            elif result == ERROR:
                errors[(test["name"], exception_name(test.get("output", "")))] += 1
            elif result in TROUBLES:
                summary.troubles.append((submission["submission"], test["name"], result, test.get("output", "")))
    order = {name: i for i, name in enumerate(summary.exercises)}
    summary.mistakes = sorted(
        (
            MistakeCount(
                ex, key, len(outputs), Counter(outputs).most_common(1)[0][0], key != mistake_key({"output": outputs[0]})
            )
            for (ex, key), outputs in mistakes.items()
        ),
        key=lambda m: (-m.learners, order[m.exercise], m.key),
    )
    summary.errors = sorted(((ex, name, n) for (ex, name), n in errors.items()), key=lambda e: (-e[2], e[0], e[1]))
    summary.items = item_analysis.analyse(submissions)
    summary.tasks, summary.copies = variants.task_rates(submissions), variants.possible_copies(submissions)
    return summary


def hint(exercise: str) -> str | None:
    """The exercise's first hint level (the idea), which every learner can open, or None."""
    hints = getattr(checks.EXERCISES.get(exercise), "hints", ())
    return hints[0] if hints else None


def score_bars(top: float, scores: list) -> list[tuple[str, int]]:
    """Learners per score: each possible whole score when there are few, else tenths of the maximum."""
    if top and float(top).is_integer() and top <= 12 and all(float(s).is_integer() for s in scores):
        counts = Counter(int(s) for s in scores)
        return [(f"{n}", counts[n]) for n in range(int(top) + 1)]
    tenths = Counter(min(int(10 * s / top), 9) if top else 0 for s in scores)
    return [(f"{10 * n}-{10 * n + 10}%", tenths[n]) for n in range(10)]


def result_label(result: str) -> str:
    """A result as the page shows it: its symbol (hidden from screen readers, which read the word) and word."""
    try:
        icon = result_named(result).icon
    except ValueError:
        icon = "\u2714" if result == GRADED else None
    if icon is None:
        return escape(result)
    return f'<span aria-hidden="true">{icon}</span> {escape(result)}'


def counted(summary: ClassResults) -> str:
    """How many learners, and how much of their work: a row of results.json is a learner's copy of one
    assignment, so with one assignment per notebook a learner has a row per notebook handed in."""
    n, learners = summary.submissions, summary.learners
    graded = n - len(summary.not_graded)
    who = f"{learners} learner{'s' if learners != 1 else ''}"
    if n == learners:
        return f"{who}' work (one row of results.json each), {graded} graded"
    return (
        f"{who}; {n} copies of an assignment handed in (a learner's copy of one assignment is one row of "
        f"results.json), {graded} graded"
    )


def render(summary: ClassResults, title: str = "Class report") -> str:
    parts = [
        f"<h1>{escape(title)}</h1>",
        f"<p class=meta>{counted(summary)}. Course version {escape(checks.__version__)}; written "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC from results.json.</p>",
        "<h2>Scores</h2>",
        _scores(summary),
        "<h2>Each exercise</h2>",
        _exercises(summary),
        *(["<h2>Each learner's own task</h2>", _tasks(summary)] if summary.tasks else []),
        "<h2>Mistakes, most frequent first</h2>",
        _mistakes(summary),
        "<h2>Item analysis: each exercise across the class</h2>",
        item_report.section(summary.items),
        "<h2>Errors raised by learners' code</h2>",
        _errors(summary),
        "<h2>Crashes, time-outs and interference</h2>",
        _troubles(summary),
        "<h2>Submissions not graded</h2>",
        _not_graded(summary),
        "<h2>Late work, and files set aside</h2>",
        _late_and_set_aside(summary),
    ]
    return _page(title, "\n".join(parts))


def _scores(summary: ClassResults) -> str:
    if not summary.assignments:
        return "<p>No submission was graded on any exercise.</p>"
    parts = []
    for assignment, (top, scores) in summary.assignments.items():
        name = f" <code>{escape(assignment)}</code>" if assignment and len(summary.assignments) > 1 else ""
        mean = sum(scores) / len(scores)
        parts.append(
            f"<p>{name.strip() + ': ' if name else ''}{len(scores)} learner{'s' if len(scores) != 1 else ''}, "
            f"mean score {mean:.2f} / {top:g}.</p>"
        )
        parts.append(
            charts.columns(
                score_bars(top, scores),
                f"{assignment + ': ' if name else ''}score (out of {top:g})",
                label_header="score",
                what="learners",
            )
        )
    return "\n".join(parts)


def _table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    """A table with a caption, column headers, and each row headed by its first cell (all already HTML)."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "".join(
        f'<tr><th scope="row">{row[0]}</th>' + "".join(f"<td>{cell}</td>" for cell in row[1:]) + "</tr>" for row in rows
    )
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _exercises(summary: ClassResults) -> str:
    # Each exercise's pass rate among the learners whose work holds it (an assignment's, or all of them).
    rates = {
        name: round(100 * counts[PASSED] / (sum(counts.values()) or 1)) for name, counts in summary.exercises.items()
    }
    bars = [(name, rates[name], RESULT_COLOURS[PASSED]) for name in summary.exercises]
    present = {result for counts in summary.exercises.values() for result, count in counts.items() if count}
    order = [*(s.value for s in Status), *(u.value for u in Unjudged)]
    shown = [r for r in order if r in present] + sorted(present - set(order))
    rows = [
        [f"<code>{escape(name)}</code>", f"{rates[name]}%"] + [f"{counts[r]}" for r in shown]
        for name, counts in summary.exercises.items()
    ]
    return charts.rows(bars, 100, "pass rate per exercise", unit="%", numbers=False) + _table(
        "Each exercise's results: learners per result",
        ["exercise", "pass rate"] + [result_label(r) for r in shown],
        rows,
    )


def _tasks(summary: ClassResults) -> str:
    """Each task's pass rate among the learners allotted to it, the exercises whose tasks differ by more than
    variants.UNEVEN points, and the possible copies."""
    spans = variants.uneven(summary.tasks)
    bars = [(f"{t.exercise}: {t.variant}", round(t.rate), RESULT_COLOURS[PASSED]) for t in summary.tasks]
    rows = [
        [f"<code>{escape(t.exercise)}</code>", f"<code>{escape(t.variant)}</code>", f"{t.learners}", f"{t.passed}"]
        + [f"{t.rate:.0f}%"]
        for t in summary.tasks
    ]
    flags = (
        "".join(
            f"<p><b>Look at <code>{escape(name)}</code>:</b> its tasks' pass rates differ by {span:.0f} points, more "
            f"than {variants.UNEVEN}; one task may be harder than the others, or broken.</p>"
            for name, span in spans.items()
        )
        or f"<p>No exercise's tasks differ in pass rate by more than {variants.UNEVEN} points.</p>"
    )
    copies = (
        "<p>No answer does another learner's task.</p>"
        if not summary.copies
        else _table(
            "Possible copies: answers that fail their learner's own task and do another learner's (or an id "
            "typed wrong); look at each before you act",
            ["submission", "learner", "exercise", "the task it does", "its learner's task"],
            [
                [escape(c.submission), escape(c.learner), f"<code>{escape(c.exercise)}</code>"]
                + [f"<code>{escape(c.solves)}</code>", f"<code>{escape(c.own)}</code>"]
                for c in summary.copies
            ],
        )
    )
    return (
        "<p>Each learner was graded on their own task. Pass rates are among the learners each task was "
        "allotted to.</p>"
        + charts.rows(bars, 100, "pass rate per task", unit="%", numbers=False)
        + _table("Each task's results", ["exercise", "task", "learners", "passed", "pass rate"], rows)
        + flags
        + copies
    )


def mistake_label(rank: int, mistake: MistakeCount) -> str:
    """What a mistake's bar is: its rank, its exercise, and the checks' key for it (or, where a result
    carries none, the start of the example's message)."""
    words = mistake.example.removeprefix(f"{Status.INCORRECT.heading}. ").split()
    what = mistake.key if mistake.named else " ".join(words[:8]).rstrip(" ,;:(") + ("\u2026" if len(words) > 8 else "")
    return f"{rank}. {mistake.exercise}: {what}"


def _mistakes(summary: ClassResults) -> str:
    if not summary.mistakes:
        return "<p>No answer was judged incorrect.</p>"
    labels = [mistake_label(i, m) for i, m in enumerate(summary.mistakes, 1)]
    bars = [(label, m.learners, RESULT_COLOURS[INCORRECT]) for label, m in zip(labels, summary.mistakes)]
    items = []
    for m in summary.mistakes:
        example = m.example if len(m.example) <= MAX_EXAMPLE else m.example[: MAX_EXAMPLE - 1] + "\u2026"
        items.append(
            f"<li><b><code>{escape(m.exercise)}</code>: {m.learners} learner{'s' if m.learners != 1 else ''}</b>"
            + (f" <span class=key>({escape(m.key)})</span>" if m.named else "")
            + f"<blockquote>{_code(example)}</blockquote></li>"
        )
    top = max(m.learners for m in summary.mistakes)
    # Each exercise's first hint once, not under each of its mistakes: it is the same for all of them.
    hinted = [(ex, hint(ex)) for ex in dict.fromkeys(m.exercise for m in summary.mistakes) if hint(ex)]
    hints = (
        _table(
            "The first hint each of these exercises gives (every learner can open it)",
            ["exercise", "first hint"],
            [[f"<code>{escape(ex)}</code>", _code(text)] for ex, text in hinted],
        )
        if hinted
        else ""
    )
    return (
        charts.rows(bars, top, "learners per mistake", label_header="mistake", value_header="learners", label_width=330)
        + f"<ol class=mistakes>{''.join(items)}</ol>"
        + hints
    )


def _code(text: str) -> str:
    """Escaped, with the checks' Markdown code spans shown as code."""
    return re.sub(r"`([^`\n]+)`", r"<code>\1</code>", escape(text))


def _errors(summary: ClassResults) -> str:
    if not summary.errors:
        return "<p>No learner's code raised an error while it was checked.</p>"
    rows = [[f"<code>{escape(ex)}</code>", f"<code>{escape(name)}</code>", f"{n}"] for ex, name, n in summary.errors]
    return (
        "<p>Counted by exception only: the messages quote the learners' code, which this report never shows.</p>"
        + _table("Errors by exercise and exception", ["exercise", "exception", "learners"], rows)
    )


def _troubles(summary: ClassResults) -> str:
    if not summary.troubles:
        return "<p>None.</p>"
    rows = [
        [escape(s), f"<code>{escape(ex)}</code>", result_label(r), escape(out[:MAX_EXAMPLE])]
        for s, ex, r, out in summary.troubles
    ]
    return _table("Exercises that were not judged", ["submission", "exercise", "result", "what happened"], rows)


def _late_and_set_aside(summary: ClassResults) -> str:
    late = (
        "<p>No work was marked late.</p>"
        if not summary.late
        else _table(
            "Work the LMS marked late (its grade is not changed for it: that is yours to decide)",
            ["submission"],
            [[escape(s)] for s in summary.late],
        )
    )
    aside = (
        "<p>No file was set aside.</p>"
        if not summary.set_aside
        else _table(
            "Files set aside: each learner's newer copy of the same assignment was graded instead",
            ["file set aside", "graded instead"],
            [[escape(f), escape(s)] for f, s in summary.set_aside],
        )
    )
    return late + aside


def _not_graded(summary: ClassResults) -> str:
    if not summary.not_graded:
        return "<p>Every submission was graded.</p>"
    rows = [
        [escape(s), result_label(status), escape(message[:MAX_EXAMPLE])] for s, status, message in summary.not_graded
    ]
    return _table("Submissions not graded, and why", ["submission", "status", "why"], rows)


# Text colours on white, each with a contrast of at least 7:1 (WCAG AA asks 4.5:1); nothing is told by colour.
STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#212121;
background:#fff;line-height:1.45}h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #767676}
.meta{color:#424242}table{border-collapse:collapse;margin:.5rem 0}caption{text-align:left;font-weight:600;
padding:.2rem 0}td,th{border:1px solid #767676;padding:.3rem .6rem;text-align:left;vertical-align:top}
thead th{background:#f2f2f2}tbody th{font-weight:normal}figure{margin:1rem 0 .3rem}figure svg{max-width:100%;
height:auto}figcaption{color:#424242;font-size:.9em}blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;
border-left:3px solid #767676;white-space:pre-wrap}.hint{color:#1b4d1b;margin:.2rem 0 .8rem 1rem}
.key{color:#424242;font-size:.85em}table.numbers{min-width:18rem}ol.mistakes li{margin-bottom:.6rem}"""


def _page(title: str, body: str) -> str:
    """One column, no navigation to skip: a header-less page whose headings (h1, then h2) are its outline."""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
        f"<body><main>\n{body}\n</main></body></html>\n"
    )


def write_report(results: dict | list, out_dir: Path) -> Path:
    """Write out_dir/report.html from results.json's data (the whole document, or its submissions)."""
    submissions = results["submissions"] if isinstance(results, dict) else results
    return write_text(Path(out_dir) / "report.html", render(summarise(submissions)))
