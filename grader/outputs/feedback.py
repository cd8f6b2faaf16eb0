"""What a learner reads: OUT/feedback/<submission>.md, one Markdown file per row of the results."""

from __future__ import annotations

from grader.outputs.text import inline_code, number, one_line, quoted
from grader.results import SubmissionGrade, misfiled_note


def feedback_markdown(row: SubmissionGrade) -> str:
    title = row.submission if len(row.files) <= 1 else f"{row.submission} ({len(row.files)} notebooks)"
    lines = [
        f"# Feedback on {inline_code(title)}",
        "",
        # A file graded on no exercise (not a notebook, none of the course's) has no score to give.
        f"**Score: {number(row.score)} / {number(row.max_score)}**" if row.max_score else "**Not graded**",
        "",
    ]
    if row.misfiled:
        lines += [misfiled_note(row.assignment, row.handed_in_to), ""]
    if not row.ran_to_the_end:
        lines += [f"**{row.status.heading}.** {row.message}", ""]
    for test in row.tests:
        lines += [
            f"## {test.name}: {number(test.score)} / {number(test.max_score)} "
            f"({test.result.icon} {test.result.heading})",
            "",
            quoted(test.output),
            "",
        ]
        if test.variant:  # the class hands out variants: the task this learner was graded on
            lines += [f"Graded on your task, {inline_code(test.variant)}: `checks.{test.name}.task()` shows it.", ""]
        if test.groups:  # partial credit: which kinds of input were right
            lines += [f"- {'right' if right else 'not yet right'}: {one_line(group)}" for group, right in test.groups]
            lines.append("")
    if row.problems:
        lines += ["## Notes on your notebook", "", "When the grader ran your notebook from top to bottom:", ""]
        lines += [f"- {one_line(p)}" for p in row.problems]
        lines.append("")
    lines += [
        "---",
        "Graded by the course's checks, the same ones your notebook's check cells run. Run the "
        "check cells in your notebook to see the same messages while you work.",
    ]
    return "\n".join(lines) + "\n"
