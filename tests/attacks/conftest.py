"""The attack suite's shared fixtures: the ordinary user the grader also runs as.

Helpers live in ``attack_kit.py`` (running a batch, the evidence, the clean-up) and ``attack_cells.py``
(the attacking code cells).
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys

import pytest

from attack_kit import ROOT

#: The ordinary account the tests create (as root) to grade as; a system account without a home.
USER = "attacks-grader"


@pytest.fixture(scope="session")
def ordinary_user():
    """(uid, gid) of an ordinary user to run the grader as; None when the tests already run as one."""
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
    probe = subprocess.run(["setpriv", f"--reuid={owner[0]}", f"--regid={owner[1]}", "--clear-groups", "--",
                            sys.executable, "-c", "import checks, tensorflow"], cwd=ROOT, capture_output=True,
                           text=True, env=dict(os.environ, HOME="/nonexistent"))
    if probe.returncode != 0:
        pytest.fail(f"user {USER} cannot read the repository or its venv ({ROOT}): {probe.stderr[-1000:]}")
    return owner
