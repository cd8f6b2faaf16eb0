"""The authors' and instructors' guides describe what exists: the generators as tools/generate.py
lists them, the grader's steps as grader/pipeline/batch.py lists them, and no file they name is gone.
(How many exercises there are is written by tools/generate.py into docs/instructors.md, never by hand:
tests/test_notebooks.py holds that region to what it would write; the README's counts, in words, are
held to the registry here.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.pipeline import batch
from tools import generate

ROOT = Path(__file__).resolve().parent.parent
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
GUIDES = {name: (ROOT / name).read_text(encoding="utf-8") for name in ("CONTRIBUTING.md", "docs/instructors.md")}
TOP = {"checks", "grader", "tools", "tests", "benchmarks", "solutions", "notebooks", "docs", "gradescope"}


def section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 3)
    return text[start : end if end != -1 else len(text)]


def test_the_generators_table_lists_the_generators_in_their_order():
    table = section(CONTRIBUTING, "The generated files")
    named = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert named == [generator.__name__ for generator in generate.GENERATORS]


@pytest.mark.parametrize("step", batch.STEPS, ids=lambda step: step.__name__)
def test_the_grader_section_names_each_step_and_its_module(step):
    way = section(CONTRIBUTING, "A submission's way through the grader")
    assert f"**{step.__name__}** (`pipeline/{step.__name__.lower()}.py`)" in way


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_every_python_file_a_guide_names_exists(guide):
    missing = []
    for path in sorted(set(re.findall(r"`([\w./-]+\.py)\b", GUIDES[guide]))):
        if "/" not in path or path.startswith(("checks/exercises/unit_rows", "docs/otter_tests/unit_rows")):
            continue  # a bare name is read beside the path before it; unit_rows is the guide's example
        where = ROOT / path if path.split("/")[0] in TOP else ROOT / "grader" / path
        if not where.exists():
            missing.append(path)
    assert not missing, f"{guide} names files that do not exist: {', '.join(missing)}"


NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def test_what_the_readme_counts_is_the_registrys():
    import checks
    from checks import registry

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    graded = checks.ASSIGNMENT
    every_notebook = {ex.notebook for ex in graded} == {path.stem for path in (ROOT / "notebooks").glob("*.ipynb")}
    # No total: a new exercise takes no hand edit elsewhere (tests/test_new_exercise.py holds that).
    assert every_notebook and "Every notebook has at least one graded exercise (notebook 4 the chapter's two" in readme
    assert [ex.name for ex in graded if ex.notebook == "04_time_to_code"] == ["get_initializer", "forward"]
    families = [tasks for name, tasks in registry.VARIANTS.items() if len(tasks) > 1]
    (size,) = {len(tasks) for tasks in families}  # the README speaks of one size for every family
    assert f"{NUMBERS[len(families)]} exercises have {NUMBERS[size]} tasks each" in readme
