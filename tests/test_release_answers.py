"""Nothing in the learners' release computes an answer: every callable its ``checks`` holds, tried as an
answer to every exercise the ways a learner who imported it would (``tests/release_answers.py``), passes
no exercise's check, on the public cases or with hidden ones. And the trial finds such a helper where one
is planted, as ``uniform_with_std``'s bound once was."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_release import build

import checks
from checks import expected

pytestmark = pytest.mark.slow  # builds a release and tries every callable in it

HERE = Path(__file__).resolve().parent
SECRET = "release-answers"  # tests/release_answers.py draws the hidden cases with it
#: Helpers that compute an answer, as a release must not hold them: module -> code appended to it.
PLANTED = {
    "checks/exercises/uniform_with_std.py": "\n\ndef _bound(std):\n    return _ROOT_3 * std\n",
    "checks/exercises/get_initializer.py": "\n\ndef _bound(embedding_dim):\n    return 0.5 / embedding_dim\n",
}


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release")
    build(out)
    return next(path for path in out.iterdir() if path.is_dir())


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> Path:
    """What the reference gives on the public and hidden cases, from the repository's solutions."""
    path = tmp_path_factory.mktemp("expected") / "expected.pickle"
    found = {
        ex.name: expected.results(ex, ex.cases(SECRET))
        for ex in checks.EXERCISES.values()
        if ex.judged_against_reference
    }
    path.write_bytes(pickle.dumps(found))
    return path


def tried(release: Path, references: Path, *modules: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(release), TF_CPP_MIN_LOG_LEVEL="3")
    completed = subprocess.run(
        [sys.executable, str(HERE / "release_answers.py"), str(references), *modules],
        cwd=release.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_no_callable_of_the_learners_checks_passes_any_exercise(release, references):
    found = tried(release, references)
    assert found["passed"] == []
    # The trial reached what the release holds: every module of it, every exercise's among them.
    reached = {name.rsplit(".", 1)[0] for name in found["callables"]} | {
        name.rsplit(".", 2)[0] for name in found["callables"]
    }
    assert {type(ex).__module__ for ex in checks.EXERCISES.values()} <= reached
    assert len(found["callables"]) > 200 and found["answers_tried"] > 5000


def test_a_helper_that_computes_an_answer_is_found(release, references, tmp_path):
    planted = tmp_path / release.name
    shutil.copytree(release, planted)
    for module, code in PLANTED.items():
        with open(planted / module, "a", encoding="utf-8") as file:
            file.write(code)
    modules = [module.removesuffix(".py").replace("/", ".") for module in PLANTED]
    found = {(row["exercise"], row["callable"]) for row in tried(planted, references, *modules)["passed"]}
    assert ("uniform_with_std", "checks.exercises.uniform_with_std._bound") in found
    assert ("get_initializer", "checks.exercises.get_initializer._bound") in found
