"""The attack suite's shared fixture: the ordinary user the grader also runs as.

Helpers live in ``attack_kit.py`` (running a batch, the evidence, the clean-up) and ``attack_cells.py``
(the attacking code cells).
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

#: The ordinary account the tests create (as root) to grade as: a system account without a home.
USER = "attacks-grader"
#: Run as the user: the grader's interpreter starts, and can start itself again (the fork server).
PROBE = "import subprocess, sys, checks, tensorflow; subprocess.run([sys.executable, '-c', 'import checks'], check=True)"


def _works(runner: Runner) -> subprocess.CompletedProcess:
    return subprocess.run(as_user(runner, [runner.python, "-c", PROBE]), cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, HOME="/nonexistent"))


#: Run in a private mount namespace: make the folder $2 reachable under the untraversable folder $1
#: (a tmpfs over it with only the path down to $2), through the staging mount point $3.
REACH = """set -e
mount --bind "$2" "$3"
mount -t tmpfs -o mode=0755,size=1m attacks-reach "$1"
mkdir -p "$2"
mount --bind "$3" "$2"
shift 3
exec "$@"
"""


def _untraversable_ancestor(path: Path) -> Path | None:
    """The first folder above ``path`` that users other than its owner cannot enter (e.g. /root)."""
    for folder in reversed(path.parents):
        if not folder.stat().st_mode & 0o001:
            return folder
    return None


def _reachable_python(owner: tuple, stage: Path) -> Runner | None:
    """When the course's Python is installed where an ordinary user cannot reach it (a pyenv Python
    under /root), a private mount namespace in which that installation alone is reachable."""
    installation = Path(os.path.realpath(sys.base_prefix))
    blocked = _untraversable_ancestor(installation)
    if blocked is None or shutil.which("unshare") is None:
        return None
    runner = Runner(owner, sys.executable, ("unshare", "--mount", "--propagation", "private", "sh", "-c", REACH,
                                            "reach", str(blocked), str(installation), str(stage)))
    return runner if _works(runner).returncode == 0 else None


@pytest.fixture(scope="session")
def ordinary_user():
    """How to run the grader as an ordinary user (a Runner), or None when the tests already run as one."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to grade as an ordinary user")
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", USER], check=True, capture_output=True)
        entry = pwd.getpwnam(USER)
    owner = (entry.pw_uid, entry.pw_gid)
    runner = Runner(owner, sys.executable)
    probe = _works(runner)
    if probe.returncode == 0:
        yield runner
        return
    stage = Path(tempfile.mkdtemp(prefix="attacks-python-"))
    try:
        runner = _reachable_python(owner, stage)
        if runner is None:
            pytest.fail(f"user {USER} cannot run the course's Python ({sys.executable}), not even with its "
                        f"installation made reachable: {probe.stderr[-1000:]}")
        yield runner
    finally:
        shutil.rmtree(stage, ignore_errors=True)
