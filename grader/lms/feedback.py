"""A learner's feedback, from the submission's entry in results.json, in the forms the LMSs take back.

What goes in: the score, why the submission was not graded (when it was not), each exercise's points
and the grader's message for the learner (the test's ``output``, Markdown that marks code with
backticks), which kinds of input were right (partial credit), and the submission's ``problems`` (cells
that failed when the notebook ran). What never goes in: the submission's code, the instructor's
``notes``, or anything else of results.json.

- ``html``: one line of HTML for Moodle's "Feedback comments" column. Moodle's importer stores the
  cell as it is, as the comment's text, in HTML format (moodle/moodle, mod/assign/feedback/comments/
  locallib.php, ``set_editor_text``: ``commentformat = FORMAT_HTML``), in a ``text`` column with no
  length limit (mod/assign/feedback/comments/db/install.xml); HTML ignores line breaks, so paragraphs
  are ``<p>`` and lines ``<br>``. Every character a learner's text can carry is escaped, quotes
  included, so the cell holds no ``"`` for PHP's ``fgetcsv`` (which Moodle reads the CSV with, and
  whose backslash escape would otherwise end a field early) to misread.
- ``markdown``: the same as Markdown, and ``notebook``: that Markdown as the one cell of a notebook,
  which Canvas attaches to the learner's submission under the name of the notebook they handed in;
  ``pdf``: that text as a PDF, for a learner who handed in a PDF (``grader/lms/pdf.py``).

Given the assignment's ``points`` in the LMS, the score and each exercise's points are said as the
LMS shows them (10 / 10 where the assignment is worth 10 and its exercises 1 point each in the course).
A notebook handed in to another notebook's assignment says so first (where it was handed in, what it
is, what to hand in), and its score is the one it got as the notebook it is.
"""

from __future__ import annotations

import html as _html
import json
import re

from grader.results import misfiled_note

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")


def _points(value, scale: float = 1.0) -> str:
    try:
        return f"{round(float(value) * scale, 2):g}"
    except (TypeError, ValueError):
        return "?"


def _parts(result: dict, points: float | None = None) -> dict:
    """What the feedback says, as plain strings (Markdown where the grader wrote Markdown); with the
    LMS's ``points`` for the assignment, every score in them."""
    status = str(result.get("status") or "graded")
    handed_in_to, assignment = result.get("handed_in_to") or "", result.get("assignment") or ""
    misfiled = bool(handed_in_to) and assignment != handed_in_to
    maximum = float(result.get("max_score") or 0)
    scale = points / maximum if points and maximum and not misfiled else 1.0
    tests = []
    for test in result.get("tests") or []:
        groups = (test.get("extra_data") or {}).get("groups") or {}
        earned = f"{_points(test.get('score'), scale)} / {_points(test.get('max_score'), scale)}"
        tests.append(
            (
                f"{test.get('name', '')}: {earned}",
                str(test.get("output") or ""),
                [f"{'right' if right else 'not yet right'}: {group}" for group, right in groups.items()],
            )
        )
    score = f"{_points(result.get('score'), scale)} / {_points(result.get('max_score'), scale)}"
    return {
        "score": f"Score as {assignment}: {score}" if misfiled else f"Score: {score}",
        "misfiled": misfiled_note(assignment, handed_in_to) if misfiled else None,
        "not_graded": (f"Not graded ({status}).", str(result.get("message") or "")) if status != "graded" else None,
        "tests": tests,
        "problems": [str(p) for p in result.get("problems") or []],
    }


PROBLEMS = "When the grader ran your notebook from top to bottom:"


def markdown(result: dict, title: str, points: float | None = None) -> str:
    """The feedback as Markdown, headed with ``title`` (the file the learner handed in); the scores in
    the LMS's ``points`` for the assignment, when given."""
    parts = _parts(result, points)
    lines = [f"# Feedback on `{title.replace('`', chr(39))}`", ""]
    if parts["misfiled"]:
        lines += [parts["misfiled"], ""]
    lines += [f"**{parts['score']}**", ""]
    if parts["not_graded"]:
        lines += [f"**{parts['not_graded'][0]}** {parts['not_graded'][1]}".rstrip(), ""]
    for heading, output, groups in parts["tests"]:
        lines += [f"## {heading}", "", "\n".join("> " + line for line in output.splitlines()) or ">", ""]
        if groups:
            lines += [f"- {_one_line(g)}" for g in groups] + [""]
    if parts["problems"]:
        lines += ["## Notes on your notebook", "", PROBLEMS, ""] + [f"- {_one_line(p)}" for p in parts["problems"]]
        lines.append("")
    return "\n".join(lines)


def html(result: dict, points: float | None = None) -> str:
    """The feedback as one line of HTML, for Moodle's "Feedback comments"; the scores in the LMS's
    ``points`` for the assignment, when given."""
    parts = _parts(result, points)
    out = [f"<p>{_inline(parts['misfiled'])}</p>"] if parts["misfiled"] else []
    out.append(f"<p><strong>{_escape(parts['score'])}</strong></p>")
    if parts["not_graded"]:
        out.append(f"<p><strong>{_escape(parts['not_graded'][0])}</strong> {_inline(parts['not_graded'][1])}</p>")
    for heading, output, groups in parts["tests"]:
        out.append(f"<p><strong>{_escape(heading)}</strong></p>")
        out += [f"<p>{_inline(paragraph)}</p>" for paragraph in re.split(r"\n\s*\n", output.strip()) if paragraph]
        if groups:
            out.append("<ul>" + "".join(f"<li>{_escape(g)}</li>" for g in groups) + "</ul>")
    if parts["problems"]:
        out.append(
            f"<p>{_escape(PROBLEMS)}</p><ul>" + "".join(f"<li>{_inline(p)}</li>" for p in parts["problems"]) + "</ul>"
        )
    return "".join(out)


def notebook(result: dict, title: str, points: float | None = None) -> bytes:
    """A notebook (nbformat 4.5) whose one cell is the feedback as Markdown."""
    source = markdown(result, title, points).splitlines(keepends=True)
    document = {
        "cells": [{"cell_type": "markdown", "id": "feedback", "metadata": {}, "source": source}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _escape(text: str) -> str:
    return _html.escape(text, quote=True).replace("\r", "").replace("\n", " ")


def _inline(text: str) -> str:
    """Markdown as the grader writes it (backticks, bold, line breaks) as HTML, everything escaped."""
    lines = [_html.escape(line.strip(), quote=True) for line in text.replace("\r", "").strip().split("\n")]
    escaped = "<br>".join(lines)
    escaped = _CODE.sub(r"<code>\1</code>", escaped)
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
