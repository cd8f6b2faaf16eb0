"""The autograder.zip to upload to Gradescope (``make gradescope SECRET_FILE=...``), built from the
same parts as the learners' release.

At the zip's root: ``setup.sh`` and ``run_autograder`` (from gradescope/), ``requirements-grader.txt``
(gradescope/requirements.txt: only what the grader needs), the course's ``requirements.txt`` (the
checks read the pinned versions from it), ``constraints.txt`` and ``pyproject.toml`` (the version), ``classroom.toml`` (points and
partial credit), the ``checks`` package with every solution taken out (the grader never needs one),
the ``grader`` package, and ``grading_secret``, the secret the hidden cases are drawn from. Never
solutions/, tests/ or tools/. The grader's sandbox sees checks/ and grader/ only, never the secret.
"""
from __future__ import annotations

from pathlib import Path

from grader.course.classroom import Classroom
from tools.release import learners

ROOT = learners.ROOT
SCRIPTS = ("setup.sh", "run_autograder")
SECRET = "grading_secret"


class SecretError(ValueError):
    """The secret file is missing or empty; the message says which."""


def read_secret(path: Path) -> str:
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretError(f"cannot read the secret file {path}: {exc.strerror}") from None
    if not secret:
        raise SecretError(f"the secret file {path} is empty; put a long random line in it "
                          "(for example: python3 -c 'import secrets; print(secrets.token_hex(16))')")
    return secret


def files(classroom: Classroom, secret: str | None, root: Path = ROOT) -> dict[str, bytes]:
    """Every file of the autograder zip: name at its root -> content."""
    withheld = classroom.with_solutions_hidden()
    found = {name: (root / "gradescope" / name).read_bytes() for name in SCRIPTS}
    found["requirements-grader.txt"] = (root / "gradescope" / "requirements.txt").read_bytes()
    for name in ("requirements.txt", "constraints.txt", "pyproject.toml"):  # pyproject: the course's version
        if (root / name).is_file():
            found[name] = (root / name).read_bytes()
    if classroom.source is not None:  # the file the choices were read from, whatever its name
        found["classroom.toml"] = classroom.source.read_bytes()
    found.update(learners.checks_package(withheld, root, secret))
    found.update(learners.tree(root, "grader"))
    if secret is not None:
        found[SECRET] = (secret + "\n").encode()
    return found


def build(out: Path, classroom: Classroom, secret: str | None, root: Path = ROOT) -> list[str]:
    content = files(classroom, secret, root)
    learners.archive.write_zip(out, content, executable=frozenset(SCRIPTS), private=frozenset({SECRET}))
    return sorted(content)
