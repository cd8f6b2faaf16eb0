"""Many cells: a notebook of 60,000 tiny code cells (around its correct answers) must be rejected
with a row that says why (a cap on code cells), not graded slowly; the honest submissions beside it
keep their marks. The batch runs under a generous time limit, so that a grader that is quadratic in
the number of cells fails this test instead of hanging the suite.
"""

from __future__ import annotations

import json

import attack_kit as kit
import grade_submissions as gs
import pytest

CELLS = 60_000


def many_cells() -> str:
    """A correct submission with CELLS one-line code cells after its setup cell (JSON written
    directly: nbformat validates each cell, which takes longer than grading should)."""
    notebook = json.loads(gs.submission())
    tiny = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"tiny-{i}",
            "metadata": {},
            "outputs": [],
            "source": f"x = {i}",
        }
        for i in range(CELLS)
    ]
    notebook["cells"][2:2] = tiny
    return json.dumps(notebook)


@pytest.fixture(scope="module")
def batch():
    return kit.run_batch(lambda layout: {"attack-many-cells": many_cells()}, options=["--jobs", "2"], timeout=120)


def test_many_cells_are_rejected_with_a_clear_row(batch):
    assert not batch.timed_out, f"grading took more than {batch.seconds:.0f} s"
    kit.assert_honest_marks_kept(batch)
    row = batch.row("attack-many-cells")
    assert row["status"] != "graded" and row["score"] == 0, {k: row[k] for k in ("status", "score", "message")}
    assert "cells" in row["message"].lower(), row["message"]
    kit.assert_nothing_outside_changed(batch)
