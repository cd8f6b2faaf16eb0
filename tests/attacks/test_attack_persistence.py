"""Code persistence, then a server kill: a submission appends forging code to the grader's modules
(checks/, grader/) and drops a .pth file into the venv's site-packages, then kills its fork server. A
restarted server must not run any of it (later wrong submissions keep their 0 marks), the repository
and the venv must be unchanged, and the next grading run must not run the .pth either.

Graded one at a time (--jobs 1) so that every other submission comes after the attack.
"""

from __future__ import annotations

import attack_cells as cells
import attack_kit as kit
import grade_submissions as gs
import pytest

LATER_WRONG = {  # name -> marks; sorted after the attacker
    "z-wrong-skeleton": (gs.skeleton_submission(), {"get_initializer": 0.0, "forward": 0.0}),
    "z-wrong-forward": (
        gs.submission(
            embedding_model=gs.forward_def(
                "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)\n"
                "return tf.convert_to_tensor(self.embedding_matrix)"
            )
        ),
        {"get_initializer": 1.0, "forward": 0.0},
    ),
}


def build(layout: kit.Layout) -> dict:
    notebooks = {name: text for name, (text, _) in LATER_WRONG.items()}
    notebooks["a-attack-persistence"] = gs.skeleton_submission(
        after=cells.persistence(layout.token, str(layout.marks), layout.cli_token, kit.host_pid_namespace())
    )
    return notebooks


def grade_again(layout: kit.Layout) -> dict:
    """The next `grade` run, on one honest submission, while whatever the attack planted is still there."""
    folder = layout.base / "second"
    folder.mkdir()
    (folder / "honest-half.ipynb").write_text(kit.honest_notebooks(layout.token)["honest-half"][0])
    before = set(kit.os.listdir(layout.marks))
    completed, _ = kit.run_grader(layout, ["--jobs", "1"], timeout=300, submissions=folder, out=layout.base / "out2")
    return {"completed": completed, "new_markers": sorted(set(kit.os.listdir(layout.marks)) - before)}


@pytest.fixture(scope="module")
def batch():
    return kit.run_batch(build, options=["--jobs", "1"], timeout=400, after=grade_again)


def test_code_persistence_then_a_server_kill_forges_nothing(batch):
    kit.assert_attack_failed(batch, "a-attack-persistence", "persistence")
    for name, (_, marks) in LATER_WRONG.items():
        assert batch.scores(name) == marks, (name, batch.row(name))


def test_the_next_grading_run_runs_no_planted_pth(batch):
    second = batch.after
    assert second["completed"] is not None and second["completed"].returncode == 0, second
    assert second["new_markers"] == [], second["new_markers"]
