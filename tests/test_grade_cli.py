"""`python -m grader` exit codes: 0 once everything is graded, non-zero only when it cannot run (or
when --fail-under / --require are not met), and no grading without a sandbox unless asked."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import grade_submissions as gs
import pytest

pytestmark = pytest.mark.slow  # runs the grader or whole notebooks: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent


def grade(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def test_a_missing_path_exits_2_saying_so(tmp_path):
    completed = grade(tmp_path / "nowhere", "--out", tmp_path / "out")
    assert completed.returncode == 2
    assert "does not exist" in completed.stderr


def test_an_empty_folder_exits_2_saying_so(tmp_path):
    (tmp_path / "empty").mkdir()
    completed = grade(tmp_path / "empty", "--out", tmp_path / "out")
    assert completed.returncode == 2
    assert "holds no files" in completed.stderr


def test_an_unwritable_output_folder_exits_2(tmp_path):
    (tmp_path / "a.ipynb").write_text(gs.submission())
    (tmp_path / "file").write_text("")
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "file" / "out")
    assert completed.returncode == 2
    assert "cannot write" in completed.stderr


def test_gradescope_output_needs_one_submission(tmp_path):
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_text(gs.submission())
    completed = grade(tmp_path, "--out", tmp_path / "out", "--gradescope", tmp_path / "r.json")
    assert completed.returncode == 2 and "exactly one" in completed.stderr


def fake_bwrap(folder: Path, body: str) -> dict:
    """An environment whose `bwrap` passes the availability probe and then runs ``body``."""
    folder.mkdir()
    real = shutil.which("bwrap")
    (folder / "bwrap").write_text(f'#!/bin/sh\ncase "$*" in *" -- /bin/true") exec {real} "$@";; esac\n{body}\n')
    (folder / "bwrap").chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:/usr/bin:/bin"}


def test_a_sandbox_that_cannot_start_exits_1_saying_why(tmp_path):
    (tmp_path / "a.ipynb").write_text(gs.submission())
    env = fake_bwrap(tmp_path / "bin", "echo 'ImportError: no TensorFlow here' >&2; exit 1")
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "out", env=env)
    assert completed.returncode == 1
    assert "could not start" in completed.stderr and "no TensorFlow here" in completed.stderr
    assert not (tmp_path / "out" / "results.json").exists()


def test_only_malformed_files_need_no_sandbox_and_exit_0(tmp_path):
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "empty.ipynb").write_bytes(b"")
    completed = grade(tmp_path / "subs", "--out", tmp_path / "out")
    assert completed.returncode == 0, completed.stderr
    assert "not a notebook" in (tmp_path / "out" / "grades.csv").read_text()


def test_without_bubblewrap_nothing_is_graded_unless_asked(tmp_path):
    (tmp_path / "a.ipynb").write_text(gs.submission())
    env = fake_bwrap(tmp_path / "bin", "exit 1")
    (tmp_path / "bin" / "bwrap").write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"
    )
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "out", env=env)
    assert completed.returncode == 2
    assert "no sandbox" in completed.stderr and "--unsafe-no-sandbox" in completed.stderr
    assert not (tmp_path / "out" / "results.json").exists()
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "out", "--unsafe-no-sandbox", env=env)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "WARNING" in completed.stderr and "WITHOUT a sandbox" in completed.stdout
    assert json.loads((tmp_path / "out" / "results.json").read_text())["submissions"][0]["score"] == 2.0


def test_fail_under_and_require_give_a_failing_exit_code(tmp_path):
    (tmp_path / "a.ipynb").write_text(gs.submission(embedding_model=gs.FORWARD_SKELETON))
    first, last = "get_initializer", "forward"  # the notebook's two exercises, in its order
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "out", "--require", first, "--fail-under", "1")
    assert completed.returncode == 0, completed.stderr[-3000:]
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "out", "--require", last)
    assert completed.returncode == 3 and f"{last} not passed" in completed.stderr
    assert (tmp_path / "out" / "results.json").exists()
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "out", "--require", "no_such_exercise")
    assert completed.returncode == 2 and "no graded exercise" in completed.stderr


def test_the_secret_draws_hidden_cases_and_the_summary_says_which_were_used(tmp_path):
    (tmp_path / "a.ipynb").write_text(gs.submission())
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "out")
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "public cases only" in completed.stdout
    (tmp_path / "secret").write_text("course-2026-secret\n")
    completed = grade(tmp_path / "a.ipynb", "--out", tmp_path / "out2", "--secret-file", tmp_path / "secret")
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads((tmp_path / "out2" / "results.json").read_text())
    assert "public and hidden cases" in results["cases"] and results["submissions"][0]["score"] == 2.0


def test_run_as_says_what_it_cannot_do(tmp_path):
    (tmp_path / "a.ipynb").write_text(gs.submission())
    out = tmp_path / "out"
    missing = grade(str(tmp_path / "a.ipynb"), "--out", str(out), "--run-as", "no-such-user-here")
    both = grade(str(tmp_path / "a.ipynb"), "--out", str(out), "--run-as", "nobody", "--unsafe-no-sandbox")
    assert both.returncode == 2 and "choose one" in both.stderr
    if os.geteuid() == 0:
        assert missing.returncode == 2 and "there is no user no-such-user-here" in missing.stderr
    else:
        assert missing.returncode == 2 and "only root can start submissions as another user" in missing.stderr


def test_a_user_who_cannot_reach_the_graders_python_is_named_with_what_to_do(tmp_path, monkeypatch):
    import tempfile

    from grader.sandbox.isolation import users

    tmp_path = Path(tempfile.mkdtemp())  # pytest's own is in a folder only its user enters
    tmp_path.chmod(0o755)
    monkeypatch.setattr(users.os, "geteuid", lambda: 1000)  # no mount namespace to make it reachable
    blocked = tmp_path / "private"
    (blocked / "venv").mkdir(parents=True)
    blocked.chmod(0o700)
    nobody = pwd.getpwnam("nobody")
    assert users.untraversable(str(blocked / "venv"), nobody.pw_uid, nobody.pw_gid) == blocked
    assert users.untraversable(str(tmp_path), nobody.pw_uid, nobody.pw_gid) is None
    failed = subprocess.CompletedProcess([], 1, "", "ModuleNotFoundError: No module named 'numpy'")
    monkeypatch.setattr(users, "_probe", lambda *args: failed)
    with pytest.raises(users.Unreachable) as raised:
        users.prepared("nobody", [str(blocked / "venv")], str(tmp_path), ("numpy",), tmp_path)
    assert str(raised.value).startswith(
        f"the user nobody, who runs the submissions here, cannot enter {blocked} (drwx------), on the way to "
        f"{blocked / 'venv'}"
    )
    assert f"chmod o+x {blocked}" in str(raised.value)
    with pytest.raises(users.Unreachable, match="No module named 'numpy'. Make the venv readable by every user"):
        users.prepared("nobody", [str(tmp_path)], str(tmp_path), ("numpy",), tmp_path)
    shutil.rmtree(tmp_path)
