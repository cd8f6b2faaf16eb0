"""Attacks that can share one batch: each leaves its own evidence, and none stops the others.

One grading run (module fixture) holds the honest submissions, an attacker per class (network, home
and /etc, reading solutions/ and other submissions, memory split across processes, filling /tmp) and
files that are not notebooks (symlinks, a FIFO). Each test asserts on its own attacker's row and
evidence, and that the honest submissions kept exactly their marks.
"""

from __future__ import annotations

import os
import time

import attack_cells as cells
import attack_kit as kit
import grade_submissions as gs
import pytest

MEMORY_MB = 2048
SPECIAL = {"link-to-solution.ipynb", "link-to-passwd.ipynb", "fifo.ipynb"}


def build(layout: kit.Layout) -> dict:
    token = layout.token
    (layout.submissions / "link-to-solution.ipynb").symlink_to(kit.ROOT / "solutions" / "04_time_to_code.ipynb")
    (layout.submissions / "link-to-passwd.ipynb").symlink_to("/etc/passwd")
    os.mkfifo(layout.submissions / "fifo.ipynb")
    (layout.submissions / "linked-folder").symlink_to(kit.ROOT / "solutions", target_is_directory=True)
    attacks = {
        "attack-network": cells.connect(layout.port, layout.udp_port, token),
        "attack-home-etc": cells.home_and_etc(token, layout.writable_sentinels, layout.secret_sentinels),
        "attack-read-others": cells.read_others(
            token, str(kit.ROOT / "solutions"), str(layout.submissions), str(layout.out)
        ),
        "attack-memory-split": cells.memory_split(children=4, child_mb=1024, limit_mb=MEMORY_MB),
        "attack-disk-fill": cells.disk_fill(token, folder_mb=400),
    }
    return {name: gs.skeleton_submission(after=code) for name, code in attacks.items()}


def feed_fifo(layout: kit.Layout, stop) -> None:
    """Whoever opens the FIFO reads a correct notebook from it (and a grader that opens it does not hang)."""
    content = gs.submission().encode()
    while not stop.is_set():
        try:
            fd = os.open(layout.submissions / "fifo.ipynb", os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            time.sleep(0.05)
            continue
        os.set_blocking(fd, True)
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
        except OSError:
            pass
        finally:
            os.close(fd)


@pytest.fixture(scope="module")
def batch():
    return kit.run_batch(
        build, options=["--jobs", "2", "--memory-mb", str(MEMORY_MB)], timeout=400, background=feed_fifo
    )


def test_the_batch_finishes_and_every_file_gets_a_row(batch):
    assert not batch.timed_out and batch.completed.returncode == 0, batch.tail()
    assert {f"{n}.ipynb" for n in kit.honest_notebooks(batch.layout.token)} | SPECIAL <= set(batch.rows)


def test_honest_submissions_keep_exactly_their_marks(batch):
    kit.assert_honest_marks_kept(batch)


def test_nothing_outside_the_sandbox_changed(batch):
    kit.assert_nothing_outside_changed(batch, kinds=("repo:", "venv:"))  # home and /etc: their own test
    kit.assert_no_planted_code_ran(batch)


def test_network_nothing_reaches_a_listener_on_localhost(batch):
    kit.assert_honest_marks_kept(batch)
    kit.assert_no_marks(batch, "attack-network")
    kit.assert_attack_ran(batch, "network")
    assert batch.listener_events == [], batch.listener_events


def test_home_and_etc_cannot_be_written_or_read(batch):
    kit.assert_honest_marks_kept(batch)
    kit.assert_no_marks(batch, "attack-home-etc")
    kit.assert_attack_ran(batch, "home-etc")
    kit.assert_nothing_outside_changed(batch, kinds=("sentinel:", "new:"))
    token = batch.layout.token
    for secret in (f"homesecret-{token}", f"etcsecret-{token}", "HOME-LEAKED"):
        assert secret not in batch.outputs


def test_solutions_other_submissions_and_out_are_hidden(batch):
    kit.assert_honest_marks_kept(batch)
    kit.assert_no_marks(batch, "attack-read-others")
    kit.assert_attack_ran(batch, "read-others")
    kit.assert_nothing_leaked(batch)
    assert batch.planted == [], batch.planted


def test_memory_split_across_processes_stays_under_the_limit(batch):
    kit.assert_honest_marks_kept(batch)
    kit.assert_no_marks(batch, "attack-memory-split")
    assert "MEMORY-OVER" not in batch.outputs, batch.row("attack-memory-split")


def test_disk_fill_leaves_nothing_in_the_hosts_temporary_folders(batch):
    kit.assert_honest_marks_kept(batch)
    kit.assert_no_marks(batch, "attack-disk-fill")
    kit.assert_attack_ran(batch, "disk-fill")
    assert batch.left_behind == [], batch.left_behind


@pytest.mark.parametrize(
    "name, words",
    [
        ("link-to-solution.ipynb", ("link",)),
        ("link-to-passwd.ipynb", ("link",)),
        ("fifo.ipynb", ("fifo", "pipe", "special", "regular")),
    ],
)
def test_symlinks_and_special_files_get_a_clear_row_and_no_grade(batch, name, words):
    kit.assert_honest_marks_kept(batch)
    row = batch.row(name)
    assert row["status"] != "graded" and row["score"] == 0, row
    assert any(word in row["message"].lower() for word in words), row["message"]
    assert all(t["score"] == 0 for t in row["tests"])
    assert "root:x:0:0" not in batch.outputs


def test_a_symlinked_folder_is_not_followed(batch):
    inside = {name: row for name, row in batch.rows.items() if name.startswith("linked-folder")}
    assert all(row["status"] != "graded" and row["score"] == 0 for row in inside.values()), inside
