"""Issue 18's otter-grader check: docs/otter.md's route, built for real, on the fresh Debian 12 root.

`make otter` writes a folder per graded notebook; in each, docs/otter.md's own `otter generate` command
(read from the doc) runs on this machine, as the instructor's, with otter-grader from PyPI in a venv of
its own (build/venv-otter-grader-<version>, made once, as tests/test_nbgrader.py keeps nbgrader's).
Each autograder.zip is then
unpacked into /autograder/source and its environment built as otter's image builds it (its setup.sh
and environment.yml: conda's `python=3.11`, `pip` and `jupyter_server`, then the `pip:` list written
to a file beside environment.yml and installed with `pip install -U -r` from that folder, which is
what conda and mamba do), in a fresh venv of Debian's CPython 3.11 standing in for the conda
environment. Left out: the apt packages for PDFs and LaTeX, nb_conda_kernels (conda's kernel finder;
the venv's own `python3` kernel is the one otter asks for) and `playwright install chromium`, a
browser download only PDF export uses. Each submission is then graded by the image's own entry point,
run_autograder's last line: `python /autograder/source/run_otter.py`, in that environment.
A correct notebook gets every question's points; a wrong `forward` loses that question alone.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import grade_submissions as gs
import pytest
import yaml
from debian_root import REPO, Machine, booted, cache_folder

from grader.course import classroom

pytestmark = pytest.mark.fresh_machine

OTTER = "otter-grader==7.0.0"
CLI = REPO / "build" / f"venv-{OTTER.replace('==', '-')}"  # the instructor's venv with otter-grader
IMAGE = "/autograder/venv"  # standing in for the image's conda environment, otter-env
FOLDERS = "/srv/otter"  # what `make otter` wrote
INSTALL_TIMEOUT = 30 * 60


def assert_ran(result):
    if result.returncode != 0:
        pytest.fail(result.tail(), pytrace=False)


def documented_command() -> str:
    """docs/otter.md's `otter generate` command line, as an instructor would copy it."""
    lines = [
        line.strip()
        for line in (REPO / "docs" / "otter.md").read_text().splitlines()
        if line.strip().startswith("otter generate")
    ]
    assert len(lines) == 1, lines
    return lines[0]


def run(machine, script, **options):
    return machine.run(script, writable={cache_folder("pip-root"): "/root/.cache/pip"}, **options)


def otter_cli(timings) -> Path:
    """The venv holding otter-grader from PyPI, made when missing."""
    if not (CLI / "bin" / "otter").exists():
        started = time.monotonic()
        shutil.rmtree(CLI, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(CLI)], check=True)
        installed = subprocess.run(
            [str(CLI / "bin" / "pip"), "install", "--quiet", OTTER], capture_output=True, text=True
        )
        if installed.returncode != 0:
            shutil.rmtree(CLI, ignore_errors=True)
            pytest.fail(f"could not install {OTTER}: {installed.stderr[-2000:]}")
        timings.append((f"otter: {OTTER} into a venv of its own (once)", time.monotonic() - started))
    return CLI / "bin"


@pytest.fixture(scope="module")
def image(debian_root, timings, tmp_path_factory):
    """The machine with every notebook's autograder.zip generated, and the image's environment built."""
    out = tmp_path_factory.mktemp("otter")
    built = subprocess.run(
        [sys.executable, "-m", "tools.release", "otter", "--out", str(out / "folders")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    notebooks = classroom.load().course().notebooks()
    path = f"{otter_cli(timings)}:{os.environ['PATH']}"
    environments = set()
    for notebook in notebooks:  # as the instructor types it, in the folder make otter wrote
        generated = subprocess.run(
            documented_command(),
            shell=True,
            cwd=out / "folders" / notebook,
            capture_output=True,
            text=True,
            timeout=300,
            env=dict(os.environ, PATH=path),
        )
        assert generated.returncode == 0, generated.stdout[-2000:] + generated.stderr[-2000:]
        with zipfile.ZipFile(out / "folders" / notebook / "autograder.zip") as archive:
            environments.add(archive.read("environment.yml").decode())
    with Machine(debian_root) as machine:
        machine.copy_in(out / "folders", FOLDERS)
        assert len(environments) == 1  # one image serves every notebook's autograder
        environment = yaml.safe_load(environments.pop())
        conda = [d for d in environment["dependencies"] if isinstance(d, str)]
        [pip] = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
        assert conda[0] == "python=3.11" and set(conda[1:]) == {"pip", "jupyter_server"}, conda
        assert pip[0] == f"otter-grader[grading,plugins]=={OTTER.split('==')[1]}", pip
        requirements = "\n".join(pip) + "\n"
        image = run(
            machine,
            f"""
python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)'
mkdir -p /autograder/source && cd /autograder/source
python3 -m venv {IMAGE} && {IMAGE}/bin/pip install --quiet jupyter_server
printf %s {shlex.quote(requirements)} > mambafpipdeps
{IMAGE}/bin/python -m pip install -U -r mambafpipdeps --no-input --quiet
""",
            timeout=INSTALL_TIMEOUT,
        )
        timings.append(("otter: the image's environment (environment.yml's pip list)", image.seconds))
        assert_ran(image)
        yield machine


def grade(machine, timings, notebook: str, submission: dict) -> dict:
    """results.json for one submission, graded by the autograder.zip of its notebook as the image does."""
    staged = Path(tempfile.mkdtemp(prefix="submission-", dir=machine.folder))  # this notebook alone
    (staged / f"{notebook}.ipynb").write_text(json.dumps(submission))
    result = machine.run(
        f"""
rm -rf /autograder/source /autograder/submission /autograder/results
mkdir -p /autograder/source /autograder/results
cd /autograder/source && {IMAGE}/bin/python -m zipfile -e {FOLDERS}/{notebook}/autograder.zip .
cp -a /run/submission /autograder/submission
PATH={IMAGE}/bin:$PATH python /autograder/source/run_otter.py
""",
        binds={staged: "/run/submission", **booted(machine.folder)},
        timeout=900,
    )
    timings.append((f"otter: grading a copy of {notebook}", result.seconds))
    assert_ran(result)
    return json.loads(machine.path("/autograder/results/results.json").read_text())


def scores(results: dict) -> dict:
    """Each question's (score, max_score); otter adds a "Public Tests" summary, which has none."""
    assert not any(test["name"].startswith("Autograder") for test in results["tests"]), results
    return {
        re.sub(r" - \d+$", "", test["name"]): (test["score"], test["max_score"])
        for test in results["tests"]
        if "max_score" in test
    }


def test_a_correct_notebook_gets_every_point(image, timings):
    course = classroom.load().course()
    for notebook in course.notebooks():
        results = grade(image, timings, notebook, gs.solved_learner_copy(notebook))
        expected = {ex.name: (ex.points, ex.points) for ex in course.in_notebook(notebook)}
        assert scores(results) == expected, results


def test_a_wrong_forward_loses_that_question_alone(image, timings):
    course = classroom.load().course()
    notebook = course.by_name()["forward"].notebook
    results = grade(image, timings, notebook, gs.solved_learner_copy(notebook, replace={"forward": gs.WRONG_FORWARD}))
    got = scores(results)
    assert got["forward"][0] == 0, results
    assert all(got[ex.name] == (ex.points, ex.points) for ex in course.in_notebook(notebook) if ex.name != "forward")
    [forward] = [t for t in results["tests"] if t["name"].startswith("forward")]
    assert "Incorrect" in forward["output"], forward  # the check's own message, naming the mistake
