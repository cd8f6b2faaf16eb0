"""One submission after another in the same place: what one leaves behind must not reach the next.

Graded one at a time (--jobs 1), so every other submission runs after the attacker, where a grader
that reuses a fork server, its temporary folders or its process namespace would let it reach them:

* files left in /tmp, /var/tmp, /dev/shm, the working folder and home must not be readable by a later
  submission (nor stay on the host);
* a daemon started by one submission (double fork, new session, signals ignored) must not outlive it
  and kill the submissions graded after it.
"""

from __future__ import annotations

import attack_cells as cells
import attack_kit as kit
import grade_submissions as gs
import pytest


def leave_and_find(layout: kit.Layout) -> dict:
    return {
        "a-attack-leave-files": gs.skeleton_submission(after=cells.leave_files(layout.token)),
        "z-attack-find-files": gs.skeleton_submission(after=cells.find_files(layout.token)),
    }


def daemon(layout: kit.Layout) -> dict:
    killer = cells.daemon_killer(layout.cli_token, kit.host_pid_namespace(), seconds=8)
    return {"a-attack-daemon-killer": gs.skeleton_submission(after=killer)}


@pytest.fixture(scope="module")
def files_batch():
    return kit.run_batch(leave_and_find, options=["--jobs", "1"], timeout=400)


@pytest.fixture(scope="module")
def daemon_batch():
    return kit.run_batch(daemon, options=["--jobs", "1"], timeout=400, more_honest=4)


def test_files_left_by_one_submission_do_not_reach_the_next(files_batch):
    kit.assert_attack_failed(files_batch, "a-attack-leave-files", "leave-files")
    kit.assert_attack_ran(files_batch, "find-files")
    kit.assert_no_marks(files_batch, "z-attack-find-files")
    token = files_batch.layout.token
    assert "LEFTOVER-LEAKED" not in files_batch.outputs and f"leftsecret-{token}" not in files_batch.outputs
    assert files_batch.left_behind == [], files_batch.left_behind


def test_a_daemon_does_not_outlive_its_submission_to_kill_the_next(daemon_batch):
    assert not daemon_batch.timed_out and daemon_batch.completed.returncode == 0, daemon_batch.tail()
    kit.assert_attack_failed(daemon_batch, "a-attack-daemon-killer", "daemon-killer")
