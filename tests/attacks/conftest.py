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

from attack_kit import ROOT, SITE_PACKAGES, Runner, as_user

#: The ordinary account the tests create (as root) to grade as: a system account without a home.
USER = "attacks-grader"
#: Run as the user: the grader's interpreter starts, and can start itself again (the fork server).
PROBE = "import subprocess, sys, checks, tensorflow; subprocess.run([sys.executable, '-c', 'import checks'], check=True)"


def _works(runner: Runner) -> subprocess.CompletedProcess:
    return subprocess.run(as_user(runner, [runner.python, "-c", PROBE]), cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, HOME="/nonexistent"))


def _readable_venv(owner: tuple, folder: Path) -> Runner | None:
    """A venv the user can run when this one's interpreter lives where it cannot read (e.g. a pyenv
    Python under /root): a system Python of the same version, with this venv's site-packages added."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for base in dict.fromkeys(filter(None, [shutil.which(version, path="/usr/local/bin:/usr/bin:/bin")])):
        venv = folder / "venv"
        made = subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], capture_output=True)
        if made.returncode != 0:
            continue
        site_packages = next(venv.glob("lib/python*/site-packages"))
        (site_packages / "zz-course-venv.pth").write_text(f"import site; site.addsitedir({str(SITE_PACKAGES)!r})\n")
        runner = Runner(owner, str(venv / "bin" / "python"))
        if _works(runner).returncode == 0:
            return runner
    return None


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
    folder = Path(tempfile.mkdtemp(prefix="attacks-python-"))
    folder.chmod(0o755)
    try:
        runner = _readable_venv(owner, folder)
        if runner is None:
            pytest.fail(f"user {USER} cannot run the course's Python ({sys.executable}) and no system "
                        f"Python of the same version works instead: {probe.stderr[-1000:]}")
        yield runner
    finally:
        shutil.rmtree(folder, ignore_errors=True)
