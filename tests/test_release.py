"""`make release`: the learners' copy holds no solution text, and its `checks` says so.

The zip is read back and searched for every line of every exercise's solution code, every line
between `### BEGIN SOLUTION` markers of the solution notebooks, and the markers themselves: in the
notebooks, the hints, the messages, the text, every file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import checks

ROOT = Path(__file__).resolve().parent.parent
REGION = re.compile(r"### BEGIN SOLUTION[^\n]*\n(.*?)### END SOLUTION", re.DOTALL)


def build(out: Path, *args: str, classroom: Path | None = None) -> Path:
    command = [sys.executable, "-m", "tools.release"]
    if classroom is not None:
        command += ["--classroom", str(classroom)]
    completed = subprocess.run(
        [*command, "learners", "--out", str(out), *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    zips = list(out.glob("*.zip"))
    assert len(zips) == 1, zips
    return zips[0]


@pytest.fixture(scope="module")
def release_zip(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("release"))


@pytest.fixture(scope="module")
def hints_off_zip(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hints-off")
    toml = folder / "classroom.toml"
    toml.write_text("".join(f"[exercises.{name}]\nhints = 0\n" for name in checks.EXERCISES))
    return build(folder / "out", classroom=toml)


def texts(zip_path: Path) -> dict[str, str]:
    with zipfile.ZipFile(zip_path) as archive:
        return {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}


def answer_lines() -> set[str]:
    """Every line a learner must write: each exercise's solution code and each solution region of the
    solution notebooks, less the lines the skeletons already give."""
    every = checks.registry.every_variant()  # each exercise's own task and its other variants
    given = {line.strip() for ex in every for line in ex.skeleton.splitlines()}
    lines = {line.strip() for ex in every for line in ex.solution_code.splitlines()}
    for path in (ROOT / "solutions").glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            for region in REGION.findall("".join(cell["source"])):
                lines |= {line.strip() for line in region.splitlines()}
    return {line for line in lines if line and line not in given and not line.startswith("#")}


def leaks(files: dict[str, str]) -> list[str]:
    wanted = answer_lines()
    assert len(wanted) >= 8  # the search is for something: every exercise's answer
    found = []
    for name, text in files.items():
        for number, line in enumerate(text.splitlines(), start=1):
            if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
                found.append(f"{name}:{number}: a solution marker")
            for answer in wanted:
                if answer in line:
                    found.append(f"{name}:{number}: {answer}")
    return found


def test_the_release_holds_no_line_of_any_solution_hints_included(release_zip):
    files = texts(release_zip)
    assert leaks(files) == []
    for exercise in checks.registry.every_variant():  # the hints are there, and hold no line of the answer
        assert all(hint[:60] in files[type(exercise).__module__.replace(".", "/") + ".py"] for hint in exercise.hints)


def test_no_wrong_version_of_an_exercise_is_in_the_release_only_its_key_and_what_it_does(release_zip):
    files = texts(release_zip)
    for exercise in checks.registry.every_variant():
        module = files[type(exercise).__module__.replace(".", "/") + ".py"]
        for key, (what, code) in getattr(exercise, "wrong_versions", {}).items():
            assert key in module and what[:50] in module
            assert code not in module and code.strip().splitlines()[-1].strip() not in module, key


def test_with_hints_off_the_hints_are_gone_too(hints_off_zip):
    files = texts(hints_off_zip)
    assert leaks(files) == []
    for exercise in checks.registry.every_variant():
        assert not any(hint[:60] in text for hint in exercise.hints for text in files.values())


def test_the_release_holds_learner_material_only(release_zip):
    names = set(texts(release_zip))
    with zipfile.ZipFile(release_zip) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    assert len(tops) == 1 and tops.pop().endswith(checks_version())  # one folder, <course>-<version>
    run_by_make = {n for n in names if n in texts(release_zip)["Makefile"]}  # e.g. tools/find_python.sh
    for forbidden in ("solutions/", "grader/", "tests/", "tools/", "gradescope/", "benchmarks/", "checks/grade/"):
        assert not any(n.startswith(forbidden) for n in names - run_by_make), forbidden
    assert {
        "README.md",
        "Makefile",
        "pyproject.toml",
        "requirements.txt",
        "constraints.txt",
        "data/kjv_genesis_exodus.txt",
        "checks/__init__.py",
        "checks/exercises/forward.py",
    } <= names
    learner = {p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert {n for n in names if n.endswith(".ipynb")} == learner
    for name in learner:  # the learner copies, as generated: no outputs
        assert texts(release_zip)[name] == (ROOT / name).read_text()


def checks_version() -> str:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_readme_says_how_to_start_and_what_to_hand_in(release_zip):
    readme = texts(release_zip)["README.md"]
    assert "make lab" in readme and "an assignment of its own" in readme
    for exercise in checks.ASSIGNMENT:
        assert f"notebooks/{exercise.notebook}.ipynb" in readme and f"`{exercise.name}`" in readme
    assert "not rename" in readme.lower()
    assert "has not been released" in readme


def test_the_makefile_only_sets_up_and_opens_the_lab(release_zip, tmp_path):
    with zipfile.ZipFile(release_zip) as archive:
        archive.extractall(tmp_path)
    folder = next(tmp_path.iterdir())
    makefile = (folder / "Makefile").read_text()
    assert not re.search(r"^(test|grade|gradescope|release|notebooks|execute)\b.*:", makefile, re.MULTILINE)
    dry = subprocess.run(["make", "-n", "lab"], cwd=folder, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert "pip install -r requirements.txt" in dry.stdout and "jupyter lab notebooks/" in dry.stdout
    assert re.search(r"pip install (--quiet )?--no-deps -e \.", dry.stdout)


def run_in_release(folder: Path, code: str) -> str:
    """Python in the release's folder, importing the release's checks (not the repository's)."""
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_solution_says_not_released_and_the_hints_are_kept(release_zip, tmp_path):
    with zipfile.ZipFile(release_zip) as archive:
        archive.extractall(tmp_path)
    folder = next(tmp_path.iterdir())
    out = run_in_release(
        folder, "import checks; print(checks.__file__)\nfor ex in checks.EXERCISES.values(): ex.solution(); ex.hint()"
    )
    assert out.splitlines()[0] == str(folder / "checks" / "__init__.py")
    assert out.count("has not been released") == len(checks.EXERCISES)
    assert checks.forward.hints[0] in out


def test_a_release_with_solutions_published_shows_them(tmp_path):
    zip_path = build(tmp_path / "out", "--solutions", "published")
    assert zip_path.name.endswith("-with-solutions.zip")
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "unpacked")
    folder = next((tmp_path / "unpacked").iterdir())
    out = run_in_release(folder, "import checks; checks.forward.solution(); checks.get_initializer.solution()")
    assert "embedding_lookup" in out and "tf.random.uniform(" in out and "not been released" not in out


def test_hints_off_say_so(hints_off_zip, tmp_path):
    with zipfile.ZipFile(hints_off_zip) as archive:
        archive.extractall(tmp_path)
    out = run_in_release(next(tmp_path.iterdir()), "import checks; checks.forward.hint()")
    assert "Hints are turned off" in out


def test_the_same_sources_give_the_same_zip(release_zip, tmp_path):
    assert build(tmp_path).read_bytes() == release_zip.read_bytes()
