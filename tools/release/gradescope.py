"""The autograder zips to upload to Gradescope (``make gradescope SECRET_FILE=...``), one per
assignment (each notebook with graded exercises, or the whole course, as classroom.toml says), built
from the same parts as the learners' release: build/gradescope/<assignment>.zip.

At the zip's root: ``setup.sh`` and ``run_autograder`` (from gradescope/),
``requirements-grader.txt`` (gradescope/requirements.txt: only what the grader needs), the course's
``requirements.txt`` (the checks read the pinned versions from it), ``constraints.txt`` and
``pyproject.toml`` (the version), ``classroom.toml`` (points and partial credit), the ``checks``
package with every solution taken out (the grader never needs one), the ``grader`` package,
``grading_secret``, the secret the hidden cases are drawn from, and ``gradescope_assignment``, the
assignment the zip grades. Never solutions/, tests/ or tools/. For an exercise judged against its
reference, checks/expected/ records what the reference gives on the public and hidden cases
(run_autograder makes it root's alone, as the secret). The grader's sandbox sees a copy of checks/
and grader/ without them, never the secret.
"""

from __future__ import annotations

from pathlib import Path

from grader.course.classroom import Classroom, ClassroomError
from tools.release import learners

ROOT = learners.ROOT
SCRIPTS = ("setup.sh", "run_autograder")
SECRET = "grading_secret"
ASSIGNMENT = "gradescope_assignment"  # read by grader/commands/gradescope.py


class SecretError(ValueError):
    """The secret file is missing or empty; the message says which."""


def read_secret(path: Path) -> str:
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretError(f"cannot read the secret file {path}: {exc.strerror}") from None
    if not secret:
        raise SecretError(
            f"the secret file {path} is empty; put a long random line in it "
            "(for example: python3 -c 'import secrets; print(secrets.token_hex(16))')"
        )
    return secret


def files(classroom: Classroom, secret: str | None, assignment: str, root: Path = ROOT) -> dict[str, bytes]:
    """Every file of the autograder zip of ``assignment``: name at its root -> content."""
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
    found[ASSIGNMENT] = (assignment + "\n").encode()
    return found


def build(out: Path, classroom: Classroom, secret: str | None, assignments=None, root: Path = ROOT) -> list[Path]:
    """One zip per assignment (all of the class's, or those named) in the folder ``out``."""
    known = list(classroom.course().assignments())
    unknown = [name for name in assignments or () if name not in known]
    if unknown:
        raise ClassroomError(f"no assignment {', '.join(unknown)}; this class's are {', '.join(known)}")
    written = []
    for assignment in assignments or known:
        content = files(classroom, secret, assignment, root)
        path = Path(out) / f"{assignment}.zip"
        learners.archive.write_zip(path, content, executable=frozenset(SCRIPTS), private=frozenset({SECRET}))
        written.append(path)
    return written
