"""Killing the neighbours: a submission switches off its own alarm, then for a while SIGKILLs every
process it can (sibling sandboxes, its fork server and every new one). The honest submissions graded
meanwhile must keep exactly their marks, and the grader must finish the batch.

(On the host's PID namespace the attack only kills the processes of this grading run; see
attack_cells.kill_siblings.)
"""

from __future__ import annotations

import attack_kit as kit
import pytest


@pytest.fixture(scope="module")
def batch():
    return kit.run_batch(kit.sibling_killer, options=["--jobs", "2"], timeout=400, more_honest=4)


def test_killing_siblings_and_every_new_server_harms_no_one_else(batch):
    assert not batch.timed_out and batch.completed.returncode == 0, batch.tail()
    kit.assert_attack_failed(batch, "a-attack-siblings", "siblings")
