"""The grader's shape, held: its steps wired as a pipeline, and its folders on floors that import only
downwards (tests/test_code_size.py holds every function and class, the grader's too, to a length read
at once)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.pipeline import batch

GRADER = Path(__file__).resolve().parent.parent / "grader"

#: What each part of grader/ may import of grader/ (besides itself): the floors, lowest first. The
#: sandbox knows no course; outputs/ and lms/ take results, never the pipeline that made them.
MAY_IMPORT = {
    "sandbox": set(),
    "files": set(),
    "results": {"sandbox"},
    "course": {"sandbox"},
    "pipeline": {"course", "results", "sandbox"},
    "outputs": {"files", "results"},
    "lms": {"course", "files", "results"},
    "commands": {"course", "files", "lms", "outputs", "pipeline", "results", "sandbox"},
    "__main__": {"commands"},
}


def grader_modules() -> list[Path]:
    return sorted(path for path in GRADER.rglob("*.py") if "__pycache__" not in path.parts)


def part_of(path: Path) -> str:
    return path.relative_to(GRADER).parts[0].removesuffix(".py")


def imported_parts(path: Path) -> set[str]:
    """The parts of grader/ that ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + (
                [f"{node.module}.{alias.name}" for alias in node.names] if node.module == "grader" else []
            )
        for name in names:
            parts = name.split(".")
            if parts[0] == "grader" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_step_takes_only_what_the_batch_starts_from_or_an_earlier_step_gives():
    assert batch.wiring() == []


@pytest.mark.parametrize("step", batch.STEPS, ids=lambda step: step.__name__)
def test_every_step_is_a_module_of_its_own_in_the_pipeline(step):
    assert step.__module__ == f"grader.pipeline.{step.__name__.lower()}"


@pytest.mark.parametrize("path", grader_modules(), ids=lambda path: str(path.relative_to(GRADER)))
def test_every_part_of_the_grader_imports_only_what_stands_below_it(path):
    part = part_of(path)
    if part == "__init__":
        return
    upward = imported_parts(path) - MAY_IMPORT[part] - {part}
    assert not upward, f"{path.relative_to(GRADER)} imports grader's {', '.join(sorted(upward))}"


def test_the_floors_name_every_part_of_the_grader():
    parts = {part_of(path) for path in grader_modules()} - {"__init__"}
    assert parts == set(MAY_IMPORT)
