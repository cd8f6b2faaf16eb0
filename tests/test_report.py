"""The class report (grader/report.py): exact counts from a results.json with known mistakes, no learner
code in the page, and the page opens in Debian's Chromium."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import checks
from grader import report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "fixtures" / "report" / "results.json"


def submissions() -> list[dict]:
    return json.loads(RESULTS.read_text())["submissions"]


def test_each_named_mistake_is_counted_exactly_once_per_learner():
    summary = report.summarise(submissions())
    counted = [(m.exercise, m.key, m.learners) for m in summary.mistakes]
    assert counted == [
        ("forward", "forward.returned_none", 3),
        ("get_initializer", "Incorrect. For embedding_dim=#, vocab_size=#, the shape is (#, #) but should be (#, #): "
                            "one row per vocabulary word, so (vocab_size, embedding_dim). You have the two swapped.", 2),
        ("get_initializer", "get_initializer.bound", 2),
        ("get_initializer", "Incorrect. On a hidden test case (large vocabularies), the shape is (embedding_dim, "
                            "vocab_size) but should be (vocab_size, embedding_dim): one row per vocabulary word. You "
                            "have the two swapped.", 1),
    ]


def test_pass_rates_errors_troubles_and_ungraded_are_counted():
    summary = report.summarise(submissions())
    assert summary.submissions == 9 and summary.max_score == 2
    assert summary.exercises["get_initializer"]["passed"] == 1
    assert summary.exercises["forward"]["passed"] == 3
    assert summary.exercises["forward"]["timed out"] == 1
    assert summary.errors == [("get_initializer", "TypeError", 1)]
    assert [(s, ex, r) for s, ex, r, _ in summary.troubles] == [("gus.ipynb", "forward", "timed out"),
                                                               ("hal.ipynb", "forward", "crashed")]
    assert summary.not_graded == [("notes.pdf", "not a notebook", "This file is not a notebook (it is binary).")]
    assert report.score_bars(summary) == [("0", 6), ("1", 2), ("2", 1)]


def test_the_page_shows_hints_and_never_learner_code(tmp_path):
    path = report.write_report(json.loads(RESULTS.read_text()), tmp_path)
    page = path.read_text()
    assert path == tmp_path / "report.html"
    assert page.count("<svg") == 3
    assert "secret_learner_line" not in page            # the error's message quotes the learner's line
    assert "<script" not in page and "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for exercise in checks.ASSIGNMENT:
        assert report._code(exercise.hint_text) in page
    assert "(forward.returned_none)" in page and "(#, #)" not in page  # ids shown, masked messages not
    assert "3 learners" in page and "notes.pdf" in page and "TypeError" in page


def test_a_partial_credit_class_is_binned_in_tenths():
    summary = report.summarise([{"submission": f"{i}", "score": i / 4, "max_score": 2.0, "tests": []}
                                for i in range(9)])
    bars = report.score_bars(summary)
    assert len(bars) == 10 and sum(n for _, n in bars) == 9 and bars[-1] == ("90-100%", 1)


def test_command_writes_the_report_next_to_results_json(tmp_path):
    shutil.copy(RESULTS, tmp_path / "results.json")
    done = subprocess.run([sys.executable, "-m", "grader.report", tmp_path], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.html").exists()
    missing = subprocess.run([sys.executable, "-m", "grader.report", tmp_path / "nowhere"], capture_output=True,
                             text=True, cwd=ROOT)
    assert missing.returncode == 2 and missing.stderr.startswith("No report written")


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's Chromium is not installed (make chromium)")
def test_the_report_opens_in_chromium(tmp_path):
    page = report.write_report(json.loads(RESULTS.read_text()), tmp_path)
    shot = tmp_path / "report.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,1800"]
    subprocess.run(["chromium", *flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    dom = subprocess.run(["chromium", *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert shot.stat().st_size > 20_000
    assert "<h1>Class report</h1>" in dom and dom.count("<svg") == 3
    if (ROOT / "build").is_dir():  # keep it where CI keeps the browser test's screenshots
        (ROOT / "build" / "screenshots").mkdir(exist_ok=True)
        shutil.copy(shot, ROOT / "build" / "screenshots" / "class_report.png")
