"""`python -m checks.grade` exit codes: 0 once everything is graded, non-zero only when it cannot run."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grade_submissions as gs

ROOT = Path(__file__).resolve().parent.parent


def grade(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "checks.grade", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)


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


def test_a_sandbox_that_cannot_start_exits_1_saying_why(tmp_path):
    broken = tmp_path / "broken"
    (broken / "tensorflow").mkdir(parents=True)
    (broken / "tensorflow" / "__init__.py").write_text("raise ImportError('no TensorFlow here')\n")
    (tmp_path / "a.ipynb").write_text(gs.submission())
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(broken)}
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
