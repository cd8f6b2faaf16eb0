"""The class report (grader/outputs/report.py) in Debian's Chromium, audited by axe-core: it is generated whole by
the course, so no serious or critical violation is allowed anywhere on the page. Two reports: the fixture's
nine submissions (build/accessibility/report.json, the page beside it as report.html), a class whose
notebooks carry attempt records, so its item analysis has every chart (report-with-records.json and .html),
and a class that hands out variants, with possible copies (report-with-variants.json and .html)."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager

import accessibility
import pytest
from notebook_page import REPO

from grader.outputs import report

FIXTURES = REPO / "tests" / "fixtures" / "report"
REPORTS = {
    "report": FIXTURES / "results.json",
    "report-with-records": FIXTURES / "with-records" / "results.json",
    "report-with-variants": FIXTURES / "with-variants" / "results.json",
}


@contextmanager
def whole_page_in_view(page):
    """The viewport as tall as the page (axe checks colour contrast only on what is on screen)."""
    viewport = page.viewport_size
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], min(height, 20_000))})
    try:
        yield
    finally:
        page.set_viewport_size(viewport)


@pytest.mark.parametrize("name", REPORTS)
def test_the_class_report_passes_the_accessibility_audit(plain_page, tmp_path, name):
    path = report.write_report(json.loads(REPORTS[name].read_text()), tmp_path)
    plain_page.goto(path.as_uri())
    audit = accessibility.audit(plain_page, name, content=None, in_view=lambda: whole_page_in_view(plain_page))
    shutil.copy(path, accessibility.REPORTS / f"{name}.html")
    assert not audit.failures, "report.html:\n- " + "\n- ".join(f.describe() for f in audit.failures)
