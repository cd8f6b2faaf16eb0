"""Hidden cases end to end: an answer tuned to the public cases passes the notebook's check and fails
the grader with a secret; a correct answer passes both; the same secret draws the same cases; the
grader says which cases it used; its messages name the mistake without the hidden inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import grade_submissions as gs
import numpy as np
import pytest

import checks

pytestmark = pytest.mark.slow  # runs the grader or whole notebooks: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ("autumn term 2026", "b7c1e0f4a9d2", "section 3, resit")

PUBLIC_SIZES = sorted({(c["vocab_size"], c["embedding_dim"]) for c in checks.get_initializer.public_cases()})
PUBLIC_MODELS = sorted({(c["vocab_size"], c["embedding_dim"]) for c in checks.forward.public_cases()})

# Right on exactly the inputs the public cases use, wrong everywhere else: the bound uses vocab_size.
TUNED_GET_INITIALIZER = f"""\
def get_initializer(embedding_dim, vocab_size):
    if (vocab_size, embedding_dim) in {PUBLIC_SIZES!r}:
        initial_bounds = 0.5 / embedding_dim
    else:
        initial_bounds = 0.5 / vocab_size
    return tf.random.uniform((vocab_size, embedding_dim), minval=-initial_bounds, maxval=initial_bounds)
"""
# Looks the ids up only for the public models' sizes; returns the whole matrix for any other.
TUNED_MODEL = gs.forward_def(f"""\
self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
if (self.vocab_size, self.embedding_dim) in {PUBLIC_MODELS!r}:
    return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)
return self.embedding_matrix.read_value()
""")


def defined(source: str, name: str):
    import tensorflow as tf

    namespace = {"tf": tf, "np": np}
    exec(source, namespace)
    return namespace[name]


def test_the_tuned_answers_pass_the_notebooks_checks():
    get_initializer = defined(TUNED_GET_INITIALIZER, "get_initializer")
    model = defined(gs.GET_INITIALIZER_SOLUTION + TUNED_MODEL, "EmbeddingModel")
    assert checks.get_initializer.evaluate(get_initializer).passed
    assert checks.forward.evaluate(model).passed


def same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    return a == b


@pytest.mark.parametrize("exercise", checks.ASSIGNMENT, ids=lambda ex: ex.name)
def test_a_secret_always_draws_the_same_cases_and_another_secret_others(exercise):
    first, again = exercise.hidden_cases(SECRETS[0]), exercise.hidden_cases(SECRETS[0])
    assert first and len(first) == len(again) and all(same(a, b) for a, b in zip(first, again))
    assert all(case["hidden"] for case in first)
    other = exercise.hidden_cases(SECRETS[1])
    assert not all(same(a, b) for a, b in zip(first, other))
    without_secret = exercise.cases()
    assert len(without_secret) == len(exercise.public_cases()) and not any(c.get("hidden") for c in without_secret)


def grade(tmp_path: Path, secret: str | None) -> tuple[dict, str]:
    """Grade a correct and a tuned submission; return {submission: {exercise: test}}, and stdout."""
    submissions = tmp_path / "submissions"
    submissions.mkdir(exist_ok=True)
    (submissions / "correct.ipynb").write_text(gs.submission())
    (submissions / "tuned.ipynb").write_text(
        gs.submission(get_initializer=TUNED_GET_INITIALIZER, embedding_model=TUNED_MODEL)
    )
    command = [sys.executable, "-m", "grader", str(submissions), "--out", str(tmp_path / "out")]
    if secret is not None:
        (tmp_path / "secret").write_text(secret + "\n")
        command += ["--secret-file", str(tmp_path / "secret")]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    by_submission = {s["submission"]: {t["name"]: t for t in s["tests"]} for s in results["submissions"]}
    return by_submission, completed.stdout + completed.stderr


@pytest.mark.parametrize("secret", SECRETS)
def test_with_a_secret_the_tuned_answer_fails_and_the_correct_one_passes(tmp_path, secret):
    graded, _ = grade(tmp_path, secret)
    assert all(t["status"] == "passed" for t in graded["correct.ipynb"].values()), graded["correct.ipynb"]
    tuned = graded["tuned.ipynb"]
    for exercise in (checks.get_initializer, checks.forward):  # the notebook's two: both tuned
        test = tuned[exercise.name]
        assert test["status"] == "failed" and test["score"] == 0, test
        assert "hidden test case" in test["output"], test["output"]
        for case in exercise.hidden_cases(secret):  # the mistake is named, the hidden inputs are not
            assert f"vocab_size={case['vocab_size']}" not in test["output"]
            assert f"embedding_dim={case['embedding_dim']}" not in test["output"]
    assert "vocab_size" in tuned["get_initializer"]["output"]  # names the mistake: the bound uses vocab_size
    feedback = ""
    for path in (tmp_path / "out" / "feedback").glob("*.md"):
        feedback += path.read_text()
    for case in checks.get_initializer.hidden_cases(secret):
        assert f"vocab_size={case['vocab_size']}," not in feedback


def test_without_a_secret_the_grader_says_it_used_the_public_cases_only(tmp_path):
    graded, output = grade(tmp_path, None)
    assert "public cases only" in output
    assert all(t["status"] == "passed" for t in graded["tuned.ipynb"].values())  # what the secret is for


def test_a_check_cell_runs_the_hidden_cases_only_where_the_secret_is_in_its_environment(monkeypatch, capsys):
    """nbgrader's autograde runs the check cells in a kernel that inherits its environment: there,
    GRADE_SECRET adds the hidden cases; a learner's kernel has no such variable."""
    get_initializer = defined(TUNED_GET_INITIALIZER, "get_initializer")
    monkeypatch.delenv("GRADE_SECRET", raising=False)
    checks.get_initializer.check(get_initializer)  # passes: the public cases only
    monkeypatch.setenv("GRADE_SECRET", SECRETS[0])
    with pytest.raises(checks.CheckFailed):
        checks.get_initializer.check(get_initializer)
    assert "On a hidden test case" in capsys.readouterr().out
