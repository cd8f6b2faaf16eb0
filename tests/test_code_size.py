"""No function or class of the course's code too long to read at once: at most 60 lines for a function,
150 for a class, in checks/, tools/ and grader/.

An exercise's class is mostly a declaration, and part of it is data a release takes out: the
solution, the hints and the wrong versions' code, which stay class-level literals so that
``grader/course/withholding.py`` can find and remove them by the syntax tree. Those literals do not
count towards their class's lines (they are read one entry at a time, not as code); everything else
does, the task's statement and the skeleton included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.course.withholding import WITHHELD

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("checks", "tools", "grader")
LONGEST_FUNCTION, LONGEST_CLASS = 60, 150


def modules() -> list[Path]:
    return sorted(
        path for folder in FOLDERS for path in (ROOT / folder).rglob("*.py") if "__pycache__" not in path.parts
    )


def lines_of(node: ast.AST) -> int:
    """The lines ``node`` spans; for a class, less those of its withheld literals."""
    lines = node.end_lineno - node.lineno + 1
    if isinstance(node, ast.ClassDef):
        lines -= sum(s.end_lineno - s.lineno + 1 for s in node.body if withheld_literal(s))
    return lines


def withheld_literal(statement: ast.stmt) -> bool:
    """A class-level ``solution_code``, ``hints`` or ``wrong_versions`` literal: what a release takes out."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
        return False
    target = statement.targets[0]
    if not (isinstance(target, ast.Name) and target.id in WITHHELD):
        return False
    try:
        ast.literal_eval(statement.value)
    except ValueError:
        return False
    return True


def too_long(source: str) -> list[tuple[str, int, int]]:
    """(name, lines, at most) of every function or class of ``source`` over its limit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            longest = LONGEST_CLASS if isinstance(node, ast.ClassDef) else LONGEST_FUNCTION
            if lines_of(node) > longest:
                found.append((node.name, lines_of(node), longest))
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_function_or_class_is_too_long_to_read_at_once(path):
    found = too_long(path.read_text(encoding="utf-8"))
    assert not found, "; ".join(f"{path.relative_to(ROOT)}: {n} is {k} lines (at most {m})" for n, k, m in found)


def test_only_the_withheld_literals_are_left_out_of_a_class_count():
    methods = "".join(f"    def f{i}(self):\n        return {i}\n" for i in range(80))  # 160 lines of code
    hints = "    hints = (\n" + '        "a hint",\n' * 40 + "    )\n"
    statement = '    statement = """\\\n' + "a line\n" * 150 + '"""\n'  # not withheld: it counts
    assert too_long(f"class Long:\n{methods}") == [("Long", 161, LONGEST_CLASS)]
    assert too_long(f"class Long:\n{hints}{methods}") == [("Long", 161, LONGEST_CLASS)]
    assert too_long(f"class Declared:\n{statement}") == [("Declared", 153, LONGEST_CLASS)]
    assert too_long(f"class Short:\n{hints}    x = 1\n") == []
    assert too_long("def f():\n" + "    x = 1\n" * 60) == [("f", 61, LONGEST_FUNCTION)]
