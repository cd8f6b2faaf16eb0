"""What leaves the instructor's hands without answers: an exercise module with its solution (and its
wrong versions' code, and the hints a class does not get) taken out, by its syntax tree; and the copy
of the course's code a grading sandbox sees.

Each exercise declares ``solution_code = '''...'''``, ``hints = (...)`` and, for the short kind,
``wrong_versions = {key: (what it does, '''code''')}`` as class-level literal assignments
(checks/exercise.py, checks/short.py). ``withhold(source, hints=1)`` finds those assignments with
``ast`` and rewrites each over all the lines it spans: the solution becomes None (``solution()`` then
says it has not been released), only the first ``hints`` hint levels stay, and each wrong version
keeps its key and description but not its code (the judge still names it, from results recorded
with ``checks.expected``). Every other line of the module is kept as it is. The result is parsed
again and must hold none of the removed strings.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

WITHHELD = ("solution_code", "hints", "wrong_versions")
WHY = {
    "solution_code": "withheld by the instructor: solution() says it has not been released",
    "hints": "the hint levels this class gets (classroom.toml)",
    "wrong_versions": "their code withheld with the solution; their results are recorded in checks/expected/",
}


class WithholdingError(ValueError):
    """The module does not declare what is withheld the way the builder can remove it."""


def literal_assignments(tree: ast.Module, names) -> list[ast.Assign]:
    """Every class-level ``name = <literal>`` for ``name`` in ``names``, in any class of the module."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            targets = (
                statement.targets
                if isinstance(statement, ast.Assign)
                else [statement.target]
                if isinstance(statement, ast.AnnAssign)
                else []
            )
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                if len(targets) != 1 or statement.value is None:
                    raise WithholdingError(f"line {statement.lineno}: assign {targets[0].id} on its own, to a literal")
                try:
                    ast.literal_eval(statement.value)
                except ValueError:
                    raise WithholdingError(
                        f"line {statement.lineno}: {targets[0].id} must be a literal "
                        "(strings, in parentheses, a tuple or a dict), so it can be removed "
                        "whole"
                    ) from None
                found.append(statement)
    return found


def withhold(source: str, hints: int | None = None, solution: bool = True) -> str:
    """``source`` without its solution (unless ``solution`` is False) and its wrong versions' code,
    keeping the first ``hints`` hint levels (all when None)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    removed: list[str] = []
    statements = literal_assignments(tree, WITHHELD)
    for statement in sorted(statements, key=lambda a: a.lineno, reverse=True):
        name = (statement.targets[0] if isinstance(statement, ast.Assign) else statement.target).id
        value = ast.literal_eval(statement.value)
        if name == "solution_code":
            if not solution or value is None:
                continue
            kept, gone = None, [value]
        elif name == "hints":
            if hints is None or hints >= len(value):
                continue
            kept, gone = tuple(value[:hints]), list(value[hints:])
        else:
            kept = {key: (what, None) for key, (what, _) in value.items()}
            gone = [code for _, code in value.values() if code]
        removed += gone
        indent = lines[statement.lineno - 1][: statement.col_offset]
        lines[statement.lineno - 1 : statement.end_lineno] = [_literal(indent, name, kept)]
    result = "".join(lines)
    _assert_gone(result, removed)
    return result


def _literal(indent: str, name: str, value) -> str:
    """``name = value`` as source, one item a line, with a comment saying why it is as it is."""
    if isinstance(value, tuple) and value:
        items = "".join(f"{indent}    {item!r},\n" for item in value)
        return f"{indent}{name} = (  # {WHY[name]}\n{items}{indent})\n"
    if isinstance(value, dict) and value:
        items = "".join(f"{indent}    {key!r}: {item!r},\n" for key, item in value.items())
        return f"{indent}{name} = {{  # {WHY[name]}\n{items}{indent}}}\n"
    return f"{indent}{name} = {value!r}  # {WHY[name]}\n"


def _assert_gone(result: str, removed: list) -> None:
    tree = ast.parse(result)  # still a module Python can import
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    if any(text in strings for text in removed if text):
        raise WithholdingError("a withheld text is still in the module after withholding")


def exercise_modules(package: Path) -> list[Path]:
    """The exercise modules of a copy of the ``checks`` package, their other variants' included."""
    return sorted(
        p for folder in ("exercises", "variants") for p in (package / folder).rglob("*.py") if p.name != "__init__.py"
    )


def sandbox_code(destination: Path, source_root: Path) -> Path:
    """A copy of the code a grading sandbox imports (``checks`` and ``grader``) with no solution, no
    wrong version's code and no recorded results in it: whatever a submission reads of it, it could
    hand in as feedback, so it holds nothing a learner's own release does not."""
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "expected")
    for package in ("checks", "grader"):
        shutil.copytree(source_root / package, destination / package, ignore=ignore, dirs_exist_ok=True)
    for module in exercise_modules(destination / "checks"):
        module.write_text(withhold(module.read_text(encoding="utf-8")), encoding="utf-8")
    return destination
