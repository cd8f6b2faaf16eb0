"""The class report (grader/outputs/report.py) in Debian's Chromium, audited by axe-core: it is generated whole by
the course, so no serious or critical violation is allowed anywhere on the page. Its results for the
fixture's nine submissions go to build/accessibility/report.json, the page beside it as report.html."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager

import accessibility
from notebook_page import REPO

from grader.outputs import report

RESULTS = REPO / "tests" / "fixtures" / "report" / "results.json"


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


def test_the_class_report_passes_the_accessibility_audit(plain_page, tmp_path):
    path = report.write_report(json.loads(RESULTS.read_text()), tmp_path)
    plain_page.goto(path.as_uri())
    audit = accessibility.audit(plain_page, "report", content=None, in_view=lambda: whole_page_in_view(plain_page))
    shutil.copy(path, accessibility.REPORTS / "report.html")
    assert not audit.failures, "report.html:\n- " + "\n- ".join(f.describe() for f in audit.failures)
