"""Killing the neighbours: a submission switches off its own alarm, then for a while SIGKILLs every
process it can (sibling sandboxes, its fork server and every new one). The honest submissions graded
meanwhile must keep exactly their marks, and the grader must finish the batch.

(On the host's PID namespace the attack only kills the processes of this grading run; see
attack_cells.kill_siblings.)
"""
from __future__ import annotations

import pytest

import attack_cells as cells
import attack_kit as kit
import grade_submissions as gs

KILL_SECONDS = 15


def build(layout: kit.Layout) -> dict:
    killer = cells.kill_siblings(layout.cli_token, kit.host_pid_namespace(), KILL_SECONDS)
    return {"a-attack-siblings": gs.skeleton_submission(after=(killer,)),
            # more honest work, so that some of it is graded while the attack runs
            **{f"honest-more-{i}": gs.submission() for i in range(4)}}


@pytest.fixture(scope="module")
def batch():
    return kit.run_batch(build, options=["--jobs", "2"], timeout=400)


def test_killing_siblings_and_every_new_server_harms_no_one_else(batch):
    assert not batch.timed_out and batch.completed.returncode == 0, batch.tail()
    kit.assert_honest_marks_kept(batch)
    for i in range(4):
        row = batch.row(f"honest-more-{i}")
        assert row["status"] == "graded" and row["score"] == 2.0, row
    kit.assert_no_marks(batch, "a-attack-siblings")
    kit.assert_nothing_outside_changed(batch)
    assert batch.listener_events == []
