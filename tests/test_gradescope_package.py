"""`make gradescope SECRET_FILE=...`: the autograder zip, unpacked into a folder laid out like
/autograder, grades a correct, a wrong, a tuned and a broken submission as expected, and writes a
results.json that Gradescope's documented format accepts, also when grading cannot run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import grade_submissions as gs
import jsonschema
import pytest
from packaging.requirements import Requirement
from test_hidden_cases import TUNED_GET_INITIALIZER, TUNED_MODEL
from test_release import leaks

import checks
from grader.course import classroom

pytestmark = pytest.mark.slow(minutes=2)  # runs the grader: not in make test-fast

NOTEBOOK_04 = classroom.load().course().only(["get_initializer", "forward"])
ROOT = Path(__file__).resolve().parent.parent
SECRET = "gradescope test secret"

# Gradescope's results.json, as its autograder documentation specifies it (every key it lists; no other).
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
TEST = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "score", "max_score", "status", "output"],
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"},
        "name_format": FORMAT,
        "number": {"type": "string"},
        "output": {"type": "string"},
        "output_format": FORMAT,
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": VISIBILITY,
        "extra_data": {"type": "object"},
    },
}
RESULTS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["output", "tests"],
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "integer"},
        "output": {"type": "string"},
        "output_format": FORMAT,
        "test_output_format": FORMAT,
        "test_name_format": FORMAT,
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": TEST},
        "leaderboard": {"type": "array"},
    },
}


@pytest.fixture(scope="module")
def workspace():
    # Not under /tmp: the grader's sandbox mounts its own empty /tmp, which would hide the source folder.
    (ROOT / "build").mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="test-gradescope-", dir=ROOT / "build"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def autograder_zip(workspace) -> Path:
    (workspace / "secret").write_text(SECRET + "\n")
    out = workspace / "zips"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.release",
            "gradescope",
            "--out",
            str(out),
            "--secret-file",
            str(workspace / "secret"),
            "--assignment",
            "04_time_to_code",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return out / "04_time_to_code.zip"


def autograder_root(workspace: Path, autograder_zip: Path, name: str, files: dict[str, str]) -> Path:
    """A folder laid out as Gradescope lays out /autograder, with ``files`` as the submission."""
    root = workspace / name
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
        for info in archive.infolist():  # zipfile does not restore permissions
            os.chmod(root / "source" / info.filename, (info.external_attr >> 16) & 0o777)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    for filename, text in files.items():
        (root / "submission" / filename).write_text(text)
    return root


def run_autograder(root: Path, python: str = sys.executable) -> tuple[dict, subprocess.CompletedProcess]:
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=python)
    env.pop("GRADE_SECRET", None)
    completed = subprocess.run([str(root / "run_autograder")], capture_output=True, text=True, env=env, timeout=600)
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, RESULTS)
    return results, completed


def test_the_zip_holds_the_grader_the_secret_and_no_solution(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        files = {n: archive.read(n).decode() for n in names}
    assert {
        "setup.sh",
        "run_autograder",
        "requirements-grader.txt",
        "constraints.txt",
        "classroom.toml",
        "grading_secret",
        "checks/__init__.py",
        "grader/__main__.py",
        "grader/commands/gradescope.py",
        "gradescope_assignment",
    } <= names
    assert modes["setup.sh"] & 0o100 and modes["run_autograder"] & 0o100
    assert not any(n.startswith(("solutions/", "notebooks/", "tests/", "tools/", "benchmarks/")) for n in names)
    assert files["grading_secret"].strip() == SECRET and modes["grading_secret"] == 0o600
    assert leaks(files) == []


def test_setup_installs_only_what_the_grader_needs_from_pinned_versions():
    wanted = [
        line.split("#")[0].strip() for line in (ROOT / "gradescope" / "requirements.txt").read_text().splitlines()
    ]
    wanted = {Requirement(w).name.lower().replace("_", "-") for w in wanted if w}
    assert {"tensorflow-cpu", "numpy"} <= wanted
    assert not wanted & {"jupyterlab", "playwright", "nbval", "matplotlib", "ipywidgets", "notebook"}
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    assert wanted <= pinned


def test_setup_sh_never_takes_an_rc_or_a_ppa_and_asks_nothing():
    text = (ROOT / "gradescope" / "setup.sh").read_text()
    script = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert subprocess.run(["bash", "-n", str(ROOT / "gradescope" / "setup.sh")]).returncode == 0
    assert "deadsnakes" not in script and "add-apt-repository" not in script
    assert 'releaselevel == "final"' in script  # 3.11.0rc1 (Ubuntu 22.04's python3.11) is refused
    assert "(3, 10) <= sys.version_info[:2] <= (3, 13)" in script  # the image's own 3.10 to 3.13
    assert "DEBIAN_FRONTEND=noninteractive" in script
    assert all("-y" in line for line in script.splitlines() if re.match(r"\s*apt-get install", line))
    assert '-r "$SOURCE/requirements-grader.txt" -c "$SOURCE/constraints.txt"' in script


def test_a_correct_a_wrong_and_a_tuned_submission(workspace, autograder_zip):
    wrong_forward = gs.forward_def(
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', "
        "initializer=initializer)\nreturn self.embedding_matrix"
    )
    submissions = {
        "correct": gs.submission(),
        "wrong": gs.submission(embedding_model=wrong_forward),
        "tuned": gs.submission(get_initializer=TUNED_GET_INITIALIZER, embedding_model=TUNED_MODEL),
    }
    full = NOTEBOOK_04.max_score()
    graded = {}
    for name, text in submissions.items():
        root = autograder_root(workspace, autograder_zip, name, {"04_time_to_code.ipynb": text})
        results, completed = run_autograder(root)
        assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
        graded[name] = results
    assert graded["correct"]["score"] == full
    assert all(t["status"] == "passed" for t in graded["correct"]["tests"])
    wrong = {t["name"]: t for t in graded["wrong"]["tests"]}
    assert wrong["forward"]["status"] == "failed" and wrong["get_initializer"]["status"] == "passed"
    assert graded["wrong"]["score"] == full - checks.forward.points
    assert graded["tuned"]["score"] < full  # the secret's hidden cases catch it
    assert any("hidden test case" in t["output"] for t in graded["tuned"]["tests"])


def test_a_broken_submission_gets_a_visible_result(workspace, autograder_zip):
    root = autograder_root(workspace, autograder_zip, "broken", {"04_time_to_code.ipynb": "{ this is not json"})
    results, _ = run_autograder(root)
    assert results["score"] == 0 and results["visibility"] == "visible" and results["output"]


def test_when_python_cannot_start_results_json_still_says_so(workspace, autograder_zip):
    root = autograder_root(workspace, autograder_zip, "no-python", {"04_time_to_code.ipynb": gs.submission()})
    results, completed = run_autograder(root, python=str(workspace / "no-such-python"))
    assert completed.returncode != 0
    assert results["visibility"] == "visible" and "could not run" in results["output"]
    assert "no-such-python" not in results["output"]  # the details go to the instructor's log only
    assert "no-such-python" in completed.stderr


@pytest.mark.parametrize(
    "content, expected",
    [
        ("805306368\n", 768 - 650),
        ("max\n", 2048),
        ("1610612736", 1536 - 650),
        ("9223372036854771712", 2048),
        ("536870912", 64),
    ],
)
def test_a_submission_may_add_what_the_container_leaves(tmp_path, content, expected):
    from grader.commands.gradescope import memory_budget_mb

    (tmp_path / "memory.max").write_text(content)
    assert memory_budget_mb(2048, files=[str(tmp_path / "memory.max")]) == expected
    assert memory_budget_mb(2048, files=[str(tmp_path / "absent")]) == 2048


def test_points_and_partial_credit_come_from_classroom_toml(workspace):
    """forward worth 3 with partial credit: an answer that flattens the ids is right for the 1-D groups
    only, and earns its share of the 3 points; the total is out of get_initializer's 1 + 3."""
    (workspace / "partial.toml").write_text("[exercises.forward]\npoints = 3\npartial_credit = true\n")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.release",
            "--classroom",
            str(workspace / "partial.toml"),
            "gradescope",
            "--out",
            str(workspace / "partial"),
            "--assignment",
            "04_time_to_code",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    out = workspace / "partial" / "04_time_to_code.zip"
    flattening = gs.forward_def(
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', "
        "initializer=initializer)\n"
        "return tf.nn.embedding_lookup(self.embedding_matrix, tf.reshape(target_ids, [-1]))"
    )
    root = autograder_root(
        workspace, out, "partial", {"04_time_to_code.ipynb": gs.submission(embedding_model=flattening)}
    )
    results, completed = run_autograder(root)
    assert completed.returncode == 0, completed.stdout[-2000:]
    forward = next(t for t in results["tests"] if t["name"] == "forward")
    assert forward["max_score"] == 3 and forward["status"] == "failed"
    groups = {c["group"] for c in checks.forward.public_cases()}
    shares = forward["score"] * len(groups) / 3  # whole groups right, each worth an equal share
    assert 0 < forward["score"] < 3 and abs(shares - round(shares)) < 1e-9
    right = forward["extra_data"]["groups"]  # each group's result, for the learner and the gradebook
    assert set(right) == groups and 0 < sum(right.values()) < len(groups)
    assert round(shares) == sum(right.values()) and forward["extra_data"]["mistake"] == "flattened-ids"
    assert results["score"] == pytest.approx(1 + forward["score"])
