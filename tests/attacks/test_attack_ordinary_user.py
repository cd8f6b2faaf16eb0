"""The core attacks again with the grader run as an ordinary user, as instructors grade: the hiding
must really hold (solutions/, the other submissions and OUT unreadable and unwritable from a
submission), symlinks get no grade, home cannot be written, and siblings cannot be killed.

As root, the test creates a system user (conftest.ordinary_user) and runs the grader under it with
setpriv; run by an ordinary user, the tests already are one and run the grader as themselves.
"""

from __future__ import annotations

import attack_cells as cells
import attack_kit as kit
import grade_submissions as gs
import pytest


def build_hiding(layout: kit.Layout) -> dict:
    (layout.submissions / "link-to-solution.ipynb").symlink_to(kit.ROOT / "solutions" / "04_time_to_code.ipynb")
    (layout.submissions / "link-to-passwd.ipynb").symlink_to("/etc/passwd")
    token = layout.token
    return {
        "attack-read-others": gs.skeleton_submission(
            after=cells.read_others(token, str(kit.ROOT / "solutions"), str(layout.submissions), str(layout.out))
        ),
        "attack-home-etc": gs.skeleton_submission(
            after=cells.home_and_etc(token, layout.writable_sentinels, layout.secret_sentinels)
        ),
    }


@pytest.fixture(scope="module")
def hiding(ordinary_user):
    return kit.run_batch(build_hiding, options=["--jobs", "2"], timeout=400, runner=ordinary_user)


@pytest.fixture(scope="module")
def siblings(ordinary_user):
    return kit.run_batch(kit.sibling_killer, options=["--jobs", "2"], timeout=400, runner=ordinary_user, more_honest=4)


def test_as_an_ordinary_user_solutions_other_submissions_and_out_stay_hidden(hiding):
    assert not hiding.timed_out and hiding.completed.returncode == 0, hiding.tail()
    kit.assert_honest_marks_kept(hiding)
    kit.assert_no_marks(hiding, "attack-read-others")
    kit.assert_attack_ran(hiding, "read-others")
    kit.assert_nothing_leaked(hiding)
    assert hiding.planted == [], hiding.planted
    kit.assert_nothing_outside_changed(hiding, kinds=("repo:", "venv:"))


def test_as_an_ordinary_user_home_cannot_be_written_or_read(hiding):
    kit.assert_honest_marks_kept(hiding)
    kit.assert_no_marks(hiding, "attack-home-etc")
    kit.assert_attack_ran(hiding, "home-etc")
    kit.assert_nothing_outside_changed(hiding, kinds=("sentinel:", "new:"))
    assert "HOME-LEAKED" not in hiding.outputs


@pytest.mark.parametrize("name", ["link-to-solution.ipynb", "link-to-passwd.ipynb"])
def test_as_an_ordinary_user_symlinks_get_no_grade(hiding, name):
    row = hiding.row(name)
    assert row["status"] != "graded" and row["score"] == 0, row
    assert "link" in row["message"].lower(), row["message"]
    assert "root:x:0:0" not in hiding.outputs


def test_as_an_ordinary_user_killing_siblings_harms_no_one_else(siblings):
    assert not siblings.timed_out and siblings.completed.returncode == 0, siblings.tail()
    kit.assert_attack_failed(siblings, "a-attack-siblings", "siblings")
