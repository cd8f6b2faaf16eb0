"""This machine's CPython 3.10, for the tests that prove the course on the oldest supported Python:
test_python310.py (a venv of it) and test_gradescope_image.py (it as an image's own python3).

Looked for, in order: PYTHON310=/path/to/python3.10, python3.10 on PATH, uv's Pythons, pyenv's
versions. Only a final CPython 3.10 with venv counts.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

NOT_FOUND = (
    "no CPython 3.10 on this machine (python3.10 on PATH, uv's or pyenv's Pythons); "
    "name one with PYTHON310=/path/to/python3.10"
)
PROBE = (
    "import sys, ensurepip, venv; print(sys.version_info[:2] == (3, 10) and "
    "sys.version_info.releaselevel == 'final' and sys.implementation.name == 'cpython')"
)


def is_python310(path: str | None) -> bool:
    if not path:
        return False
    try:
        probe = subprocess.run([path, "-c", PROBE], capture_output=True, text=True, timeout=60)
    except OSError:
        return False
    return probe.stdout.strip() == "True"


def candidates() -> list[str]:
    found = [os.environ.get("PYTHON310"), shutil.which("python3.10")]
    if shutil.which("uv"):
        uv = subprocess.run(["uv", "python", "find", "--no-project", "3.10"], capture_output=True, text=True)
        found.append(uv.stdout.strip() if uv.returncode == 0 else None)
    pyenv = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    found += sorted(glob.glob(f"{pyenv}/versions/3.10.*/bin/python3.10"), reverse=True)
    return [path for path in found if path]


def python310() -> str:
    """The path of a CPython 3.10, or the test is skipped saying none was found (failed, when
    PYTHON310 names one that is not)."""
    named = os.environ.get("PYTHON310")
    if named and not is_python310(named):
        pytest.fail(f"PYTHON310={named} is not a final CPython 3.10 with venv", pytrace=False)
    for path in candidates():
        if is_python310(path):
            return path
    pytest.skip(NOT_FOUND)


def prefix(python: str) -> Path:
    """Where that Python is installed (its sys.base_prefix: bin/, lib/python3.10/)."""
    return Path(
        subprocess.run(
            [python, "-c", "import sys; print(sys.base_prefix)"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
