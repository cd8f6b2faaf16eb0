"""What `otter generate` is handed, one folder per graded notebook (``make otter``):
build/otter/<notebook>/, in which docs/otter.md's command builds that notebook's autograder.zip.

Each folder holds:
- ``tests/<exercise>.py``: the otter test of each graded exercise of the notebook (tools/otter_tests.py),
  worth its points in classroom.toml; only the notebook's own, since otter fills a test's argument
  from the notebook's names;
- ``requirements.txt``: what otter's image installs beside otter-grader, self-contained (otter copies
  its lines into the image's environment.yml, and nothing the lines point to travels with them): the
  course's packages that the notebooks import, each at the version the course's lock pins, and NumPy's
  pin (the checks' arithmetic). Not the whole lock: otter-grader 7.0.0 needs wrapt<2, the lock pins
  wrapt 2, and pip then refuses to build the image;
- ``checks/``: the learners' copy of the package (``make release``'s: no solution, the public cases'
  results recorded), which otter puts beside the submission as a support file. The course's own copy
  would put every solution in the image that runs the learners' code.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.course.classroom import Classroom
from tools import otter_tests
from tools.release import archive, learners

ROOT = learners.ROOT
#: Not what a notebook imports: JupyterLab is where learners work; otter's image runs the kernel itself.
LEFT_OUT = ("jupyterlab",)
#: Locked packages the checks import beside those requirements.txt names.
ALSO_PINNED = ("numpy",)
HEADER = """\
# What otter's image installs beside otter-grader (written by `make otter`; docs/otter.md): the
# course's packages a notebook imports, at the versions of the course's lock (constraints.txt).
# Only these: the whole lock conflicts with otter-grader's own requirements.
"""


def _name(line: str) -> str:
    return re.split(r"[\s;=<>!~\[]", line.strip(), maxsplit=1)[0].lower()


def requirements(root: Path = ROOT) -> str:
    """The lock's lines for the packages of requirements.txt (less LEFT_OUT) and ALSO_PINNED, with
    their platform markers, as a requirements file of its own."""
    wanted = [
        line.strip()
        for line in (root / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    ]
    names = list(dict.fromkeys(_name(line) for line in wanted if _name(line) not in LEFT_OUT)) + list(ALSO_PINNED)
    locked = [
        line
        for line in (root / "constraints.txt").read_text().splitlines()
        if line.strip() and not line.startswith((" ", "#", "-"))
    ]
    lines = []
    for name in names:
        pins = [line for line in locked if _name(line) == name]
        if not pins:
            raise ValueError(f"constraints.txt pins no version of {name}; run `make lock`")
        lines += pins
    return HEADER + "\n".join(lines) + "\n"


def files(classroom: Classroom, notebook: str, root: Path = ROOT) -> dict[str, bytes]:
    """Every file of the folder for ``notebook``: its path inside it -> content."""
    exercises = classroom.course().in_notebook(notebook)
    tests = otter_tests.test_files(points={ex.name: ex.points for ex in classroom.course().exercises})
    found = {f"tests/{ex.name}.py": tests[otter_tests.FOLDER / f"{ex.name}.py"].encode() for ex in exercises}
    found["requirements.txt"] = requirements(root).encode()
    found.update(learners.checks_package(classroom.with_solutions_hidden(), root))
    return found


def build(out: Path, classroom: Classroom, root: Path = ROOT) -> list[Path]:
    """One folder per graded notebook under ``out``; returns them."""
    written = []
    for notebook in classroom.course().notebooks():
        archive.write_folder(Path(out) / notebook, files(classroom, notebook, root))
        written.append(Path(out) / notebook)
    return written
