"""Issue 8's fresh-machine check: the course on a Debian 12 machine that has only python3,
python3-venv, make and git, as a learner (an ordinary user, not root) would use it.

The learner clones the course, runs the README's setup (what `make lab` makes before it starts
JupyterLab), then "Run All" on notebook 04: in the learner copy every check cell must say
"not attempted" and nothing else may fail; in the solution copy every check cell must pass. If the
course has a Binder postBuild script, it runs too, in an environment made as Binder makes it.
Nothing is installed by hand: a step the Makefile forgets fails here.
"""

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from debian_root import LEARNER, LEARNER_ID, REPO, Machine

pytestmark = pytest.mark.fresh_machine

COURSE = f"/home/{LEARNER}/embedding-matrix"
SOURCE = "/srv/embedding-matrix"  # where the machine sees the copy it clones from
NOTEBOOK = "04_time_to_code.ipynb"
SMOKE = "tests/fresh_machine/smoke_notebooks.py"
INSTALL_TIMEOUT = 40 * 60


def assert_ran(result):
    """A failed step shows what it printed last (pip's own error, make's), not a Python traceback."""
    if result.returncode != 0:
        pytest.fail(result.tail(), pytrace=False)


def course_snapshot(folder: Path) -> Path:
    """The repository as a clone of it would be if everything in the working tree were committed: the
    files git tracks (with uncommitted edits) and new files it does not ignore, never .venv or build/."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split(b"\0")):
        source, target = REPO / os.fsdecode(name), folder / os.fsdecode(name)
        if source.exists() or source.is_symlink():  # a tracked file deleted in the working tree is gone
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
    git = ["git", "-C", str(folder), "-c", "user.name=fresh machine", "-c", "user.email=fresh@localhost"]
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(git + command, check=True, capture_output=True)
    # The learner's own copy (git refuses to clone a repository another user owns).
    subprocess.run(["chown", "-R", f"{LEARNER_ID}:{LEARNER_ID}", str(folder)], check=True)
    return folder


@pytest.fixture(scope="module")
def machine(debian_root):
    with Machine(debian_root) as machine:
        snapshot = course_snapshot(machine.folder / "course")
        machine.run(f"git clone -q {SOURCE} {COURSE}", user=LEARNER, binds={snapshot: SOURCE}, check=True)
        yield machine


def lab_prerequisites() -> str:
    """What `make lab`, the README's first command, makes before it starts JupyterLab."""
    return re.search(r"^lab:(.*)$", (REPO / "Makefile").read_text(), re.MULTILINE).group(1).strip()


@pytest.fixture(scope="module")
def setup_result(machine, timings):
    command = f"make {lab_prerequisites()}"
    result = machine.run(command, user=LEARNER, cwd=COURSE, timeout=INSTALL_TIMEOUT)
    timings.append((f"`{command}` as the learner (what `make lab` installs, from PyPI)", result.seconds))
    return result


@pytest.fixture(scope="module")
def notebook_04(machine, setup_result, timings):
    """What "Run All" did in the learner copy and in the solution copy of notebook 04."""
    if setup_result.returncode != 0:
        pytest.skip("the setup failed: see test_readme_setup_installs_everything")
    result = machine.run(
        f".venv/bin/python {SMOKE} /tmp/smoke.json notebooks/{NOTEBOOK} solutions/{NOTEBOOK}",
        user=LEARNER,
        cwd=COURSE,
        timeout=INSTALL_TIMEOUT,
    )
    timings.append(("smoke run: notebook 04, learner and solution copies", result.seconds))
    assert_ran(result)
    learner, solution = json.loads(machine.path("/tmp/smoke.json").read_text())
    return learner, solution


def test_readme_setup_installs_everything(setup_result):
    assert_ran(setup_result)


def test_learner_notebook_runs_with_every_check_not_attempted(notebook_04):
    learner, _ = notebook_04
    checks = [cell for cell in learner["cells"] if cell["check"]]
    assert len(checks) >= 2, "notebook 04 has its two graded check cells"
    for cell in learner["cells"]:
        if cell["check"]:
            assert [e.split(":")[0] for e in cell["errors"]] == ["NotAttempted"], cell
        else:
            assert cell["errors"] == [], cell


def test_solution_notebook_passes_every_check(notebook_04):
    _, solution = notebook_04
    assert any(cell["check"] for cell in solution["cells"])
    assert [cell for cell in solution["cells"] if cell["errors"]] == []


def test_binder_postbuild_makes_a_working_environment(machine, setup_result, timings):
    """As Binder (repo2docker) does: a fresh environment, its requirements file, then postBuild."""
    config = "binder" if (REPO / "binder").is_dir() else "."
    if not (REPO / config / "postBuild").is_file():
        pytest.skip("the course has no Binder postBuild script")
    if setup_result.returncode != 0:
        pytest.skip("the setup failed: see test_readme_setup_installs_everything")
    env = f"/home/{LEARNER}/binder-env"
    started = time.monotonic()
    install = (
        f"{env}/bin/pip install -r {config}/requirements.txt" if (REPO / config / "requirements.txt").is_file() else ""
    )
    build = machine.run(
        f"python3 -m venv {env}\n{install}\nchmod +x {config}/postBuild && PATH={env}/bin:$PATH ./{config}/postBuild",
        user=LEARNER,
        cwd=COURSE,
        timeout=INSTALL_TIMEOUT,
    )
    assert_ran(build)
    smoke = machine.run(
        f"{env}/bin/python {SMOKE} /tmp/binder.json solutions/{NOTEBOOK}",
        user=LEARNER,
        cwd=COURSE,
        timeout=INSTALL_TIMEOUT,
    )
    timings.append(("Binder environment and postBuild, then notebook 04", time.monotonic() - started))
    assert_ran(smoke)
    [solution] = json.loads(machine.path("/tmp/binder.json").read_text())
    assert [cell for cell in solution["cells"] if cell["errors"]] == []
