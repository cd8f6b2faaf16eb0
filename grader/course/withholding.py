"""Take solutions (and withheld hints) out of an exercise module's source, by its syntax tree.

Each exercise declares ``solution_code = '''...'''`` and ``hint_text = (...)`` as class-level literal
assignments (checks/exercise.py). ``blank(source, {"solution_code"})`` finds those assignments with
``ast`` and replaces each, over all the lines it spans, with ``<name> = None`` plus a comment saying
why, so ``solution()`` and ``hint()`` say the instructor withheld them. Every other line of the module
is kept as it is. The result is parsed again and must hold none of the removed strings.
"""
from __future__ import annotations

import ast

BLANKABLE = ("solution_code", "hint_text")
WHY = {"solution_code": "withheld by the instructor: solution() says it has not been released",
       "hint_text": "withheld by the instructor: hint() says hints are off for this exercise"}


class BlankingError(ValueError):
    """The module does not declare what is to be blanked the way the release builder can remove it."""


def literal_assignments(tree: ast.Module, names) -> list[ast.Assign]:
    """Every class-level ``name = <literal>`` for ``name`` in ``names``, in any class of the module."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            targets = (statement.targets if isinstance(statement, ast.Assign)
                       else [statement.target] if isinstance(statement, ast.AnnAssign) else [])
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                if len(targets) != 1 or statement.value is None:
                    raise BlankingError(f"line {statement.lineno}: assign {targets[0].id} on its own, to a literal")
                try:
                    ast.literal_eval(statement.value)
                except ValueError:
                    raise BlankingError(f"line {statement.lineno}: {targets[0].id} must be a literal "
                                        "(a string, or strings in parentheses), so it can be removed whole") from None
                found.append(statement)
    return found


def blank(source: str, names: set[str]) -> str:
    """``source`` with every class-level literal assignment of ``names`` replaced by ``= None``."""
    unknown = set(names) - set(BLANKABLE)
    if unknown:
        raise BlankingError(f"cannot blank {', '.join(sorted(unknown))}; only {', '.join(BLANKABLE)}")
    tree = ast.parse(source)
    assignments = literal_assignments(tree, names)
    removed = [ast.literal_eval(a.value) for a in assignments]
    lines = source.splitlines(keepends=True)
    for statement in sorted(assignments, key=lambda a: a.lineno, reverse=True):
        name = (statement.targets[0] if isinstance(statement, ast.Assign) else statement.target).id
        indent = lines[statement.lineno - 1][:statement.col_offset]
        lines[statement.lineno - 1:statement.end_lineno] = [f"{indent}{name} = None  # {WHY[name]}\n"]
    blanked = "".join(lines)
    _assert_gone(blanked, removed, names)
    return blanked


def _assert_gone(blanked: str, removed: list, names: set[str]) -> None:
    tree = ast.parse(blanked)  # still a module Python can import
    left = [a for a in literal_assignments(tree, names) if ast.literal_eval(a.value) is not None]
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    if left or any(text in strings for text in removed if text):
        raise BlankingError("a withheld text is still in the module after blanking")
