"""Bring the learner's answers to a notebook's graded exercises into a later notebook.

``load(path)`` reads the notebook the exercises are in, runs only what the answers' definitions need
(the definitions, and the imports, constants and helpers they use; never the other cells), judges each
answer with the same check as its exercise, and keeps the learner's version of each answer that
passes. One that does not pass yet is replaced by the reference solution, and the report says which
and why. ``use(...)`` does the same for definitions typed into the current notebook.
"""

from __future__ import annotations

import ast
import json
import linecache
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

#: The notebook whose answers notebook 5 trains with (``load``'s default, and what ``use`` fills in).
TRAINED_WITH = "04_time_to_code"


class ReferenceWithheld(RuntimeError):
    """A later notebook asked for a definition the learner has not finished, and the instructor has not
    released the reference solution (a classroom release): the learner must finish the exercise first."""

    def _render_traceback_(self) -> list[str]:  # one line under the report, as a failed check shows
        return [f"{type(self).__name__}: {self}"]


@dataclass
class LearnerWork:
    """What a later notebook trains with (``work.get_initializer``, ``work.EmbeddingModel``), and where
    each part came from."""

    definitions: dict
    lines: list = field(default_factory=list)

    def __getattr__(self, name):
        try:
            definition = self.__dict__["definitions"][name]
        except KeyError:
            raise AttributeError(name) from None
        if definition is None:
            raise ReferenceWithheld(
                f"there is no {name} to use yet: your instructor has not released the "
                "reference solution, so finish the exercises (the report above says "
                "which), save the notebook, and run this one again."
            )
        return definition

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def reference_definitions(exercises) -> dict:
    """Each exercise's reference answer (its skeleton with the solution filled in), in a namespace of
    their own; an exercise whose solution is withheld has none."""
    import numpy as np
    import tensorflow as tf

    namespace = {"tf": tf, "np": np}
    for exercise in exercises:
        if exercise.solution_code is not None:
            exec(compile(ast.fix_missing_locations(_reference_module(exercise)), "<reference>", "exec"), namespace)
    return namespace


def _reference_module(exercise) -> ast.Module:
    """The skeleton's code with the function at ``skeleton_path`` replaced by the solution's."""
    module = ast.parse(exercise.skeleton)
    solution = ast.parse(textwrap.dedent(exercise.solution_code)).body[0]
    body, *path = exercise.skeleton_path.split(".")
    owner = module
    for part in [body, *path][:-1]:
        owner = next(node for node in owner.body if getattr(node, "name", None) == part)
    owner.body = [solution if getattr(node, "name", None) == solution.name else node for node in owner.body]
    return module


def definitions_in_notebook(path: Path, names) -> tuple[dict, list[str]]:
    """Run, from ``path``'s code cells in order, the last definition of each of ``names`` and every
    module-level import, constant and helper those definitions use, as the notebook itself would."""
    import tensorflow as tf
    from IPython.core.inputtransformer2 import TransformerManager

    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    statements = []  # (filename, statement), in the order the notebook runs them
    problems = []
    for number, cell in enumerate(cells, start=1):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        source = TransformerManager().transform_cell(source)
        filename = f"<{path.name}, code cell {number}>"
        try:
            tree = ast.parse(source, filename)
        except SyntaxError as exc:
            if any(definition_of(n).search(source) for n in names):
                problems.append(f"code cell {number} has a syntax error (line {exc.lineno}: {exc.msg})")
            continue
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # for tracebacks
        statements += [(filename, node) for node in tree.body]
    kept = _kept(statements, names)
    namespace = {"tf": tf, "__name__": "learner_work"}
    for filename, node in statements:
        if id(node) not in kept:
            continue
        try:
            exec(compile(ast.Module(body=[node], type_ignores=[]), filename, "exec"), namespace)
        except Exception as exc:  # a statement that fails here must not stop the notebook
            problems.append(f"`{ast.unparse(node).splitlines()[0]}` raised {type(exc).__name__}: {exc}")
    return {n: namespace[n] for n in names if n in namespace}, problems


def definition_of(name: str) -> re.Pattern:
    """Where code defines ``name``: a ``def`` or ``class`` line for it, at any indentation. Read as
    text, so it finds the definition in a cell that does not parse too (the grader and the notebook
    tools use it as well)."""
    return re.compile(rf"^\s*(def|class)\s+{re.escape(name)}\b", re.MULTILINE)


def needed_source(sources: list[str], names) -> list[str]:
    """Each cell of ``sources`` (plain Python) cut down to what defining ``names`` needs: the last
    definition of each, and the imports, constants and helpers they use, as the notebook wrote them; a
    cell that does not parse is kept whole if it defines one of ``names`` (running it says why it
    fails), and dropped otherwise. The grader runs this instead of a notebook that cannot run in its
    sandbox (notebook 5 reads files and trains for minutes)."""
    statements, trees = [], []
    for number, source in enumerate(sources):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            trees.append(None)
            continue
        trees.append(tree)
        statements += [(number, node) for node in tree.body]
    kept = _kept(statements, names)
    cut = []
    for source, tree in zip(sources, trees):
        if tree is None:
            defines = any(definition_of(name).search(source) for name in names)
            cut.append(source if defines else "")
            continue
        lines = source.splitlines(keepends=True)
        spans = [
            (min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]), node.end_lineno)
            for node in tree.body
            if id(node) in kept
        ]
        cut.append("".join("".join(lines[start - 1 : end]) for start, end in spans))
    return cut


def _kept(statements, names) -> set:
    """The ids of the statements (``(where, node)`` pairs, in running order) to run: the last
    definition of each of ``names``, and what they need."""
    last = {}
    for _, node in statements:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
            last[node.name] = node
    return _needed(statements, set(last), last)


def _needed(statements, names: set, last: dict) -> set:
    """The ids of the statements to run: the last definition of each name, and, transitively, every
    import, assignment and definition of a name they use."""
    needed, kept = set(names), {id(node) for node in last.values()}
    while True:
        uses = set()
        for _, node in statements:
            if id(node) in kept:
                uses |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        more = uses - needed
        if not more:
            return kept
        needed |= more
        for _, node in statements:
            if _binds(node) & needed and not (isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in last):
                kept.add(id(node))


def _binds(node: ast.stmt) -> set:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}
    return set()


def load(path=f"../notebooks/{TRAINED_WITH}.ipynb") -> LearnerWork:
    """The learner's answers from the notebook at ``path`` (reference ones where they fail)."""
    path = Path(path)
    exercises = _asked_in(path.stem)
    try:
        found, problems = definitions_in_notebook(path, [ex.answer_name for ex in exercises])
    except (OSError, ValueError, KeyError) as exc:
        return _choose({}, [f"Could not read {path.as_posix()} ({type(exc).__name__})."], exercises)
    return _choose(found, [f"Read {path.as_posix()}."] + [f"  Note: {p}." for p in problems], exercises)


def use(*definitions, source="this notebook", notebook=TRAINED_WITH) -> LearnerWork:
    """The same judgement for definitions entered directly, one per graded exercise of ``notebook`` in
    the order it asks for them, e.g. ``use(get_initializer, EmbeddingModel)`` (notebook 4's) or
    ``use(nearest_neighbours, notebook="05_training")``; None for one not entered."""
    exercises = _asked_in(notebook)
    found = {ex.answer_name: d for ex, d in zip(exercises, definitions) if d is not None}
    return _choose(found, [f"Using the definitions from {source}."], exercises)


def _asked_in(notebook: str) -> list:
    """The graded exercises of ``notebook`` (notebook 4's if the learner renamed their copy)."""
    import checks

    asked = [ex for ex in checks.ASSIGNMENT if ex.notebook == notebook]
    return asked or [ex for ex in checks.ASSIGNMENT if ex.notebook == TRAINED_WITH]


def _choose(found: dict, lines: list[str], exercises: list) -> LearnerWork:
    from checks.outcome import Status

    reference = reference_definitions(exercises)
    chosen = {}
    for exercise in exercises:
        name = exercise.answer_name
        task = exercise.in_force()  # the learner's own task, where the exercise has variants
        outcome = task.evaluate(found[name]) if name in found else None
        if outcome is not None and outcome.passed:
            chosen[name] = found[name]
            lines.append(f"\u2714 {exercise.name}: your exercise passes, so this notebook uses your {name}.")
            if task is not exercise:
                lines.append(f'  Your task is "{task.variant}": {task.variant_title}, not the course\'s own.')
            continue
        chosen[name] = reference.get(name)
        if outcome is None:
            lines.append(f"\u2718 {exercise.name}: no {name} found, so this notebook uses the reference one.")
        else:
            lines.append(
                f"\u2718 {exercise.name}: your exercise does not pass yet ({outcome.status.value}), "
                f"so this notebook uses the reference {name}."
            )
            if outcome.status is not Status.NOT_ATTEMPTED:
                lines.append(f"  Why: {outcome.message}")
        if chosen[name] is None:
            lines.append(
                f"  Your instructor has not released the reference {name} yet: this notebook can "
                + ("only train" if exercise.notebook == TRAINED_WITH else f"only use your {name}")
                + " once your exercise passes."
            )
    _link(chosen, reference, lines)
    unfinished = [ex for ex in exercises if chosen[ex.answer_name] is reference.get(ex.answer_name)]
    if unfinished:
        lines.append(_finish_line(unfinished))
    return LearnerWork(chosen, lines)


def _finish_line(unfinished: list) -> str:
    """What to do to use one's own code: notebook 4's answers are what notebook 5 trains with; any other
    exercise's answer is only used, by the cell that asked for it."""
    where = " and ".join(dict.fromkeys(f"{ex.notebook}.ipynb" for ex in unfinished))
    if all(ex.notebook == TRAINED_WITH for ex in unfinished):
        return f"Finish the exercises in {where}, save it, and run this notebook again to train with your own code."
    names = " and ".join(ex.answer_name for ex in unfinished)
    return f"Once your {names} passes its check in {where}, run this cell again to use your own."


def _link(chosen: dict, reference: dict, lines: list[str]) -> None:
    """A chosen definition calls the others by the names of its own module: make them the chosen ones."""
    for name, definition in chosen.items():
        if definition is None:  # withheld reference, nothing to link
            continue
        functions = (
            [definition]
            if hasattr(definition, "__globals__")
            else [member for member in vars(definition).values() if hasattr(member, "__globals__")]
        )
        for function in functions:
            for other, value in chosen.items():
                if other != name and other in function.__code__.co_names:
                    function.__globals__[other] = value
                    if definition is not reference.get(name) and value is reference.get(other):
                        lines.append(f"  Your {name} now calls the reference {other}.")
