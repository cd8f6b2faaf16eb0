"""The attack suite (issue 12): a learner's attacks on the grader itself and its neighbours, each graded
beside honest submissions through the grader's command line only (``python -m grader``), asserting
that the honest ones keep exactly their marks, the attacker gets none, nothing outside the sandbox
changes (the repository, the venv, test files in home and /etc, the host's temporary folders) and
nothing reaches a listener on 127.0.0.1.

* test_attack_batch.py: network, home and /etc, reading solutions/ and other submissions, memory split
  across processes, disk fill, symlinks, a symlinked folder and a FIFO (one batch);
* test_attack_persistence.py: code written into checks/, grader/ and the venv, then a server kill;
* test_attack_planted_package.py: a package planted on the fork server's import path, then a kill;
* test_attack_siblings.py: killing the sibling sandboxes and every new fork server;
* test_attack_slot_reuse.py: one submission after another: files left for the next, a daemon left to kill it;
* test_attack_many_cells.py: 60,000 code cells;
* test_attack_ordinary_user.py: hiding, symlinks, home and the sibling killer with the grader run as an
  ordinary user.

``attack_kit.py`` runs a batch, gathers the evidence and cleans up whatever an attack left;
``attack_cells.py`` holds the attacking code cells. This file: the ordinary user the grader runs as.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from attack_kit import ROOT, Runner, as_user

from grader.sandbox.isolation import users

#: The ordinary account the tests create (as root) to grade as: a system account without a home.
USER = "attacks-grader"
#: Run as the user: the grader's interpreter starts, and can start itself again (the fork server).
PROBE = (
    "import subprocess, sys, checks, tensorflow; subprocess.run([sys.executable, '-c', 'import checks'], check=True)"
)


def _works(runner: Runner) -> subprocess.CompletedProcess:
    home = Path(tempfile.mkdtemp(prefix="attacks-home-"))
    os.chown(home, *runner.owner)  # where TensorFlow's Keras leaves its settings
    try:
        return subprocess.run(
            as_user(runner, [runner.python, "-c", PROBE]),
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=dict(os.environ, HOME=str(home)),
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _reachable(owner: tuple, stage: Path) -> Runner | None:
    """When the course's Python or the course itself lies in a folder an ordinary user cannot enter (a
    pyenv Python under /root, a clone in a 0700 folder), a private mount namespace in which only they
    are reachable, as the grader makes one for the user it runs submissions as (grader/sandbox/isolation/
    users.py); None when even that does not let the user run them."""
    wrapper = users.reaching([os.path.realpath(sys.base_prefix), str(ROOT)], *owner, stage)
    if wrapper and shutil.which("unshare") is None:
        return None
    return Runner(owner, sys.executable, wrapper)


@pytest.fixture(scope="session")
def ordinary_user():
    """How to run the grader as an ordinary user (a Runner), or None when the tests already run as one."""
    if os.geteuid() != 0:
        yield None
        return
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to grade as an ordinary user")
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        made = subprocess.run(
            [
                "useradd",
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                USER,
            ],
            capture_output=True,
            text=True,
        )
        try:
            entry = pwd.getpwnam(USER)  # made now, or by a test run beside this one
        except KeyError:
            pytest.fail(f"could not create the user {USER}: {made.stderr}")
    owner = (entry.pw_uid, entry.pw_gid)
    stage = Path(tempfile.mkdtemp(prefix="attacks-python-"))
    try:
        runner = _reachable(owner, stage)
        probe = _works(runner) if runner is not None else None
        if probe is None or probe.returncode != 0:
            pytest.fail(
                f"user {USER} cannot run the course's Python ({sys.executable}) from {ROOT}, not even in a mount "
                f"namespace where they are made reachable: {probe.stderr[-1000:] if probe else 'no unshare'}"
            )
        yield runner
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def pytest_collection_modifyitems(items):
    """Every attack runs the grader against hostile notebooks: slow, so not in make test-fast."""
    for item in items:
        if "tests/attacks/" in str(item.fspath):
            item.add_marker(pytest.mark.slow)
