"""The class report's item analysis (``item_analysis.Item`` as HTML): a table of every exercise's
difficulty, discrimination and flag, then each exercise's charts, each with its table and its n.

Its headings are h3 under the report's h2, every chart comes from ``charts`` (an image whose text
alternative gives every number, and the numbers in a table under it), and every number a learner's
record gave is said to be self-reported.
"""

from __future__ import annotations

from html import escape

import checks
from checks.figures import COLOURS
from grader.outputs import charts
from grader.outputs.item_analysis import (
    DISCRIMINATION,
    EASY,
    HARD,
    MINUTE_BINS,
    Item,
    binned,
    checks_histogram,
    hints_histogram,
    median,
    quartiles,
)

NO_RECORD = "its notebook handed in without one, from before the record or with its outputs cleared, or not at all"


def section(items: list[Item]) -> str:
    if not items:
        return "<p>No exercise was graded, so there is nothing to analyse.</p>"
    recorded = any(item.recorded for item in items)
    parts = [
        "<p>Difficulty, discrimination and the quintiles come from the grades. The rest comes from the "
        "attempt record each learner's notebook keeps in its outputs (each check, hint and solution "
        "opened, with its time): it is <b>self-reported</b>, since a learner can edit or clear it, and it "
        "never takes part in a grade. A check of the untouched placeholder is not counted as an attempt.</p>",
        f"<p><b>Flag rule:</b> an exercise is flagged when its difficulty p (the share of its learners who "
        f"passed) is above {EASY:g} or below {HARD:g}, or its discrimination r (the correlation between "
        f"the points learners earned on it and on the rest of their work) is below {DISCRIMINATION:g}. "
        "With few learners a flag says where to look, not what to change: one learner moves p by 1/n, "
        "and r is uncertain by about 1/&radic;n (0.3 with 10 learners).</p>",
        _overview(items),
    ]
    if not recorded:
        parts.append(
            "<p>No learner's notebook holds an attempt record for these exercises (copies from before "
            "the record existed, or outputs cleared), so there are no attempts, hints or times to show.</p>"
        )
    for item in items:
        parts.append(f"<h3>Exercise <code>{escape(item.exercise)}</code></h3>")
        parts.append(_quintiles(item))
        if recorded:
            parts.append(_record(item))
    return "\n".join(parts)


def _rate(value: float | None) -> str:
    return "no learners" if value is None else f"{value:.2f}"


def _overview(items: list[Item]) -> str:
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "exercise",
            "learners (n)",
            "passed",
            "difficulty p",
            "discrimination r",
            "learners whose record has it",
            "learners with no record of it",
            "flag",
        )
    )
    rows = []
    for item in items:
        r = f"{item.discrimination:.2f}" if item.discrimination is not None else f"none: {item.why_no_discrimination}"
        flag = "<br>".join(f"flagged: {escape(f)}" for f in item.flags) or "no flag"
        cells = [item.learners, item.passed, _rate(item.difficulty), escape(r), item.recorded, item.no_record, flag]
        rows.append(
            f'<tr><th scope="row"><code>{escape(item.exercise)}</code></th>'
            + "".join(f"<td>{cell}</td>" for cell in cells)
            + "</tr>"
        )
    return (
        "<table><caption>Each exercise: difficulty, discrimination and flag (from the grades), and how many "
        f"learners' records hold it</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _quintiles(item: Item) -> str:
    bars = [(f"{q.label}, n={q.learners}", round(100 * q.rate), COLOURS[2]) for q in item.quintiles if q.learners]
    empty = [q.label.split()[0] for q in item.quintiles if not q.learners]
    note = f"<p>No learner in {', '.join(empty)}: learners with equal totals share a quintile.</p>" if empty else ""
    return note + charts.rows(
        bars,
        100,
        f"pass rate of {item.exercise} by quintile of the learners' totals (n={item.learners})",
        unit="%",
        label_header="quintile of the total, learners in it",
        value_header="passed",
    )


def _record(item: Item) -> str:
    if not item.recorded:
        return (
            f"<p>No learner's record has an entry for <code>{escape(item.exercise)}</code> "
            f"({item.no_record} of its {item.learners} learners have no record of it: {NO_RECORD}).</p>"
        )
    exercise = checks.EXERCISES.get(item.exercise)
    levels = len(getattr(exercise, "hints", ()) or ())
    passed = len(item.checks_to_pass)
    minutes = median(item.minutes_to_pass)
    spread = quartiles(item.minutes_to_pass)
    parts = [
        f"<p>Self-reported, from the records of {item.recorded} of its {item.learners} learners "
        f"({item.no_record} have no record of it: {NO_RECORD}). {passed} passed by their record"
        + (f" (median checks to the pass: {median(item.checks_to_pass):g})" if passed else "")
        + f"; {item.not_passed_in_record} checked an answer and never passed (\u201cno pass\u201d below); "
        f"{item.solution_opened} opened the solution.</p>",
        charts.columns(
            checks_histogram(item),
            f"{item.exercise}: checks of an answer up to the first pass (n={item.recorded})",
            what="learners",
            label_header="checks",
        ),
        charts.columns(
            hints_histogram(item, levels),
            f"{item.exercise}: highest hint level reached (n={item.recorded})",
            what="learners",
            label_header="hint level",
        ),
        (
            f"<p>Minutes from the first check of an answer to the first pass (n={passed}): median "
            f"{minutes:.1f}"
            + (f", quartiles {spread[0]:.1f} and {spread[1]:.1f}" if spread else "")
            + ". A learner who stopped and came back later counts the time between.</p>"
            if minutes is not None
            else "<p>No record shows a pass, so there are no times to a pass.</p>"
        ),
        charts.columns(
            binned(item.minutes_to_pass, MINUTE_BINS),
            f"{item.exercise}: minutes from the first check to the first pass (n={passed})",
            what="learners",
            label_header="minutes",
        )
        if passed
        else "",
        _mistakes(item),
    ]
    return "\n".join(part for part in parts if part)


def _mistakes(item: Item) -> str:
    if not item.mistakes:
        return f"<p>No record names a mistake in <code>{escape(item.exercise)}</code> on the way.</p>"
    rows = "".join(
        f'<tr><th scope="row"><code>{escape(key)}</code></th><td>{n}</td><td>{100 * n / item.recorded:.0f}%</td></tr>'
        for key, n in item.mistakes
    )
    return (
        f"<table><caption>{escape(item.exercise)}: mistakes named on the way, by learners who made each "
        f"(self-reported; n={item.recorded} learners with a record)</caption><thead><tr>"
        '<th scope="col">mistake</th><th scope="col">learners</th><th scope="col">share of n</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
