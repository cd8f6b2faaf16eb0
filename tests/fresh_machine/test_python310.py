"""Issue 18's CPython 3.10 check: the oldest supported Python runs the grader and notebook 04.

A venv of this machine's CPython 3.10 gets what `make setup` installs (requirements-test.txt with the
lock, so the 3.10 side of every fork: NumPy 2.2, matplotlib 3.10, IPython 8, tomli; then this tree,
editable); it is cached in build/python310/ and made anew when the lock, a requirements file,
pyproject.toml or the Python changes. There run a part of the grader's tests chosen by file name (the
command line, the sandbox's round trip and hidden cases for every table of answers, the course's
version read with tomli), notebook 04 fetching and installing the course outside it (pip honours
requires-python), and nbval on solutions/04_time_to_code.ipynb against its stored outputs.

It needs no root, but takes minutes (TensorFlow from PyPI the first time), so it runs with the other
fresh-machine tests (`make test-fresh`). It is skipped, saying so, where no CPython 3.10 is found
(python310.py says where it looks; PYTHON310=/path/to/python3.10 names one).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from debian_root import REPO
from python310 import python310 as find_python310

pytestmark = pytest.mark.fresh_machine

CACHE = REPO / "build" / "python310"
VENV = CACHE / "venv"
STAMP = VENV / "course-lock.json"  # written last: a venv without it is incomplete and made anew
INSTALLED_FROM = ("requirements.txt", "requirements-test.txt", "constraints.txt", "pyproject.toml")
# The grader's tests to run on 3.10, by file name wherever they are under tests/ (the tree moves).
PICKED = ("test_grade_cli.py", "test_answers_check.py", "test_version.py")
ANYWHERE = "test_install_anywhere.py"  # of which notebook 04 only: the archive route, ~30 s
NOTEBOOK = REPO / "solutions" / "04_time_to_code.ipynb"
# Found on 3.10 and stored from 3.11 alike, but for one number: prepare()'s line names NumPy's version,
# and the lock gives 3.10 NumPy 2.2 (NumPy 2.3 and later need Python 3.11).
NUMPY_VERSION = "\n[numpy version]\nregex: NumPy \\d+\\.\\d+\\.\\d+;\nreplace: NumPy VERSION;\n"


@pytest.fixture(scope="module")
def python310() -> str:
    return find_python310()


def wanted_stamp(python: str) -> dict:
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return {
        "python": python,
        "version": version,
        **{name: hashlib.sha256((REPO / name).read_bytes()).hexdigest() for name in INSTALLED_FROM},
    }


@pytest.fixture(scope="module")
def venv(python310, timings) -> Path:
    """build/python310/venv with the locked test set and this tree, made anew when the stamp differs."""
    wanted = wanted_stamp(python310)
    if STAMP.is_file() and json.loads(STAMP.read_text()) == wanted:
        return VENV
    started = time.monotonic()
    shutil.rmtree(VENV, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([python310, "-m", "venv", str(VENV)], check=True, capture_output=True)
    # As `make setup` does: requirements-test.txt brings requirements.txt and its -c constraints.txt;
    # then the course itself, editable, so that `checks` imports from any folder (kernels start in solutions/).
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for args in (["-r", "requirements-test.txt"], ["--no-deps", "-e", "."]):
        install = subprocess.run(pip + args, cwd=REPO, capture_output=True, text=True, timeout=40 * 60)
        assert install.returncode == 0, install.stderr[-4000:]
    STAMP.write_text(json.dumps(wanted, indent=1))
    timings.append(("CPython 3.10 venv from the lock (build/python310/)", time.monotonic() - started))
    return VENV


def run(venv: Path, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """The venv's python in the course folder, as `make test` runs pytest: its bin/ first on PATH, and
    no PYTHONPATH (the venv's editable install is what finds this tree, as .venv's does)."""
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    for name in ("PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    return subprocess.run(
        [str(venv / "bin" / "python"), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_the_venv_is_python_3_10_with_the_locks_3_10_side(venv):
    result = run(
        venv,
        "-c",
        "import sys, numpy, matplotlib, tomli; from checks import environment, version; "
        "print(sys.version_info[:2], environment.version_problems(), version.__version__)",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("(3, 10) [] "), result.stdout  # every pin met: no version problem


def test_the_grader_tests_pass_on_python_3_10(venv, timings):
    picked = sorted(
        str(path.relative_to(REPO))
        for name in PICKED
        for path in (REPO / "tests").rglob(name)
        if "fresh_machine" not in path.parts
    )
    assert picked, f"none of {PICKED} is under tests/ any more: pick the grader's tests anew"
    started = time.monotonic()
    result = run(venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", *picked, timeout=30 * 60)
    timings.append(
        (f"the grader's tests on CPython 3.10 ({', '.join(Path(p).name for p in picked)})", time.monotonic() - started)
    )
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, tail + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1] and "skipped" not in result.stdout.splitlines()[-1], tail


def test_notebook_04_matches_its_stored_outputs_on_python_3_10(venv, timings, tmp_path):
    sanitize = tmp_path / "nbval_sanitize.cfg"
    sanitize.write_text((REPO / "tests" / "nbval_sanitize.cfg").read_text() + NUMPY_VERSION)
    started = time.monotonic()
    result = run(
        venv,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(sanitize),
        str(NOTEBOOK.relative_to(REPO)),
        timeout=20 * 60,
    )
    timings.append(("nbval on notebook 04 on CPython 3.10", time.monotonic() - started))
    tail = "\n".join(result.stdout.splitlines()[-60:])
    assert result.returncode == 0, tail + result.stderr[-2000:]


def test_notebook_04_fetches_and_installs_the_course_outside_it_on_python_3_10(venv, timings):
    found = sorted((REPO / "tests").rglob(ANYWHERE))
    assert found, f"{ANYWHERE} is not under tests/ any more: pick the install test anew"
    started = time.monotonic()
    result = run(
        venv,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-k",
        "04_time_to_code",
        *(str(path.relative_to(REPO)) for path in found),
        timeout=20 * 60,
    )
    timings.append(("notebook 04 alone, installing the course, on CPython 3.10", time.monotonic() - started))
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0 and re.search(r"\b1 passed", result.stdout.splitlines()[-1]), (
        tail + result.stderr[-2000:]
    )
