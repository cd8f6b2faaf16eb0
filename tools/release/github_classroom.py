"""GitHub Classroom template repositories (``make release TEMPLATE=github``), one per assignment of
classroom.toml (each graded notebook, or the whole course as one): build/release/<course>-<version>-
github-<assignment>/ and its zip, to push as the assignment's template repository.

Each holds the learners' release (the notebooks, data/, requirements, the Makefile, ``checks``
without solutions and with the public cases' recorded results, a README whose "Hand in" says how
pushing grades) and what its workflow's steps run: ``grader/``, ``classroom.toml`` (points, the
assignment mode), ``requirements-grader.txt`` (gradescope/requirements.txt: only what the grader
imports), ``constraints.txt`` (the lock, already in the release), a ``.gitignore`` that keeps a
learner's .venv out of their pushes, and ``.github/workflows/classroom.yml``
(``tools/classroom_workflow.py``), whose steps grade the assignment's exercises. No secret and no
hidden case's result: a learner can read everything in their repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.course.classroom import Classroom
from tools import classroom_workflow
from tools.release import archive, learners

KIND = "github"
WORKFLOW = ".github/workflows/classroom.yml"
GITIGNORE = """\
# Made by `make lab` and by Python: never part of what you push.
.venv/
__pycache__/
*.pyc
*.egg-info/
.ipynb_checkpoints/
"""


@dataclass(frozen=True)
class Template:
    assignment: str
    folder: Path
    zip: Path
    partial_credit_dropped: tuple  # exercises whose partial credit a step cannot give


def handing_in(exercises) -> str:
    notebooks = list(dict.fromkeys(ex.notebook for ex in exercises))
    listed = "\n".join(
        f"- `notebooks/{notebook}.ipynb`: {', '.join(f'`{ex.name}`' for ex in exercises if ex.notebook == notebook)}"
        for notebook in notebooks
    )
    return (
        "This repository is your copy of a GitHub Classroom assignment. Every time you push, GitHub grades\n"
        "these exercises, each worth its points when it passes:\n\n" + listed + "\n\n"
        'Save the notebook, then commit and push it (`git add notebooks/ && git commit -m "My answers" && git push`,\n'
        "or your editor's Git buttons). Do not rename it or move it. The repository's **Actions** tab shows\n"
        "the run: each exercise's step prints the feedback your check cells would give, and the last step\n"
        "adds up the points."
    )


def grader_requirements(root: Path = learners.ROOT) -> str:
    """What the grader imports, as Gradescope's autograder installs it (gradescope/requirements.txt)."""
    wanted = [
        line
        for line in (root / "gradescope" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return (
        "# What the grader imports, and nothing else: the workflow installs these at the versions of\n"
        "# constraints.txt, the course's lock (the same list as the course's Gradescope autograder).\n"
        + "\n".join(wanted)
        + "\n"
    )


def files(
    classroom: Classroom, exercises, root: Path = learners.ROOT, source_url: str | None = None
) -> dict[str, bytes]:
    """Every file of the template repository of an assignment made of ``exercises``."""
    found = learners.files(classroom, root, source_url)
    found.update(learners.tree(root, "grader"))
    found["requirements-grader.txt"] = grader_requirements(root).encode()
    if classroom.source is not None:  # the choices the grader reads; without a file it keeps the defaults
        found["classroom.toml"] = without_moved_learners(classroom.source.read_text(encoding="utf-8")).encode()
    found[".gitignore"] = GITIGNORE.encode()
    found[WORKFLOW] = classroom_workflow.workflow(exercises, classroom.allocation is not None).encode()
    found["README.md"] = learners.readme(classroom, root, handing_in(exercises))
    return found


def without_moved_learners(toml: str) -> str:
    """classroom.toml as a learner's repository carries it: without [variants.moved], whose ids would name
    the learners moved; the grader reads them from the release's record (checks/variants.json), hashed."""
    kept, skipping = [], False
    for line in toml.splitlines(keepends=True):
        header = line.strip()
        if header.startswith("["):
            skipping = header.replace(" ", "") == "[variants.moved]"
            if skipping:
                kept.append("# [variants.moved]: in checks/variants.json, each learner's id hashed\n")
        if not skipping:
            kept.append(line)
    return "".join(kept)


def build(out: Path, classroom: Classroom, root: Path = learners.ROOT, source_url: str | None = None) -> list[Template]:
    """One template repository (folder and zip) per assignment of the class, under ``out``."""
    published = any(c.solution_published for c in classroom.choices.values())
    base = learners.release_name(root) + ("-with-solutions" if published else "")
    written = []
    for assignment, exercises in classroom.course().assignments().items():
        content = files(classroom, exercises, root, source_url)
        name = f"{base}-{KIND}-{assignment}"
        archive.write_folder(out / name, content)
        zip_path = out / f"{name}.zip"
        archive.write_zip(zip_path, {f"{name}/{path}": data for path, data in content.items()})
        written.append(Template(assignment, out / name, zip_path, tuple(classroom_workflow.not_carried(exercises))))
    return written
