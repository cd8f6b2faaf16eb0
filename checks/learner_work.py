"""Bring the learner's ``get_initializer`` and ``EmbeddingModel`` into a later notebook.

``load(path)`` reads the "Time to code" notebook, runs only the imports and the two definitions it
finds there (never the other cells), judges each with the same checks as the exercise, and keeps
the learner's version of each part that passes. A part that does not pass yet is replaced by the
reference solution, and the report says which and why. ``use(...)`` does the same for definitions
typed into the current notebook.
"""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

from checks.exercises.forward import Forward
from checks.exercises.get_initializer import GetInitializer

NAMES = ("get_initializer", "EmbeddingModel")


@dataclass
class LearnerWork:
    """What a later notebook trains with, and where each part came from."""

    get_initializer: object
    EmbeddingModel: type
    lines: list = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def reference_definitions(namespace: dict | None = None) -> dict:
    """The reference ``get_initializer`` and ``EmbeddingModel``, defined in ``namespace``."""
    import tensorflow as tf

    namespace = {"tf": tf} if namespace is None else namespace
    exec(GetInitializer.solution_code, namespace)
    head = Forward.skeleton.split("    # Forward run")[0]  # the class and its __init__, as given
    exec(head + Forward.solution_code, namespace)
    return namespace


def definitions_in_notebook(path: Path) -> tuple[dict, list[str]]:
    """Run the imports and the last definition of each name in NAMES from ``path``'s code cells."""
    import tensorflow as tf
    from IPython.core.inputtransformer2 import TransformerManager

    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    kept: dict[str, ast.stmt] = {}
    imports: list[ast.stmt] = []
    problems = []
    for number, cell in enumerate(cells, start=1):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        try:
            tree = ast.parse(TransformerManager().transform_cell(source))
        except SyntaxError as exc:
            if any(f"def {n}" in source or f"class {n}" in source for n in NAMES):
                problems.append(f"code cell {number} has a syntax error (line {exc.lineno}: {exc.msg})")
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(node)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in NAMES:
                kept[node.name] = node
    namespace = {"tf": tf, "__name__": "learner_work"}
    for node in imports + [kept[n] for n in NAMES if n in kept]:
        try:
            exec(compile(ast.Module(body=[node], type_ignores=[]), str(path), "exec"), namespace)
        except Exception as exc:  # an import that fails here must not stop the notebook
            problems.append(f"`{ast.unparse(node).splitlines()[0]}` raised {type(exc).__name__}: {exc}")
    return {n: namespace[n] for n in NAMES if n in namespace}, problems


def load(path="../notebooks/04_time_to_code.ipynb") -> LearnerWork:
    """The learner's definitions from the notebook at ``path`` (reference parts where they fail)."""
    path = Path(path)
    try:
        found, problems = definitions_in_notebook(path)
    except (OSError, ValueError, KeyError) as exc:
        return _choose({}, [f"Could not read {path.as_posix()} ({type(exc).__name__})."])
    return _choose(found, [f"Read {path.as_posix()}."] + [f"  Note: {p}." for p in problems])


def use(get_initializer=None, EmbeddingModel=None, source="this notebook") -> LearnerWork:
    """The same judgement for definitions entered directly, e.g. ``use(get_initializer, EmbeddingModel)``."""
    found = {n: v for n, v in zip(NAMES, (get_initializer, EmbeddingModel)) if v is not None}
    return _choose(found, [f"Using the definitions from {source}."])


def _choose(found: dict, lines: list[str]) -> LearnerWork:
    import checks
    from checks.outcome import Status

    reference = reference_definitions()
    chosen = {}
    for name, exercise in zip(NAMES, (checks.get_initializer, checks.forward)):
        if name not in found:
            chosen[name] = reference[name]
            lines.append(f"\u2718 {exercise.name}: no {name} found, so this notebook uses the reference one.")
            continue
        outcome = exercise.evaluate(found[name])
        if outcome.passed:
            chosen[name] = found[name]
            lines.append(f"\u2714 {exercise.name}: your exercise passes, so this notebook uses your {name}.")
        else:
            chosen[name] = reference[name]
            lines.append(f"\u2718 {exercise.name}: your exercise does not pass yet ({outcome.status.value}), "
                         f"so this notebook uses the reference {name}.")
            if outcome.status is not Status.NOT_ATTEMPTED:
                lines.append(f"  Why: {outcome.message}")
    # EmbeddingModel.forward calls whichever get_initializer its own module defines: make it the chosen one.
    chosen["EmbeddingModel"].forward.__globals__["get_initializer"] = chosen["get_initializer"]
    mixed = chosen["EmbeddingModel"] is not reference["EmbeddingModel"]
    if mixed and chosen["get_initializer"] is reference["get_initializer"]:
        lines.append("  Your EmbeddingModel now calls the reference get_initializer.")
    if any(chosen[n] is reference[n] for n in NAMES):
        lines.append("Finish the exercises in 04_time_to_code.ipynb, save it, and run this notebook again "
                     "to train with your own code.")
    return LearnerWork(chosen["get_initializer"], chosen["EmbeddingModel"], lines)
