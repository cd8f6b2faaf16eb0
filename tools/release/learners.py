"""What an instructor hands learners (``make release``): build/release/<course>-<version>/ and its zip.

It holds the learner notebooks (notebooks/), data/, the files `make setup` installs from (read from
the Makefile's setup rule: requirements, constraints), a README for learners, the Makefile cut down
to setup and lab, a pyproject.toml for the `checks` package, and `checks` itself with every exercise's
solution, its wrong versions' code and the hint levels the instructor does not hand out taken out
(``grader/course/withholding.py``), with what the reference gives on the public cases recorded in
their place (``checks.expected``) so the checks still judge. Nothing of solutions/,
grader/, tests/ or tools/. What is withheld is declared once, in classroom.toml.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import checks
import checks.allocation
import checks.expected
from grader.course.classroom import Classroom
from grader.course.withholding import withhold
from tools.release import archive, makefile

ROOT = Path(__file__).resolve().parents[2]
#: The Makefile target a learner runs; the release's Makefile keeps it and what it needs (its setup).
LEARNER_TARGETS = ("lab",)
#: Copied whole: the learner notebooks (generated from solutions/ with the answers stripped) and data.
FOLDERS = ("notebooks", "data")
#: Copied when the course has them: the licence, Binder's configuration.
OPTIONAL = ("LICENSE", "LICENSE.md", "CITATION.cff", "runtime.txt", "binder", ".binder")
#: Where a notebook opened outside the course (Colab) fetches the course from: the public repository,
#: whose checks have the solutions. A release points it at the instructor's copy (--source-url).
PUBLIC_ARCHIVE = re.compile(r"https://github\.com/[^\s\"'\\]+/archive/[^\s\"'\\]+\.zip")


@dataclass(frozen=True)
class Release:
    folder: Path
    zip: Path
    files: tuple
    public_fetches: tuple = ()  # notebooks that, outside the course (Colab), fetch the public repository


def project(root: Path = ROOT) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]


def release_name(root: Path = ROOT) -> str:
    meta = project(root)
    return f"{meta['name']}-{meta['version']}"


def tree(root: Path, folder: str) -> dict[str, bytes]:
    base = root / folder
    if base.is_file():
        return {folder: base.read_bytes()}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(base.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts and p.suffix != ".pyc"
    }


def checks_package(classroom: Classroom, root: Path = ROOT, secret: str | None = None) -> dict[str, bytes]:
    """The checks package, each exercise's module without what the instructor withholds; for an
    exercise judged against its withheld solution, the solution's results on its public cases (and on
    the hidden ones ``secret`` draws, for an autograder) recorded in checks/expected/."""
    files = {name: data for name, data in tree(root, "checks").items() if not name.startswith("checks/expected/")}
    files.pop(checks.allocation.RECORD.relative_to(root).as_posix(), None)  # only the release below writes one
    for variant in checks.registry.every_variant():  # each exercise's own task and its other variants
        choices = classroom.choices[variant.name]
        module = type(variant).__module__.replace(".", "/") + ".py"
        files[module] = withhold(
            files[module].decode(), hints=choices.hints, solution=not choices.solution_published
        ).encode()
        if variant.judged_against_reference and not choices.solution_published:
            files[f"checks/expected/{variant.variant_id}.json"] = checks.expected.recorded(
                variant, variant.cases(secret)
            ).encode()
    if classroom.allocation is not None:  # whose variant is whose (the variants' fingerprints stay the instructor's)
        record = {"release": release_name(root), "allocation": classroom.allocation.record()}
        files["checks/variants.json"] = (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()
    return files


def pyproject(root: Path = ROOT, packages: list[str] | None = None) -> bytes:
    meta = project(root)
    fields = {
        k: v
        for k, v in meta.items()
        if isinstance(v, str) and k in ("name", "version", "description", "requires-python", "license")
    }
    lines = [
        "# Only so that `import checks` works from the notebooks' folder: `make setup` installs this",
        "# folder in editable mode into .venv.",
        "[build-system]",
        'requires = ["setuptools>=68"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        *(f"{k} = {_toml_string(v)}" for k, v in fields.items()),
        "",
        "[tool.setuptools]",
        f"packages = [{', '.join(_toml_string(p) for p in packages or [])}]",
        "",
    ]
    return "\n".join(lines).encode()


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def readme(classroom: Classroom, root: Path = ROOT, handing_in: str | None = None) -> bytes:
    """The learners' README; ``handing_in`` replaces the section on handing in (a GitHub Classroom
    template says its own)."""
    template = (Path(__file__).with_name("README_learners.md")).read_text()
    title = (root / "README.md").read_text().splitlines()[0].lstrip("# ").strip()
    return template.format(
        title=title,
        version=project(root)["version"],
        hand_in=hand_in(classroom) if handing_in is None else handing_in,
        help=help_sentence(classroom),
        tasks=own_tasks(classroom),
    ).encode()


def own_tasks(classroom: Classroom) -> str:
    """The README's section on each learner's own tasks, where the class hands out variants."""
    if classroom.allocation is None:
        return ""
    varied = _names(classroom.allocation.varied())
    return (
        "\n## Your own tasks\n"
        f"Each learner has a task of their own for {varied}: the same function to write, another thing for it to\n"
        'do. In each notebook\'s first code cell, type your id between the quotes of `learner=""` and run the\n'
        "cell (the first notebook you run remembers it for the others in this folder). Your instructor tells you\n"
        "which id: the one your LMS or autograder knows you by. Each exercise's task cell then shows your task,\n"
        "and its check, hints and solution follow it. The grader grades the task of the id your submission\n"
        'comes with, whatever the notebook says, so type it exactly. `checks.<exercise>.task("<task>")`\n'
        "lets you practise the others once yours is done.\n"
    )


#: The call in each notebook's first code cell, and what it becomes where learners give their id.
PREPARE = re.compile(r'"prepare\(seed=(\d+)\)(?:  #[^"\\]*)?\\n"')
WITH_LEARNER = r'"prepare(seed=\1, learner=\\"\\")  # your id between the quotes (the README says which)\\n"'


def with_learner_id(text: str) -> str:
    """A notebook's JSON text with its first cell asking for the learner's id (``prepare(learner="")``)."""
    return PREPARE.sub(WITH_LEARNER, text)


def hand_in(classroom: Classroom) -> str:
    """What learners hand in, as the class's assignments say (classroom.toml's [assignments] mode)."""
    course = classroom.course()
    listed = "\n".join(
        f"- `notebooks/{notebook}.ipynb`: {_names([ex.name for ex in course.in_notebook(notebook)])}"
        for notebook in course.notebooks()
    )
    if course.per_notebook:
        first = (
            "Each of these notebooks is an assignment of its own: hand each in when its check cells say "
            "correct (or you have done what you can)."
        )
    else:
        first = (
            "The whole course is one assignment: when you have done what you can, hand in all of these "
            "notebooks together, as several files of one submission."
        )
    return (
        first + "\n\n" + listed + "\n\n"
        "For each: save the notebook in JupyterLab (File > Save, or Ctrl+S / Cmd+S), and hand in the `.ipynb`\n"
        "file itself as your instructor asks (LMS, Gradescope), not a PDF or a copy of its text. Do not rename\n"
        "it if you can help it, and keep its exercise and check cells: they are how the grader knows which\n"
        "notebook it is."
    )


def help_sentence(classroom: Classroom) -> str:
    no_hints = [name for name, c in classroom.choices.items() if not c.hints]
    published = [name for name, c in classroom.choices.items() if c.solution_published]
    hints = "Stuck? `hint()`, in the cell below a check, gives a hint" + (
        f" (your instructor turned hints off for {_names(no_hints)})." if no_hints else "."
    )
    if len(published) == len(classroom.choices):
        return hints + " `solution()` shows a solution: try on your own first."
    if published:
        return (
            hints
            + f" `solution()` shows a solution for {_names(published)};"
            + " for the others it says it has not been released yet."
        )
    return (
        hints + " `solution()` says the solution has not been released yet: your instructor publishes it after grading."
    )


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def point_fetches(text: str, source_url: str | None) -> tuple[str, int]:
    """``text`` with every public course archive URL replaced by ``source_url`` (left as it is when
    None), and how many there were."""
    found = len(PUBLIC_ARCHIVE.findall(text))
    return (text if source_url is None else PUBLIC_ARCHIVE.sub(lambda _: source_url, text)), found


def files(classroom: Classroom, root: Path = ROOT, source_url: str | None = None) -> dict[str, bytes]:
    """Every file of the release: path inside it -> content."""
    rules = (root / "Makefile").read_text()
    found: dict[str, bytes] = {}
    for folder in FOLDERS:
        found.update(tree(root, folder))
    for name in [n for n in found if n.endswith(".ipynb")]:
        text = point_fetches(found[name].decode(), source_url)[0]
        found[name] = (text if classroom.allocation is None else with_learner_id(text)).encode()
    for name in makefile.files_needed(rules, LEARNER_TARGETS):
        if name != "pyproject.toml" and (root / name).is_file():
            found.update(tree(root, name))
    for name in OPTIONAL:
        if (root / name).exists():
            found.update(tree(root, name))
    package = checks_package(classroom, root)
    found.update(package)
    packages = sorted({Path(n).parent.as_posix().replace("/", ".") for n in package if n.endswith("/__init__.py")})
    found["pyproject.toml"] = pyproject(root, packages)
    found["Makefile"] = makefile.trimmed(rules, LEARNER_TARGETS).encode()
    found["README.md"] = readme(classroom, root)
    return found


def public_fetches(content: dict[str, bytes]) -> list[str]:
    """The release's notebooks that would still fetch the course from its public repository."""
    return [n for n, data in content.items() if n.endswith(".ipynb") and point_fetches(data.decode(), None)[1]]


def build(out: Path, classroom: Classroom, root: Path = ROOT, source_url: str | None = None) -> Release:
    """Write the release folder and its zip under ``out`` (build/release); a release with solutions
    in it is named <course>-<version>-with-solutions."""
    published = any(c.solution_published for c in classroom.choices.values())
    name = release_name(root) + ("-with-solutions" if published else "")  # never overwrites the one handed out
    content = files(classroom, root, source_url)
    archive.write_folder(out / name, content)
    zip_path = out / f"{name}.zip"
    archive.write_zip(zip_path, {f"{name}/{path}": data for path, data in content.items()})
    return Release(out / name, zip_path, tuple(sorted(content)), tuple(public_fetches(content)))
