"""A planted package plus a server kill: a submission writes a ``checks`` package (the real one with
forging code added) into every folder its fork server searches before the real one (today: the
server's working folder, first on its path under ``python -m``), then kills the server. The new server
must not import it: the submissions after it keep their marks, and no planted code runs.
"""

from __future__ import annotations

import attack_cells as cells
import attack_kit as kit
import grade_submissions as gs
import pytest

LATER_WRONG = {"z-wrong-skeleton": (gs.skeleton_submission(), {"get_initializer": 0.0, "forward": 0.0})}


def build(layout: kit.Layout) -> dict:
    return {
        "a-attack-planted-package": gs.skeleton_submission(
            after=cells.planted_package(layout.token, str(layout.marks), layout.cli_token, kit.host_pid_namespace())
        ),
        **{name: text for name, (text, _) in LATER_WRONG.items()},
    }


@pytest.fixture(scope="module")
def batch():
    return kit.run_batch(build, options=["--jobs", "1"], timeout=400)


def test_a_planted_package_then_a_server_kill_forges_nothing(batch):
    kit.assert_attack_failed(batch, "a-attack-planted-package", "planted-package")
    for name, (_, marks) in LATER_WRONG.items():
        assert batch.scores(name) == marks, (name, batch.row(name))
    assert batch.left_behind == [], batch.left_behind
