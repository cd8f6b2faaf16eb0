"""`make gradescope`: an assignment's autograder zip, and its run_autograder against a folder laid out like
/autograder."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import grade_submissions as gs
import pytest

from grader.course import classroom
from tools.release import gradescope as autograder_package

NOTEBOOK_04 = classroom.load().course().only(["get_initializer", "forward"])
pytestmark = pytest.mark.slow  # runs the grader or whole notebooks: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    completed = subprocess.run(
        [sys.executable, "-m", "tools.release", "gradescope", "--out", str(out), "--assignment", "04_time_to_code"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert [p.name for p in out.iterdir()] == ["04_time_to_code.zip"]
    return out / "04_time_to_code.zip"


def autograder_root(tmp_path: Path, autograder_zip: Path, submission: dict[str, str]) -> Path:
    """A folder laid out as Gradescope lays out /autograder."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
        for info in archive.infolist():  # zipfile does not restore permissions
            os.chmod(root / "source" / info.filename, (info.external_attr >> 16) & 0o777)
    (root / "run_autograder").write_bytes((root / "source" / "run_autograder").read_bytes())
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    for name, text in submission.items():
        (root / "submission" / name).write_text(text)
    return root


def run_autograder(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    return subprocess.run([str(root / "run_autograder")], capture_output=True, text=True, env=env, timeout=600)


def test_the_zip_holds_the_scripts_requirements_and_checks_at_its_root(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
    assert {
        "setup.sh",
        "run_autograder",
        "requirements.txt",
        "constraints.txt",
        "checks/__init__.py",
        "grader/__main__.py",
        "checks/exercises/forward.py",
        "gradescope_assignment",
    } <= names
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert not any(n.startswith(("solutions/", "notebooks/", "tests/")) or "__pycache__" in n for n in names)


def test_the_zip_is_reproducible(tmp_path, autograder_zip):
    (again,) = autograder_package.build(tmp_path, classroom.load(), None, ["04_time_to_code"])
    assert again.read_bytes() == autograder_zip.read_bytes()


def test_the_shell_scripts_parse():
    for script in ("setup.sh", "run_autograder"):
        assert subprocess.run(["bash", "-n", str(ROOT / "gradescope" / script)]).returncode == 0


def test_run_autograder_grades_the_submission(tmp_path, autograder_zip):
    wrong_forward = gs.forward_def(
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', "
        "initializer=initializer)\nreturn self.embedding_matrix"
    )
    root = autograder_root(
        tmp_path,
        autograder_zip,
        {
            "04_time_to_code.ipynb": gs.submission(embedding_model=wrong_forward),
            "notes.ipynb": gs.skeleton_submission(),
        },
    )
    completed = run_autograder(root)
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 1.0
    tests = {t["name"]: t for t in results["tests"]}
    assert set(tests) == set(NOTEBOOK_04.names())
    assert tests["get_initializer"]["status"] == "passed" and tests["get_initializer"]["score"] == 1.0
    assert tests["forward"]["status"] == "failed" and tests["forward"]["max_score"] == 1.0
    assert "returned the variable" in tests["forward"]["output"]
    assert "notes.ipynb" in results["output"]
    assert isinstance(results["execution_time"], int)
    assert "Graded 1 of 1" in completed.stdout


def test_run_autograder_without_a_notebook(tmp_path, autograder_zip):
    root = autograder_root(tmp_path, autograder_zip, {"answers.py": gs.GET_INITIALIZER_SOLUTION})
    completed = run_autograder(root)
    assert completed.returncode == 0, completed.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "No notebook" in results["output"]
    assert [t["name"] for t in results["tests"]] == NOTEBOOK_04.names()


def test_run_autograder_with_another_notebook_names_the_one_to_upload(tmp_path, autograder_zip):
    # notebook 03, solved, uploaded to notebook 04's assignment, under 04's name
    solved_03 = json.dumps(gs.solved_learner_copy("03_embedding_lookup"))
    root = autograder_root(tmp_path, autograder_zip, {"04_time_to_code.ipynb": solved_03})
    completed = run_autograder(root)
    assert completed.returncode == 0, completed.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and [t["name"] for t in results["tests"]] == NOTEBOOK_04.names()
    assert results["output"].startswith(
        "This assignment grades 04_time_to_code.ipynb, and your submission holds another notebook of the course "
        "(04_time_to_code.ipynb is 03_embedding_lookup.ipynb): upload 04_time_to_code.ipynb"
    )
    assert "was its cell deleted" not in json.dumps(results)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can run a submission as another user")
def test_without_bubblewrap_the_submission_runs_as_nobody_with_our_files_read_only(autograder_zip):
    base = Path(tempfile.mkdtemp(prefix="autograder-"))  # not under pytest's root-only folder: nobody reads it
    try:
        os.chmod(base, 0o755)
        tamper = textwrap.dedent("""\
            import os
            for path in ("source/grader/pipeline/mark.py", "results/results.json", "planted.txt"):
                try:
                    with open(os.path.join(os.environ.get("AG", "/nonexistent"), path), "a") as f:
                        f.write("tampered")
                except OSError:
                    pass
            """).replace('os.environ.get("AG", "/nonexistent")', repr(str(base / "autograder")))
        root = autograder_root(base, autograder_zip, {"04_time_to_code.ipynb": gs.submission(after=(tamper,))})
        (root / "results").mkdir()
        for folder, _, files in os.walk(base):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(Path(folder, name), os.stat(Path(folder, name)).st_mode | 0o444)
        before = (root / "source" / "grader" / "pipeline" / "mark.py").read_bytes()
        fake = base / "bin"
        fake.mkdir()
        (fake / "bwrap").write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
        (fake / "bwrap").chmod(0o755)
        env = dict(
            os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable, PATH=f"{fake}:{os.environ['PATH']}"
        )
        completed = subprocess.run([str(root / "run_autograder")], capture_output=True, text=True, env=env, timeout=600)
        assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-3000:]
        assert "runs as the user nobody" in completed.stdout
        results = json.loads((root / "results" / "results.json").read_text())
        assert results["score"] == NOTEBOOK_04.max_score(), results
        assert (root / "source" / "grader" / "pipeline" / "mark.py").read_bytes() == before
        assert not (root / "planted.txt").exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)


# -- variants: each learner's own task, by the submitter Gradescope names -------------------------------


def test_with_variants_each_submitter_is_graded_on_their_own_task_and_a_neighbour_s_is_named(tmp_path):
    from check_harness import classroom_with_variants

    from checks import registry
    from checks.allocation import from_table
    from checks.variation import families

    toml = tmp_path / "classroom.toml"
    toml.write_text(classroom_with_variants("gradescope term"))
    (tmp_path / "secret").write_text("a secret of the autumn class\n")
    built = subprocess.run(
        [sys.executable, "-m", "tools.release", "--classroom", str(toml), "gradescope", "--out", str(tmp_path / "zips")]
        + ["--assignment", "05_training", "--secret-file", str(tmp_path / "secret")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    room = from_table({"enabled": True, "salt": "gradescope term"}, families())
    emails = [f"learner{n}@example.edu" for n in range(100)]
    ada = next(e for e in emails if room.variant_of(e, "nearest_neighbours") == "euclidean")
    bob = next(e for e in emails if room.variant_of(e, "nearest_neighbours") == "cosine")
    euclidean = registry.VARIANTS["nearest_neighbours"]["euclidean"]
    solved = gs.solved_learner_copy("05_training", replace={"nearest_neighbours": euclidean.solution_code})
    notebook = json.dumps(solved)
    results = {}
    for who in (ada, bob):  # bob hands in ada's notebook
        root = autograder_root(tmp_path / who, tmp_path / "zips" / "05_training.zip", {"05_training.ipynb": notebook})
        metadata = {"users": [{"email": who, "id": 1, "name": "A Learner", "sid": ""}], "assignment": {"id": 7}}
        (root / "submission_metadata.json").write_text(json.dumps(metadata))
        completed = run_autograder(root)
        assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-3000:]
        [results[who]] = json.loads((root / "results" / "results.json").read_text())["tests"]
    assert results[ada]["status"] == "passed" and results[ada]["extra_data"]["variant"] == "euclidean"
    assert results[bob]["status"] == "failed" and results[bob]["extra_data"]["solves"] == "euclidean"
    assert 'the task "euclidean"' in results[bob]["output"] and 'your task is "cosine"' in results[bob]["output"]
