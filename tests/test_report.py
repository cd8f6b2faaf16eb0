"""The class report (grader/outputs/report.py): exact counts from a results.json with known mistakes, no learner
code in the page, accessible by construction (read from its HTML here; tests/browser/test_report_page.py
audits it with axe-core), and the page opens in Debian's Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import checks
from checks.figures import COLOURS
from checks.outcome import Status
from grader.outputs import report
from grader.results import Unjudged

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "fixtures" / "report" / "results.json"


def submissions() -> list[dict]:
    return json.loads(RESULTS.read_text())["submissions"]


def test_each_named_mistake_is_counted_exactly_once_per_learner():
    summary = report.summarise(submissions())
    counted = [(m.exercise, m.key, m.learners) for m in summary.mistakes]
    assert counted == [
        ("forward", "forward.returned_none", 3),
        (
            "get_initializer",
            "Incorrect. For embedding_dim=#, vocab_size=#, the shape is (#, #) but should be (#, #): "
            "one row per vocabulary word, so (vocab_size, embedding_dim). You have the two swapped.",
            2,
        ),
        ("get_initializer", "get_initializer.bound", 2),
        (
            "get_initializer",
            "Incorrect. On a hidden test case (large vocabularies), the shape is (embedding_dim, "
            "vocab_size) but should be (vocab_size, embedding_dim): one row per vocabulary word. You "
            "have the two swapped.",
            1,
        ),
    ]


def test_pass_rates_errors_troubles_and_ungraded_are_counted():
    summary = report.summarise(submissions())
    assert summary.submissions == 9 and summary.max_score == 2
    assert summary.exercises["get_initializer"]["passed"] == 1
    assert summary.exercises["forward"]["passed"] == 3
    assert summary.exercises["forward"]["timed out"] == 1
    assert summary.errors == [("get_initializer", "TypeError", 1)]
    assert [(s, ex, r) for s, ex, r, _ in summary.troubles] == [
        ("gus.ipynb", "forward", "timed out"),
        ("hal.ipynb", "forward", "crashed"),
    ]
    assert summary.not_graded == [("notes.pdf", "not a notebook", "This file is not a notebook (it is binary).")]
    assert list(summary.assignments) == [""] and summary.assignments[""][0] == 2  # a results.json of one assignment
    assert report.score_bars(*summary.assignments[""]) == [("0", 6), ("1", 2), ("2", 1)]


def test_each_exercise_s_hint_is_shown_once_and_learners_are_counted_as_learners(tmp_path):
    page = report.write_report(json.loads(RESULTS.read_text()), tmp_path).read_text()
    assert page.count(report._code(checks.get_initializer.hints[0])) == 1  # three of its mistakes, one hint
    assert "9 learners' work (one row of results.json each), 8 graded." in page
    # with one assignment per notebook a learner has a row per notebook: 3 learners, 5 copies handed in
    rows = [
        {**row, "learner": learner, "assignment": assignment}
        for row, (learner, assignment) in zip(
            submissions(),
            [("canvas:1", "02"), ("canvas:1", "04"), ("canvas:2", "02"), ("canvas:2", "04"), ("canvas:3", "04")],
        )
    ]
    page = report.render(report.summarise(rows))
    assert "3 learners; 5 copies of an assignment handed in" in page and "5 learners" not in page


def test_the_page_shows_hints_and_never_learner_code(tmp_path):
    path = report.write_report(json.loads(RESULTS.read_text()), tmp_path)
    page = path.read_text()
    assert path == tmp_path / "report.html"
    assert page.count("<svg") == 3 + 2  # scores, pass rates, mistakes; each exercise's quintiles (no records here)
    assert "secret_learner_line" not in page  # the error's message quotes the learner's line
    assert "<script" not in page and "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for exercise in (checks.get_initializer, checks.forward):  # the exercises results.json holds
        assert report._code(exercise.hints[0]) in page
    assert "(forward.returned_none)" in page and "(#, #)" not in page  # ids shown, masked messages not
    assert "3 learners" in page and "notes.pdf" in page and "TypeError" in page


class Outline(HTMLParser):
    """What an accessibility review reads from the page: headings, table headers, captions, the charts'
    text alternatives, inline colours."""

    def __init__(self):
        super().__init__()
        self.lang, self.headings, self.headers, self.tables, self.captions = None, [], [], 0, 0
        self.svgs, self.titles, self.styles, self.hidden = [], [], [], []
        self._open: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "th":
            self.headers.append(attrs.get("scope"))
        self.tables += tag == "table"
        self.captions += tag == "caption"
        if tag == "svg":
            self.svgs.append(attrs)
        if "style" in attrs:
            self.styles.append(attrs["style"])
        if attrs.get("aria-hidden") == "true":
            self.hidden.append(tag)
        self._open.append(tag)
        self._text = []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "title" and "svg" in self._open:
            self.titles.append("".join(self._text))
        while self._open and self._open.pop() != tag:
            pass


def outline(page: str) -> Outline:
    parsed = Outline()
    parsed.feed(page)
    return parsed


def contrast(foreground: str, background: str = "#ffffff") -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_page_is_accessible_by_construction(tmp_path):
    page = report.write_report(json.loads(RESULTS.read_text()), tmp_path).read_text()
    seen = outline(page)
    assert seen.lang == "en"
    assert seen.headings[0] == 1 and seen.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(seen.headings, seen.headings[1:])), seen.headings  # no level skipped
    assert seen.headers and all(scope in ("col", "row") for scope in seen.headers)
    assert seen.tables == seen.captions >= 5  # every table says what it holds
    assert "<main>" in page


def test_every_chart_has_a_text_alternative_with_its_numbers_and_a_table(tmp_path):
    page = report.write_report(json.loads(RESULTS.read_text()), tmp_path).read_text()
    seen = outline(page)
    assert len(seen.svgs) == 5 and all(svg.get("role") == "img" for svg in seen.svgs)
    scores, pass_rates, mistakes, quintiles, _ = seen.titles
    assert scores == "Bar chart of learners per score (out of 2). 0: 6; 1: 2; 2: 1."
    assert pass_rates == "Bar chart of pass rate per exercise. get_initializer: 11%; forward: 33%."
    # each bar says which mistake it is: the checks' key, or the masked message's first words
    assert mistakes.startswith(
        "Bar chart of learners per mistake. 1. forward: forward.returned_none: 3; "
        "2. get_initializer: For embedding_dim=8, vocab_size=500, the shape is (8, 500)\u2026: 2; "
        "3. get_initializer: get_initializer.bound: 2;"
    )
    # totals 0 (six learners), 1 (two) and 2 (ada, who passed): ties share their mid-rank's quintile
    assert quintiles == (
        "Bar chart of pass rate of get_initializer by quintile of the learners' totals (n=9). "
        "Q2, n=6: 0%; Q4, n=2: 0%; Q5 (highest totals), n=1: 100%."
    )
    # the same numbers in tables: the scores', the mistakes', and each exercise's results
    assert '<th scope="row">0</th><td class=number>6</td>' in page
    assert '<th scope="row">1. forward: forward.returned_none</th><td class=number>3</td>' in page
    assert re.search(r'<th scope="row"><code>forward</code></th><td>33%</td><td>3</td>', page)


def test_results_are_told_by_symbol_and_word_never_by_colour(tmp_path):
    page = report.write_report(json.loads(RESULTS.read_text()), tmp_path).read_text()
    seen = outline(page)
    for result in (
        Status.PASSED,
        Status.INCORRECT,
        Status.NOT_ATTEMPTED,
        Status.ERROR,
        Unjudged.TIMED_OUT,
        Unjudged.CRASHED,
        Unjudged.NOT_GRADED,
    ):
        assert f'<span aria-hidden="true">{result.icon}</span> {result.value}' in page, result
    icons = [result.icon for result in [*Status, *Unjudged]]
    assert len(set(icons)) >= 8  # a symbol of its own for each but the two ways of not being graded
    assert not any("color" in style for style in seen.styles)  # no text coloured inline
    assert set(re.findall(r'fill="(#[0-9A-Fa-f]{6})"', page)) - {"#212121"} <= set(COLOURS)  # the palette
    assert all(colour in COLOURS for colour in report.RESULT_COLOURS.values())


def test_text_contrast_is_well_past_wcag_aa():
    colours = re.findall(r"(?<![-\w])color:(#[0-9a-fA-F]{6})", report.STYLE)
    assert colours
    for colour in colours:
        assert contrast(colour) >= 7 and contrast(colour, "#f2f2f2") >= 7, colour  # AA asks 4.5
    assert contrast("#212121") > 15 and round(contrast("#767676"), 1) >= 4.5  # text, and table borders


def test_a_partial_credit_class_is_binned_in_tenths():
    summary = report.summarise(
        [{"submission": f"{i}", "score": i / 4, "max_score": 2.0, "tests": []} for i in range(9)]
    )
    bars = report.score_bars(*summary.assignments[""])
    assert len(bars) == 10 and sum(n for _, n in bars) == 9 and bars[-1] == ("90-100%", 1)


def test_command_writes_the_report_next_to_results_json(tmp_path):
    shutil.copy(RESULTS, tmp_path / "results.json")
    done = subprocess.run(
        [sys.executable, "-m", "grader.commands.report", tmp_path], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.html").exists()
    missing = subprocess.run(
        [sys.executable, "-m", "grader.commands.report", tmp_path / "nowhere"], capture_output=True, text=True, cwd=ROOT
    )
    assert missing.returncode == 2 and missing.stderr.startswith("No report written")


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's Chromium is not installed (make chromium)")
def test_the_report_opens_in_chromium(tmp_path):
    page = report.write_report(json.loads(RESULTS.read_text()), tmp_path)
    shot = tmp_path / "report.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,1800"]
    subprocess.run(["chromium", *flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    dom = subprocess.run(
        ["chromium", *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert shot.stat().st_size > 20_000
    assert "<h1>Class report</h1>" in dom and dom.count("<svg") == 5
    if (ROOT / "build").is_dir():  # keep it where CI keeps the browser test's screenshots
        (ROOT / "build" / "screenshots").mkdir(exist_ok=True)
        shutil.copy(shot, ROOT / "build" / "screenshots" / "class_report.png")


def test_each_assignment_has_its_scores_and_late_work_and_files_set_aside_are_listed(tmp_path):
    rows = [
        {
            "submission": "doejane_LATE_12_345_01_creating_variables.ipynb",
            "assignment": "01_creating_variables",
            "score": 1.0,
            "max_score": 1.0,
            "late": True,
            "set_aside": ["doejane_12_300_01_creating_variables.ipynb"],
            "tests": [],
        },
        {
            "submission": "roe_13_346_04_time_to_code.ipynb",
            "assignment": "04_time_to_code",
            "score": 1.0,
            "max_score": 2.0,
            "tests": [],
        },
    ]
    summary = report.summarise(rows)
    assert summary.assignments == {"01_creating_variables": (1.0, [1.0]), "04_time_to_code": (2.0, [1.0])}
    page = report.write_report(rows, tmp_path).read_text()
    assert "<code>01_creating_variables</code>: 1 learner, mean score 1.00 / 1." in page
    assert "04_time_to_code: score (out of 2)" in page
    assert "doejane_LATE_12_345_01_creating_variables.ipynb" in page.split("Late work")[1]
    assert "doejane_12_300_01_creating_variables.ipynb" in page.split("Files set aside")[1]


def test_an_exercise_passes_among_the_learners_whose_work_holds_it(tmp_path):
    passed = {"extra_data": {"result": "passed"}, "output": "Correct."}
    rows = [
        {
            "submission": "a.ipynb",
            "assignment": "01_creating_variables",
            "score": 1.0,
            "max_score": 1.0,
            "tests": [{"name": "count_words", **passed}],
        },
        {
            "submission": "b.ipynb",
            "assignment": "04_time_to_code",
            "score": 1.0,
            "max_score": 1.0,
            "tests": [{"name": "forward", **passed}],
        },
    ]
    page = report.write_report(rows, tmp_path).read_text()
    assert '<th scope="row"><code>count_words</code></th><td>100%</td>' in page
    assert '<th scope="row"><code>forward</code></th><td>100%</td>' in page
